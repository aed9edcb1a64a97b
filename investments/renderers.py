"""Export formats of the API: CSV of investments (streamed) and GeoJSON of countries with their totals.

CSV is UTF-8 with a byte-order mark, so that Excel and LibreOffice read accented names right; pandas
(`read_csv`) and Python's csv module (`encoding="utf-8-sig"`) drop the mark. One row per investment;
several values in one cell (sources, covered countries, relations) are joined with " | ".
"""

import csv
import io
import re
from decimal import Decimal
from itertools import islice

import orjson
from django.db.models import F
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils import encoders

from investments.geo import shapes
from investments.models import Announcement, Investment
from investments.stats import NO_TOTALS

BOM = "\ufeff"
JOIN = " | "
BATCH = 2000
# A text cell starting with one of these is a formula to a spreadsheet: prefix it with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# So is a part of one that starts after a delimiter that a spreadsheet may split on instead of the comma
# (semicolons in European locales, tabs), spaces allowed: a quote goes before that trigger too.
FORMULA_INSIDE = re.compile(r"([,;\t] *)(?=[=+\-@\t\r])")

# (CSV column, value field); value fields are read with values_list() to keep 1M-row exports cheap.
INVESTMENT_COLUMNS = [
    ("ref", "ref"),
    ("title", "title"),
    ("company", "company__slug"),
    ("company_name", "company__name"),
    ("group", "company__parent__slug"),
    ("country", "country__iso2"),
    ("country_name", "country__name"),
    ("place", "place"),
    ("category", "category"),
    ("status", "status"),
    ("amount", "amount"),
    ("currency", "currency"),
    ("amount_eur", "amount_eur"),
    ("amount_usd", "amount_usd"),
    ("fx_rate_eur", "fx_rate_eur"),
    ("fx_rate_usd", "fx_rate_usd"),
    ("fx_date", "fx_date"),
    ("announced_on", "announced_on"),
    ("announced_precision", "announced_precision"),
    ("period_start", "period_start"),
    ("period_end", "period_end"),
    ("part_of", "part_of__ref"),
    ("expands", "expands__ref"),
    ("counted", "is_counted"),
    ("firm", "is_firm"),
    ("not_counted_reason", "not_counted_reason"),
    ("figure_source", "figure_source"),
    ("confidence", "confidence"),
    ("withdrawn", "withdrawn"),
]
# Columns filled per batch from the many-to-many tables.
JOINED_COLUMNS = [
    "europe_wide",
    "countries",
    "supersedes",
    "superseded_by",
    "source_count",
    "source_urls",
    "source_publishers",
    "source_dates",
    "source_tiers",
    "source_amounts",
    "source_currencies",
]
CSV_HEADER = [name for name, _ in INVESTMENT_COLUMNS] + JOINED_COLUMNS
TEXT_COLUMNS = {"title", "company_name", "country_name", "place", "source_publishers"}


def batched(iterable, size):
    # itertools.batched arrives with Python 3.12; the project still supports 3.11.
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def cell(value, column=None):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if column in TEXT_COLUMNS:
        text = FORMULA_INSIDE.sub(r"\1'", text)
        if text.startswith(FORMULA_STARTS):
            return "'" + text
    return text


def grouped(rows):
    """[(key, value), ...] -> {key: [value, ...]}, keeping the order of the rows."""
    groups = {}
    for key, value in rows:
        groups.setdefault(key, []).append(value)
    return groups


def related_values(ids):
    """The many-to-many values of a batch of investments, each a {investment id: [...]} dict."""
    countries = Investment.countries.through.objects.filter(investment_id__in=ids).order_by("country__iso2")
    supersedes = Investment.supersedes.through.objects.filter(from_investment_id__in=ids)
    superseded_by = Investment.supersedes.through.objects.filter(to_investment_id__in=ids)
    sources = (
        Announcement.investments.through.objects.filter(investment_id__in=ids)
        .order_by(F("announcement__published_on").asc(nulls_last=True), "announcement__url")
        .values_list(
            "investment_id",
            "announcement__url",
            "announcement__publisher",
            "announcement__published_on",
            "announcement__outlet__tier",
            "announcement__amount",
            "announcement__currency",
        )
    )
    by_investment = grouped((row[0], row[1:]) for row in sources)
    return {
        "countries": grouped(countries.values_list("investment_id", "country__iso2")),
        "supersedes": grouped(
            supersedes.order_by("to_investment__ref").values_list("from_investment_id", "to_investment__ref")
        ),
        "superseded_by": grouped(
            superseded_by.order_by("from_investment__ref").values_list(
                "to_investment_id", "from_investment__ref"
            )
        ),
        "sources": by_investment,
    }


