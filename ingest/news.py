"""The news pipeline: poll a feed -> fetch each new article -> parse -> extract -> reconcile -> report.

Each poll is an IngestRun named after its source. Each article is written in a transaction of its own,
so a broken article costs only itself. An article is fetched once: its canonical URL is its key, and a
page that failed for good (404, too large, no text) is remembered as failed; one that failed for now
(timeout, 5xx) is not remembered, and the feed's ETag is not kept, so the next poll tries it again.

The Celery tasks and `manage.py poll_feeds` call these functions.
"""

import logging
import traceback
from collections import Counter
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from ingest.extract import Catalogue, extract_candidates
from ingest.extract.companies import CatalogueCompany
from ingest.fetch import FetchError, PermanentFetchError, TransientFetchError, fetch
from ingest.models import Article, IngestRun, Source
from ingest.parsers.article import ArticleError, ParsedArticle, parse_article
from ingest.parsers.feeds import FeedEntry, FeedError, parse_feed
from ingest.parsers.sources import parse_sources
from ingest.reconcile import Outcome, reconcile
from investments.models import Company
from investments.money import rate_table

logger = logging.getLogger(__name__)
# Errors that end the whole poll rather than one article: out of time, or the database is gone.
FATAL = (SoftTimeLimitExceeded, OperationalError, InterfaceError)


def due_sources(now=None) -> list[Source]:
    now = now or timezone.now()
    return [source for source in Source.objects.filter(enabled=True) if source.is_due(now)]


def claim_due_sources(now=None) -> list[int]:
    """The ids of the sources due for a poll, each marked as polled now so no other tick takes it."""
    now = now or timezone.now()
    claimed = []
    for source in due_sources(now):
        # A conditional update: of two schedulers racing, one claims the source.
        if Source.objects.filter(pk=source.pk, last_polled=source.last_polled).update(last_polled=now):
            claimed.append(source.pk)
    return claimed


def poll_source(source: Source | int, *, task_id: str = "") -> IngestRun:
    """Poll one feed and read its new articles; record the run and the feed's health.

    A transient failure of the feed itself (timeout, 5xx) is recorded and raised, for the caller to
    retry; a permanent one (404, malformed feed) is recorded and returned.
    """
    if not isinstance(source, Source):
        source = Source.objects.get(pk=source)
    run = IngestRun.objects.start(source.name, source.url, task_id)
    note(source, last_polled=run.started)
    counts: Counter = Counter()
    errors: list[str] = []
    try:
        fetched = fetch(
            source.url,
            timeout=settings.NEWS_FETCH_TIMEOUT,
            max_bytes=settings.NEWS_MAX_FEED_BYTES,
            etag=source.etag,
            last_modified=source.last_modified,
            retries=settings.NEWS_FETCH_RETRIES,
            backoff=settings.NEWS_FETCH_BACKOFF,
        )
        if fetched.not_modified:
            counts["not_modified"] = 1
            run.finish(IngestRun.Status.SUCCEEDED, counts=dict(counts))
            note(source, last_succeeded=timezone.now(), last_status=summary(counts))
            return run
        feed = parse_feed(
            fetched.body, kind=source.kind, base_url=fetched.url, content_type=fetched.content_type
        )
        retry_later = read_entries(source, feed.entries, counts, errors)
        counts["items"] += feed.duplicates
        counts["duplicate_items"] += feed.duplicates
    except TransientFetchError as exc:
        run.finish(IngestRun.Status.FAILED, errors=[str(exc)])
        note(source, last_status=f"failed, will retry: {exc}")
        raise
    except (PermanentFetchError, FeedError) as exc:
        run.finish(IngestRun.Status.FAILED, errors=[str(exc)])
        note(source, last_status=f"failed: {exc}")
        return run
    except Exception as exc:
        run.finish(
            IngestRun.Status.FAILED, errors=[f"{type(exc).__name__}: {exc}"], tb=traceback.format_exc()
        )
        note(source, last_status=f"failed: {type(exc).__name__}: {exc}")
        raise
    run.finish(IngestRun.Status.SUCCEEDED, counts=dict(counts), errors=errors)
    validators = {} if retry_later else {"etag": fetched.etag, "last_modified": fetched.last_modified}
    note(source, last_succeeded=timezone.now(), last_status=summary(counts, errors), **validators)
    return run


def read_entries(source: Source, entries: list[FeedEntry], counts: Counter, errors: list[str]) -> bool:
    """Read the feed's new articles; True when some are left for a later poll."""
    counts["items"] += len(entries)
    known = set(Article.objects.filter(url__in=[e.url for e in entries]).values_list("url", flat=True))
    catalogue, table = company_catalogue(), rate_table()
    retry_later = False
    longest = Article._meta.get_field("url").max_length
    for entry in entries:
        if entry.url in known:
            counts["already_fetched"] += 1
        elif len(entry.url) > longest:
            counts["failed"] += 1
            errors.append(f"{entry.url[:200]}...: URL longer than {longest} characters, skipped")
        elif counts["read"] >= settings.NEWS_MAX_ITEMS_PER_POLL:
            counts["deferred"] += 1
            retry_later = True
        else:
            counts["read"] += 1
            retry_later |= not read_article(source, entry, counts, errors, catalogue, table)
    return retry_later


