"""The exported fields of an investment, declared once: the API's records, their OpenAPI schema
(investments.api.serializers builds InvestmentSerializer from FIELDS) and the CSV export's columns
(investments.renderers) all follow from this list, and so do the columns investments.rows reads.

Each field has its name (the API's key), its type (TYPES), a description (the schema's and the API
guide's), how its value is read from a row of investments.rows (a column read as stored, or a function
of the Page and the row), and its CSV columns: by default one column of the field's name holding the
API value; none for a field the CSV leaves out; several for a field the CSV flattens (a company is its
slug, name and group). The order of FIELDS is the CSV's (and the API's key order).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from investments import directory
from investments.models import Investment
from investments.provenance import figure_differs

# Several values in one CSV cell (covered countries, relations, sources) are joined with this.
JOIN = " | "

# The types a field may have. MODEL: as the Investment field of the same name (its length, choices,
# digits); the others are described in investments.api.serializers.
MODEL = "model"
TYPES = {MODEL, "boolean", "url", "company", "country", "countries", "record", "records", "sources"}

# The related rows investments.rows folds into each row: sources, covered countries, supersession links.
FOLDED_COLUMNS = ["folded_sources", "folded_countries", "folded_supersedes", "folded_superseded_by"]
# A source of an investment as investments.rows reads it (the announcement's values, then its outlet's),
# in the order of the tuples in a row's folded_sources.
SOURCE_COLUMNS = [
    "announcement_id",
    "announcement__url",
    "announcement__publisher",
    "announcement__published_on",
    "announcement__language",
    "announcement__title",
    "announcement__announced_by",
    "announcement__evidence",
    "announcement__amount",
    "announcement__currency",
    "announcement__amount_eur",
    # The source's outlet (investments.outlets): its domain and tier.
    "announcement__outlet__domain",
    "announcement__outlet__tier",
]


class Page:
    """What the rows of one page (or export batch) are rendered with, looked up once for the page, not
    per row: countries and companies (from memory, investments.directory), the record URL, the time zone.

    `url` is a record's URL with "REF" in place of its id (one reverse() for the page)."""

    def __init__(self, rows, url=None):
        known = directory.tables()
        named = {c for row in rows for c in (row["country_id"], *row["folded_countries"]) if c is not None}
        # Reloaded if the rows name a country or company not yet known there (added without a new data
        # version).
        if (
            any(row["company_id"] not in known.companies for row in rows)
            or not named <= known.countries.keys()
        ):
            known = directory.tables(reload=True)
        companies = known.companies
        self.iso2 = {pk: iso2 for pk, (iso2, _) in known.countries.items()}
        self.countries = {
            pk: {"iso2": known.countries[pk][0], "name": known.countries[pk][1]} for pk in named
        }
        self.companies = {
            pk: {"slug": slug, "name": name, "parent": companies[parent][0] if parent else None}
            for pk, (slug, name, parent) in companies.items()
        }
        self.prefix, self.suffix = url.rsplit("REF", 1) if url else ("", "")
        # A context-local read: once per page.
        self.zone = timezone.get_current_timezone()


@dataclass(frozen=True)
class Column:
    """A CSV column: its header, how its value is read (as a Field's), and whether it is free text, whose
    formula-looking starts the CSV neutralises (investments.renderers.cell)."""

    name: str
    read: str | Callable[[Page, dict], Any]
    text: bool = False


@dataclass(frozen=True)
class Field:
    """An exported field (see the module's docstring); a bad declaration fails at import."""

    name: str
    type: str
    description: str
    # A column of the row, read as stored, or a function of the page and the row.
    read: str | Callable[[Page, dict], Any]
    # The row's columns it reads (investments.rows reads their union); for a boolean the model lacks
    # (counted), the first is the annotation the schema's serializer reads instead (is_counted).
    reads: tuple[str, ...]
    csv: tuple[Column, ...]

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")
        if self.type == MODEL:
            Investment._meta.get_field(self.name)  # FieldDoesNotExist: not a model field


def day(value):
    return value.isoformat() if value is not None else None


