"""The curated dataset's schema: the columns of each CSV file, the columns that may not be empty, the
reader of each column, the typed record of a row and the rules across one row's fields. Pure: bytes in,
records and errors out.

Reading a file and the readers of field formats (ids, codes, amounts, dates, choices, yes/no) are in
ingest.parsers.csv_fields; every error names the file, the line, the field and the reason
(`investments.csv:12: amount: ...`). See data/README.md for the schema.
"""

import re
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ingest.parsers.csv_fields import (
    FieldError,
    Parsed,
    amount,
    choice,
    country_code,
    country_list,
    currency_code,
    dated,
    flag,
    full_date,
    id_list,
    language_code,
    optional_id,
    optional_slug,
    parse_plain,
    read_table,
    record_id,
    slug,
    url,
    with_default,
    year,
)
from investments.choices import (
    Category,
    Confidence,
    FigureSource,
    NotCountedReason,
    Status,
    Tier,
)

# The header of each file, in order (the database columns a load writes are ingest.load's
# INVESTMENT_DB_COLUMNS and ANNOUNCEMENT_DB_COLUMNS).
COMPANY_COLUMNS = ("slug", "name", "parent", "aliases", "website", "hq_country")
INVESTMENT_COLUMNS = (
    "id",
    "company",
    "country",
    "countries",
    "place",
    "title",
    "category",
    "status",
    "amount",
    "currency",
    "announced_on",
    "period_start",
    "period_end",
    "part_of",
    "supersedes",
    "expands",
    "figure_source",
    "not_counted_reason",
    "confidence",
    "withdrawn",
    "notes",
)
ANNOUNCEMENT_COLUMNS = (
    "investment",
    "url",
    "publisher",
    "language",
    "published_on",
    "title",
    "announced_by",
    "amount",
    "currency",
    "evidence",
)
OUTLET_COLUMNS = ("domain", "name", "tier", "country", "language")
OVERLAP_COLUMNS = ("investment", "overlaps", "amount", "currency", "basis")
# The cells a row may not leave empty.
REQUIRED = {
    "companies": ("slug", "name"),
    "investments": ("id", "company", "title", "category"),
    "announcements": ("investment", "url"),
    "outlets": ("domain", "name", "tier"),
    "overlaps": ("investment", "overlaps", "basis"),
}

# A host without www., optionally followed by a path prefix for a shared platform (x.com/bradsmi).
DOMAIN = re.compile(r"^(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^/\s?#]+){0,3}$")


class CompanyRecord(NamedTuple):
    line: int
    slug: str
    name: str
    parent: str
    aliases: tuple[str, ...]
    website: str
    hq_country: str


class InvestmentRecord(NamedTuple):
    line: int
    ref: str
    company: str
    country: str
    countries: tuple[str, ...]
    place: str
    title: str
    category: str
    status: str
    amount: Decimal | None
    currency: str
    announced_on: date | None
    announced_precision: str
    period_start: int | None
    period_end: int | None
    part_of: str
    supersedes: tuple[str, ...]
    expands: str
    figure_source: str
    not_counted_reason: str
    confidence: str
    withdrawn: bool
    notes: str
    raw: str  # the row's cells as written: what the loader's change digest is computed from


class AnnouncementRecord(NamedTuple):
    line: int
    investments: tuple[str, ...]
    url: str
    publisher: str
    language: str
    published_on: date | None
    title: str
    announced_by: str
    amount: Decimal | None
    currency: str
    evidence: str
    raw: str


class OutletRecord(NamedTuple):
    line: int
    domain: str
    name: str
    tier: str
    country: str
    language: str


class OverlapRecord(NamedTuple):
    line: int
    investment: str
    overlaps: str
    amount: Decimal | None
    currency: str
    basis: str


# --- Readers of formats only this schema has ----------------------------------------------------


def outlet_domain(value):
    lowered = value.lower()
    if not DOMAIN.match(lowered):
        raise FieldError(
            f"{value[:80]!r} is not an outlet domain: a host without www. (reuters.com), optionally with a "
            "path prefix for a shared platform (x.com/bradsmi)"
        )
    return lowered


def alias_list(value):
    if not value:
        return ()
    return tuple(v.strip() for v in value.split("|") if v.strip())


# --- The five files: a reader for each column that is not free text -------------------------

