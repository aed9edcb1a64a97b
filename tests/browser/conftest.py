"""Browser tests: Debian's headless Chromium, driven by Playwright, against pytest-django's live server.

Every request to a host other than loopback is aborted and recorded, and each test asserts there was
none: the dashboard must work offline (no CDN, no font service, no topojson from plot.ly).
The tests skip, with the reason, where /usr/bin/chromium or Playwright is missing.
"""

import importlib
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.servers.basehttp import WSGIServer

from ingest.dataset_pipeline import ingest_dataset
from tests.factories import CompanyFactory, InvestmentFactory, country

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the fixtures run
# beside it, never inside a coroutine, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


class InFlight:
    """The live server's WSGI application, counting the requests it is answering.

    A page's last fetch can still be running on the server when its test ends and the browser has
    gone; the database flush that follows a transactional test then locks every table while that
    request's query holds some of them, and PostgreSQL finds the two deadlocked. A session's teardown
    waits until the server has answered everything (wait_idle())."""

    def __init__(self, app):
        self.app, self.running = app, 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.running += 1
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self.done()
            raise
        return Answering(body, self.done)

    def done(self):
        with self.changed:
            self.running -= 1
            self.changed.notify_all()

    def wait_idle(self, quiet=0.3, timeout=30):
        """Until no request has run for `quiet` seconds (one the browser sent as it closed may still be
        on its way in)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while time.monotonic() < deadline:
                if self.running:
                    self.changed.wait(deadline - time.monotonic())
                elif not self.changed.wait(quiet):
                    return


class Answering:
    """A response body that reports when the server has closed it: the request is answered."""

    def __init__(self, body, done):
        self.body, self.done = body, done

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.done()


class SerialWSGIServer(WSGIServer):
    """Django's test server answering one request at a time (it then closes each connection)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # The serving thread itself already uses the overridden connections (LiveServerThread.run).
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving static files as production does.

    Its default static handler looks files up by their source names, so it answers 404 for the hashed
    names that {% static %} writes under CompressedManifestStaticFilesStorage. Without it, requests reach
    WhiteNoise, which serves the collected files (`make test` runs collectstatic first).
    """
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(address, start=False)
    server.in_flight = None

    def counted(handler):
        server.in_flight = InFlight(handler)
        return server.in_flight

    server.thread.static_handler = counted
    if server.thread.connections_override:
        # An in-memory SQLite database is one connection, shared by every server thread: two pages'
        # requests at once (the map fetches its stats and its shapes together) would deadlock on it.
        server.thread.server_class = SerialWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Session:
    """A browser page whose requests beyond loopback are aborted and kept in `blocked`."""

    def __init__(self, browser, live_server, **options):
        self.base = live_server.url
        self.blocked = []
        self.errors = []
        self.context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

    def _guard(self, route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path):
        self.page.goto(self.base + path)
        return self.page

    def screenshot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def assert_offline_and_clean(self):
        assert self.blocked == [], f"requests to hosts other than loopback: {self.blocked}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def session(browser, live_server):
    session = Session(browser, live_server)
    yield session
    session.context.close()
    live_server.in_flight.wait_idle()


@pytest.fixture
def open_session(browser, live_server):
    """Sessions with options (viewport, CSP bypass for axe); closed after the test."""
    sessions = []

    def make(**options):
        sessions.append(Session(browser, live_server, **options))
        return sessions[-1]

    yield make
    for s in sessions:
        s.context.close()
    live_server.in_flight.wait_idle()


def seed_countries():
    """Put back the countries the data migration seeds: a transactional test ends with a flush, and
    serialized rollback does not restore them reliably once non-transactional tests ran first."""
    from django.apps import apps

    if not apps.get_model("investments", "Country").objects.exists():
        importlib.import_module("investments.migrations.0002_seed_countries").seed(apps, None)


@pytest.fixture
def dataset(dataset_dir):
    """The test dataset (8 records: components, superseded, not-new-money, Europe-wide) plus two
    records in Germany and France, so that the map has more than one country to colour."""
    seed_countries()
    ingest_dataset(dataset_dir)
    company = CompanyFactory(slug="nvidia", name="Nvidia")
    InvestmentFactory(ref="T-NV-DE-01", company=company, country=country("DE"), title="Munich AI cloud")
    InvestmentFactory(
        ref="T-NV-FR-01",
        company=company,
        country=country("FR"),
        title="Paris research lab",
        category="research",
    )


def reach_for_chart(page, selector):
    """Point at a chart whose first view the server draws (the map, the timeline): plotly comes in then
    (static/js/dashboard.js, Tracker.whenWanted), as it does for a reader."""
    chart = page.locator(selector).first
    chart.wait_for(state="attached")
    stack = chart.locator(f"xpath=ancestor::div[{STACKS}][1]")
    if stack.count():
        stack.hover()


# The boxes holding a server-drawn first view and the plotly chart that replaces it.
STACKS = "contains(@class, 'map-stack') or contains(@class, 'chart-stack')"
