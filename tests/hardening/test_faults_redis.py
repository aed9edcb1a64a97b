"""Redis down: the pages and the API keep serving (the cache is bypassed), and whatever needs the broker
says so clearly instead of failing late or with a traceback.

Each case runs in a fresh process configured as production is (REDIS_URL set, so Redis is the cache,
the broker and the result store, and API responses are cached), with REDIS_URL on a loopback port
where nothing listens (or where nothing answers). The last cases run in process against a redis-server
of their own, which they stop and start again.
"""

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hardening.services import free_port, private_redis

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/timeline/", "/countries/ES/", "/companies/microsoft/", "/investments/T-MS-ES-01/"]
API = [
    "/api/v1/investments/",
    "/api/v1/investments/?country=ES&page_size=2",
    "/api/v1/stats/?by=country",
    "/api/v1/countries/?format=geojson",
    "/api/v1/companies/",
    "/api/v1/investments/?format=csv",
]
SERVE = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("ingest", "dataset", "tests/fixtures/dataset", verbosity=0)
client = Client(raise_request_exception=False)
print(json.dumps({path: client.get(path).status_code for path in %r}))
"""
ENQUEUE = """
import time, django
django.setup()
from ingest import tasks
start = time.monotonic()
try:
    %s
except Exception as exc:
    print(round(time.monotonic() - start, 1), type(exc).__module__, type(exc).__name__, *str(exc).split())
else:
    print(0, "enqueued")
"""
ADMIN_POLL_NOW = """
import re, time, django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from ingest.models import Source
user = User.objects.create_superuser("root", "root@example.org", "pw")
source = Source.objects.create(name="Wire", url="https://example.org/feed.xml")
client = Client(raise_request_exception=False)
client.force_login(user)
start = time.monotonic()
response = client.post("/admin/ingest/source/", {"action": "poll_now", "_selected_action": [source.pk]}, follow=True)
seconds = time.monotonic() - start
messages = re.findall(r'<li class="(?:error|warning|success|info)">(.*?)</li>', response.content.decode())
print(response.status_code, round(seconds, 1), " | ".join(messages))
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite database file, copied by each test that needs one."""
    folder = tmp_path_factory.mktemp("redis-down")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "REDIS_URL": "",
        "CACHE_REDIS_URL": "",
    }
    command = [sys.executable, "manage.py", "migrate", "--noinput"]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True, timeout=300)
    return folder / "db.sqlite3"


@pytest.fixture
def redis_down(migrated, tmp_path):
    """The environment of a production process whose Redis is gone, on a copy of the migrated database."""
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    return {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "CACHE_REDIS_URL": "",  # the same Redis for the cache, whatever the environment says
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "API_CACHE_SECONDS": "3600",
        "LOG_LEVEL": "WARNING",
    }


def python(env, code, timeout=120):
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1], result.stderr


def test_pages_serve_while_redis_is_down(redis_down):
    statuses, _ = python(redis_down, SERVE % PAGES)
    assert json.loads(statuses) == dict.fromkeys(PAGES, 200)


def test_api_serves_while_redis_is_down_with_its_response_cache_and_throttle_bypassed(redis_down):
    statuses, log = python(redis_down, SERVE % API)
    assert json.loads(statuses) == dict.fromkeys(API, 200), log[-3000:]


def test_ingest_command_loads_without_redis_and_warns_that_cached_responses_were_not_invalidated(redis_down):
    command = [sys.executable, "manage.py", "ingest", "dataset", "tests/fixtures/dataset"]
    result = subprocess.run(command, cwd=ROOT, env=redis_down, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "dataset loaded" in result.stdout
    assert "cache unreachable" in result.stderr


def test_enqueuing_a_task_whose_result_nobody_awaits_fails_at_once_with_the_brokers_error(redis_down):
    line, _ = python(redis_down, ENQUEUE % "tasks.ingest_dataset.apply_async(ignore_result=True)")
    seconds, raised = line.split(" ", 1)
    assert raised.startswith("kombu.exceptions OperationalError") and "Connection refused" in raised, raised
    assert float(seconds) < 5


def test_poll_now_in_admin_reports_an_unreachable_broker_at_once(redis_down):
    line, log = python(redis_down, ADMIN_POLL_NOW)
    status, seconds, messages = (line + " ").split(" ", 2)
    assert status == "200", log[-3000:]
    assert "broker is unreachable" in messages, messages
    assert float(seconds) < 5, f"{seconds} s"


def test_enqueuing_a_task_that_stores_its_result_gives_up_within_seconds(redis_down):
    """Such a task subscribes to its result before it is published: the result store's retries are few."""
    line, _ = python(redis_down, ENQUEUE % "tasks.ingest_dataset.delay()")
    seconds, raised = line.split(" ", 1)
    assert raised.startswith("builtins RuntimeError") and "result store" in raised, raised
    assert float(seconds) < 5


