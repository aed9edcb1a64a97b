"""Population and GDP per country: data/indicators.csv, and Eurostat's JSON-stat answers that refresh it.

Pure: bytes in, typed records out. data/README.md describes the CSV; a figure left empty means that no
official figure could be verified for the country, and the country then shows no normalised value.
A GDP published in US dollars (the World Bank's) keeps that figure and the USD-per-EUR rate beside its
euro value, so the conversion can be checked line by line.
"""

import csv
import io
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

COLUMNS = (
    "iso2",
    "population",
    "population_year",
    "population_source",
    "gdp_eur",
    "gdp_year",
    "gdp_source",
)
# Optional: a GDP the source published in US dollars, and the ECB's annual average USD-per-EUR rate of
# gdp_year that turns it into gdp_eur. A file without these columns reads as before.
USD_COLUMNS = ("gdp_usd", "usd_per_eur")
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
    gdp_usd: Decimal | None = None
    usd_per_eur: Decimal | None = None


def usd_to_eur(usd: Decimal, usd_per_eur: Decimal) -> Decimal:
    """`usd` in whole euros at `usd_per_eur` dollars to the euro."""
    return (usd / usd_per_eur).quantize(Decimal(1), rounding=ROUND_HALF_UP)


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


def _decimal(text: str, line: int, name: str, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.append(f"indicators.csv:{line}: {name}: {text!r} is not a number")
        return None
    return number


def _gdp_in_eur(
    value: dict, line: int, errors: list[str]
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(gdp_eur, gdp_usd, usd_per_eur) of a row; a dollar GDP must come with its rate and agree with
    the euro figure when both are given, so a converted number can always be traced back."""
    gdp = _decimal(value["gdp_eur"], line, "gdp_eur", errors)
    usd = _decimal(value["gdp_usd"], line, "gdp_usd", errors)
    rate = _decimal(value["usd_per_eur"], line, "usd_per_eur", errors)
    if usd is None and rate is None:
        return gdp, None, None
    if usd is None or rate is None:
        # A value that did not parse was reported above; a missing one is reported here.
        if not value["gdp_usd"] or not value["usd_per_eur"]:
            errors.append(f"indicators.csv:{line}: gdp_usd and usd_per_eur go together")
        return gdp, None, None
    if usd <= 0 or rate <= 0:
        errors.append(f"indicators.csv:{line}: gdp_usd and usd_per_eur must be above zero")
        return gdp, None, None
    converted = usd_to_eur(usd, rate)
    if gdp is not None and gdp != converted:
        errors.append(
            f"indicators.csv:{line}: gdp_eur: {value['gdp_eur']} is not gdp_usd / usd_per_eur ({converted})"
        )
    return converted, usd, rate


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
        value = {name: (raw.get(name) or "").strip() for name in COLUMNS + USD_COLUMNS}
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
        gdp, usd, rate = _gdp_in_eur(value, line, errors)
        if population == 0 or (gdp is not None and gdp <= 0):
            errors.append(f"indicators.csv:{line}: a population or GDP must be above zero")
        for figure, year, source in (
            ("population", population_year, "population_source"),
            ("gdp_eur", gdp_year, "gdp_source"),
        ):
            has_figure = gdp is not None if figure == "gdp_eur" else bool(value[figure])
            if has_figure and (year is None or not value[source]):
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
                gdp_usd=usd,
                usd_per_eur=rate,
            )
        )
    if errors:
        raise IndicatorsRefused(errors)
    return rows


def write_indicators_csv(rows: list[Indicators]) -> str:
    """indicators.csv's text for `rows`, sorted by country code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS + USD_COLUMNS)
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
                row.gdp_usd if row.gdp_usd is not None else "",
                row.usd_per_eur if row.gdp_usd is not None else "",
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