def read_article(source, entry: FeedEntry, counts: Counter, errors: list[str], catalogue, table) -> bool:
    """Fetch, parse, extract and reconcile one article, in one transaction; False to try it again later."""
    try:
        fetched = fetch(
            entry.url,
            timeout=settings.NEWS_FETCH_TIMEOUT,
            max_bytes=settings.NEWS_MAX_ARTICLE_BYTES,
            retries=settings.NEWS_FETCH_RETRIES,
            backoff=settings.NEWS_FETCH_BACKOFF,
        )
        parsed = parse_article(
            fetched.body,
            url=entry.url,
            content_type=fetched.content_type,
            title=entry.title,
            published=entry.published,
            language=entry.language,
            default_language=source.language,
        )
    except TransientFetchError as exc:
        counts["failed"] += 1
        errors.append(f"{exc} (tried again next poll)")
        return False
    except (FetchError, ArticleError) as exc:
        counts["failed"] += 1
        errors.append(f"{entry.url}: {exc}" if isinstance(exc, ArticleError) else str(exc))
        remember_failure(source, entry, exc)
        return True
    try:
        published = parsed.published or entry.published or timezone.localdate()
        found = extract_candidates(parsed.text, published, parsed.language, catalogue)
        with transaction.atomic():
            article, duplicate = save_article(source, entry.url, parsed)
            counts["fetched"] += 1
            if duplicate:
                counts["duplicate_content"] += 1
                return True
            counts["candidates"] += len(found)
            for candidate in found:
                decision = reconcile(candidate, article, table)
                counts[decision.outcome] += 1
                if decision.outcome == Outcome.SKIPPED:
                    logger.info("%s: %s", entry.url, decision.note)
    except FATAL:
        raise
    except IntegrityError as exc:
        if not Article.objects.filter(url=entry.url).exists():
            record_unexpected(exc, entry, counts, errors)
            return False
        counts["already_fetched"] += 1  # another poll of the same feed saved it first
    except Exception as exc:
        record_unexpected(exc, entry, counts, errors)
        return False
    return True


def record_unexpected(exc: Exception, entry: FeedEntry, counts: Counter, errors: list[str]) -> None:
    """Record an error nobody foresaw (a bug); the article is left unwritten, to be read again."""
    logger.exception("reading %s failed", entry.url, exc_info=exc)
    counts["failed"] += 1
    errors.append(f"{entry.url}: {type(exc).__name__}: {exc}")


def save_article(source, url: str, parsed: ParsedArticle) -> tuple[Article, bool]:
    """Store the article; one whose text an earlier article has is stored as its duplicate."""
    digest = parsed.content_hash
    original = Article.objects.filter(content_hash=digest, status=Article.Status.FETCHED).first()
    article = Article.objects.create(
        source=source if source.pk else None,
        url=url,
        title=parsed.title,
        published_on=parsed.published,
        language=parsed.language,
        text=parsed.text,
        content_hash=digest,
        duplicate_of=original,
        status=Article.Status.DUPLICATE if original else Article.Status.FETCHED,
    )
    return article, original is not None


def remember_failure(source, entry: FeedEntry, exc: Exception) -> None:
    """Record an article that cannot be read, so that it is not fetched again."""
    Article.objects.get_or_create(
        url=entry.url,
        defaults={
            "source": source if source.pk else None,
            "title": entry.title,
            "published_on": entry.published,
            "status": Article.Status.FAILED,
            "error": str(exc)[:1000],
        },
    )


def company_catalogue() -> Catalogue | None:
    """The companies extraction looks for: those in the database, with the aliases curators keep."""
    companies = [
        CatalogueCompany(
            slug=c.slug, name=c.name, parent=c.parent.slug if c.parent else "", aliases=tuple(c.aliases)
        )
        for c in Company.objects.select_related("parent")
    ]
    return Catalogue(companies) if companies else None


def note(source: Source, **fields) -> None:
    """Update the source's poll state, without touching what a curator may be editing meanwhile."""
    if "last_status" in fields:
        fields["last_status"] = fields["last_status"][:1000]
    for name, value in fields.items():
        setattr(source, name, value)
    if source.pk:
        Source.objects.filter(pk=source.pk).update(**fields)


def summary(counts: dict, errors: list[str] = ()) -> str:
    """One line for Source.last_status and the command's output."""
    if counts.get("not_modified"):
        return "not modified (HTTP 304)"
    parts = [
        f"{counts.get('items', 0)} items",
        f"{counts.get('fetched', 0)} new articles",
        f"{counts.get('candidates', 0)} candidates ({counts.get('matched', 0)} matched, "
        f"{counts.get('discrepancy', 0)} discrepancies, {counts.get('pending', 0)} to review)",
    ]
    if counts.get("failed"):
        parts.append(f"{counts['failed']} failed")
    text = "OK: " + ", ".join(parts)
    return f"{text}; first error: {errors[0]}" if errors else text


def load_sources(path: Path | str | None = None) -> dict:
    """Create or update the sources declared in the sources file (the file wins), by name."""
    path = Path(path or settings.NEWS_SOURCES_PATH)
    records = parse_sources(path.read_bytes(), path.name)
    counts = Counter()
    with transaction.atomic():
        for record in records:
            values = {
                "kind": record.kind,
                "url": record.url,
                "language": record.language,
                "enabled": record.enabled,
                "poll_minutes": record.poll_minutes,
            }
            source = Source.objects.filter(name=record.name).first()
            if source is None:
                Source.objects.create(name=record.name, **values)
                counts["created"] += 1
            elif any(getattr(source, k) != v for k, v in values.items()):
                if source.url != record.url:
                    values.update(etag="", last_modified="")  # validators of another URL mean nothing
                Source.objects.filter(pk=source.pk).update(**values)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        counts["not_in_file"] = Source.objects.exclude(name__in=[r.name for r in records]).count()
    return dict(counts)
