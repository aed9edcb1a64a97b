"""The admin login, throttled against password guessing.

After LOGIN_FAILURE_LIMIT failed logins for one username from one address within LOGIN_FAILURE_WINDOW
seconds, that address gets 429 (with Retry-After) for that username until the window ends, whatever
the password; a successful login clears the count. Every attempt is counted before its password is
checked, so simultaneous guesses cannot slip past the limit together. The counts live in the cache (Redis in production,
so every gunicorn worker shares them).

The address is the one config.proxies believes: REMOTE_ADDR, or behind declared proxies the address
the nearest one saw; never what the client wrote in X-Forwarded-For.

The admin answers a failed login by showing the form again (200) and a success by redirecting (302),
which clears the count, so the throttle needs no hook into authentication.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse

from config.proxies import client_address

logger = logging.getLogger(__name__)


class AdminLoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path != reverse("admin:login"):
            return self.get_response(request)
        key = failure_key(request)
        # The attempt is counted before its password is checked, in one atomic step: read the count,
        # check, then write it back, and simultaneous guesses all read the same count below the limit
        # (30 at once got 10 passwords checked instead of 5).
        if count_attempt(key) > settings.LOGIN_FAILURE_LIMIT:
            logger.warning("admin login locked out: %s", client_address(request))
            return locked_out()
        response = self.get_response(request)
        if response.status_code in (301, 302, 303):
            clear(key)
        elif response.status_code != 200:  # no password was checked (a CSRF failure): not a guess
            give_back(key)
        return response


def failure_key(request) -> str:
    username = request.POST.get("username", "").strip().lower()
    who = f"{client_address(request)}|{username}"
    return "login-failures:" + hashlib.blake2b(who.encode(), digest_size=16).hexdigest()


# The cache is shared state, not the site: when it is unreachable, log in unthrottled rather than not at all.
def count_attempt(key: str) -> int:
    """Count one more login attempt in the key's window; the attempts so far, this one included."""
    try:
        # add() starts the window at the first attempt; incr() is atomic and keeps its expiry.
        cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
        return cache.incr(key)
    except ValueError:  # expired between add() and incr(): start a new window
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
        return 1
    except Exception:
        logger.warning("cache unreachable; admin login not throttled", exc_info=True)
        return 0


def give_back(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # the window ended meanwhile: nothing to give back
        return
    except Exception:
        logger.warning("cache unreachable; admin login attempt not given back", exc_info=True)


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
