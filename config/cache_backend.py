"""The cache backend: Redis, used as a cache that may be away.

Everything the site keeps in the cache can be done without it: API responses and page counts are
computed again, the throttles let the request through, and the data version has its source in the
database (investments.versioned_cache). So an unreachable Redis costs a miss, never a 500: reads answer as if
the key were absent, writes are dropped.

After a failure, Redis is left alone for RETRY_AFTER seconds, so that one that swallows packets
rather than refusing costs one socket timeout (settings.CACHE_SOCKET_TIMEOUT) per process every few
seconds, not one per call. Errors other than a lost connection (a full memory, a value that does not
unpickle) are bugs to see, and are raised as usual.

Why not django-redis with IGNORE_EXCEPTIONS: it swallows the same errors but asks Redis again on every
call, so a black-holed Redis costs every call the whole socket timeout. 20 cache.get() with a socket
timeout of 1 s against a socket that listens and never answers (`python -m benchmarks cache_outage`,
median of 3 fresh processes, django-redis 7.0.0): this backend 1.2 to 1.9 s (one timeout, then misses
until RETRY_AFTER), django-redis 20.1 to 20.6 s. Keeping the pause would take a subclass of its client,
and the throttle's one round trip (get_many_and_count) another; this module is Django's own RedisCache
with both.
"""

import logging
import time
from dataclasses import dataclass

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# Seconds without a call to Redis after one failed.
RETRY_AFTER = 5.0
# Seconds between two warnings of one outage: it is logged, not once per call.
WARN_EVERY = 60.0
# What a dropped incr() returns internally before it raises as a missing key does.
_MISS = object()


@dataclass
class Outage:
    """The state of one Redis in this process, shared by its threads (each has its own client)."""

    since: float | None = None  # monotonic time of the first failure of the current outage
    retry_at: float = 0.0
    warned_at: float | None = None

    def failed(self, servers, exc) -> None:
        now = time.monotonic()
        self.since = self.since if self.since is not None else now
        self.retry_at = now + RETRY_AFTER
        if self.warned_at is None or now - self.warned_at >= WARN_EVERY:
            self.warned_at = now
            logger.warning(
                "cache unreachable, carrying on without it (next attempt in %.0f s): %s: %s",
                RETRY_AFTER,
                ", ".join(servers),
                exc,
            )

    def recovered(self) -> None:
        if self.since is not None:
            logger.warning("cache reachable again after %.0f s", time.monotonic() - self.since)
            self.since, self.warned_at = None, None


class FailSoftRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with a lost connection or a timeout answered as a miss."""

    # One per Redis (its list of servers), shared by the threads of the process.
    outages: dict[tuple[str, ...], Outage] = {}

    def _soft(self, miss, call, *args):
        outage = self.outages.setdefault(tuple(self._servers), Outage())
        if time.monotonic() < outage.retry_at:
            return miss
        try:
            result = call(*args)
        except UNREACHABLE as exc:
            outage.failed(self._servers, exc)
            return miss
        outage.recovered()
        return result

    def get(self, key, default):
        return self._soft(default, super().get, key, default)

    def get_many(self, keys):
        return self._soft({}, super().get_many, keys)

    def has_key(self, key):
        return self._soft(False, super().has_key, key)

    def add(self, key, value, timeout):
        return self._soft(False, super().add, key, value, timeout)

    def set(self, key, value, timeout):
        self._soft(None, super().set, key, value, timeout)

    def set_many(self, data, timeout):
        self._soft(None, super().set_many, data, timeout)

    def touch(self, key, timeout):
        return self._soft(False, super().touch, key, timeout)

    def delete(self, key):
        return self._soft(False, super().delete, key)

    def delete_many(self, keys):
        self._soft(None, super().delete_many, keys)

    def incr(self, key, delta):
        result = self._soft(_MISS, super().incr, key, delta)
        if result is _MISS:  # as for a key that is not there
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def clear(self):
        return self._soft(False, super().clear)

    def get_many_and_count(self, keys, counter, timeout):
        """Read `keys` and count one more hit on `counter` in one round trip: (values, hits, seconds left
        of the counter's window). A new counter lives `timeout` seconds. Unreachable: ({}, None, None)."""
        return self._soft(({}, None, None), self._get_many_and_count, keys, counter, timeout)

    def _get_many_and_count(self, keys, counter, timeout):
        pipe = self.get_client(counter, write=True).pipeline(transaction=False)
        if keys:
            pipe.mget(keys)
        pipe.set(counter, 0, ex=timeout, nx=True)
        pipe.incr(counter)
        pipe.ttl(counter)
        *read, _, hits, ttl = pipe.execute()
        values = (
            {k: self._serializer.loads(v) for k, v in zip(keys, read[0], strict=True) if v is not None}
            if keys
            else {}
        )
        return values, hits, ttl if ttl and ttl > 0 else timeout


class FailSoftRedisCache(RedisCache):
    """settings.CACHES backend: Django's RedisCache through the fail-soft client."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient

    def get_many_and_count(self, keys, counter, timeout, version=None):
        """See FailSoftRedisCacheClient.get_many_and_count; keys as the cache API takes them."""
        names = {self.make_and_validate_key(key, version=version): key for key in keys}
        values, hits, left = self._cache.get_many_and_count(
            list(names), self.make_and_validate_key(counter, version=version), timeout
        )
        return {names[name]: value for name, value in values.items()}, hits, left
