"""The data version: one value that every cached response depends on, changed by each ingest.

Its source is the database (the DataVersion row); the cache holds a copy for
settings.DATA_VERSION_RECHECK_SECONDS at a time, read in the same round trip as a stored response. A
change made while Redis is unreachable is saved in the database all the same, so once Redis is back
with its old copy, responses cached before the change are served for that long at most.
"""

import contextlib
import contextvars
import hashlib
import logging
import uuid
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from investments.models import Announcement, DataVersion, Investment

logger = logging.getLogger(__name__)
KEY = "data-version"
# Inside pinned(): the version read first, reused for the rest of the request.
_pinned = contextvars.ContextVar("data_version_pinned", default=None)


@contextlib.contextmanager
def pinned():
    """Read the version once for a whole request (an API response asks for it several times: ETag,
    lookups, page count): one cache read, and every part of the response agrees on it."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def pin(version) -> None:
    """Inside pinned(): take this version, read along with other keys, as the request's."""
    holder = _pinned.get()
    if holder is not None and version:
        holder["version"] = version


def data_version() -> str:
    """The current version: the cache's copy, or the database's when the cache has none (or is down)."""
    holder = _pinned.get()
    if holder and "version" in holder:
        return holder["version"]
    version = cache.get(KEY)
    if version is None:
        version = stored_version()
        # add(), not set(): a bump() that lands between the read above and this write wins.
        cache.add(KEY, version, timeout=settings.DATA_VERSION_RECHECK_SECONDS)
    if holder is not None:
        holder["version"] = version
    return version


def stored_version() -> str:
    row, _ = DataVersion.objects.get_or_create(pk=1, defaults={"version": uuid.uuid4().hex})
    return row.version


def kept(prefix: str, parts: tuple, seconds: int, compute):
    """compute(), kept in the cache for `seconds` under the data version and `parts` (what the value
    depends on: a query's SQL and parameters, say), so that an ingest makes it obsolete at once."""
    text = "|".join(repr(part) for part in (data_version(), *parts))
    key = f"{prefix}:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def bump() -> None:
    """Invalidate every cached response after the data changed."""
    version = uuid.uuid4().hex
    DataVersion.objects.update_or_create(pk=1, defaults={"version": version})
    cache.set(KEY, version, timeout=settings.DATA_VERSION_RECHECK_SECONDS)
    if cache.get(KEY) != version:
        logger.warning(
            "cache unreachable: the new data version is saved in the database only; responses cached "
            "before it may still be served for up to %s s once the cache is back",
            settings.DATA_VERSION_RECHECK_SECONDS,
        )


_as_of = {"version": None, "date": None}


def data_as_of():
    """The date (UTC) of the latest change to the data: the last record saved or source added (by an
    ingest or in the admin). None before any data. Read once per data version and process."""
    version = data_version()
    if _as_of["version"] == version:
        return _as_of["date"]
    moments = [
        Investment.objects.aggregate(latest=Max("updated"))["latest"],
        Announcement.objects.aggregate(latest=Max("created"))["latest"],
    ]
    moments = [m for m in moments if m is not None]
    day = max(moments).astimezone(UTC).date() if moments else None
    _as_of.update(version=version, date=day)
    return day
