"""Which outlet a source URL belongs to: the one home of the matching rule of data/outlets.csv.

An outlet's `domain` is a host without `www.`; it covers its subdomains (`microsoft.com` covers
`news.microsoft.com`). On a shared platform it may carry a path prefix (`x.com/bradsmi`,
`linkedin.com/company/microsoft`). Matching ignores case, and the longest matching entry wins.
"""

from urllib.parse import urlsplit

from investments.models import Outlet

# Path segments a platform entry may carry (linkedin.com/company/<name> needs two).
MAX_PATH_SEGMENTS = 3


def host_and_path(url: str) -> tuple[str, list[str]]:
    """The URL's host (lowercase, no `www.`, no port) and its path segments (lowercase)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    segments = [s for s in parts.path.lower().split("/") if s][:MAX_PATH_SEGMENTS]
    return host, segments


def candidates(url: str) -> list[str]:
    """Every outlet domain that could cover `url`, longest first."""
    host, segments = host_and_path(url)
    if not host:
        return []
    labels = host.split(".")
    hosts = [".".join(labels[i:]) for i in range(len(labels) - 1)] or [host]
    keys = []
    for name in hosts:
        keys.extend(f"{name}/{'/'.join(segments[:n])}" for n in range(len(segments), 0, -1))
        keys.append(name)
    return sorted(keys, key=len, reverse=True)


def match(url: str, domains) -> str | None:
    """The entry of `domains` (a set of outlet domains, lowercase) that covers `url`, or None."""
    return next((key for key in candidates(url) if key in domains), None)


def outlet_for(url: str):
    """The stored Outlet covering `url`, or None (for a source added between two ingests of outlets.csv)."""
    keys = candidates(url)
    found = {o.domain: o for o in Outlet.objects.filter(domain__in=keys)}
    return next((found[key] for key in keys if key in found), None)