def csv_rows(queryset):
    """The CSV rows (lists of strings) of `queryset`, in its order, read in batches."""
    fields = ["pk", "country_id"] + [field for _, field in INVESTMENT_COLUMNS]
    rows = queryset.with_counted().values_list(*fields).iterator(chunk_size=BATCH)
    for batch in batched(rows, BATCH):
        related = related_values([row[0] for row in batch])
        for pk, country_id, *values in batch:
            sources = related["sources"].get(pk, [])
            yield [
                cell(value, column) for (column, _), value in zip(INVESTMENT_COLUMNS, values, strict=True)
            ] + [
                cell(country_id is None),
                JOIN.join(related["countries"].get(pk, [])),
                JOIN.join(related["supersedes"].get(pk, [])),
                JOIN.join(related["superseded_by"].get(pk, [])),
                str(len(sources)),
                JOIN.join(url for url, *_ in sources),
                cell(JOIN.join(publisher for _, publisher, *_ in sources), "source_publishers"),
                JOIN.join(cell(day) for _, _, day, *_ in sources),
                # "unmatched" for a source no outlet covers yet (a news-queue source before the next ingest).
                JOIN.join(tier or "unmatched" for _, _, _, tier, *_ in sources),
                # Each source's own figure as it gave it, in its own currency (empty: it gave none).
                JOIN.join(cell(amount) for *_, amount, _ in sources),
                JOIN.join(currency for *_, currency in sources),
            ]


def csv_lines(header, rows):
    """Encode rows as CSV text, one chunk per row, the first preceded by the byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


class CSVRenderer(BaseRenderer):
    """text/csv. The investment views stream their rows themselves (see csv_rows); errors are
    answered in JSON (see api.caching). What reaches render() is written as one row per item."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        header = list(rows[0]) if rows else []
        lines = csv_lines(header, ([cell(row.get(key)) for key in header] for row in rows))
        return "".join(lines).encode()


def orjson_default(obj):
    # What orjson has no type for (Decimal, lazy translations, querysets) becomes what DRF makes of it.
    # Decimal first: a page of investments holds hundreds of amounts.
    if type(obj) is Decimal:
        return float(obj)
    return ENCODER.default(obj)


ENCODER = encoders.JSONEncoder()
ORJSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON, encoded by orjson: a 50-row page of investments encodes several times faster.

    The output is the same JSON (compact, UTF-8, dates in ISO 8601 with Z for UTC); a request for
    indented JSON (`Accept: application/json; indent=2`) goes to DRF's encoder.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=orjson_default, option=ORJSON_OPTIONS)


class GeoJSONRenderer(FastJSONRenderer):
    """application/geo+json: a FeatureCollection of countries, each with its shape and totals.

    Properties are flat scalars so that GIS tools (QGIS) read them as plain attribute columns.
    Europe-wide programmes have no shape: their totals ride along as the collection's `europe_wide`.
    """

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, list):
            view = (renderer_context or {}).get("view")
            totals = getattr(view, "totals", None) or {}
            data = {
                "type": "FeatureCollection",
                "features": [feature(country) for country in data],
                "europe_wide": flat_totals(totals.get(None)),
            }
        elif isinstance(data, dict) and "iso2" in data:
            data = feature(data)
        return super().render(data, accepted_media_type, renderer_context)


def flat_totals(totals):
    totals = totals or NO_TOTALS

    def number(value):
        return float(value) if value is not None else None

    return {
        "total_eur": number(totals["total_eur"]),
        "total_usd": number(totals["total_usd"]),
        "firm_eur": number(totals["firm_eur"]),
        "firm_usd": number(totals["firm_usd"]),
        "count": totals["count"],
        "undisclosed": totals["undisclosed"],
        **{f"confidence_{level}": n for level, n in totals["confidence"].items()},
        "top_companies": ", ".join(c["name"] for c in totals["top_companies"]),
    }


def feature(country):
    return {
        "type": "Feature",
        "id": country["iso2"],
        "geometry": shapes().get(country["iso2"]),
        "properties": {
            "iso2": country["iso2"],
            "iso3": country["iso3"],
            "name": country["name"],
            "eu_member": country["eu_member"],
            "url": country.get("url"),
            **flat_totals(country.get("totals")),
        },
    }


class SiteGeoJSONRenderer(FastJSONRenderer):
    """application/geo+json: the sites as a FeatureCollection of Points (RFC 7946: [longitude,
    latitude], WGS 84), with flat scalar properties so that QGIS reads them as attribute columns."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, list):
            data = {"type": "FeatureCollection", "features": [site_feature(site) for site in data]}
        elif isinstance(data, dict) and "ref" in data and "latitude" in data:
            data = site_feature(data)
        return super().render(data, accepted_media_type, renderer_context)


def site_feature(site):
    investments = site["investments"]
    return {
        "type": "Feature",
        "id": site["ref"],
        "geometry": {"type": "Point", "coordinates": [site["longitude"], site["latitude"]]},
        "properties": {
            "ref": site["ref"],
            "name": site["name"],
            "place": site["place"],
            "country": site["country"]["iso2"],
            "precision": site["precision"],
            "source_url": site["source_url"],
            "amount_eur": float(site["amount_eur"] or 0),
            "capacity_mw": None if site["capacity_mw"] is None else float(site["capacity_mw"]),
            "gpus": site["gpus"],
            "company": site["company"],
            "companies": ",".join(site["companies"]),
            "investments": ",".join(i["ref"] for i in investments),
            "statuses": ",".join(dict.fromkeys(i["status"] for i in investments)),
            "page": site["page"],
        },
    }
