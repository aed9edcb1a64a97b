"""Feeds and their links reach only the public internet: a host that resolves to a loopback, private,
link-local or otherwise non-public address is refused, at every redirect hop, and the connection goes
to the address that was checked. A link to such a host was fetched, stored as an article, and quoted by
review candidates.

The tests' servers listen on loopback, so each test says which loopback address stands for "the public
internet" (ingest.fetch.public patched): 127.0.0.1 plays a public site, 127.0.0.2 the private network.
"""

import socket

import pytest

from ingest import fetch as fetching
from ingest import news
from ingest.fetch import RefusedAddress, fetch
from ingest.models import Article, Candidate, IngestRun
from tests.ingest.news.conftest import LocalServer, Reply
from tests.ingest.news.test_news import RSS, rss

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_addresses_refused(settings):
    settings.NEWS_ALLOW_PRIVATE_ADDRESSES = False


@pytest.fixture
def internet(monkeypatch):
    """127.0.0.1 counts as public for the test, every other non-public address stays refused."""
    real = fetching.public
    monkeypatch.setattr(fetching, "public", lambda address: address == "127.0.0.1" or real(address))


@pytest.fixture
def intranet():
    with LocalServer(host="127.0.0.2") as local:
        local.serve(
            "/secret",
            Reply(b"<html><body><p>Microsoft will invest 9 billion euros in Spain.</p></body></html>"),
        )
        yield local


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://[::1]:9/",
        "http://10.0.0.1:9/",
        "http://192.168.1.1:9/",
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service
        "http://100.64.0.1:9/",
        "http://0.0.0.0:9/",
        "http://[::ffff:127.0.0.1]:9/",
    ],
)
def test_a_url_whose_host_is_not_public_is_refused_before_connecting(url):
    with pytest.raises(RefusedAddress, match="not a public address"):
        fetch(url, timeout=2)


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(server, intranet, internet):
    start = server.serve("/go", Reply(status=302, headers={"Location": intranet.url("/secret")}))
    assert fetch(server.url("/go"), timeout=2, allow_private=True).body.startswith(
        b"<html>"
    )  # it does lead there
    with pytest.raises(RefusedAddress, match="127.0.0.2"):
        fetch(start, timeout=2)
    assert intranet.hits("/secret") == 1  # only the allowed fetch above reached it


def test_a_name_with_any_non_public_address_is_refused(server, internet, monkeypatch):
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "news.example":  # one public address and one private: the private one would do
            return real("127.0.0.1", *args, **kwargs) + real("10.1.2.3", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(RefusedAddress, match="10.1.2.3"):
        fetch(f"http://news.example:{server.base.rsplit(':', 1)[1]}/", timeout=2)


def test_the_connection_goes_to_the_address_that_was_checked(server, internet, monkeypatch):
    """Resolving again to connect would let a name answer the check with a public address and the
    connection with a private one (DNS rebinding)."""
    real, asked = socket.getaddrinfo, []

    def rebinding(host, *args, **kwargs):
        asked.append(host)
        if host == "news.example":  # public for the first question, private for any later one
            return real("127.0.0.1" if asked.count(host) == 1 else "10.1.2.3", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.serve("/", Reply(b"public page"))
    fetched = fetch(f"http://news.example:{server.base.rsplit(':', 1)[1]}/", timeout=2)
    assert fetched.body == b"public page"
    assert asked.count("news.example") == 1
    assert server.requests[-1][1]["Host"].startswith("news.example")  # still asked for by name


def test_a_feed_linking_to_the_private_network_stores_nothing_and_the_refusal_is_on_the_run(
    server, intranet, internet, source, companies, caplog
):
    server.serve(
        "/feed.xml",
        Reply(
            rss(server).replace(
                b"</channel>",
                f"<item><title>x</title><link>{intranet.url('/secret')}</link></item></channel>".encode(),
            ),
            content_type=RSS,
        ),
    )
    with caplog.at_level("WARNING", logger="ingest.fetch"):
        run = news.poll_source(source)
    assert run.status == IngestRun.Status.SUCCEEDED
    assert intranet.hits("/secret") == 0
    assert not Candidate.objects.exists()
    # Remembered as failed, with the reason, so that it is not tried again; no text was stored.
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED and "not a public address" in article.error
    assert run.counts["failed"] == 1
    assert any("127.0.0.2" in error and "refused" in error for error in run.errors), run.errors
    assert any("refused to fetch from 127.0.0.2" in record.getMessage() for record in caplog.records)


def test_a_feed_on_the_private_network_is_refused_and_recorded(server, source):
    server.serve("/feed.xml", Reply(rss(server), content_type=RSS))
    run = news.poll_source(source)  # the source is on 127.0.0.1, not public here
    assert run.status == IngestRun.Status.FAILED
    assert "not a public address" in run.errors[0]
    assert server.hits("/feed.xml") == 0
