"""What a request says about its client, believed only as far as a declared reverse proxy vouches for it.

REST_FRAMEWORK["NUM_PROXIES"] (from API_NUM_PROXIES) is the number of reverse proxies in front of the
app. Without it, nothing the client wrote is trusted: the client is REMOTE_ADDR whatever
X-Forwarded-For says, and the scheme is the connection's whatever X-Forwarded-Proto says (the settings
set SECURE_PROXY_SSL_HEADER only behind a declared proxy). With it, the client is the X-Forwarded-For
entry that many hops from the right, the one the nearest proxy saw: a client can write anything
further left.

DRF's own rule differs in one case: with NUM_PROXIES unset it takes the whole X-Forwarded-For header as
the client's identity, so a new header on each request got a fresh throttle quota.
"""

from django.conf import settings


def declared_proxies() -> int:
    return settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind declared proxies the address the nearest one saw."""
    proxies = declared_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return request.META.get("REMOTE_ADDR", "")
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(proxies, len(hops))]
