"""Network reads, and nothing else: every request has a timeout, a size cap and a descriptive User-Agent.

Errors come in two kinds, so that callers retry only what a retry can cure: TransientFetchError
(timeouts, refused connections, 429 and 5xx) and PermanentFetchError (other 4xx, over-size or
undecodable bodies). Both are FetchError.
"""

import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

logger = logging.getLogger(__name__)

USER_AGENT = "eu-ai-investment-tracker/0.1 (+https://github.com/; open-source research tracker)"
# Statuses a later attempt may cure.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """The resource could not be fetched; `transient` says whether a retry may succeed."""

    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.transient = transient


class TransientFetchError(FetchError):
    """A retry may succeed: timeout, connection error, 429 or 5xx."""

    def __init__(self, message: str):
        super().__init__(message, transient=True)


class PermanentFetchError(FetchError):
    """A retry would fail the same way: 4xx, a body over the cap, an undecodable body."""

    def __init__(self, message: str):
        super().__init__(message, transient=False)


class RefusedAddress(PermanentFetchError):
    """The URL's host resolves to an address that is not on the public internet (loopback, private,
    link-local, reserved...): a feed's link must not make the server read its own network (SSRF)."""


def public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope ("%eth0") is not part of it
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GuardedConnectionMixin:
    """Resolves the host itself, refuses it if any of its addresses is not public, and connects to an
    address it checked: resolving again to connect would let a name answer a public address to the
    check and a private one to the connection (DNS rebinding). Every redirect hop opens its connection
    here, so each is checked. TLS still verifies the certificate against the host name."""

    allow_private = False

    def _new_conn(self):
        host = self._dns_host
        try:
            found = socket.getaddrinfo(host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            return super()._new_conn()  # urllib3's own error for a name that does not resolve
        addresses = list(dict.fromkeys(info[4][0] for info in found))
        if not self.allow_private:
            refused = [address for address in addresses if not public(address)]
            if refused:
                logger.warning("refused to fetch from %s: it resolves to %s", host, ", ".join(refused))
                raise RefusedAddress(
                    f"{host} resolves to {', '.join(refused)}, not a public address: refused"
                )
        error = None
        for address in addresses:
            self._dns_host = address
            try:
                return super()._new_conn()
            except urllib3.exceptions.NewConnectionError as exc:
                error = exc
            finally:
                self._dns_host = host
        raise error


class GuardedHTTPConnection(GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(GuardedConnectionMixin, HTTPSConnection):
    pass


def guarded_pools(allow_private: bool) -> dict:
    """Pool classes whose connections are checked as above (allow_private: for tests' loopback servers)."""
    http = type("GuardedHTTPPool", (HTTPConnectionPool,), {})
    https = type("GuardedHTTPSPool", (HTTPSConnectionPool,), {})
    http.ConnectionCls = type("Connection", (GuardedHTTPConnection,), {"allow_private": allow_private})
    https.ConnectionCls = type("Connection", (GuardedHTTPSConnection,), {"allow_private": allow_private})
    return {"http": http, "https": https}


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    body: bytes
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 5 * 1024 * 1024,
    etag: str = "",
    last_modified: str = "",
    retries: int = 0,
    backoff: float = 0.5,
    allow_private: bool | None = None,
) -> Fetched:
    """GET `url` conditionally; raise FetchError for errors, over-size bodies and timeouts.

    `timeout` bounds the wait for the response, then the reading of its body, so a server that
    trickles bytes cannot hold the caller. `retries` retries connection errors and transient statuses
    inside the call, waiting `backoff` * 2**n seconds; read timeouts are not retried here (each already
    cost `timeout`). A host, or a redirect's host, that resolves to a non-public address is refused
    (RefusedAddress) unless `allow_private` (default: settings.NEWS_ALLOW_PRIVATE_ADDRESSES).
    """
    if allow_private is None:
        allow_private = settings.NEWS_ALLOW_PRIVATE_ADDRESSES
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    retry = urllib3.Retry(
        total=None,  # each kind counts on its own: redirects are not failures
        connect=retries,
        read=0,
        status=retries,
        other=0,
        redirect=5,
        status_forcelist=TRANSIENT_STATUSES,
        backoff_factor=backoff,
        backoff_max=30,
        respect_retry_after_header=False,  # a server's Retry-After must not stall a worker
        raise_on_status=False,
    )
    http = urllib3.PoolManager(retries=retry, timeout=urllib3.Timeout(total=timeout))
    http.pool_classes_by_scheme = guarded_pools(allow_private)
    try:
        response = http.request("GET", url, headers=headers, preload_content=False, decode_content=True)
    except urllib3.exceptions.MaxRetryError as exc:
        if isinstance(exc.reason, urllib3.exceptions.ResponseError):  # a redirect loop
            raise PermanentFetchError(f"{url}: {describe(exc)}") from exc
        raise TransientFetchError(f"{url}: {describe(exc)}") from exc
    except (
        urllib3.exceptions.TimeoutError,
        urllib3.exceptions.ProtocolError,
        urllib3.exceptions.NewConnectionError,
    ) as exc:
        raise TransientFetchError(f"{url}: {describe(exc)}") from exc
    except urllib3.exceptions.HTTPError as exc:
        raise PermanentFetchError(f"{url}: {describe(exc)}") from exc
    try:
        if response.status == 304:
            return Fetched(url, 304, b"", etag=etag, last_modified=last_modified)
        if response.status in TRANSIENT_STATUSES or response.status >= 500:
            raise TransientFetchError(f"{url}: HTTP {response.status}")
        if response.status >= 400:
            raise PermanentFetchError(f"{url}: HTTP {response.status}")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and "Content-Encoding" not in response.headers and int(declared) > max_bytes:
            raise PermanentFetchError(f"{url}: {int(declared):,} bytes, larger than {max_bytes:,} bytes")
        body = bytearray()
        deadline = time.monotonic() + timeout
        try:
            # Decompressed size counts, so a compression bomb stops at the cap.
            for chunk in response.stream(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise PermanentFetchError(f"{url}: larger than {max_bytes:,} bytes")
                if time.monotonic() > deadline:
                    raise TransientFetchError(f"{url}: body not received within {timeout:g} s")
        except (urllib3.exceptions.TimeoutError, urllib3.exceptions.ProtocolError) as exc:
            raise TransientFetchError(f"{url}: {describe(exc)}") from exc
        except urllib3.exceptions.DecodeError as exc:
            raise PermanentFetchError(f"{url}: undecodable body: {exc}") from exc
        return Fetched(
            url=final_url(url, response),
            status=response.status,
            body=bytes(body),
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
        )
    finally:
        response.release_conn()


def final_url(url: str, response) -> str:
    """The URL the body came from, after redirects (urllib3 gives only the last path)."""
    for step in response.retries.history if response.retries else ():
        if step.redirect_location:
            url = urljoin(url, step.redirect_location)
    return url


def describe(exc: Exception) -> str:
    """A one-line reason: the innermost cause of a MaxRetryError, not its wrapper."""
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, urllib3.exceptions.TimeoutError | TimeoutError):
        return f"timed out ({type(reason).__name__})"
    return f"{type(reason).__name__}: {reason}"
