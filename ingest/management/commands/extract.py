"""`python manage.py extract FILE [FILE...] --published YYYY-MM-DD [--language xx] [--json] [--set-aside]`.

Reads news articles (plain text) and prints the candidate investments they report: one JSON array on
stdout with --json, a table otherwise. With --set-aside, the figures the reading set aside (running
totals, fines, a partner's money) follow, each with its reason. Needs no database: the company catalogue
is data/companies.csv.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.extract import extract_candidates, load_catalogue
from ingest.extract.language import LANGUAGES


def _published(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--published must be YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Extract candidate investments from article text files (no database needed)."
    requires_system_checks = []  # a pure text command: no models, no database

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Article text files (UTF-8).")
        parser.add_argument("--published", required=True, help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--language", choices=LANGUAGES, help="Article language; detected when omitted.")
        parser.add_argument("--json", action="store_true", help="Print one JSON array and nothing else.")
        parser.add_argument(
            "--set-aside",
            action="store_true",
            help="Also print the figures set aside (running totals, fines...), each with its reason.",
        )

    def handle(self, *args, **options):
        published = _published(options["published"])
        catalogue = load_catalogue(Path(settings.BASE_DIR) / "data" / "companies.csv")
        rows = []
        for name in options["files"]:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot read {name}: {error.strerror}") from None
            found = extract_candidates(text, published, options["language"], catalogue, options["set_aside"])
            for candidate in found:
                rows.append({**candidate.as_dict(), "file": name})
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_table(rows))


def _table(rows: list[dict]) -> str:
    if not rows:
        return "no candidate investment found"
    header = ("company", "country", "amount", "currency", "announced", "period", "category", "conf.")
    lines = [
        (
            row["company"],
            row["country"] or "Europe",
            f"{row['amount']:,.0f}",
            row["currency"],
            row["announced_on"] or "-",
            f"{row['period_start'] or ''}-{row['period_end'] or ''}" if row["period_start"] else "-",
            f"set aside: {row['set_aside']}" if row.get("set_aside") else row["category"],
            f"{row['confidence']:.2f}",
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=False)]
    out = ["  ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=False))]
    out.append("  ".join("-" * width for width in widths))
    for row, line in zip(rows, lines, strict=False):
        out.append("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=False)))
        out.append(f"    {row['file']}: {row['evidence'][:150]}")
    return "\n".join(out)
