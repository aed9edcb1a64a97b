"""fetch(): timeout, size cap, User-Agent, conditional GET, and transient versus permanent errors."""

import gzip
import time

import pytest

from ingest.fetch import USER_AGENT, PermanentFetchError, TransientFetchError, fetch
from tests.ingest.news.conftest import Reply


def test_fetch_sends_a_descriptive_user_agent_and_conditional_headers(server):
    url = server.serve(
        "/feed.xml",
        Reply(b"<rss/>", headers={"ETag": '"v2"', "Last-Modified": "Tue, 20 Feb 2024 08:00:00 GMT"}),
    )
    fetched = fetch(url, etag='"v1"', last_modified="Mon, 19 Feb 2024 08:00:00 GMT")
    _, headers = server.requests[-1]
    assert headers["User-Agent"] == USER_AGENT
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 19 Feb 2024 08:00:00 GMT"
    assert (fetched.status, fetched.body, fetched.etag) == (200, b"<rss/>", '"v2"')
    assert fetched.last_modified == "Tue, 20 Feb 2024 08:00:00 GMT"


def test_304_is_not_modified_with_an_empty_body(server):
    url = server.serve("/feed.xml", Reply(status=304, content_type=""))
    fetched = fetch(url, etag='"v1"')
    assert fetched.not_modified and fetched.body == b""


def test_server_error_is_transient_and_not_found_is_permanent(server):
    with pytest.raises(TransientFetchError, match="HTTP 503"):
        fetch(server.serve("/busy", Reply(status=503)))
    with pytest.raises(PermanentFetchError, match="HTTP 404"):
        fetch(server.url("/missing"))


def test_server_error_then_ok_succeeds_on_retry(server):
    url = server.serve("/flaky", Reply(status=500), Reply(status=502), Reply(b"fine"))
    assert fetch(url, retries=2, backoff=0.01).body == b"fine"
    assert server.hits("/flaky") == 3


def test_retries_stop_after_the_limit(server):
    url = server.serve("/down", Reply(status=500))
    with pytest.raises(TransientFetchError):
        fetch(url, retries=1, backoff=0.01)
    assert server.hits("/down") == 2


def test_not_found_is_not_retried(server):
    with pytest.raises(PermanentFetchError):
        fetch(server.url("/missing"), retries=3, backoff=0.01)
    assert server.hits("/missing") == 1


def test_slow_server_times_out_as_a_transient_error(server):
    url = server.serve("/slow", Reply(b"late", delay=3))
    started = time.monotonic()
    with pytest.raises(TransientFetchError, match="timed out"):
        fetch(url, timeout=0.5, retries=2)
    assert time.monotonic() - started < 2.5


def test_refused_connection_is_transient(server):
    with pytest.raises(TransientFetchError):
        fetch("http://127.0.0.1:9/", timeout=1)  # the discard port: nothing listens on loopback


def test_body_over_the_cap_is_refused(server):
    url = server.serve("/huge", Reply(b"x" * 300_000))
    with pytest.raises(PermanentFetchError, match="larger than 100,000 bytes"):
        fetch(url, max_bytes=100_000)


def test_body_over_the_cap_without_content_length_stops_at_the_cap(server):
    url = server.serve("/huge-stream", Reply(b"x" * 3_000_000, length=False))
    with pytest.raises(PermanentFetchError, match="larger than"):
        fetch(url, max_bytes=100_000)


def test_gzip_bomb_stops_at_the_cap(server):
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    url = server.serve("/bomb", Reply(bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(PermanentFetchError, match="larger than 1,000,000 bytes"):
        fetch(url, max_bytes=1_000_000)


def test_gzip_body_is_decompressed(server):
    url = server.serve("/gz", Reply(gzip.compress(b"hello"), headers={"Content-Encoding": "gzip"}))
    assert fetch(url).body == b"hello"


def test_corrupt_gzip_is_permanent(server):
    url = server.serve("/bad-gz", Reply(b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    with pytest.raises(PermanentFetchError, match="undecodable"):
        fetch(url)


def test_redirect_is_followed_and_the_final_url_reported(server):
    server.serve("/old", Reply(status=301, headers={"Location": "/new/place"}))
    server.serve("/new/place", Reply(b"moved"))
    fetched = fetch(server.url("/old"))
    assert (fetched.body, fetched.url) == (b"moved", server.url("/new/place"))


def test_redirect_loop_is_permanent(server):
    server.serve("/loop", Reply(status=302, headers={"Location": "/loop"}))
    with pytest.raises(PermanentFetchError, match="redirect"):
        fetch(server.url("/loop"))
