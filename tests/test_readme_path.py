"""The README's own path on a bare checkout: the folders the defaults write to are created by the code
that needs them, a missing collectstatic is said at start, and `make serve` needs no key of yours.

.ci/run also runs `make run` itself in a fresh clone; these tests hold the pieces it relies on.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.serving import free_port

ROOT = Path(__file__).resolve().parent.parent


def bare_env(**extra) -> dict:
    """A new user's environment: none of the stack's variables."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root")}
    env.update(extra)
    return env


def run(args, env, timeout=180):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_sqlite_folder_is_created_by_the_settings_that_name_it(tmp_path):
    database = tmp_path / "not-yet" / "there" / "db.sqlite3"
    result = run(
        ["manage.py", "migrate", "--noinput"], bare_env(DEBUG="1", DATABASE_URL=f"sqlite:///{database}")
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert database.is_file()


def test_serving_without_collected_static_files_is_refused_with_the_fix(tmp_path):
    env = bare_env(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        STATIC_ROOT=str(tmp_path / "never-collected"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    wsgi = run(["-c", "import config.wsgi"], env)
    assert wsgi.returncode != 0
    assert "Static files have not been collected" in wsgi.stderr and "collectstatic" in wsgi.stderr
    # The check warns (runserver, migrate and check print it) but lets collectstatic itself run.
    check = run(["manage.py", "check"], env)
    assert check.returncode == 0, check.stderr
    assert "config.W001" in check.stderr + check.stdout


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_serve_without_a_key_runs_with_a_throwaway_one_and_says_so(tmp_path):
    dotenv = ROOT / ".env"
    if dotenv.is_file() and any(line.startswith("SECRET_KEY=") for line in dotenv.read_text().splitlines()):
        pytest.skip(".env sets SECRET_KEY here")
    port = free_port()
    log = tmp_path / "serve.log"
    env = bare_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", WEB_CONCURRENCY="1")
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "serve", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(1)
        assert status == 200, log.read_text()[-3000:]
        assert "using a throwaway key for this run" in log.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
