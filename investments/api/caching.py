"""HTTP caching of the public API.

Every public response carries an ETag derived from the data version (bumped by each ingest, see
investments.cache), the negotiated media type and the full path: cheap to compute, and it changes after
every ingest. A client sending it back in If-None-Match gets 304 before any query runs. With a shared
cache (Redis) configured, the rendered response itself is kept under that ETag, so a repeated request
costs one cache read; a new data version orphans every stored response at once.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.renderers import JSONRenderer

from investments.api.throttling import AnonRateThrottle, get_many_and_count
from investments.cache import KEY as DATA_VERSION_KEY
from investments.cache import data_version, pin, pinned

# Formats whose errors are answered in JSON: a 400 as CSV or GeoJSON would hide the message.
EXPORT_FORMATS = {"csv", "geojson"}


class Served(Exception):
    """Carries a response decided before the handler runs (304, or a stored response)."""

    def __init__(self, response):
        super().__init__("served from cache")
        self.response = response


def etag_for(request) -> str:
    key = f"{data_version()}|{request.accepted_media_type}|{request.get_full_path()}"
    return f'"{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}"'


def fast_key(request) -> str:
    """Where the response to a request as it arrives (before content negotiation) is kept, with the
    data version it was made under: only responses that the same Accept header and path negotiate
    again are kept (never the browsable API, which is not cacheable)."""
    key = f"{request.headers.get('Accept', '')}|{request.get_full_path()}"
    return "api-fast:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def cacheable(request) -> bool:
    # The browsable API shows who is logged in: neither shared nor validated.
    return request.method in ("GET", "HEAD") and request.accepted_renderer.format != "api"


def public_headers(response, etag):
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.API_MAX_AGE}"
    patch_vary_headers(response, ["Accept"])
    return response


class CachedResponseMixin:
    """ETag, 304 and Cache-Control for a public, read-only view, and its responses kept in the cache.

    A stored response is served from dispatch(), before DRF's machinery, with the throttles checked
    from the same cache read; otherwise the checks run after DRF's initial() (content negotiation,
    permissions, throttling). Either way cached answers are throttled like any other.
    """

    etag = None

    def dispatch(self, request, *args, **kwargs):
        # The warm path: a response stored for this exact request (Accept header and full path, under
        # the current data version) is served before DRF builds its Request, negotiates, authenticates
        # or runs the filterset. Throttling still applies; a refused request goes the usual way, to
        # its 429.
        with pinned():
            stored = self.stored_response(request)
            if stored is not None:
                return stored
            return super().dispatch(request, *args, **kwargs)

    def stored_response(self, request):
        """The stored response for this request, or None; either way one round trip to the cache has
        read the data version (pinned for the request) and counted the request for the throttle."""
        if request.method not in ("GET", "HEAD"):
            return None
        key = fast_key(request) if settings.API_CACHE_SECONDS else None
        keys = [DATA_VERSION_KEY, key] if key else [DATA_VERSION_KEY]
        throttle = next((t for t in self.get_throttles() if isinstance(t, AnonRateThrottle)), None)
        counter = throttle.get_cache_key(request, self) if throttle and throttle.rate else None
        if counter:
            values, *counted = get_many_and_count(keys, counter, throttle.duration)
            request.throttle_counts = {counter: tuple(counted)}  # read by the throttle, now or in initial()
        else:
            values = cache.get_many(keys)
        version = values.get(DATA_VERSION_KEY)
        pin(version)  # saves the usual path reading it again
        stored = values.get(key) if key else None
        if stored is None or version is None or stored[0] != version:
            return None
        if counter and not throttle.allow_request(request, self):
            return None  # the usual path answers 429
        _, etag, content_type, content = stored
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(content, content_type=content_type)
        for name, value in self.default_response_headers.items():
            response[name] = value
        return public_headers(response, etag)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not cacheable(request):
            return
        self.etag = etag_for(request)
        if self.etag in parse_etags(request.headers.get("If-None-Match", "")):
            raise Served(public_headers(HttpResponseNotModified(), self.etag))
        if settings.API_CACHE_SECONDS:
            stored = cache.get(f"api-response:{self.etag}")
            if stored is not None:
                # Stored under the negotiated type by a request with another Accept header: keep it
                # for this request's warm path too.
                cache.set(fast_key(request), (data_version(), self.etag, *stored), settings.API_CACHE_SECONDS)
                content_type, content = stored
                raise Served(public_headers(HttpResponse(content, content_type=content_type), self.etag))

    def handle_exception(self, exc):
        if isinstance(exc, Served):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and renderer and renderer.format in EXPORT_FORMATS:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.etag is None or response.status_code != 200 or response.has_header("ETag"):
            return response
        public_headers(response, self.etag)
        if settings.API_CACHE_SECONDS and not response.streaming:
            response.render()
            stored = (response["Content-Type"], response.content)
            cache.set_many(
                {
                    f"api-response:{self.etag}": stored,
                    fast_key(request): (data_version(), self.etag, *stored),
                },
                settings.API_CACHE_SECONDS,
            )
        return response


class PrivateMixin:
    """Responses that depend on who asks (staff endpoints): never stored by a shared cache."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response
