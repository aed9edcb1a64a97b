"""Compression of the responses the app renders itself (pages, API JSON, exports).

Static files are not compressed here: WhiteNoise serves them, above this middleware, from the Brotli
and gzip files that collectstatic wrote.

BREACH recovers a secret from the size of compressed responses that also reflect text an attacker
chose. A response that can carry a secret here is one made for a session: it used the session or
rendered a CSRF token (the admin, the browsable API of a logged-in user), and then Django has marked it
`Vary: Cookie`. Those are sent uncompressed, unless the view declared the response the same for
everyone (`Cache-Control: public`, as the JSON API does: it reads the session only to know whether to
show the browsable API, which is never public). The rest (the pages, the API) carry nothing secret to
recover, so they are compressed. Django's middleware also pads each compressed response with random
bytes, which blurs the sizes such an attack measures.
"""

import re

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import has_vary_header

WEAK_PREFIX = re.compile(r'\bW/(?=")')


class PublicGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for the responses that are the same for everyone.

    Compression turns an ETag weak (`W/"..."`), and a browser sends it back so in If-None-Match. That
    header is compared weakly anyway (RFC 9110, 13.1.2), so the views are handed the tags without the
    prefix and match them as they made them.
    """

    def process_request(self, request):
        tags = request.META.get("HTTP_IF_NONE_MATCH")
        if tags and "W/" in tags:
            request.META["HTTP_IF_NONE_MATCH"] = WEAK_PREFIX.sub("", tags)

    def process_response(self, request, response):
        if personal(response):
            return response
        return super().process_response(request, response)


def personal(response) -> bool:
    """Whether a response may hold something of one visitor's session."""
    directives = {d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")}
    return "public" not in directives and has_vary_header(response, "Cookie")
