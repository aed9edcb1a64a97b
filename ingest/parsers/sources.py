"""data/sources.csv: the declared news feeds, bytes in, typed records out (pure).

Columns: name, kind (rss, atom or html), url, language (ISO 639-1 or empty), enabled (yes/no),
poll_minutes (at least 5).
"""

import csv
import io
from dataclasses import dataclass
from urllib.parse import urlsplit

KINDS = ("rss", "atom", "html")
COLUMNS = ("name", "kind", "url", "language", "enabled", "poll_minutes")
YES, NO = {"yes", "true", "1"}, {"no", "false", "0"}
MIN_POLL_MINUTES = 5


class SourcesRefused(ValueError):
    """The file is invalid; `errors` lists every problem as file:line: field: reason."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s): " + "; ".join(errors[:3]))


@dataclass(frozen=True)
class SourceRecord:
    name: str
    kind: str
    url: str
    language: str
    enabled: bool
    poll_minutes: int


def parse_sources(data: bytes, filename: str = "sources.csv") -> list[SourceRecord]:
    """Every row of the sources file; raise SourcesRefused listing every invalid field."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise SourcesRefused([f"{filename}:1: missing column(s): {', '.join(missing)}"])
    records, errors, names, urls = [], [], set(), set()
    for line, row in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in row.items() if key}

        def error(field, reason, line=line):
            errors.append(f"{filename}:{line}: {field}: {reason}")

        if not row["name"]:
            error("name", "empty")
        elif row["name"] in names:
            error("name", f"{row['name']!r} listed twice")
        if row["kind"] not in KINDS:
            error("kind", f"{row['kind']!r} is not one of {', '.join(KINDS)}")
        parts = urlsplit(row["url"])
        if parts.scheme not in ("http", "https") or not parts.hostname:
            error("url", f"{row['url']!r} is not an http(s) URL")
        elif row["url"] in urls:
            error("url", f"{row['url']!r} listed twice")
        language = row["language"].lower()
        if language and not (len(language) == 2 and language.isalpha()):
            error("language", f"{row['language']!r} is not an ISO 639-1 code")
        enabled = row["enabled"].lower()
        if enabled not in YES | NO:
            error("enabled", f"{row['enabled']!r} is not yes or no")
        minutes = int(row["poll_minutes"]) if row["poll_minutes"].isdigit() else 0
        if minutes < MIN_POLL_MINUTES:
            error(
                "poll_minutes",
                f"{row['poll_minutes']!r} is not a whole number of at least {MIN_POLL_MINUTES}",
            )
        names.add(row["name"])
        urls.add(row["url"])
        records.append(SourceRecord(row["name"], row["kind"], row["url"], language, enabled in YES, minutes))
    if errors:
        raise SourcesRefused(errors)
    return records
