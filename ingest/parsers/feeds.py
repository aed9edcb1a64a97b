"""Feeds: bytes in, the article links they list out (pure: no network, no database).

RSS and Atom are read with feedparser; an HTML list page (a section front) yields the links that look
like articles on its own site. Titles and summaries come out as plain text.
"""

import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
from lxml import etree

from ingest.parsers.article import decode_html, language_code, plain_text

# Query parameters that identify a campaign or a click, not a page.
TRACKING_PARAMS = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid|_hsenc|_hsmi|ocid|cmpid|xtor|"
    r"at_medium|at_campaign|ns_.*|sr_share|smid|ref_src)$",
    re.IGNORECASE,
)
# Paths of an HTML list page that are not articles.
NOT_ARTICLE = re.compile(
    r"/(tag|tags|topic|topics|author|authors|category|categories|section|page|search|login|about|contact|"
    r"newsletter|subscribe|abonnement|impressum|privacy|cookies?)(/|$)",
    re.IGNORECASE,
)


class FeedError(ValueError):
    """The feed cannot be read (malformed XML, not a feed); nothing from it is used."""


@dataclass(frozen=True)
class FeedEntry:
    url: str  # canonical
    title: str = ""
    published: date | None = None
    language: str = ""
    summary: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    entries: list[FeedEntry]
    language: str = ""
    duplicates: int = 0  # items that repeated an earlier item's canonical URL


def parse_feed(body: bytes, *, kind: str = "rss", base_url: str = "", content_type: str = "") -> ParsedFeed:
    """The entries of an RSS or Atom feed, or of an HTML list page when `kind` is "html"."""
    if kind == "html":
        return parse_link_page(body, base_url=base_url, content_type=content_type)
    headers = {"content-type": content_type} if content_type else {}
    if base_url:
        headers["content-location"] = base_url
    # A stream, never bytes: feedparser opens bytes that name a local file and reads that file instead.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=True, resolve_relative_uris=True
    )
    if parsed.bozo and isinstance(parsed.bozo_exception, xml.sax.SAXException):
        # Refuse the whole feed: the lenient parser's salvage of broken XML is a guess.
        raise FeedError(f"malformed feed: {parsed.bozo_exception}")
    # An empty body leaves no "version" key at all (attribute access would raise AttributeError).
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("not an RSS or Atom feed")
    feed_language = language_code(parsed.feed.get("language", ""))
    entries, duplicates, seen = [], 0, set()
    for item in parsed.entries:
        link = item.get("link") or next(
            (link.get("href") for link in item.get("links", []) if link.get("href")), ""
        )
        url = canonical_url(urljoin(base_url, link)) if link else ""
        if not url:
            continue
        if url in seen:
            duplicates += 1
            continue
        seen.add(url)
        when = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(
            FeedEntry(
                url=url,
                title=plain_text(item.get("title", ""))[:500],
                published=date(*when[:3]) if when else None,
                language=language_code(item.get("language", "")) or feed_language,
                summary=plain_text(item.get("summary", "")),
            )
        )
    return ParsedFeed(entries, feed_language, duplicates)


def parse_link_page(body: bytes, *, base_url: str, content_type: str = "") -> ParsedFeed:
    """The article links of an HTML list page: same site, a path deep or long enough to be an article."""
    try:
        root = lxml.html.document_fromstring(decode_html(body, content_type))
    except (etree.ParserError, ValueError) as exc:
        raise FeedError(f"unreadable HTML list page: {exc}") from exc
    site = urlsplit(base_url).hostname
    entries, duplicates, seen = [], 0, set()
    for anchor in root.iter("a"):
        href = anchor.get("href", "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        url = canonical_url(urljoin(base_url, href))
        parts = urlsplit(url)
        if (
            parts.scheme not in ("http", "https")
            or parts.hostname != site
            or not looks_like_article(parts.path)
        ):
            continue
        if url in seen:
            duplicates += 1
            continue
        seen.add(url)
        entries.append(FeedEntry(url=url, title=plain_text(anchor.text_content())[:500]))
    return ParsedFeed(entries, language_code(root.get("lang", "")), duplicates)


def looks_like_article(path: str) -> bool:
    segments = [s for s in path.split("/") if s]
    return bool(segments) and not NOT_ARTICLE.search(path) and (len(segments) >= 2 or "-" in segments[-1])


def canonical_url(url: str) -> str:
    """`url` without tracking parameters or fragment, with a lower-case scheme and host.

    Two feed items for the same article (one tagged utm_source=rss, one not) share this URL.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    netloc = parts.hostname.lower()
    if parts.port and parts.port != {"http": 80, "https": 443}[parts.scheme.lower()]:
        netloc += f":{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    )
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))
