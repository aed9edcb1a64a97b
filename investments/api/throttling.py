"""Throttling of anonymous API clients, counted in the same cache round trip as the request's reads.

DRF's throttle keeps a list of timestamps per client, read and then written back: two round trips to
Redis on every request, as many as the cached response itself costs. This one keeps a counter per
client address that lives one period from the client's first request (`600/minute`: at most 600
requests in the minute that starts with the first), so counting is one INCR, sent in one pipeline
with the data version and the stored response (investments.api.http_cache).
"""

from django.core.cache import cache
from rest_framework import throttling

from config.proxies import client_address


def get_many_and_count(keys, counter, timeout):
    """(values of `keys`, hits on `counter` including this one, seconds left in its window), in one
    round trip when the cache can (config.cache_backend.FailSoftRedisCache). hits is None when the cache
    could not count: the request is then let through, as with a cache that is down."""
    combined = getattr(cache, "get_many_and_count", None)
    if combined is not None:
        return combined(keys, counter, timeout)
    values = cache.get_many(keys) if keys else {}
    cache.add(counter, 0, timeout)
    try:
        hits = cache.incr(counter)
    except ValueError:  # expired between add() and incr()
        hits = None
    return values, hits, timeout


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle (same scope and rate setting), counted per window, keyed on the client
    address of config.proxies: with no proxy declared, X-Forwarded-For is not the client's to choose."""

    cache_format = "throttle-window_%(scope)s_%(ident)s"

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        # Counted already when the request's cache reads went out (CachedResponseMixin.dispatch).
        counted = getattr(request, "throttle_counts", {}).get(self.key)
        if counted is None:
            _, *counted = get_many_and_count([], self.key, self.duration)
        self.hits, self.left = counted
        return self.hits is None or self.hits <= self.num_requests

    def wait(self):
        return self.left
