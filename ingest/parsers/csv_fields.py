"""Reading the dataset's CSV files, and the readers of their field formats. Pure: bytes in, values and
errors out.

`read_table` reads a file whole (encoding, header, row shape, field length, required cells) and holds it
column by column; `Table.convert` runs a reader over each column. Every error names the file, the line,
the field and the reason (`investments.csv:12: amount: ...`), so a curator can fix a pull request without
reading code; a reader raises FieldError with that reason. The files' schemas (their columns, records and
the rules across one row's fields) are in ingest.parsers.dataset and ingest.parsers.sites.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from investments.choices import DatePrecision

RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
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
    """One problem of a file: `investments.csv:12: amount: 'x' is not a number`."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


@dataclass
class Parsed:
    """What parsing a file gives: the records of its valid rows and an error for each refused one."""

    records: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Raw key cells (ids, or an announcement's investment ids) of rows refused, so that references to
    # them are not reported a second time as unknown.
    rejected_keys: set[str] = field(default_factory=set)

    def reject(self, values: dict, column: str) -> None:
        self.rejected_keys.update(v.strip() for v in values.get(column, "").split("|") if v.strip())


class FieldError(ValueError):
    """A cell a reader refuses; its message is the reason a curator reads."""


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


def read_table(
    data: bytes, name: str, columns: tuple[str, ...], required: tuple[str, ...], parsed: Parsed
) -> Table | None:
    """The data rows of a CSV file as a Table; encoding, header and shape problems, and empty cells in
    `required` columns, go to parsed.errors."""
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
    for column in required:
        values = table.columns[column]
        if not all(values):
            for index, value in enumerate(values):
                if not value and index not in table.bad:
                    table.error(parsed, index, column, "required, but empty")
    return table


def parse_plain(data: bytes, name: str, columns, required, fields, record) -> Parsed:
    """A file whose rows need no rule across their columns: read, convert, one record per valid row."""
    parsed = Parsed()
    table = read_table(data, name, columns, required, parsed)
    if table is None:
        return parsed
    table.convert(parsed, fields)
    parsed.records = [record(line, *values) for _, line, values, _ in table.rows(columns)]
    return parsed


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


def read_decimal(value: str, what: str) -> Decimal:
    """`value` as a Decimal, or FieldError saying it is not `what` ("a number of MW (write 1400 for 1.4
    GW)"); the caller checks the range, since "inf" and "NaN" are Decimals too."""
    try:
        return Decimal(value)
    except InvalidOperation:
        raise FieldError(f"{value[:40]!r} is not {what}") from None


def amount(value):
    if not value:
        return None
    number = read_decimal(value, "a number (write 2100000000, not 2.1bn or 2,1)")
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
