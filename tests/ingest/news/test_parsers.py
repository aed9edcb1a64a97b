"""The feed and article parsers, on saved sample files: bytes in, plain-text records out."""

from datetime import date
from pathlib import Path

import pytest

from ingest.parsers.article import ArticleError, decode_html, parse_article, plain_text
from ingest.parsers.feeds import FeedError, canonical_url, parse_feed
from ingest.parsers.sources import SourcesRefused, parse_sources

SAMPLES = Path(__file__).parent / "samples"
BASE = "http://news.test"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes().replace(b"{base}", BASE.encode())


def test_canonical_url_drops_tracking_parameters_and_fragment():
    assert (
        canonical_url("HTTPS://News.Test:443/a/b?id=7&utm_source=rss&utm_medium=feed&fbclid=x#comments")
        == "https://news.test/a/b?id=7"
    )
    assert canonical_url("http://news.test") == "http://news.test/"
    assert canonical_url("mailto:someone@example.org") == ""


def test_rss_entries_are_canonical_deduplicated_and_plain_text():
    feed = parse_feed(sample("feed.rss"), kind="rss", base_url=BASE + "/feed.xml")
    assert [e.url for e in feed.entries] == [
        f"{BASE}/articles/microsoft-spain",
        f"{BASE}/articles/aws-france",
        f"{BASE}/articles/google-hub",
    ]
    assert feed.duplicates == 1
    first = feed.entries[0]
    assert first.title == "Microsoft to invest €2bn in Spanish data centres"
    assert first.published == date(2024, 2, 20)
    assert first.language == "en"
    google = feed.entries[2]
    assert "<" not in google.title and "alert" not in google.title
    assert google.title == "Google opens an AI research hub"
    assert "<" not in google.summary and "alert" not in google.summary


def test_atom_entries_take_the_feed_language_and_resolve_relative_links():
    feed = parse_feed(sample("feed.atom"), kind="atom", base_url=BASE + "/atom")
    assert [e.url for e in feed.entries] == [f"{BASE}/de/microsoft-deutschland", f"{BASE}/de/relativ"]
    assert feed.entries[0].published == date(2024, 2, 15)
    assert feed.entries[0].language == "de"


def test_malformed_feed_is_refused_whole():
    with pytest.raises(FeedError, match="malformed"):
        parse_feed(sample("malformed.rss"), kind="rss", base_url=BASE)


def test_html_is_not_a_feed():
    with pytest.raises(FeedError):
        parse_feed(sample("microsoft-spain.html"), kind="rss", base_url=BASE)


def test_feed_body_naming_a_local_file_is_not_read_as_that_file(tmp_path):
    secret = tmp_path / "feed.xml"
    secret.write_bytes(sample("feed.rss"))
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode(), kind="rss", base_url=BASE)


def test_html_list_page_yields_the_article_links_of_its_own_site():
    feed = parse_feed(sample("list.html"), kind="html", base_url=BASE + "/tecnologia/")
    assert [e.url for e in feed.entries] == [
        f"{BASE}/tecnologia/2024/10/03/microsoft-italia-4-3-miliardi",
        f"{BASE}/tecnologia/2024/10/02/aws-milano-data-center",
    ]
    assert feed.duplicates == 1
    assert feed.entries[0].title == "Microsoft, 4,3 miliardi in Italia"
    assert feed.language == "it"


def test_article_text_title_date_and_language_come_from_the_page():
    article = parse_article(sample("microsoft-spain.html"), url=BASE + "/articles/microsoft-spain")
    assert article.title == "Microsoft to invest €2bn in Spanish data centres"
    assert "Microsoft will invest 2 billion euros" in article.text
    assert "window.analytics" not in article.text and "font-family" not in article.text
    assert "All rights reserved" not in article.text
    assert article.published == date(2024, 2, 20)
    assert article.language == "en"


def test_article_language_from_og_locale():
    assert parse_article(sample("aws-france.html")).language == "fr"


def test_article_language_falls_back_to_the_feed_then_detection():
    body = sample("aws-france.html").replace(b'<meta property="og:locale" content="fr_FR">', b"")
    assert parse_article(body, language="it").language == "it"
    assert parse_article(body).language == "fr"


def test_article_with_scripts_is_stored_as_plain_text():
    article = parse_article(sample("google-hub.html"))
    for trace in ("<script", "alert(", "document.cookie", "Injected paragraph", "<p>", "pixel"):
        assert trace not in article.text, trace
        assert trace not in article.title, trace
    assert "Google opened a new research hub" in article.text
    assert "<" not in article.text


