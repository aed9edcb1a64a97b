"""Network reads, and nothing else: every request has a timeout, a size cap and a descriptive User-Agent.

Errors come in two kinds, so that callers retry only what a retry can cure: TransientFetchError
(timeouts, refused connections, 429 and 5xx) and PermanentFetchError (other 4xx, over-size or
undecodable bodies). Both are FetchError.
"""

import time
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3

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
) -> Fetched:
    """GET `url` conditionally; raise FetchError for errors, over-size bodies and timeouts.

    `timeout` bounds the wait for the response, then the reading of its body, so a server that
    trickles bytes cannot hold the caller. `retries` retries connection errors and transient statuses
    inside the call, waiting `backoff` * 2**n seconds; read timeouts are not retried here (each already
    cost `timeout`).
    """
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
