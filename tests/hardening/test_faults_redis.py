"""Redis down: the pages and the API keep serving (the cache is bypassed), and whatever needs the broker
says so clearly instead of failing late or with a traceback.

Each case runs in a fresh process configured as production is (REDIS_URL set, so Redis is the cache,
the broker and the result store, and API responses are cached), with REDIS_URL on a loopback port
where nothing listens.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.services import free_port

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
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "REDIS_URL": ""}
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