SERVE_TIMED = """
import json, time, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("ingest", "dataset", "tests/fixtures/dataset", verbosity=0)
client = Client(raise_request_exception=False)
answers = {}
for path in %r:
    start = time.monotonic()
    status = client.get(path).status_code
    answers[path] = [status, round(time.monotonic() - start, 2)]
print(json.dumps(answers))
"""


@pytest.fixture
def redis_silent(redis_down):
    """Redis that accepts connections and never answers (hung, or swapping): the kernel completes the
    handshake, nothing reads the requests."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        yield {**redis_down, "REDIS_URL": f"redis://127.0.0.1:{listener.getsockname()[1]}/0"}


def test_api_serves_at_once_while_redis_accepts_connections_but_never_answers(redis_silent):
    """A socket timeout of a second, then Redis is left alone for a while: not a timeout per cache call."""
    answers, log = python(redis_silent, SERVE_TIMED % API)
    answers = json.loads(answers)
    assert {path: status for path, (status, _) in answers.items()} == dict.fromkeys(API, 200), log[-3000:]
    assert max(seconds for _, seconds in answers.values()) < 3, answers
    assert "cache unreachable" in log


# --- In process, against a Redis of the test's own ------------------------------------------------


@pytest.fixture
def private_cache(settings):
    """The production cache backend on a private Redis, which the test may stop and start."""
    from config.cache_backend import FailSoftRedisCacheClient

    with private_redis() as redis:
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache_backend.FailSoftRedisCache",
                "LOCATION": redis.url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        FailSoftRedisCacheClient.outages.clear()
        yield redis
        FailSoftRedisCacheClient.outages.clear()


def test_unreachable_cache_answers_misses_drops_writes_and_warns_once(private_cache, caplog):
    from django.core.cache import cache

    from config.cache_backend import FailSoftRedisCacheClient

    cache.set("kept", 1)
    assert cache.get("kept") == 1
    private_cache.stop()
    with caplog.at_level(logging.WARNING, logger="config.cache_backend"):
        assert cache.get("kept", "default") == "default"
        for outage in FailSoftRedisCacheClient.outages.values():
            outage.retry_at = 0  # past the pause after a failure: Redis is tried again, and fails again
        assert cache.get_many(["kept"]) == {}
        assert cache.add("other", 1) is False
        cache.set("other", 1)
        cache.set_many({"other": 1})
        assert cache.has_key("kept") is False
        assert cache.delete("kept") is False
        with pytest.raises(ValueError):
            cache.incr("kept")
        assert cache.get_or_set("computed", 2) == 2
    warnings = [r for r in caplog.records if "cache unreachable" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in caplog.records]
    private_cache.start()
    FailSoftRedisCacheClient.outages.clear()
    assert cache.get("kept") == 1  # Redis came back with its data


@pytest.mark.django_db
def test_a_data_change_missed_by_a_down_redis_is_not_served_stale_for_long_once_it_is_back(
    private_cache, settings, loaded, no_throttle
):
    """The data version lives in the database; Redis only holds a copy for DATA_VERSION_RECHECK_SECONDS."""
    from django.core.cache import cache
    from django.test import Client

    from config.cache_backend import FailSoftRedisCacheClient
    from investments import versioned_cache as versions
    from investments.models import DataVersion, Investment

    settings.API_CACHE_SECONDS = 3600
    settings.DATA_VERSION_RECHECK_SECONDS = 3
    client = Client()
    path = "/api/v1/investments/T-MS-ES-01/"
    title = client.get(path).json()["title"]
    assert client.get(path).json()["title"] == title  # served from the cache from now on
    copy = cache.get(versions.KEY)
    assert copy == DataVersion.objects.get().version

    private_cache.stop()
    Investment.objects.filter(ref="T-MS-ES-01").update(title="Renamed while Redis was down")
    versions.bump()  # what an ingest does once its transaction commits; the cache write is lost
    private_cache.start()
    FailSoftRedisCacheClient.outages.clear()
    # Redis is back with the copy of the version from before the change, and the responses made under it.
    assert cache.get(versions.KEY) == copy != DataVersion.objects.get().version

    time.sleep(settings.DATA_VERSION_RECHECK_SECONDS + 0.5)
    assert client.get(path).json()["title"] == "Renamed while Redis was down"
