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

from investments.choices import Category, Confidence, DatePrecision, FigureSource, NotCountedReason, Status

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
REQUIRED = {
    "companies": ("slug", "name"),
    "investments": ("id", "company", "title", "category"),
    "announcements": ("investment", "url"),
}

RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
DATE_FORMS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), DatePrecision.DAY),
    (re.compile(r"^\d{4}-\d{2}$"), DatePrecision.MONTH),
    (re.compile(r"^\d{4}$"), DatePrecision.YEAR),
)
MAX_AMOUNT = Decimal("1e17")  # fits the database's 20 digits with 2 decimals
YEARS = range(1990, 2101)
TRUE_WORDS = {"yes", "true", "1", "y"}
FALSE_WORDS = {"", "no", "false", "0", "n"}
MAX_FIELD = 20_000


@dataclass(frozen=True, slots=True)
class RowError:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class CompanyRecord:
    line: int
    slug: str
    name: str
    parent: str
    aliases: tuple[str, ...]
    website: str
    hq_country: str


@dataclass(frozen=True, slots=True)
class InvestmentRecord:
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


@dataclass(frozen=True, slots=True)
class AnnouncementRecord:
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


def read_rows(data: bytes, name: str, columns: tuple[str, ...], kind: str, parsed: Parsed):
    """Yield (line, row dict) for each data row; header and encoding problems go to parsed.errors."""
    text, error = decode(data, name)
    if error:
        parsed.errors.append(error)
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
    except csv.Error as exc:
        parsed.errors.append(RowError(name, 1, "-", f"unreadable CSV header: {exc}"))
        return
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
        return
    required = REQUIRED[kind]
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                parsed.errors.append(
                    RowError(name, line, "-", f"{len(row)} fields where the header has {len(header)}")
                )
                continue
            values = {column: cell.strip() for column, cell in zip(header, row, strict=True)}
            long = next((c for c, v in values.items() if len(v) > MAX_FIELD), None)
            if long:
                parsed.errors.append(RowError(name, line, long, f"longer than {MAX_FIELD} characters"))
                continue
            empty = [c for c in required if not values[c]]
            if empty:
                for column in empty:
                    parsed.errors.append(RowError(name, line, column, "required, but empty"))
                continue
            yield line, values
    except csv.Error as exc:
        parsed.errors.append(RowError(name, reader.line_num, "-", f"malformed CSV: {exc}"))


def run_fields(name: str, line: int, parsed: Parsed, builders: dict, values: dict) -> dict | None:
    """Apply each field's converter; collect every failing field of the row, not just the first."""
    out, ok = {}, True
    for column, convert in builders.items():
        try:
            out[column] = convert(values[column])
        except FieldError as exc:
            parsed.errors.append(RowError(name, line, column, str(exc)))
            ok = False
    return out if ok else None


# --- Field converters: each raises FieldError with a reason a curator understands. -------------


def text(value):
    return value


def record_id(value):
    if not RECORD_ID.match(value):
        raise FieldError(f"{value!r} is not a record id (letters, digits, '.', '_', '-'; at most 40)")
    return value


def optional_id(value):
    return record_id(value) if value else ""


def id_list(value):
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
        return None, DatePrecision.DAY
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
    allowed = [c for c in choices.values]

    def convert(value):
        if value not in allowed:
            raise FieldError(f"{value!r} is not one of: {', '.join(v or '(empty)' for v in allowed)}")
        return value

    return convert


def with_default(convert, default):
    return lambda value: convert(value or default)


def flag(value):
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise FieldError(f"{value!r} is not yes/no")


def alias_list(value):
    return tuple(v.strip() for v in value.split("|") if v.strip())


# --- The three files ----------------------------------------------------------------------------

