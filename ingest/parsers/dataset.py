"""Parse the curated dataset's CSV files into typed records. Pure: bytes in, records and errors out.

Every error names the file, the line, the field and the reason (`investments.csv:12: amount: ...`), so a
curator can fix a pull request without reading code. See data/README.md for the schema.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from investments.choices import (
    Category,
    Confidence,
    DatePrecision,
    FigureSource,
    NotCountedReason,
    Status,
    Tier,
)

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
REQUIRED = {
    "companies": ("slug", "name"),
    "investments": ("id", "company", "title", "category"),
    "announcements": ("investment", "url"),
    "outlets": ("domain", "name", "tier"),
    "overlaps": ("investment", "overlaps", "basis"),
    # The site files (ingest.parsers.sites).
    "sites": ("ref", "name", "country", "latitude", "longitude", "precision", "source_url"),
    "investment_sites": ("investment", "site"),
    "capacities": ("investment", "source_url"),
}

RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
# A host without www., optionally followed by a path prefix for a shared platform (x.com/bradsmi).
DOMAIN = re.compile(r"^(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^/\s?#]+){0,3}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
DATE_FORMS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), DatePrecision.DAY.value),
    (re.compile(r"^\d{4}-\d{2}$"), DatePrecision.MONTH.value),
    (re.compile(r"^\d{4}$"), DatePrecision.YEAR.value),
)
MAX_AMOUNT = Decimal("1e17")  # fits the database's 20 digits with 2 decimals
YEARS = range(1990, 2101)
TRUE_WORDS = {"yes", "true", "1", "y"}
FALSE_WORDS = {"", "no", "false", "0", "n"}
MAX_FIELD = 20_000
# What a blank row holds once its cells are joined with \x1f: separators and whitespace only.
BLANK = "\x1f \t\r\n\x0b\x0c\xa0"


@dataclass(frozen=True, slots=True)
class RowError:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


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


@dataclass
class Parsed:
    records: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Raw key cells (ids, or an announcement's investment ids) of rows refused, so that references to
    # them are not reported a second time as unknown.
    rejected_keys: set[str] = field(default_factory=set)

    def reject(self, values: dict, column: str) -> None:
        self.rejected_keys.update(v.strip() for v in values.get(column, "").split("|") if v.strip())


class FieldError(ValueError):
    pass


def decode(data: bytes, name: str) -> tuple[str | None, RowError | None]:
    """Text of a CSV file, or the error that makes it unreadable."""
    if not data.strip():
        return None, RowError(name, 1, "-", "the file is empty")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, RowError(name, line, "-", "binary data (NUL byte): not a CSV text file")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, RowError(
            name, line, "-", f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        )


@dataclass
class Table:
    """A CSV file held column by column: converting a column with map() is several times faster than
    converting row by row, which matters for 100,000-row files."""

    name: str
    lines: list[int]
    columns: dict[str, list]
    raw: list[str] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)

    def __len__(self):
        return len(self.lines)

    def error(self, parsed: "Parsed", index: int, column: str, reason: str) -> None:
        parsed.errors.append(RowError(self.name, self.lines[index], column, reason))
        self.bad.add(index)

    def convert(self, parsed: "Parsed", converters: dict) -> None:
        """Convert each column; a column with any invalid value is redone row by row to list them all.

        Most columns repeat a few values (company, country, category, currency, dates), so each
        distinct value is converted once; converters are pure and their results immutable.
        """
        for column, convert in converters.items():
            values = self.columns[column]
            try:
                distinct = set(values)
                if len(distinct) * 2 < len(values):
                    converted = {value: convert(value) for value in distinct}
                    self.columns[column] = list(map(converted.__getitem__, values))
                else:
                    self.columns[column] = list(map(convert, values))
                continue
            except FieldError:
                pass
            out = []
            for index, value in enumerate(values):
                try:
                    out.append(convert(value))
                except FieldError as exc:
                    out.append(None)
                    if index not in self.bad:
                        self.error(parsed, index, column, str(exc))
            self.columns[column] = out

    def rows(self, order: tuple[str, ...]):
        """(index, line, values in `order`, raw text) for each row not refused."""
        bad, lines = self.bad, self.lines
        for index, values in enumerate(zip(*(self.columns[c] for c in order), strict=True)):
            if index not in bad:
                yield index, lines[index], values, self.raw[index]


def read_table(data: bytes, name: str, columns: tuple[str, ...], kind: str, parsed: Parsed) -> Table | None:
    """The data rows of a CSV file as a Table; encoding, header and shape problems go to parsed.errors."""
    text, error = decode(data, name)
    if error:
        parsed.errors.append(error)
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
    except csv.Error as exc:
        parsed.errors.append(RowError(name, 1, "-", f"unreadable CSV header: {exc}"))
        return None
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(unknown[:10]))
        if len(set(header)) != len(header):
            parts.append("a column appears twice")
        parts.append("expected: " + ",".join(columns))
        parsed.errors.append(RowError(name, 1, "header", "; ".join(parts)))
        return None
    rows, lines, raw, width = [], [], [], len(header)
    try:
        for row in reader:
            joined = "\x1f".join(row)
            if not joined.strip(BLANK):
                continue
            if len(row) != width:
                parsed.errors.append(
                    RowError(name, reader.line_num, "-", f"{len(row)} fields where the header has {width}")
                )
                continue
            rows.append(row)
            lines.append(reader.line_num)
            raw.append(joined)
    except csv.Error as exc:
        parsed.errors.append(RowError(name, reader.line_num, "-", f"malformed CSV: {exc}"))
        return None
    # Cells are stripped column by column after the transposition: one map() per column instead of
    # a list per row.
    table = Table(
        name,
        lines,
        {c: list(map(str.strip, values)) for c, values in zip(header, zip(*rows, strict=True), strict=True)}
        if rows
        else {c: [] for c in header},
        raw,
    )
    for column, values in table.columns.items():
        if values and max(map(len, values)) > MAX_FIELD:
            for index, value in enumerate(values):
                if len(value) > MAX_FIELD:
                    table.error(parsed, index, column, f"longer than {MAX_FIELD} characters")
    for column in REQUIRED[kind]:
        values = table.columns[column]
        if not all(values):
            for index, value in enumerate(values):
                if not value and index not in table.bad:
                    table.error(parsed, index, column, "required, but empty")
    return table


# --- Field converters: each raises FieldError with a reason a curator understands. -------------


def record_id(value):
    if not RECORD_ID.match(value):
        raise FieldError(f"{value!r} is not a record id (letters, digits, '.', '_', '-'; at most 40)")
    return value


def optional_id(value):
    return record_id(value) if value else ""


def id_list(value):
    if not value:
        return ()
    return tuple(record_id(v.strip()) for v in value.split("|") if v.strip())


def slug(value):
    if not SLUG.match(value):
        raise FieldError(f"{value!r} is not a slug (lowercase letters, digits and hyphens)")
    return value


def optional_slug(value):
    return slug(value) if value else ""


def country_code(value):
    if value and not ISO2.match(value):
        raise FieldError(
            f"{value!r} is not an ISO 3166 alpha-2 code (e.g. ES, DE, GB); leave empty for Europe-wide"
        )
    return value


def country_list(value):
    if not value:
        return ()
    return tuple(country_code(v.strip()) for v in value.split("|") if v.strip())


def currency_code(value):
    if value and not CURRENCY.match(value):
        raise FieldError(f"{value!r} is not an ISO 4217 currency code (e.g. EUR, USD, GBP)")
    return value


def language_code(value):
    if value and not LANGUAGE.match(value):
        raise FieldError(f"{value!r} is not an ISO 639-1 language code (e.g. en, fr)")
    return value


def url(value):
    if not URL.match(value) or len(value) > 1000:
        raise FieldError(f"{value[:80]!r} is not an http(s) URL")
    return value


def amount(value):
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise FieldError(f"{value[:40]!r} is not a number (write 2100000000, not 2.1bn or 2,1)") from None
    if not number.is_finite():
        raise FieldError(f"{value!r} is not a finite number")
    if number < 0:
        raise FieldError(f"{value} is negative")
    if number >= MAX_AMOUNT:
        raise FieldError(f"{value} is implausibly large")
    return number.quantize(Decimal("0.01"))


def dated(value) -> tuple[date | None, str]:
    if not value:
        return None, DatePrecision.DAY.value
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise FieldError(f"{value!r} is not a real date") from None
        if day.year not in YEARS:
            raise FieldError(f"{value!r} is outside {YEARS.start}-{YEARS.stop - 1}")
        return day, DatePrecision.DAY.value
    for pattern, precision in DATE_FORMS:
        if pattern.match(value):
            parts = [int(p) for p in value.split("-")] + [1, 1]
            try:
                day = date(parts[0], parts[1], parts[2])
            except ValueError:
                raise FieldError(f"{value!r} is not a real date") from None
            if day.year not in YEARS:
                raise FieldError(f"{value!r} is outside {YEARS.start}-{YEARS.stop - 1}")
            return day, precision
    raise FieldError(f"{value!r} is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when the day is unknown)")


def full_date(value):
    day, precision = dated(value)
    if day and precision != DatePrecision.DAY:
        raise FieldError(f"{value!r}: give the full date YYYY-MM-DD")
    return day


def year(value):
    if not value:
        return None
    if not value.isdigit() or int(value) not in YEARS:
        raise FieldError(f"{value!r} is not a year between {YEARS.start} and {YEARS.stop - 1}")
    return int(value)


def choice(choices):
    allowed = list(choices.values)
    accepted = frozenset(allowed)

    def convert(value):
        if value not in accepted:
            raise FieldError(f"{value!r} is not one of: {', '.join(v or '(empty)' for v in allowed)}")
        return value

    return convert


def with_default(convert, default):
    default = getattr(default, "value", default)
    return lambda value: convert(value or default)


def flag(value):
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise FieldError(f"{value!r} is not yes/no")


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


# --- The three files: a converter for each column that is not free text ------------------------

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
    table = read_table(data, name, COMPANY_COLUMNS, "companies", parsed)
    if table is None:
        return parsed
    keys = list(table.columns["slug"])
    table.convert(parsed, COMPANY_FIELDS)
    parsed.records = [CompanyRecord(line, *values) for _, line, values, _ in table.rows(COMPANY_COLUMNS)]
    parsed.rejected_keys.update(keys[i] for i in table.bad)
    return parsed


def parse_investments(data: bytes, name: str = "investments.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, INVESTMENT_COLUMNS, "investments", parsed)
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
    table = read_table(data, name, ANNOUNCEMENT_COLUMNS, "announcements", parsed)
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


def parse_plain(data: bytes, name: str, columns, fields, kind: str, record) -> Parsed:
    """A file whose rows need no rule across their columns: read, convert, one record per valid row."""
    parsed = Parsed()
    table = read_table(data, name, columns, kind, parsed)
    if table is None:
        return parsed
    table.convert(parsed, fields)
    parsed.records = [record(line, *values) for _, line, values, _ in table.rows(columns)]
    return parsed


def parse_outlets(data: bytes, name: str = "outlets.csv") -> Parsed:
    return parse_plain(data, name, OUTLET_COLUMNS, OUTLET_FIELDS, "outlets", OutletRecord)


def parse_overlaps(data: bytes, name: str = "overlaps.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, OVERLAP_COLUMNS, "overlaps", parsed)
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
