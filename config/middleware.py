"""Request guards that keep faults and hostile input from becoming 500s.

NulByteMiddleware: a NUL character in the path or the query string is refused with 400 before any view
runs. PostgreSQL cannot store or compare text holding NUL, so one reaching a lookup or a filter that
does not validate it (a record id, a list of codes) would be a 500.

DatabaseUnavailableMiddleware: while the database is unreachable (restarting, failing over), answer 503
with Retry-After, not a 500.

A lost connection surfaces as OperationalError or InterfaceError from whatever query ran first. Django
marks that connection unusable and drops it at the end of the request, so the next request connects
afresh: the service recovers by itself once the database is back, with nothing to restart.

Only an unreachable database is a 503. An OperationalError on a connection that still works (a
pattern SQLite finds too complex, a cancelled statement) is a fault of the request or of the code, and
stays a 500 so that it is seen and fixed rather than retried.

The API answers in JSON, the pages with a short plain page (no template: rendering the site's base
template would itself need the database).
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait: about what a PostgreSQL restart or a managed failover takes.
RETRY_AFTER = 30
MESSAGE = "The database is unavailable for a moment. Please try again shortly."
PAGE = (
    "<!doctype html>\n<html lang=en><meta charset=utf-8><title>Service unavailable</title>\n"
    f"<h1>Service unavailable</h1>\n<p>{MESSAGE}</p>\n"
)


class NulByteMiddleware:
    """Refuse a request whose path or query string holds a NUL character: 400, JSON for the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values) for name, values in request.GET.lists()
        ):
            return refused(request, "NUL characters are not allowed in a URL.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turn a view's error from an unreachable database into 503 + Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError) or not unreachable(exception):
            return None
        logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
        return unavailable(request)


def unreachable(exception) -> bool:
    """Whether the error means the database cannot be reached now, rather than this query failed."""
    if isinstance(exception, InterfaceError):  # the connection was already closed
        return True
    if "database is locked" in str(exception):  # SQLite: a writer held it past the busy timeout
        return True
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or not connection.is_usable():
            return True
    return False


def unavailable(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"  # a shared cache must not keep the outage
    return response


def refused(request, message) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
