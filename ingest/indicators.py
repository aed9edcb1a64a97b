"""Population and GDP of each country: load data/indicators.csv onto Country, and refresh the file
from Eurostat (fetch -> parse -> write).

Eurostat's API answers in JSON-stat; the two tables are demo_pjan (population on 1 January) and
nama_10_gdp (GDP at current prices, million EUR). Countries Eurostat does not cover keep the figures
the file already holds (World Bank, cited row by row; a GDP in US dollars with its ECB conversion rate).
"""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ingest.fetch import fetch
from ingest.parsers.indicators import Indicators, parse_indicators_csv, parse_jsonstat, write_indicators_csv
from investments.europe import EUROPEAN_COUNTRIES
from investments.models import Country

FILE_NAME = "indicators.csv"
API = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/"
# Every dimension but geo and time held to one category, so parse_jsonstat reads one value per cell.
POPULATION_URL = API + "demo_pjan?format=JSON&lang=EN&sex=T&age=TOTAL&sinceTimePeriod=2019"
GDP_URL = API + "nama_10_gdp?format=JSON&lang=EN&unit=CP_MEUR&na_item=B1GQ&sinceTimePeriod=2019"
POPULATION_SOURCE = "https://ec.europa.eu/eurostat/databrowser/view/demo_pjan/default/table"
GDP_SOURCE = "https://ec.europa.eu/eurostat/databrowser/view/nama_10_gdp/default/table"
MILLION = Decimal(1_000_000)


def read_indicators(directory: Path) -> list[Indicators] | None:
    """The rows of `directory`/indicators.csv, None when the dataset has no such file."""
    path = Path(directory) / FILE_NAME
    if not path.exists():
        return None
    return parse_indicators_csv(path.read_bytes(), known=frozenset(EUROPEAN_COUNTRIES))


def load_indicators(rows: list[Indicators]) -> dict[str, int]:
    """Set each country's figures from `rows`; a country the file leaves out keeps none."""
    by_code = {row.iso2: row for row in rows}
    changed = 0
    with transaction.atomic():
        for country in Country.objects.select_for_update():
            row = by_code.get(country.iso2, Indicators(country.iso2))
            values = {
                "population": row.population,
                "population_year": row.population_year if row.population is not None else None,
                "gdp_eur": row.gdp_eur,
                "gdp_year": row.gdp_year if row.gdp_eur is not None else None,
                "sources": {
                    name: url
                    for name, url in (("population", row.population_source), ("gdp", row.gdp_source))
                    if url
                },
            }
            if any(getattr(country, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(country, name, value)
                country.save(update_fields=list(values))
                changed += 1
    return {"indicators_updated": changed}


def merge(current: list[Indicators], population: dict, gdp: dict) -> list[Indicators]:
    """The file's rows with Eurostat's latest figures wherever Eurostat has one."""
    rows = {row.iso2: row for row in current}
    for iso2 in EUROPEAN_COUNTRIES:
        row = rows.get(iso2, Indicators(iso2))
        if iso2 in population:
            year, value = population[iso2]
            row = replace(
                row, population=int(value), population_year=year, population_source=POPULATION_SOURCE
            )
        if iso2 in gdp:
            year, value = gdp[iso2]
            # Eurostat's euro figure replaces a converted dollar one, and its conversion with it.
            row = replace(
                row,
                gdp_eur=(value * MILLION).quantize(1),
                gdp_year=year,
                gdp_source=GDP_SOURCE,
                gdp_usd=None,
                usd_per_eur=None,
            )
        rows[iso2] = row
    return [rows[iso2] for iso2 in EUROPEAN_COUNTRIES]


def refresh_indicators(directory: Path, *, get=None) -> tuple[int, int]:
    """Rewrite `directory`/indicators.csv from Eurostat; (countries with a population, with a GDP).

    Nothing is written unless both tables were fetched and parsed. `get` stands in for fetch() in tests.
    """
    get = get or fetch
    population = parse_jsonstat(get(POPULATION_URL, timeout=60, max_bytes=20 * 1024 * 1024).body)
    gdp = parse_jsonstat(get(GDP_URL, timeout=60, max_bytes=20 * 1024 * 1024).body)
    rows = merge(read_indicators(directory) or [], population, gdp)
    (Path(directory) / FILE_NAME).write_text(write_indicators_csv(rows), encoding="utf-8")
    return (
        sum(row.population is not None for row in rows),
        sum(row.gdp_eur is not None for row in rows),
    )
