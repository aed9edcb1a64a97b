"""Network reads, and nothing else: every request has a timeout, a size cap and a descriptive User-Agent."""

from dataclasses import dataclass

import urllib3

USER_AGENT = "eu-ai-investment-tracker/0.1 (+https://github.com/; open-source research tracker)"


class FetchError(Exception):
    """The resource could not be fetched; `transient` says whether a retry may succeed."""

    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.transient = transient


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
) -> Fetched:
    """GET `url` conditionally; raise FetchError for errors, over-size bodies and timeouts."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    http = urllib3.PoolManager(
        retries=urllib3.Retry(total=0, redirect=5), timeout=urllib3.Timeout(total=timeout)
    )
    try:
        response = http.request("GET", url, headers=headers, preload_content=False, decode_content=True)
    except (
        urllib3.exceptions.TimeoutError,
        urllib3.exceptions.ProtocolError,
        urllib3.exceptions.NewConnectionError,
        urllib3.exceptions.MaxRetryError,
    ) as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}", transient=True) from exc
    try:
        if response.status == 304:
            return Fetched(url, 304, b"", etag=etag, last_modified=last_modified)
        if response.status >= 500 or response.status == 429:
            raise FetchError(f"{url}: HTTP {response.status}", transient=True)
        if response.status >= 400:
            raise FetchError(f"{url}: HTTP {response.status}", transient=False)
        body = bytearray()
        try:
            # Decompressed size counts, so a compression bomb stops at the cap.
            for chunk in response.stream(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"{url}: larger than {max_bytes:,} bytes", transient=False)
        except (urllib3.exceptions.TimeoutError, urllib3.exceptions.ProtocolError) as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}", transient=True) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise FetchError(f"{url}: undecodable body: {exc}", transient=False) from exc
        return Fetched(
            url=url,
            status=response.status,
            body=bytes(body),
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
        )
    finally:
        response.release_conn()
