"""Slow clients against the production front: nginx (config/nginx/tracker.conf.template) before gunicorn.

A gunicorn worker holds one connection at a time (5 sync workers in production on 2 cores) and waits
for a whole request: a handful of clients that trickle their headers or bodies held every worker, and
nobody else was answered. nginx reads requests whole before passing
them on, so the same clients cost gunicorn nothing.

Each test starts its own gunicorn (production settings, config/gunicorn.py)
and, for the proxied case, nginx from the shipped template on a free loopback port. Skipped where
nginx is not installed (CI installs it).
"""

import socket
import threading
import time
import urllib.request

import pytest

from tests.hardening.services import gunicorn, nginx, nginx_binary, site_env

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="needs nginx (Debian: apt-get install nginx)")

ATTACKERS = 16  # half trickle their headers, half their bodies
TRICKLE_EVERY = 5.0  # seconds between two lines (or two bytes of body) of one slow client
PROBE_TIMEOUT = 2.0


class SlowClients:
    """ATTACKERS connections that each send a request a line or a byte every TRICKLE_EVERY seconds,
    and open a new one whenever the server closes theirs."""

    def __init__(self, port: int):
        self.port, self.stop, self.opened = port, threading.Event(), 0
        self.threads = [threading.Thread(target=self.attack, args=(n % 2 == 0,)) for n in range(ATTACKERS)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(1)  # every connection open and sending before the first probe
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=TRICKLE_EVERY + 5)

    def attack(self, headers: bool):
        while not self.stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=TRICKLE_EVERY + 5) as conn:
                    self.opened += 1
                    if headers:
                        conn.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                        trickle = b"X-Slow: 1\r\n"
                    else:
                        conn.sendall(
                            b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
                        )
                        trickle = b"a"
                    while not self.stop.wait(TRICKLE_EVERY):
                        conn.sendall(trickle)
            except OSError:  # closed by the server (a timeout): come back at once
                self.stop.wait(0.1)


def probe_every_second(base: str, seconds: float) -> list[str]:
    """GET /healthz/ once a second for `seconds`; what each probe got ("200", or the error)."""
    answers = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"{base}/healthz/", timeout=PROBE_TIMEOUT) as response:  # noqa: S310
                answers.append(str(response.status))
        except OSError as exc:
            answers.append(f"{type(exc).__name__}: {exc}")
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    return answers


@pytest.fixture
def site(tmp_path):
    # /healthz/ runs SELECT 1: an empty SQLite file is database enough.
    env = site_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "API_NUM_PROXIES": "1"})
    with gunicorn(env, production=True) as served:
        yield served


def test_slow_clients_straight_at_gunicorn_leave_nobody_else_served(site):
    """Why nginx stands in front: 16 slow clients hold every gunicorn worker, and probes time out."""
    with SlowClients(site.port):
        answers = probe_every_second(site.base, 8)
    assert any(answer != "200" for answer in answers), answers


def test_site_behind_nginx_answers_every_probe_while_slow_clients_trickle_for_20_seconds(site):
    with nginx(site) as proxy:
        assert probe_every_second(proxy.base, 1) == ["200"]
        with SlowClients(proxy.port) as attack:
            answers = probe_every_second(proxy.base, 20)
        assert len(answers) >= 18
        assert answers == ["200"] * len(answers), (answers, proxy.errors()[-2000:])
        assert attack.opened >= ATTACKERS