COMPANY_FIELDS = {
    "slug": slug,
    "parent": optional_slug,
    "aliases": alias_list,
    "hq_country": country_code,
}
INVESTMENT_FIELDS = {
    "id": record_id,
    "company": slug,
    "country": country_code,
    "countries": country_list,
    "category": choice(Category),
    "status": with_default(choice(Status), Status.ANNOUNCED),
    "amount": amount,
    "currency": currency_code,
    "announced_on": dated,
    "period_start": year,
    "period_end": year,
    "part_of": optional_id,
    "supersedes": id_list,
    "expands": optional_id,
    "figure_source": with_default(choice(FigureSource), FigureSource.COMPANY),
    "not_counted_reason": choice(NotCountedReason),
    "confidence": with_default(choice(Confidence), Confidence.MEDIUM),
    "withdrawn": flag,
}
ANNOUNCEMENT_FIELDS = {
    "investment": id_list,
    "url": url,
    "language": language_code,
    "published_on": full_date,
    "amount": amount,
    "currency": currency_code,
}

OUTLET_FIELDS = {
    "domain": outlet_domain,
    "tier": choice(Tier),
    "country": country_code,
    "language": language_code,
}
OVERLAP_FIELDS = {
    "investment": record_id,
    "overlaps": record_id,
    "amount": amount,
    "currency": currency_code,
}


def parse_companies(data: bytes, name: str = "companies.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, COMPANY_COLUMNS, REQUIRED["companies"], parsed)
    if table is None:
        return parsed
    keys = list(table.columns["slug"])
    table.convert(parsed, COMPANY_FIELDS)
    parsed.records = [CompanyRecord(line, *values) for _, line, values, _ in table.rows(COMPANY_COLUMNS)]
    parsed.rejected_keys.update(keys[i] for i in table.bad)
    return parsed


def parse_investments(data: bytes, name: str = "investments.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, INVESTMENT_COLUMNS, REQUIRED["investments"], parsed)
    if table is None:
        return parsed
    keys = list(table.columns["id"])
    table.convert(parsed, INVESTMENT_FIELDS)
    records = []
    for index, line, v, raw in table.rows(INVESTMENT_COLUMNS):
        (announced_on, precision) = v[10]
        record = InvestmentRecord(line, *v[:10], announced_on, precision, *v[11:], raw)
        problems = row_rules(record)
        if problems:
            for column, reason in problems:
                table.error(parsed, index, column, reason)
            continue
        records.append(record)
    parsed.records = records
    parsed.rejected_keys.update(keys[i] for i in table.bad)
    return parsed


def row_rules(r: "InvestmentRecord") -> list[tuple[str, str]]:
    """Rules that tie several fields of one investment row together."""
    problems = []
    if (r.amount is None) != (not r.currency):
        problems.append(("currency", "give both amount and currency, or neither (undisclosed)"))
    if r.amount is not None and r.announced_on is None:
        problems.append(("announced_on", "required with an amount: the currency rate depends on it"))
    if r.period_start and r.period_end and r.period_end < r.period_start:
        problems.append(("period_end", f"{r.period_end} is before period_start {r.period_start}"))
    for column in ("part_of", "expands"):
        if getattr(r, column) == r.ref:
            problems.append((column, "a record cannot refer to itself"))
    if r.ref in r.supersedes:
        problems.append(("supersedes", "a record cannot supersede itself"))
    return problems


def parse_announcements(data: bytes, name: str = "announcements.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, ANNOUNCEMENT_COLUMNS, REQUIRED["announcements"], parsed)
    if table is None:
        return parsed
    keys = list(table.columns["investment"])
    table.convert(parsed, ANNOUNCEMENT_FIELDS)
    records = []
    for index, line, v, raw in table.rows(ANNOUNCEMENT_COLUMNS):
        record = AnnouncementRecord(line, *v, raw)
        if (record.amount is None) != (not record.currency):
            table.error(parsed, index, "currency", "give both amount and currency, or neither")
            continue
        records.append(record)
    parsed.records = records
    for index in table.bad:
        parsed.reject({"investment": keys[index]}, "investment")
    return parsed


def parse_outlets(data: bytes, name: str = "outlets.csv") -> Parsed:
    return parse_plain(data, name, OUTLET_COLUMNS, REQUIRED["outlets"], OUTLET_FIELDS, OutletRecord)


def parse_overlaps(data: bytes, name: str = "overlaps.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, OVERLAP_COLUMNS, REQUIRED["overlaps"], parsed)
    if table is None:
        return parsed
    table.convert(parsed, OVERLAP_FIELDS)
    records = []
    for index, line, values, _ in table.rows(OVERLAP_COLUMNS):
        record = OverlapRecord(line, *values)
        if (record.amount is None) != (not record.currency):
            table.error(
                parsed, index, "currency", "give both amount and currency, or neither (a possible overlap)"
            )
        elif record.investment == record.overlaps:
            table.error(parsed, index, "overlaps", "a record cannot overlap itself")
        else:
            records.append(record)
    parsed.records = records
    return parsed
