"""The data version: one cache key that every cached response depends on, bumped by each ingest."""

import contextlib
import contextvars
import logging
import uuid

from django.core.cache import cache

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
    """The current version, or a fresh one when the cache is unreachable (nothing is reused then)."""
    holder = _pinned.get()
    if holder and "version" in holder:
        return holder["version"]
    try:
        version = cache.get_or_set(KEY, lambda: uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is an optimisation: serve uncached rather than fail
        logger.warning("cache unreachable; serving uncached", exc_info=True)
        version = uuid.uuid4().hex
    if holder is not None:
        holder["version"] = version
    return version


def bump() -> None:
    """Invalidate every cached response after the data changed."""
    try:
        cache.set(KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("cache unreachable; cached responses expire by timeout", exc_info=True)
