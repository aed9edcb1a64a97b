"""The database going away: 503 with Retry-After (JSON for the API, a plain page otherwise), never a
traceback, and the service back by itself once the database is."""

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client

from tests.hardening.services import gunicorn, manage, private_postgres, site_env

FIXTURE_DATASET = "tests/fixtures/dataset"


def database_down(message="connection to server at 127.0.0.1, port 5432 failed: Connection refused"):
    """Every query fails as with a stopped server, and the connection reports itself unusable."""
    return (
        mock.patch.object(SQLCompiler, "execute_sql", side_effect=OperationalError(message)),
        mock.patch.object(type(connections["default"]), "is_usable", return_value=False),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/investments/", "/api/v1/stats/", "/api/v1/countries/ES/"])
def test_api_answers_503_json_with_retry_after_while_the_database_is_down(client, loaded, no_throttle, path):
    down_queries, down_connection = database_down()
    with down_queries, down_connection:
        response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "Traceback" not in response.content.decode()
    assert response.json()["detail"].startswith("The database is unavailable")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/countries/ES/", "/investments/T-MS-ES-01/", "/admin/login/?next=/admin/"]
)
def test_pages_answer_a_plain_503_page_with_retry_after_while_the_database_is_down(client, loaded, path):
    down_queries, down_connection = database_down()
    with down_queries, down_connection:
        response = (
            client.get(path) if "admin" not in path else client.post(path, {"username": "a", "password": "b"})
        )
    assert response.status_code == 503
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Service unavailable" in body and "Traceback" not in body and "OperationalError" not in body


@pytest.mark.django_db
def test_csv_export_answers_503_rather_than_a_cut_off_200_while_the_database_is_down(
    client, loaded, no_throttle
):
    """A streamed export commits to 200 with its first line: the database must be reached before that."""
    down_queries, down_connection = database_down()
    with down_queries, down_connection:
        response = Client(raise_request_exception=False).get("/api/v1/investments/?format=csv")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_503_keeps_the_security_headers(client, loaded):
    down_queries, down_connection = database_down()
    with down_queries, down_connection:
        response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_other_database_errors_on_a_working_connection_stay_500(loaded):
    """A query the database refuses is a bug to fix, not an outage to wait out."""
    with mock.patch.object(
        SQLCompiler, "execute_sql", side_effect=OperationalError("LIKE pattern too complex")
    ):
        response = Client(raise_request_exception=False).get("/api/v1/investments/")
    assert response.status_code == 500


# --- A real PostgreSQL restart under load ---------------------------------------------------------

BURST = ["/api/v1/investments/", "/api/v1/stats/?by=company", "/api/v1/companies/", "/", "/countries/ES/"]


class Burst:
    """Threads requesting BURST in a loop, recording (time, path, status, headers, body)."""

    def __init__(self, base, threads=4):
        self.base, self.results, self.stop = base, [], threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(threads)]

    def run(self, n):
        i = n
        while not self.stop.is_set():
            path = BURST[i % len(BURST)]
            i += 1
            try:
                with urllib.request.urlopen(self.base + path, timeout=30) as response:  # noqa: S310 - loopback
                    record = (response.status, dict(response.headers), response.read())
            except urllib.error.HTTPError as error:
                record = (error.code, dict(error.headers), error.read())
            except OSError as error:  # the server itself refused or dropped the connection
                record = (0, {}, str(error).encode())
            with self.lock:
                self.results.append((time.monotonic(), path, *record))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_postgresql_restart_during_a_burst_gives_503_then_recovers_by_itself():
    with private_postgres() as pg:
        env = site_env({"DATABASE_URL": pg.create_database("tracker"), "CONN_MAX_AGE": "60"})
        manage(env, "migrate", "--noinput")
        manage(env, "ingest", "dataset", FIXTURE_DATASET)
        with gunicorn(env, workers=2, threads=2) as site, Burst(site.base) as burst:
            time.sleep(2)
            stopped = time.monotonic()
            pg.stop()
            time.sleep(3)
            pg.start()
            restarted = time.monotonic()
            time.sleep(4)
        log = site.output()
    statuses = Counter(status for _, _, status, _, _ in burst.results)
    print("statuses:", dict(statuses))
    before = [r for r in burst.results if r[0] < stopped]
    during = [r for r in burst.results if stopped + 0.5 < r[0] < restarted]
    after = [r for r in burst.results if r[0] > restarted + 2]
    assert before and during and after, statuses
    assert all(status == 200 for _, _, status, _, _ in before), statuses
    assert statuses[500] == 0 and statuses[0] == 0, (statuses, log[-3000:])
    unavailable = [r for r in burst.results if r[2] == 503]
    assert len(unavailable) >= 3, statuses
    for _, path, _, headers, body in unavailable:
        assert headers["Retry-After"] == "30"
        assert b"Traceback" not in body and b"psycopg" not in body
        if path.startswith("/api/"):
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body)["detail"]
        else:
            assert headers["Content-Type"].startswith("text/html") and b"Service unavailable" in body
    assert all(status == 200 for _, _, status, _, _ in after), Counter(r[2] for r in after)
