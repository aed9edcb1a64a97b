"""Article pages: bytes in, plain text, title, date and language out (pure: no network, no database).

The text comes from trafilatura, which drops navigation, scripts and boilerplate. The language comes
from the page's own metadata (html lang, og:locale, Content-Language), else from the feed item (or the
feed), else is detected from the text.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from email.message import Message

import lxml.html
import trafilatura
from lxml import etree

from ingest.extract.language import detect_language

# Shorter than a sentence naming a company, an amount and a country: a menu, a paywall, an error page.
MIN_TEXT_CHARS = 60
# Elements whose content is never text.
NOT_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[A-Za-z!/?]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")


class ArticleError(ValueError):
    """The page holds no article text."""


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    text: str
    published: date | None
    language: str

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def parse_article(
    body: bytes,
    *,
    url: str = "",
    content_type: str = "",
    title: str = "",
    published: date | None = None,
    language: str = "",
    default_language: str = "",
) -> ParsedArticle:
    """The article in an HTML page; `title`, `published` and `language` (the feed item's) fill gaps.

    `default_language` (the source's) is taken only when the text is too short to tell.

    Raise ArticleError when the page has no article text.
    """
    html = decode_html(body, content_type)
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, etree.LxmlError) as exc:
        raise ArticleError(f"unreadable HTML: {exc}") from exc
    text = plain_text(document.text) if document is not None and document.text else ""
    if len(text) < MIN_TEXT_CHARS:
        raise ArticleError(f"no article text found ({len(text)} characters)")
    return ParsedArticle(
        title=(plain_text(document.title or "") or plain_text(title))[:500],
        text=text,
        published=parse_date(document.date) or published,
        language=page_language(html)
        or language_code(language)
        or detect_language(text, default=language_code(default_language) or "en"),
    )


def decode_html(body: bytes, content_type: str = "") -> str:
    """The page as text: UTF-8 when it is valid UTF-8, else the declared charset, else Windows-1252.

    Valid UTF-8 wins over a declaration because servers often declare Latin-1 by default; bytes that
    are not UTF-8 and not the declared charset are read as Windows-1252, the encoding of the European
    press that is not UTF-8 (a superset of Latin-1 for printable characters).
    """
    declared = [charset_of(content_type)]
    found = _META_CHARSET.search(body[:4096])
    if found:
        declared.append(found.group(1).decode("ascii", "ignore"))
    for encoding in ["utf-8", *declared, "cp1252"]:
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("latin-1")


def charset_of(content_type: str) -> str:
    message = Message()
    message["Content-Type"] = content_type or "text/html"
    return message.get_content_charset() or ""


def plain_text(value: str) -> str:
    """`value` with any markup removed (script and style content included), whitespace collapsed."""
    if not value:
        return ""
    # Markup escaped twice ("&amp;lt;b&amp;gt;") is markup again after one pass: take it off too.
    for _ in range(3):
        if not (_TAG.search(value) or "&" in value):
            break
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (etree.ParserError, ValueError):
            break
        for element in list(fragment.iter(*NOT_TEXT)):
            element.drop_tree()
        text = fragment.text_content()
        if text == value:
            break
        value = text
    lines = (_SPACE.sub(" ", line).strip() for line in value.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def page_language(html: str) -> str:
    """The language the page declares: <html lang>, og:locale or Content-Language, as ISO 639-1."""
    try:
        root = lxml.html.document_fromstring(html[:200_000])
    except (etree.ParserError, ValueError):
        return ""
    declared = [
        root.get("lang", ""),
        root.get("{http://www.w3.org/XML/1998/namespace}lang", ""),
        *root.xpath("//meta[@property='og:locale']/@content"),
        *root.xpath(
            "//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu')='content-language']/@content"
        ),
    ]
    return next((code for code in map(language_code, declared) if code), "")


def language_code(value: str) -> str:
    """ "fr-FR", "de_DE", "EN" -> "fr", "de", "en"; anything else -> ""."""
    match = _LANGUAGE.match((value or "").strip())
    return match.group(1).lower() if match else ""


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
