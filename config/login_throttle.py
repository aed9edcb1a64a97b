"""The admin login, throttled against password guessing.

After LOGIN_FAILURE_LIMIT failed logins for one username from one address within LOGIN_FAILURE_WINDOW
seconds, that address gets 429 (with Retry-After) for that username until the window ends, whatever
the password; a successful login clears the count. The counts live in the cache (Redis in production,
so every gunicorn worker shares them). The address is REMOTE_ADDR: behind a reverse proxy, have the
proxy pass the client address there (e.g. gunicorn --forwarded-allow-ips) rather than trusting a
header any client can set.

The admin answers a failed login by showing the form again (200) and a success by redirecting (302);
that is what is counted, so the throttle needs no hook into authentication.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse

logger = logging.getLogger(__name__)


class AdminLoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path != reverse("admin:login"):
            return self.get_response(request)
        key = failure_key(request)
        if failures(key) >= settings.LOGIN_FAILURE_LIMIT:
            logger.warning("admin login locked out: %s", request.META.get("REMOTE_ADDR", ""))
            return locked_out()
        response = self.get_response(request)
        if response.status_code == 200:  # the form again: wrong credentials
            record_failure(key)
        elif response.status_code in (301, 302, 303):
            clear(key)
        return response


def failure_key(request) -> str:
    username = request.POST.get("username", "").strip().lower()
    who = f"{request.META.get('REMOTE_ADDR', '')}|{username}"
    return "login-failures:" + hashlib.blake2b(who.encode(), digest_size=16).hexdigest()


# The cache is shared state, not the site: when it is unreachable, log in unthrottled rather than not at all.
def failures(key: str) -> int:
    try:
        return cache.get(key, 0)
    except Exception:
        logger.warning("cache unreachable; admin login not throttled", exc_info=True)
        return 0


def record_failure(key: str) -> None:
    try:
        # add() starts the window at the first failure; incr() keeps its expiry.
        cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
        cache.incr(key)
    except ValueError:  # expired between add() and incr(): start a new window
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
    except Exception:
        logger.warning("cache unreachable; failed admin login not counted", exc_info=True)


def clear(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("cache unreachable; failed admin logins not cleared", exc_info=True)


def locked_out() -> HttpResponse:
    minutes = settings.LOGIN_FAILURE_WINDOW // 60
    response = HttpResponse(
        f"Too many failed logins. Try again in {minutes} minutes.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
    return response