def moment(value, zone=None):
    # As DRF writes a DateTimeField: in the current time zone, UTC as Z.
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def field(name, description, type=MODEL, *, read=None, reads=None, csv=True, text=False):
    """A field; `read` defaults to the row's column of the same name, read as stored; `csv` to one column
    holding the API value (False: no column)."""
    reads = reads or (name,)
    read = read or reads[0]
    if csv is True:
        csv = (Column(name, read, text),)
    return Field(name, type, description, read, tuple(reads), tuple(csv or ()))


def linked(name, description):
    """A supersession link: the ids of the records at its other end, sorted (one cell, joined, in CSV)."""
    column = f"folded_{name}"

    def read(page, row):
        return sorted(row[column])

    return field(
        name,
        description,
        "records",
        read=read,
        reads=(column,),
        csv=(Column(name, lambda page, row: JOIN.join(read(page, row))),),
    )


def dated(name, description):
    def read(page, row):
        return day(row[name])

    return field(name, description, read=read)


def source(values, row):
    """A source (SOURCE_COLUMNS' values) as the API gives it, with whether its figure differs from the
    record's (`row`)."""
    pk, url, publisher, published_on, language, title, announced_by, evidence, amount, currency, eur = values[
        :11
    ]
    outlet, tier = values[11:]
    return {
        "id": pk,
        "url": url,
        "publisher": publisher,
        "outlet": outlet,
        "tier": tier,
        "date": day(published_on),
        "language": language,
        "title": title,
        "announced_by": announced_by,
        "evidence": evidence,
        "amount": amount,
        "currency": currency,
        "amount_eur": eur,
        "discrepancy": figure_differs(
            amount, currency, eur, row["amount"], row["currency"], row["amount_eur"]
        ),
    }


def joined(values):
    return JOIN.join("" if value is None else str(value) for value in values)


def sources_column(name, position, text=False, each=None):
    """A CSV column of one value of every source, joined."""

    def read(page, row):
        values = (values[position] for values in row["folded_sources"])
        return joined(map(each, values) if each else values)

    return Column(name, read, text)


