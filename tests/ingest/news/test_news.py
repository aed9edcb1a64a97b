"""The news pipeline against a local server: poll -> fetch -> parse -> extract -> reconcile -> report."""

import gzip
from datetime import date
from decimal import Decimal

import pytest

from ingest import news
from ingest.fetch import TransientFetchError
from ingest.models import Article, Candidate, IngestRun, Source
from tests.factories import SourceFactory
from tests.ingest.news.conftest import SAMPLES, Reply

pytestmark = pytest.mark.django_db

RSS = "application/rss+xml; charset=utf-8"


def rss(server, *paths: str) -> bytes:
    """A feed listing `paths` on the local server, one item each."""
    items = "".join(
        f"<item><title>Item {n}</title><link>{server.url(path)}</link>"
        f"<pubDate>Tue, 20 Feb 2024 08:00:00 GMT</pubDate></item>"
        for n, path in enumerate(paths)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    )


def serve_sample_feed(server):
    server.sample("/feed.xml", "feed.rss", content_type=RSS)
    for name in ("microsoft-spain", "aws-france", "google-hub"):
        server.sample(f"/articles/{name}", f"{name}.html")


def text_of(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_poll_reads_new_articles_and_queues_their_candidates(server, source, companies):
    serve_sample_feed(server)
    run = news.poll_source(source)
    assert run.status == IngestRun.Status.SUCCEEDED, run.errors
    assert run.source == "Local Wire" and run.target == source.url
    assert run.counts["items"] == 4
    assert run.counts["duplicate_items"] == 1
    assert run.counts["fetched"] == 3
    assert run.errors == []
    assert set(Article.objects.values_list("url", flat=True)) == {
        server.url("/articles/microsoft-spain"),
        server.url("/articles/aws-france"),
        server.url("/articles/google-hub"),
    }
    spain = Article.objects.get(url=server.url("/articles/microsoft-spain"))
    assert (spain.language, spain.published_on, spain.source) == ("en", date(2024, 2, 20), source)
    assert spain.title == "Microsoft to invest €2bn in Spanish data centres"
    assert len(spain.content_hash) == 64
    france = Article.objects.get(url=server.url("/articles/aws-france"))
    assert france.language == "fr"
    queued = {(c.company.slug, c.country.iso2, c.amount, c.currency) for c in Candidate.objects.all()}
    assert ("microsoft", "ES", Decimal("2000000000.00"), "EUR") in queued
    assert ("aws", "FR", Decimal("1200000000.00"), "EUR") in queued
    assert all(c.status == Candidate.Status.PENDING for c in Candidate.objects.all())
    source.refresh_from_db()
    assert source.last_status.startswith("OK: 4 items, 3 new articles")
    assert source.last_polled and source.last_succeeded


def test_article_already_fetched_is_not_fetched_again(server, source, companies):
    serve_sample_feed(server)
    news.poll_source(source)
    before = len(server.requests)
    run = news.poll_source(source)
    fetched_again = [path for path, _ in server.requests[before:] if path.startswith("/articles/")]
    assert fetched_again == []
    assert run.counts["already_fetched"] == 3 and run.counts.get("fetched", 0) == 0
    assert Article.objects.count() == 3


def test_duplicate_feed_items_are_fetched_once(server, source, companies):
    serve_sample_feed(server)
    news.poll_source(source)
    assert server.hits("/articles/microsoft-spain") == 1
    assert Article.objects.filter(url__contains="microsoft-spain").count() == 1


def test_conditional_get_304_fetches_no_article(server, source, companies):
    def feed(headers):
        if headers.get("If-None-Match") == '"v1"':
            return Reply(status=304, content_type="")
        body = (SAMPLES / "feed.rss").read_bytes().replace(b"{base}", server.base.encode())
        return Reply(
            body, content_type=RSS, headers={"ETag": '"v1"', "Last-Modified": "Tue, 20 Feb 2024 08:00:00 GMT"}
        )

    server.serve("/feed.xml", feed)
    for name in ("microsoft-spain", "aws-france", "google-hub"):
        server.sample(f"/articles/{name}", f"{name}.html")
    news.poll_source(source)
    source.refresh_from_db()
    assert (source.etag, source.last_modified) == ('"v1"', "Tue, 20 Feb 2024 08:00:00 GMT")
    before = len(server.requests)
    run = news.poll_source(source)
    assert [path for path, _ in server.requests[before:]] == ["/feed.xml"]
    assert server.requests[-1][1]["If-Modified-Since"] == "Tue, 20 Feb 2024 08:00:00 GMT"
    assert run.status == IngestRun.Status.SUCCEEDED and run.counts == {"not_modified": 1}
    source.refresh_from_db()
    assert source.last_status == "not modified (HTTP 304)"


def test_malformed_feed_is_recorded_and_writes_nothing(server, source, companies):
    server.sample("/feed.xml", "malformed.rss", content_type=RSS)
    server.sample("/articles/microsoft-spain", "microsoft-spain.html")
    run = news.poll_source(source)
    assert run.status == IngestRun.Status.FAILED
    assert "malformed feed" in run.errors[0]
    assert Article.objects.count() == 0 and Candidate.objects.count() == 0
    assert server.hits("/articles/microsoft-spain") == 0
    source.refresh_from_db()
    assert source.last_status.startswith("failed: malformed feed")
    assert source.etag == ""


def test_missing_feed_is_a_permanent_failure_recorded_on_the_source(server, source):
    run = news.poll_source(source)  # nothing served at /feed.xml: 404
    assert run.status == IngestRun.Status.FAILED
    assert run.errors == [f"{source.url}: HTTP 404"]
    source.refresh_from_db()
    assert source.last_status == f"failed: {source.url}: HTTP 404"
    assert server.hits("/feed.xml") == 1  # not retried


def test_feed_server_error_is_recorded_and_raised_for_a_retry(server, source):
    server.serve("/feed.xml", Reply(status=500))
    with pytest.raises(TransientFetchError):
        news.poll_source(source)
    run = IngestRun.objects.get(source="Local Wire")
    assert run.status == IngestRun.Status.FAILED and "HTTP 500" in run.errors[0]
    source.refresh_from_db()
    assert source.last_status.startswith("failed, will retry:")
    assert server.hits("/feed.xml") == 3  # the first try and NEWS_FETCH_RETRIES=2


def test_article_server_error_then_ok_is_read_on_retry(server, source, companies):
    server.serve("/feed.xml", Reply(rss(server, "/articles/microsoft-spain"), content_type=RSS))
    server.serve("/articles/microsoft-spain", Reply(status=500), Reply(text_of("microsoft-spain.html")))
    run = news.poll_source(source)
    assert run.counts["fetched"] == 1 and run.errors == []
    assert server.hits("/articles/microsoft-spain") == 2


def test_broken_articles_are_recorded_and_the_others_still_read(server, source, companies, settings):
    settings.NEWS_FETCH_TIMEOUT = 1.0  # generous for a busy machine, well below the slow page
    settings.NEWS_MAX_ARTICLE_BYTES = 200_000
    bomb = gzip.compress(b"<p>" + b"a" * 20_000_000, compresslevel=9)
    paths = ["/articles/missing", "/articles/slow", "/articles/huge", "/articles/bomb", "/articles/empty"]
    paths += ["/articles/microsoft-spain"]
    server.serve("/feed.xml", Reply(rss(server, *paths), content_type=RSS))
    server.serve("/articles/slow", Reply(text_of("aws-france.html"), delay=4))
    server.serve("/articles/huge", Reply(b"<html><body><p>" + b"word " * 100_000 + b"</p></body></html>"))
    server.serve("/articles/bomb", Reply(bomb, headers={"Content-Encoding": "gzip"}))
    server.serve("/articles/empty", Reply(b"<html><body><nav><a href='/'>Home</a></nav></body></html>"))
    server.sample("/articles/microsoft-spain", "microsoft-spain.html")

    run = news.poll_source(source)

    assert run.status == IngestRun.Status.SUCCEEDED
    assert run.counts["fetched"] == 1 and run.counts["failed"] == 5
    errors = "\n".join(run.errors)
    assert f"{server.url('/articles/missing')}: HTTP 404" in errors
    assert f"{server.url('/articles/slow')}: timed out" in errors and "tried again next poll" in errors
    assert f"{server.url('/articles/huge')}: " in errors and "larger than 200,000 bytes" in errors
    assert f"{server.url('/articles/bomb')}: larger than 200,000 bytes" in errors
    assert f"{server.url('/articles/empty')}: no article text found" in errors
    failed = dict(Article.objects.filter(status=Article.Status.FAILED).values_list("url", "error"))
    assert set(failed) == {
        server.url(p) for p in ("/articles/missing", "/articles/huge", "/articles/bomb", "/articles/empty")
    }
    assert (
        all(failed.values())
        and not Article.objects.filter(status=Article.Status.FAILED).exclude(text="").exists()
    )
    assert not Article.objects.filter(url=server.url("/articles/slow")).exists()
    assert Article.objects.get(url=server.url("/articles/microsoft-spain")).status == Article.Status.FETCHED
    assert Candidate.objects.filter(article__url=server.url("/articles/microsoft-spain")).exists()
    source.refresh_from_db()
    assert "5 failed" in source.last_status


def test_timed_out_article_is_tried_again_next_poll_and_the_feed_etag_is_not_kept(
    server, source, companies, settings
):
    settings.NEWS_FETCH_TIMEOUT = 1.0  # generous for a busy machine, well below the slow page
    server.serve(
        "/feed.xml", Reply(rss(server, "/articles/aws-france"), content_type=RSS, headers={"ETag": '"v1"'})
    )
    server.serve(
        "/articles/aws-france", Reply(text_of("aws-france.html"), delay=4), Reply(text_of("aws-france.html"))
    )
    news.poll_source(source)
    source.refresh_from_db()
    assert source.etag == ""  # else the next poll would get a 304 and never retry the article
    run = news.poll_source(source)
    assert run.counts["fetched"] == 1
    assert Article.objects.get().status == Article.Status.FETCHED
    source.refresh_from_db()
    assert source.etag == '"v1"'


def test_failed_article_is_not_fetched_again(server, source):
    server.serve("/feed.xml", Reply(rss(server, "/articles/missing"), content_type=RSS))
    news.poll_source(source)
    run = news.poll_source(source)
    assert server.hits("/articles/missing") == 1
    assert run.counts["already_fetched"] == 1


def test_latin1_article_without_charset_is_stored_as_text(server, source, companies):
    latin1 = text_of("french-latin1.txt").decode("utf-8").encode("latin-1")
    server.serve("/feed.xml", Reply(rss(server, "/articles/latin1"), content_type=RSS))
    server.serve("/articles/latin1", Reply(latin1, content_type="text/html"))
    news.poll_source(source)
    article = Article.objects.get()
    assert "Les centres de données se multiplient" in article.text
    assert article.language == "fr"


def test_article_declaring_the_wrong_charset_is_stored_as_text(server, source, companies):
    latin1 = text_of("french-latin1.txt").decode("utf-8").encode("latin-1")
    server.serve("/feed.xml", Reply(rss(server, "/articles/liar"), content_type=RSS))
    server.serve("/articles/liar", Reply(latin1, content_type="text/html; charset=utf-8"))
    news.poll_source(source)
    assert "élus locaux" in Article.objects.get().text


def test_script_tags_never_reach_stored_text(server, source, companies):
    serve_sample_feed(server)
    news.poll_source(source)
    for title, text in Article.objects.values_list("title", "text"):
        for trace in ("<script", "alert(", "document.cookie", "<p>", "Injected paragraph"):
            assert trace not in title and trace not in text
    for evidence in Candidate.objects.values_list("evidence", flat=True):
        assert "<" not in evidence


def test_one_broken_article_does_not_undo_the_others(server, source, companies, monkeypatch):
    serve_sample_feed(server)
    real = news.reconcile

    def fragile(found, article, table=None):
        if "aws-france" in article.url:
            raise RuntimeError("reconciliation bug")
        return real(found, article, table)

    monkeypatch.setattr(news, "reconcile", fragile)
    run = news.poll_source(source)
    assert run.status == IngestRun.Status.SUCCEEDED
    assert f"{server.url('/articles/aws-france')}: RuntimeError: reconciliation bug" in run.errors
    assert not Article.objects.filter(url__contains="aws-france").exists()
    assert not Candidate.objects.filter(company__slug="aws").exists()
    assert Candidate.objects.filter(company__slug="microsoft").exists()
    assert Article.objects.count() == 2


def test_same_text_at_another_url_is_kept_as_a_duplicate_and_not_read_again(server, source, companies):
    server.serve("/feed.xml", Reply(rss(server, "/articles/original", "/syndicated/copy"), content_type=RSS))
    server.sample("/articles/original", "microsoft-spain.html")
    server.sample("/syndicated/copy", "microsoft-spain.html")
    run = news.poll_source(source)
    assert run.counts["duplicate_content"] == 1
    copy = Article.objects.get(url=server.url("/syndicated/copy"))
    assert copy.status == Article.Status.DUPLICATE
    assert copy.duplicate_of.url == server.url("/articles/original")
    assert Candidate.objects.filter(article=copy).count() == 0
    assert Candidate.objects.count() == 1


def test_items_beyond_the_per_poll_limit_wait_for_the_next_poll(server, source, companies, settings):
    settings.NEWS_MAX_ITEMS_PER_POLL = 1
    server.serve(
        "/feed.xml",
        Reply(
            rss(server, "/articles/microsoft-spain", "/articles/aws-france"),
            content_type=RSS,
            headers={"ETag": '"v1"'},
        ),
    )
    server.sample("/articles/microsoft-spain", "microsoft-spain.html")
    server.sample("/articles/aws-france", "aws-france.html")
    first = news.poll_source(source)
    assert (first.counts["fetched"], first.counts["deferred"]) == (1, 1)
    source.refresh_from_db()
    assert source.etag == ""
    second = news.poll_source(source)
    assert (second.counts["fetched"], second.counts["already_fetched"]) == (1, 1)
    assert Article.objects.count() == 2


def test_html_list_page_source_reads_the_linked_articles(server, companies):
    Source.objects.all().delete()
    server.sample("/tecnologia/", "list.html")
    server.sample("/tecnologia/2024/10/03/microsoft-italia-4-3-miliardi", "microsoft-spain.html")
    server.sample("/tecnologia/2024/10/02/aws-milano-data-center", "aws-france.html")
    source = SourceFactory(
        name="Giornale", kind=Source.Kind.HTML, url=server.url("/tecnologia/"), language="it"
    )
    run = news.poll_source(source)
    assert run.status == IngestRun.Status.SUCCEEDED, run.errors
    assert run.counts.get("fetched") == 2, (run.counts, server.requests)
    assert server.hits("/author/rossi") == 0 and server.hits("/tag/cloud/") == 0


def test_due_sources_are_the_enabled_ones_whose_interval_elapsed(source):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    Source.objects.filter(pk=source.pk).update(last_polled=now - timedelta(minutes=30), poll_minutes=60)
    fresh = SourceFactory(last_polled=None)
    SourceFactory(enabled=False)
    late = SourceFactory(poll_minutes=15, last_polled=now - timedelta(minutes=16))
    assert {s.pk for s in news.due_sources(now)} == {fresh.pk, late.pk}
    assert set(news.claim_due_sources(now)) == {fresh.pk, late.pk}
    assert news.claim_due_sources(now) == []


def test_item_with_an_overlong_url_is_skipped_with_an_error(server, source, companies):
    long_path = "/articles/" + "x" * 1200
    server.serve("/feed.xml", Reply(rss(server, long_path, "/articles/aws-france"), content_type=RSS))
    server.sample("/articles/aws-france", "aws-france.html")
    run = news.poll_source(source)
    assert run.counts["fetched"] == 1 and run.counts["failed"] == 1
    assert "URL longer than 1000 characters" in run.errors[0]
    assert server.hits(long_path) == 0
