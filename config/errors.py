"""The site's own 404 and 500 pages; the API's unknown paths answer JSON, as its views do.

Django calls these for any path: the pages' 404 gets the site's header, navigation and language
links. The 500 page is drawn without the database or the static-files manifest (either may be what
failed), and falls back to a self-contained page if even that fails.
"""

import logging

from django.http import HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string

from investments.views import page_context

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

# The last resort: no template, no static file, no translation lookup.
BARE_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Server error</h1><p>Something went wrong on our side; it has been logged."
    ' <a href="/">Back to the map</a>.</p></html>'
)


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def page_not_found(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    html = render_to_string("404.html", page_context(request), request=request)
    return HttpResponseNotFound(html)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    try:
        html = render_to_string("500.html", {}, request=request)
    except Exception:
        # The template needs the static manifest; a missing one is a common cause of the 500 itself.
        logger.exception("The 500 page could not be rendered; serving the bare one")
        html = BARE_500
    return HttpResponseServerError(html)