COMPANY_FIELDS = {
    "slug": slug,
    "name": text,
    "parent": optional_slug,
    "aliases": alias_list,
    "website": text,
    "hq_country": country_code,
}
INVESTMENT_FIELDS = {
    "id": record_id,
    "company": slug,
    "country": country_code,
    "countries": country_list,
    "place": text,
    "title": text,
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
    "notes": text,
}
ANNOUNCEMENT_FIELDS = {
    "investment": id_list,
    "url": url,
    "publisher": text,
    "language": language_code,
    "published_on": full_date,
    "title": text,
    "announced_by": text,
    "amount": amount,
    "currency": currency_code,
    "evidence": text,
}


def parse_companies(data: bytes, name: str = "companies.csv") -> Parsed:
    parsed = Parsed()
    for line, values in read_rows(data, name, COMPANY_COLUMNS, "companies", parsed):
        v = run_fields(name, line, parsed, COMPANY_FIELDS, values)
        if not v:
            parsed.reject(values, "slug")
        else:
            parsed.records.append(
                CompanyRecord(
                    line, v["slug"], v["name"], v["parent"], v["aliases"], v["website"], v["hq_country"]
                )
            )
    return parsed


def parse_investments(data: bytes, name: str = "investments.csv") -> Parsed:
    parsed = Parsed()
    for line, values in read_rows(data, name, INVESTMENT_COLUMNS, "investments", parsed):
        v = run_fields(name, line, parsed, INVESTMENT_FIELDS, values)
        problems = row_rules(v) if v else []
        for column, reason in problems:
            parsed.errors.append(RowError(name, line, column, reason))
        if not v or problems:
            parsed.reject(values, "id")
            continue
        announced_on, precision = v["announced_on"]
        parsed.records.append(
            InvestmentRecord(
                line=line,
                ref=v["id"],
                company=v["company"],
                country=v["country"],
                countries=v["countries"],
                place=v["place"],
                title=v["title"],
                category=v["category"],
                status=v["status"],
                amount=v["amount"],
                currency=v["currency"],
                announced_on=announced_on,
                announced_precision=precision,
                period_start=v["period_start"],
                period_end=v["period_end"],
                part_of=v["part_of"],
                supersedes=v["supersedes"],
                expands=v["expands"],
                figure_source=v["figure_source"],
                not_counted_reason=v["not_counted_reason"],
                confidence=v["confidence"],
                withdrawn=v["withdrawn"],
                notes=v["notes"],
            )
        )
    return parsed


def row_rules(v: dict) -> list[tuple[str, str]]:
    """Rules that tie several fields of one investment row together."""
    problems = []
    if (v["amount"] is None) != (not v["currency"]):
        problems.append(("currency", "give both amount and currency, or neither (undisclosed)"))
    if v["amount"] is not None and v["announced_on"][0] is None:
        problems.append(("announced_on", "required with an amount: the currency rate depends on it"))
    start, end = v["period_start"], v["period_end"]
    if start and end and end < start:
        problems.append(("period_end", f"{end} is before period_start {start}"))
    for column in ("part_of", "expands"):
        if v[column] == v["id"]:
            problems.append((column, "a record cannot refer to itself"))
    if v["id"] in v["supersedes"]:
        problems.append(("supersedes", "a record cannot supersede itself"))
    return problems


def parse_announcements(data: bytes, name: str = "announcements.csv") -> Parsed:
    parsed = Parsed()
    for line, values in read_rows(data, name, ANNOUNCEMENT_COLUMNS, "announcements", parsed):
        v = run_fields(name, line, parsed, ANNOUNCEMENT_FIELDS, values)
        if v and (v["amount"] is None) != (not v["currency"]):
            parsed.errors.append(
                RowError(name, line, "currency", "give both amount and currency, or neither")
            )
            v = None
        if not v:
            parsed.reject(values, "investment")
            continue
        parsed.records.append(
            AnnouncementRecord(
                line=line,
                investments=v["investment"],
                url=v["url"],
                publisher=v["publisher"],
                language=v["language"],
                published_on=v["published_on"],
                title=v["title"],
                announced_by=v["announced_by"],
                amount=v["amount"],
                currency=v["currency"],
                evidence=v["evidence"],
            )
        )
    return parsed
