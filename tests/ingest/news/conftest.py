"""Fixtures for the news pipeline: a local HTTP server on loopback, the companies, sample files."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.models import Source
from tests.factories import CompanyFactory, SourceFactory

SAMPLES = Path(__file__).parent / "samples"


@dataclass
class Reply:
    """One response of the local server."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    length: bool = True  # send Content-Length (else the body ends when the connection closes)


# A route is a list of replies given in turn (the last one repeats), or a function of the request headers.
Route = list[Reply] | Callable[[dict[str, str]], Reply]


class LocalServer:
    """An HTTP server on 127.0.0.1 (or another loopback address) at a random port, in a thread, serving
    the routes a test sets."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, 0), self._handler())
        self._httpd.daemon_threads = True
        self.base = f"http://{host}:{self._httpd.server_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, *replies: Reply | Callable) -> str:
        """Answer GET `path` with `replies` in turn (the last repeats); return its URL."""
        self.routes[path] = replies[0] if len(replies) == 1 and callable(replies[0]) else list(replies)
        return self.url(path)

    def sample(self, path: str, name: str, content_type: str = "text/html; charset=utf-8", **kw) -> str:
        """Serve a sample file, its {base} placeholders replaced by this server's address."""
        body = (SAMPLES / name).read_bytes().replace(b"{base}", self.base.encode())
        return self.serve(path, Reply(body, content_type=content_type, **kw))

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def _next(self, path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append((path, headers))
            route = self.routes.get(path) or self.routes.get(path.split("?")[0])
            if route is None:
                return Reply(b"not found", status=404, content_type="text/plain")
            if callable(route):
                return route(headers)
            return route.pop(0) if len(route) > 1 else route[0]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):
                reply = server._next(self.path, dict(self.headers.items()))
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    if reply.content_type:
                        self.send_header("Content-Type", reply.content_type)
                    if reply.length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout or size cap under test)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server():
    with LocalServer() as local:
        yield local


@pytest.fixture(autouse=True)
def quick_fetches(settings):
    """Short timeouts and backoff, so broken servers cost the tests little time."""
    settings.NEWS_FETCH_TIMEOUT = 2.0
    settings.NEWS_FETCH_BACKOFF = 0.05
    settings.NEWS_FETCH_RETRIES = 2
    settings.NEWS_ALLOW_PRIVATE_ADDRESSES = True  # the tests' servers listen on 127.0.0.1


def make_companies() -> dict:
    """The investors the sample articles name, with their aliases (AWS under Amazon)."""
    amazon = CompanyFactory(slug="amazon", name="Amazon", aliases=["Amazon.com"])
    return {
        "microsoft": CompanyFactory(
            slug="microsoft", name="Microsoft", aliases=["Microsoft Corp.", "la firme de Redmond"]
        ),
        "amazon": amazon,
        "aws": CompanyFactory(slug="aws", name="Amazon Web Services", parent=amazon, aliases=["AWS"]),
        "google": CompanyFactory(slug="google", name="Google", aliases=["Google Cloud"]),
    }


@pytest.fixture
def companies(db):
    return make_companies()


@pytest.fixture
def source(db, server):
    """Only this source: the seeded ones point at hosts the tests must never contact."""
    Source.objects.all().delete()
    return SourceFactory(name="Local Wire", kind=Source.Kind.RSS, url=server.url("/feed.xml"), language="en")
