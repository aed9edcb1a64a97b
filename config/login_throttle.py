"""The admin login, throttled against password guessing.

After LOGIN_FAILURE_LIMIT failed logins for one username from one address within LOGIN_FAILURE_WINDOW
seconds, that address gets 429 (with Retry-After) for that username until the window ends, whatever
the password; a successful login clears the count. The counts live in the cache (Redis in production,
so every gunicorn worker shares them).

The address is REMOTE_ADDR, unless the API's throttle is told how many reverse proxies stand in front
(REST_FRAMEWORK["NUM_PROXIES"], from API_NUM_PROXIES): then it is the X-Forwarded-For entry that many
hops from the right, the one the nearest proxy saw. A client can write anything further left, so
X-Forwarded-For is never trusted without that count.

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
            logger.warning("admin login locked out: %s", client_address(request))
            return locked_out()
        response = self.get_response(request)
        if response.status_code == 200:  # the form again: wrong credentials
            record_failure(key)
        elif response.status_code in (301, 302, 303):
            clear(key)
        return response


def client_address(request) -> str:
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return request.META.get("REMOTE_ADDR", "")
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(proxies, len(hops))]


def failure_key(request) -> str:
    username = request.POST.get("username", "").strip().lower()
    who = f"{client_address(request)}|{username}"
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