def test_latin1_page_without_charset_is_decoded():
    body = sample("french-latin1.txt").decode("utf-8").encode("latin-1")
    article = parse_article(body, content_type="text/html")
    assert "Les centres de données se multiplient" in article.text
    assert "\ufffd" not in article.text and "Ã" not in article.text


def test_page_declaring_the_wrong_charset_is_decoded():
    latin1 = sample("french-latin1.txt").decode("utf-8").encode("latin-1")
    assert "données" in parse_article(latin1, content_type="text/html; charset=utf-8").text
    utf8 = sample("french-latin1.txt")
    assert "données" in parse_article(utf8, content_type="text/html; charset=iso-8859-1").text
    assert "données" in decode_html(utf8, "text/html; charset=no-such-charset")


def test_page_without_article_text_is_refused():
    with pytest.raises(ArticleError):
        parse_article(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_plain_text_removes_markup_and_script_content():
    assert plain_text('<p>Hello <b>world</b><script>alert("x")</script></p>') == "Hello world"
    assert plain_text("AT&amp;T &lt;b&gt;") == "AT&T"
    assert plain_text("R&D up 5%") == "R&D up 5%"
    assert plain_text("no markup at all") == "no markup at all"


def test_sources_file_shipped_with_the_project_is_valid():
    records = parse_sources((Path(__file__).parents[3] / "data" / "sources.csv").read_bytes())
    assert {r.language for r in records} >= {"en", "fr", "es", "de", "it", "nl", "pl", "pt"}
    assert all(r.url.startswith("https://") for r in records)


def test_sources_cover_the_new_languages_regional_press_and_company_newsrooms():
    records = parse_sources((Path(__file__).parents[3] / "data" / "sources.csv").read_bytes())
    per_language = {code: [r for r in records if r.language == code] for code in ("nl", "pl", "pt")}
    assert all(len(feeds) >= 2 for feeds in per_language.values())
    assert sum("Aragón" in r.name for r in records) >= 2  # the press that breaks Spanish data-centre news
    newsrooms = {
        "news.microsoft.com",
        "blog.google",
        "aws.amazon.com",
        "about.fb.com",
        "nvidianews.nvidia.com",
    }
    assert newsrooms <= {r.url.split("/")[2] for r in records}


@pytest.mark.parametrize(
    ("name", "language", "first_title", "first_day"),
    [
        # A WordPress newsroom: content:encoded, dc:creator, a language parameter kept in the link.
        (
            "newsroom-wordpress-pl.rss",
            "pl",
            "Firma przeznaczy 180 mln dolarów na chmurę w Polsce",
            date(2025, 2, 17),
        ),
        # A broadcaster: CDATA titles, enclosures and media:content, a +0200 offset.
        (
            "broadcaster-nl.rss",
            "nl",
            "Softwarebedrijf bouwt nieuw datacenter in de Wieringermeer",
            date(2025, 9, 16),
        ),
        # A business daily in ISO-8859-1 with entities, one item dated by dc:date only.
        (
            "business-daily-pt.rss",
            "pt",
            "Tecnológica vai investir 2,1 mil milhões em Sines",
            date(2025, 6, 10),
        ),
    ],
)
def test_feed_formats_of_the_new_sources_parse(name, language, first_title, first_day):
    feed = parse_feed(sample(name), kind="rss", base_url=BASE + "/feed")
    assert feed.language == language
    assert len(feed.entries) == 2
    first = feed.entries[0]
    assert (first.title, first.published, first.language) == (first_title, first_day, language)
    assert all(entry.url.startswith(BASE + "/") and "utm_" not in entry.url for entry in feed.entries)
    assert all(entry.published for entry in feed.entries)


def test_invalid_sources_file_is_refused_with_every_error():
    data = (
        b"name,kind,url,language,enabled,poll_minutes\n"
        b"A,rss,https://a.example/feed,en,yes,60\n"
        b"A,podcast,ftp://b.example,english,maybe,1\n"
    )
    with pytest.raises(SourcesRefused) as refused:
        parse_sources(data)
    joined = "\n".join(refused.value.errors)
    for field in ("name", "kind", "url", "language", "enabled", "poll_minutes"):
        assert f"sources.csv:3: {field}:" in joined
