"""The data version: one cache key that every cached response depends on, bumped by each ingest."""

import logging
import uuid

from django.core.cache import cache

logger = logging.getLogger(__name__)
KEY = "data-version"


def data_version() -> str:
    """The current version, or a fresh one when the cache is unreachable (nothing is reused then)."""
    try:
        return cache.get_or_set(KEY, lambda: uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is an optimisation: serve uncached rather than fail
        logger.warning("cache unreachable; serving uncached", exc_info=True)
        return uuid.uuid4().hex


def bump() -> None:
    """Invalidate every cached response after the data changed."""
    try:
        cache.set(KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("cache unreachable; cached responses expire by timeout", exc_info=True)
