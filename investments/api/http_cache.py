"""HTTP caching of the public API.

Every public response carries an ETag derived from the data version (bumped by each ingest, see
investments.versioned_cache), the negotiated media type and the URL: scheme and host (the response's links are
built from them), path, and the query in the canonical form of investments.api.parameters (an unknown
parameter is a 400, not a new key). It is cheap to compute, and it changes after every ingest. A client sending it back in If-None-Match gets 304 before any query runs. With a shared
cache (Redis) configured, the rendered response itself is kept under that ETag, so a repeated request
costs one cache read; a new data version orphans every stored response at once.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.renderers import JSONRenderer

from investments.api.parameters import canonical, refuse_unknown
from investments.api.throttling import AnonRateThrottle, get_many_and_count
from investments.versioned_cache import KEY as DATA_VERSION_KEY
from investments.versioned_cache import data_version, pin, pinned

# Formats whose errors are answered in JSON: a 400 as CSV or GeoJSON would hide the message.
EXPORT_FORMATS = {"csv", "geojson"}


class Served(Exception):
    """Carries a response decided before the handler runs (304, or a stored response)."""

    def __init__(self, response):
        super().__init__("served from cache")
        self.response = response


def etag_for(request, view) -> str:
    key = f"{data_version()}|{variant(request)}|{where(request, view)}"
    return f'"{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}"'


def variant(request) -> str:
    """The negotiated rendering: the renderer's media type, and the indent a JSON renderer reads from the
    Accept header (any other media type parameter changes nothing, so it makes no key of its own)."""
    renderer = request.accepted_renderer
    get_indent = getattr(renderer, "get_indent", None)
    indent = get_indent(request.accepted_media_type, {}) if get_indent else None
    return renderer.media_type if indent is None else f"{renderer.media_type}; indent={indent}"


def where(request, view) -> str:
    """The request's URL as far as the response depends on it: scheme and host (the links it carries are
    built from them), path, and the query in canonical form (investments.api.parameters)."""
    return f"{request.scheme}://{request.get_host()}{request.path}?{canonical(type(view), request.GET)}"


def fast_key(request, view) -> str | None:
    """Where the response to a request as it arrives (before content negotiation) is kept, with the
    data version it was made under: only responses that the same Accept header and URL negotiate
    again are kept (never the browsable API, which is not cacheable). None for an Accept header other
    than the plain ones (none, */*, one of the view's media types) or an unknown parameter: those
    would make a key of their own for an answer already kept."""
    accept = request.headers.get("Accept", "").strip()
    if accept not in plain_accept(type(view)) or canonical(type(view), request.GET) is None:
        return None
    key = f"{accept}|{where(request, view)}"
    return "api-fast:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


@functools.cache
def plain_accept(view_class) -> frozenset[str]:
    return frozenset({"", "*/*", *(renderer.media_type for renderer in view_class.renderer_classes)})


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
        key = fast_key(request, self) if settings.API_CACHE_SECONDS else None
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
        refuse_unknown(type(self), request.query_params)
        if not cacheable(request):
            return
        self.etag = etag_for(request, self)
        if self.etag in parse_etags(request.headers.get("If-None-Match", "")):
            raise Served(public_headers(HttpResponseNotModified(), self.etag))
        if settings.API_CACHE_SECONDS:
            stored = cache.get(f"api-response:{self.etag}")
            if stored is not None:
                # Stored under the negotiated type by a request with another Accept header: keep it
                # for this request's warm path too.
                fast = fast_key(request, self)
                if fast:
                    cache.set(fast, (data_version(), self.etag, *stored), settings.API_CACHE_SECONDS)
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
            entries = {f"api-response:{self.etag}": stored}
            fast = fast_key(request, self)
            if fast:
                entries[fast] = (data_version(), self.etag, *stored)
            cache.set_many(entries, settings.API_CACHE_SECONDS)
        return response


class PrivateMixin:
    """Responses that depend on who asks (staff endpoints): never stored by a shared cache."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response
