"""Export formats of the API: CSV of investments (streamed) and GeoJSON of countries with their totals.

CSV is UTF-8 with a byte-order mark, so that Excel and LibreOffice read accented names right; pandas
(`read_csv`) and Python's csv module (`encoding="utf-8-sig"`) drop the mark. One row per investment;
several values in one cell (sources, covered countries, relations) are joined with " | ". The columns
are declared with the API's fields, in investments.export_fields.
"""

import csv
import io
import re
from decimal import Decimal

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils import encoders

from investments.export_fields import CSV_COLUMNS, Page, bound
from investments.geo import shapes
from investments.rows import read_batches
from investments.stats import NO_TOTALS

BOM = "\ufeff"
# A text cell starting with one of these is a formula to a spreadsheet: prefix it with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# So is a part of one that starts after a delimiter that a spreadsheet may split on instead of the comma
# (semicolons in European locales, tabs), spaces allowed: a quote goes before that trigger too.
FORMULA_INSIDE = re.compile(r"([,;\t] *)(?=[=+\-@\t\r])")


def cell(value, text=False):
    """A CSV cell; `text`: a free-text column (investments.export_fields.Column), whose formula-looking
    starts are neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    string = str(value)
    if text:
        string = FORMULA_INSIDE.sub(r"\1'", string)
        if string.startswith(FORMULA_STARTS):
            return "'" + string
    return string


def csv_rows(queryset):
    """The CSV rows (lists of strings) of `queryset`, in its order: the rows of investments.rows, read in
    batches, each cell read as investments.export_fields declares it."""
    for batch in read_batches(queryset):
        page = Page(batch)
        columns = [(bound(column.read, page), column.text) for column in CSV_COLUMNS]
        for row in batch:
            yield [cell(read(row), text) for read, text in columns]


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
    answered in JSON (see api.http_cache). What reaches render() is written as one row per item."""

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
