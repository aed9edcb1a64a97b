"""A real Celery worker for tests: started as a subprocess on the test database, stopped afterwards.

    with celery_worker() as worker:
        result = some_task.apply_async(args=[...], queue=worker.queue)
        result.get(timeout=60)

The worker consumes only its own queue, so tests running side by side on one Redis do not take each
other's tasks. It needs REDIS_URL and a database another process can open (PostgreSQL, not SQLite's
in-memory test database); `skip_unless_worker_possible()` skips the test otherwise. Use it from a test
marked `@pytest.mark.django_db(transaction=True)` (tests/conftest.py re-seeds the countries): the rows the test writes
are committed, so the worker sees them, and the rows the migrations seeded (countries, sources), which
the flush after a transactional test removes, are loaded again before the test starts.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Worker:
    process: subprocess.Popen
    nodename: str
    queue: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def skip_unless_worker_possible() -> None:
    from django.db import connection

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: a real worker takes its tasks from Redis")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot open SQLite's in-memory test database")


def worker_database_url() -> str:
    """A DATABASE_URL for the test database pytest-django created (its NAME, not the configured one)."""
    from django.db import connection

    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        credentials += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{credentials}{'@' if credentials else ''}{host}{port}/{quote(s['NAME'], safe='')}"


@contextmanager
def celery_worker(env: dict[str, str] | None = None, *, start_timeout: float = 60, queue: str | None = None):
    """Start `celery -A config worker --pool solo --concurrency 1` on the test database and its own queue.

    Wait until it answers a ping (what `celery inspect ping` does), yield it, then terminate it.
    `env` adds settings for the worker (e.g. timeouts), on top of this process's environment; `queue`
    names the queue to consume (default: a new one), e.g. a dead worker's, to take over its tasks.
    """
    from config.celery import app

    skip_unless_worker_possible()
    tag = uuid.uuid4().hex[:10]
    queue, nodename = queue or f"test-{tag}", f"test-{tag}@localhost"
    environment = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CONN_MAX_AGE": "0",  # no connection outlives a task, so the test database can be dropped
        **(env or {}),
    }
    log = Path(tempfile.mkstemp(prefix=f"celery-{tag}-", suffix=".log")[1])
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--concurrency",
        "1",
        "--loglevel",
        "INFO",
        "--hostname",
        nodename,
        "--queues",
        queue,
        "--without-gossip",
        "--without-mingle",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=environment, stdout=sink, stderr=subprocess.STDOUT
        )
    worker = Worker(process, nodename, queue, log)
    try:
        deadline = time.monotonic() + start_timeout
        while not app.control.inspect(destination=[nodename], timeout=1.0).ping():
            if process.poll() is not None:
                raise RuntimeError(f"the worker exited with {process.returncode}:\n{worker.output()}")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the worker did not answer a ping in {start_timeout:g} s:\n{worker.output()}"
                )
            time.sleep(0.5)
        yield worker
    except BaseException:
        sys.stderr.write(f"--- worker log ---\n{worker.output()}\n")  # shown with the failing test
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.unlink(missing_ok=True)
