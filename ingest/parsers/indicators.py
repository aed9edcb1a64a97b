"""Population and GDP per country: data/indicators.csv, and Eurostat's JSON-stat answers that refresh it.

Pure: bytes in, typed records out. data/README.md describes the CSV; a figure left empty means that no
official figure could be verified for the country, and the country then shows no normalised value.
"""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

COLUMNS = (
    "iso2",
    "population",
    "population_year",
    "population_source",
    "gdp_eur",
    "gdp_year",
    "gdp_source",
)
# Eurostat writes Greece as EL and the United Kingdom as UK; the tracker keeps ISO 3166 codes.
EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}


@dataclass(frozen=True)
class Indicators:
    iso2: str
    population: int | None = None
    population_year: int | None = None
    population_source: str = ""
    gdp_eur: Decimal | None = None
    gdp_year: int | None = None
    gdp_source: str = ""


class IndicatorsRefused(ValueError):
    """The indicators file or a JSON-stat answer is invalid; `errors` names each problem."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _whole(text: str, line: int, name: str, errors: list[str]) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        errors.append(f"indicators.csv:{line}: {name}: {text!r} is not a whole number")
        return None
    return int(text)


def parse_indicators_csv(data: bytes, known: frozenset[str] | None = None) -> list[Indicators]:
    """The rows of indicators.csv; raise IndicatorsRefused naming every bad line.

    A figure needs its year and its source: a number nobody can trace is worse than no number.
    """
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or ())]
    if missing:
        raise IndicatorsRefused([f"indicators.csv: missing column(s): {', '.join(missing)}"])
    rows, errors, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        value = {name: (raw.get(name) or "").strip() for name in COLUMNS}
        iso2 = value["iso2"].upper()
        if known is not None and iso2 not in known:
            errors.append(f"indicators.csv:{line}: iso2: {iso2!r} is not a country the tracker covers")
            continue
        if iso2 in seen:
            errors.append(f"indicators.csv:{line}: iso2: {iso2} appears twice")
            continue
        seen.add(iso2)
        population = _whole(value["population"], line, "population", errors)
        population_year = _whole(value["population_year"], line, "population_year", errors)
        gdp_year = _whole(value["gdp_year"], line, "gdp_year", errors)
        gdp = None
        if value["gdp_eur"]:
            try:
                gdp = Decimal(value["gdp_eur"])
            except InvalidOperation:
                errors.append(f"indicators.csv:{line}: gdp_eur: {value['gdp_eur']!r} is not a number")
        if population == 0 or (gdp is not None and gdp <= 0):
            errors.append(f"indicators.csv:{line}: a population or GDP must be above zero")
        for figure, year, source in (
            ("population", population_year, "population_source"),
            ("gdp_eur", gdp_year, "gdp_source"),
        ):
            if value[figure] and (year is None or not value[source]):
                errors.append(f"indicators.csv:{line}: {figure}: a figure needs its year and its source")
        rows.append(
            Indicators(
                iso2=iso2,
                population=population,
                population_year=population_year,
                population_source=value["population_source"] if population else "",
                gdp_eur=gdp,
                gdp_year=gdp_year,
                gdp_source=value["gdp_source"] if gdp is not None else "",
            )
        )
    if errors:
        raise IndicatorsRefused(errors)
    return rows


def write_indicators_csv(rows: list[Indicators]) -> str:
    """indicators.csv's text for `rows`, sorted by country code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: r.iso2):
        writer.writerow(
            [
                row.iso2,
                row.population if row.population is not None else "",
                row.population_year if row.population is not None else "",
                row.population_source,
                row.gdp_eur if row.gdp_eur is not None else "",
                row.gdp_year if row.gdp_eur is not None else "",
                row.gdp_source,
            ]
        )
    return out.getvalue()


def parse_jsonstat(data: bytes) -> dict[str, tuple[int, Decimal]]:
    """iso2 -> (year, value) of the latest year with a figure, from a Eurostat JSON-stat 2.0 dataset.

    The request filters every dimension but `geo` and `time` to one category, so each (geo, time)
    pair holds one value. Values come as a dict keyed by the flat index (row-major over `id`/`size`),
    with missing cells simply absent; a list with nulls is read the same way.
    """
    try:
        body = json.loads(data)
        ids, sizes = body["id"], body["size"]
        dimension = body["dimension"]
        values = body["value"]
    except (ValueError, KeyError, TypeError) as exc:
        raise IndicatorsRefused([f"not a JSON-stat dataset: {exc}"]) from None
    if "geo" not in ids or "time" not in ids:
        raise IndicatorsRefused(["the JSON-stat dataset has no geo or no time dimension"])
    others = [
        name for name, size in zip(ids, sizes, strict=True) if name not in ("geo", "time") and size != 1
    ]
    if others:
        raise IndicatorsRefused([f"more than one category in dimension(s) {', '.join(others)}"])
    if isinstance(values, list):
        values = {str(i): v for i, v in enumerate(values) if v is not None}

    def positions(name):
        index = dimension[name]["category"]["index"]
        # An index may also be a list of codes in their order.
        return {code: i for i, code in enumerate(index)} if isinstance(index, list) else index

    geo, time = positions("geo"), positions("time")
    strides, stride = {}, 1
    for name, size in reversed(list(zip(ids, sizes, strict=True))):
        strides[name] = stride
        stride *= size
    latest: dict[str, tuple[int, Decimal]] = {}
    for geo_code, g in geo.items():
        iso2 = EUROSTAT_TO_ISO.get(geo_code, geo_code)
        if len(iso2) != 2:
            continue  # aggregates: EU27_2020, EA20...
        for year_code, t in time.items():
            value = values.get(str(g * strides["geo"] + t * strides["time"]))
            if value is None or not year_code.isdigit():
                continue
            year = int(year_code)
            if iso2 not in latest or year > latest[iso2][0]:
                latest[iso2] = (year, Decimal(str(value)))
    return latest