FIELDS = (
    field("ref", "The record id, stable across versions of the dataset (e.g. MS-ES-01)."),
    field(
        "url",
        "This record in the API.",
        "url",
        read=lambda page, row: page.prefix + quote(row["ref"], safe="") + page.suffix,
        reads=("ref",),
        csv=False,
    ),
    field("title", "What was announced, in a line.", text=True),
    field(
        "company",
        "The company that invests: its slug, name and group (the group's slug; null when it has none).",
        "company",
        read=lambda page, row: page.companies[row["company_id"]],
        reads=("company_id",),
        csv=(
            Column("company", lambda page, row: page.companies[row["company_id"]]["slug"]),
            Column("company_name", lambda page, row: page.companies[row["company_id"]]["name"], text=True),
            Column("group", lambda page, row: page.companies[row["company_id"]]["parent"]),
        ),
    ),
    field(
        "country",
        "Host country; null for Europe-wide programmes.",
        "country",
        read=lambda page, row: page.countries.get(row["country_id"]),
        reads=("country_id",),
        csv=(
            Column("country", lambda page, row: page.iso2.get(row["country_id"])),
            Column(
                "country_name",
                lambda page, row: page.countries[row["country_id"]]["name"] if row["country_id"] else None,
                text=True,
            ),
        ),
    ),
    field("place", "City or region.", text=True),
    field("category", "What the money is for."),
    field("status", "How far the project has gone."),
    field("amount", "The amount as announced, in `currency`; null when undisclosed."),
    field("currency", "ISO 4217 code of `amount`."),
    field("amount_eur", "The amount in euros, at the ECB reference rate of `fx_date` (investments.money)."),
    field("amount_usd", "The amount in US dollars, at the same ECB reference rate."),
    field("fx_rate_eur", "EUR for one unit of `currency`."),
    field("fx_rate_usd", "USD for one unit of `currency`."),
    dated("fx_date", "The date of the ECB reference rate used."),
    dated("announced_on", "When it was announced (the first day of the month or year when less precise)."),
    field("announced_precision", "How precisely `announced_on` is known: day, month or year."),
    field("period_start", "First year of the spending period, when announced."),
    field("period_end", "Last year of the spending period, when announced."),
    field(
        "part_of",
        "The whole this record is a component of; null when it is not a component.",
        "record",
        reads=("part_of__ref",),
    ),
    field(
        "expands",
        "The record this one adds new money to; null when it expands none.",
        "record",
        reads=("expands__ref",),
    ),
    field(
        "counted",
        "Whether the record counts toward the headline totals (not a component, not superseded, new money "
        "within scope, not withdrawn, not cancelled).",
        "boolean",
        reads=("is_counted",),
    ),
    field(
        "firm",
        "Whether the record enters the firm figure: counted, high or medium confidence, and backed by a "
        "primary source or by major sources of two different outlets (its documented overlaps are then "
        "taken off in the firm totals).",
        "boolean",
        reads=("is_firm",),
    ),
    field(
        "not_counted_reason",
        "Why a record that is neither a component nor superseded stays out of the totals (cumulative, "
        "third-party money, duplicate, out of scope, unconfirmed); empty when no such reason applies.",
    ),
    field("figure_source", "Who gave the figure: the company, a government or a third party."),
    field("confidence", "How sure the record is: high, medium or low."),
    field("withdrawn", "Withdrawn from the record: listed, never counted."),
    field("notes", "Curator's notes.", csv=False),
    field(
        "europe_wide",
        "True when the record has no single host country.",
        "boolean",
        read=lambda page, row: row["country_id"] is None,
        reads=("country_id",),
    ),
    field(
        "countries",
        "Countries a multi-country programme covers (ISO alpha-2).",
        "countries",
        read=lambda page, row: sorted(page.iso2[c] for c in row["folded_countries"]),
        reads=("folded_countries",),
        csv=(
            Column(
                "countries",
                lambda page, row: JOIN.join(sorted(page.iso2[c] for c in row["folded_countries"])),
            ),
        ),
    ),
    linked("supersedes", "Records this one revises or consolidates."),
    linked("superseded_by", "Records that revise this one."),
    field(
        "sources",
        "The articles, releases and filings that report the record, oldest first, each with the figure "
        "it gave.",
        "sources",
        read=lambda page, row: [source(values, row) for values in row["folded_sources"]],
        reads=("folded_sources", "amount", "currency", "amount_eur"),
        csv=(
            Column("source_count", lambda page, row: len(row["folded_sources"])),
            sources_column("source_urls", 1),
            sources_column("source_publishers", 2, text=True),
            sources_column("source_dates", 3),
            # "unmatched" for a source no outlet covers yet (a news-queue source before the next ingest).
            sources_column("source_tiers", 12, each=lambda tier: tier or "unmatched"),
            # Each source's own figure as it gave it, in its own currency (empty: it gave none).
            sources_column("source_amounts", 8),
            sources_column("source_currencies", 9),
        ),
    ),
    field(
        "updated",
        "When the record last changed.",
        read=lambda page, row: moment(row["updated"], page.zone),
        csv=False,
    ),
)

# What investments.rows reads of each investment: its id and every column a field reads.
COLUMNS = ["pk", *dict.fromkeys(name for f in FIELDS for name in f.reads if name not in FOLDED_COLUMNS)]
CSV_COLUMNS = [column for f in FIELDS for column in f.csv]
CSV_HEADER = [column.name for column in CSV_COLUMNS]
NAMES = [f.name for f in FIELDS]


def bound(read, page):
    """`read` (a Field's or a Column's) as a function of a row alone, for one page: rendering a value then
    costs one call, a C one for a column read as stored, as the hand-written records did."""
    return itemgetter(read) if isinstance(read, str) else partial(read, page)


def records(rows, page):
    """The API's records of `rows` (investments.rows), in their order."""
    readers = [(f.name, bound(f.read, page)) for f in FIELDS]
    return [{name: read(row) for name, read in readers} for row in rows]
