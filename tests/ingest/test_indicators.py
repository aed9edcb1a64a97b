"""Population and GDP (issue 18): data/indicators.csv, its load with the dataset, and its refresh from
Eurostat's JSON-stat API, read from samples stored in tests/fixtures/eurostat."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingest import indicators
from ingest.dataset_pipeline import DatasetRefused, ingest_dataset
from ingest.fetch import Fetched, TransientFetchError
from ingest.models import IngestRun
from ingest.parsers.indicators import (
    COLUMNS,
    USD_COLUMNS,
    Indicators,
    IndicatorsRefused,
    parse_indicators_csv,
    parse_jsonstat,
    write_indicators_csv,
)
from investments.europe import EUROPEAN_COUNTRIES
from investments.models import Country

SAMPLES = Path(__file__).parents[1] / "fixtures" / "eurostat"
REPO_DATA = Path(__file__).parents[2] / "data"
HEADER = ",".join(COLUMNS)
USD_HEADER = ",".join(COLUMNS + USD_COLUMNS)
SOURCE = "https://ec.europa.eu/eurostat/databrowser/view/demo_pjan/default/table"
WORLD_BANK_GDP = "https://data.worldbank.org/indicator/NY.GDP.MKTP.CD?locations=GB"


def test_jsonstat_gives_each_country_its_latest_year_with_a_figure():
    population = parse_jsonstat((SAMPLES / "demo_pjan.json").read_bytes())
    # Austria has no 2024 cell: its 2023 figure stands.
    assert population["AT"] == (2023, Decimal(1010000))
    assert population["LU"] == (2024, Decimal(510000))


def test_jsonstat_reads_eurostat_codes_as_iso_and_skips_aggregates():
    population = parse_jsonstat((SAMPLES / "demo_pjan.json").read_bytes())
    assert population["GR"] == (2024, Decimal(2450000))
    assert "EL" not in population
    assert not any(len(code) != 2 for code in population)


def test_jsonstat_reads_a_value_list_with_nulls_and_index_lists():
    gdp = parse_jsonstat((SAMPLES / "nama_10_gdp.json").read_bytes())
    assert gdp == {"AT": (2023, Decimal("125000.0")), "GB": (2024, Decimal("43500.25"))}


@pytest.mark.parametrize(
    "body",
    [
        b"<html>maintenance</html>",
        b'{"id": ["geo"], "size": [1]}',
        b'{"id":["unit","geo","time"],"size":[2,1,1],"dimension":{},"value":{}}',
    ],
)
def test_jsonstat_refuses_what_it_cannot_read_one_value_per_cell_from(body):
    with pytest.raises(IndicatorsRefused):
        parse_jsonstat(body)


def test_indicators_csv_refuses_a_figure_without_its_year_or_source():
    data = f"{HEADER}\nES,48610500,,{SOURCE},,,\n".encode()
    with pytest.raises(IndicatorsRefused, match=r"indicators.csv:2: population: a figure needs its year"):
        parse_indicators_csv(data)


def test_indicators_csv_refuses_unknown_countries_and_bad_numbers():
    data = f"{HEADER}\nUS,1,2024,{SOURCE},,,\nES,many,2024,{SOURCE},,,\n".encode()
    with pytest.raises(IndicatorsRefused) as refused:
        parse_indicators_csv(data, known=frozenset(EUROPEAN_COUNTRIES))
    assert any("'US' is not a country the tracker covers" in e for e in refused.value.errors)
    assert any("population: 'many' is not a whole number" in e for e in refused.value.errors)


def test_a_dollar_gdp_is_converted_to_euros_at_the_rate_beside_it():
    # A GDP left empty in euros is computed; one given is checked against the conversion.
    data = (
        f"{USD_HEADER}\n"
        f"GB,,,,,2024,{WORLD_BANK_GDP},3686033044482.13,1.0824\n"
        f"UA,,,,176220678506,2024,{WORLD_BANK_GDP},190741262414.705,1.0824\n"
    ).encode()
    britain, ukraine = parse_indicators_csv(data)
    assert britain.gdp_eur == Decimal("3405425946491")
    assert (britain.gdp_usd, britain.usd_per_eur) == (Decimal("3686033044482.13"), Decimal("1.0824"))
    assert ukraine.gdp_eur == Decimal("176220678506")


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ("3405425946491,2024,{src},3686033044482.13,", "gdp_usd and usd_per_eur go together"),
        (",2024,{src},,1.0824", "gdp_usd and usd_per_eur go together"),
        (
            "3405425946491,2024,{src},3686033044482.13,1.08",
            "gdp_eur: 3405425946491 is not gdp_usd / usd_per_eur",
        ),
        (",2024,{src},3686033044482.13,one", "usd_per_eur: 'one' is not a number"),
        (",2024,{src},3686033044482.13,0", "gdp_usd and usd_per_eur must be above zero"),
        (",,,3686033044482.13,1.0824", "gdp_eur: a figure needs its year and its source"),
    ],
)
def test_a_dollar_gdp_needs_its_rate_and_must_agree_with_its_euro_figure(cells, error):
    data = f"{USD_HEADER}\nGB,,,,{cells.format(src=WORLD_BANK_GDP)}\n".encode()
    with pytest.raises(IndicatorsRefused) as refused:
        parse_indicators_csv(data)
    assert any(error in e for e in refused.value.errors), refused.value.errors


def test_indicators_csv_round_trips_through_the_writer():
    rows = [
        Indicators("ES", 48610500, 2024, SOURCE, Decimal("1500000000000"), 2023, SOURCE),
        Indicators("AD"),
        Indicators(
            "GB",
            gdp_eur=Decimal("3405425946491"),
            gdp_year=2024,
            gdp_source=WORLD_BANK_GDP,
            gdp_usd=Decimal("3686033044482.13"),
            usd_per_eur=Decimal("1.0824"),
        ),
    ]
    assert parse_indicators_csv(write_indicators_csv(rows).encode()) == sorted(rows, key=lambda r: r.iso2)


def test_the_bundled_file_has_one_valid_row_for_every_country_the_tracker_covers():
    rows = parse_indicators_csv(
        (REPO_DATA / "indicators.csv").read_bytes(), known=frozenset(EUROPEAN_COUNTRIES)
    )
    assert sorted(row.iso2 for row in rows) == sorted(EUROPEAN_COUNTRIES)
    spain = next(row for row in rows if row.iso2 == "ES")
    assert spain.population and spain.population_year and spain.population_source.startswith("https://")
    for row in rows:
        assert not row.population or row.population_source.startswith("https://"), row.iso2
        assert row.gdp_eur is None or row.gdp_source.startswith("https://"), row.iso2
        # Every dollar figure is the World Bank's, converted at the ECB's average of its year.
        assert row.gdp_usd is None or "NY.GDP.MKTP.CD" in row.gdp_source, row.iso2


@pytest.mark.django_db
def test_the_dataset_ingest_loads_the_indicators_onto_countries(dataset_dir):
    (dataset_dir / "indicators.csv").write_text(
        f"{HEADER}\nES,48610500,2024,{SOURCE},1498324000000,2023,https://example.org/gdp\n"
    )
    run = ingest_dataset(dataset_dir)
    assert run.status == "succeeded", run.errors
    spain = Country.objects.get(iso2="ES")
    assert (spain.population, spain.population_year) == (48610500, 2024)
    assert (spain.gdp_eur, spain.gdp_year) == (Decimal("1498324000000"), 2023)
    assert spain.sources == {"population": SOURCE, "gdp": "https://example.org/gdp"}
    # A country the file leaves out has no figure, so no normalised value.
    assert Country.objects.get(iso2="DE").population is None
    assert run.counts["indicators_updated"] == 1


@pytest.mark.django_db
def test_a_bad_indicators_file_refuses_the_whole_dataset_and_changes_nothing(dataset_dir):
    (dataset_dir / "indicators.csv").write_text(f"{HEADER}\nES,-3,2024,{SOURCE},,,\n")
    with pytest.raises(DatasetRefused, match="population"):
        ingest_dataset(dataset_dir)
    assert IngestRun.objects.get().status == IngestRun.Status.REFUSED
    assert Country.objects.get(iso2="ES").population is None


def fake_get(url, **kwargs):
    name = "demo_pjan.json" if "demo_pjan" in url else "nama_10_gdp.json"
    return Fetched(url=url, status=200, body=(SAMPLES / name).read_bytes())


def test_refresh_rewrites_the_file_from_eurostat_and_keeps_other_figures(tmp_path):
    (tmp_path / "indicators.csv").write_text(
        f"{HEADER}\nXK,1586659,2024,https://data.worldbank.org/indicator/SP.POP.TOTL?locations=XK,,,\n"
    )
    with_population, with_gdp = indicators.refresh_indicators(tmp_path, get=fake_get)
    rows = {row.iso2: row for row in parse_indicators_csv((tmp_path / "indicators.csv").read_bytes())}
    assert sorted(rows) == sorted(EUROPEAN_COUNTRIES)
    assert (rows["AT"].population, rows["AT"].population_year) == (1010000, 2023)
    assert rows["AT"].population_source == indicators.POPULATION_SOURCE
    # Million EUR in the table, EUR in the file.
    assert (rows["GB"].gdp_eur, rows["GB"].gdp_year) == (Decimal("43500250000"), 2024)
    # Kosovo is not in Eurostat's answer: its World Bank figure stays.
    assert rows["XK"].population == 1586659
    assert (with_population, with_gdp) == (4, 2)


def test_refresh_replaces_a_converted_dollar_gdp_with_eurostats_and_drops_the_conversion(tmp_path):
    (tmp_path / "indicators.csv").write_text(
        f"{USD_HEADER}\n"
        f"GB,,,,,2024,{WORLD_BANK_GDP},3686033044482.13,1.0824\n"
        f"UA,,,,,2024,{WORLD_BANK_GDP},190741262414.705,1.0824\n"
    )
    indicators.refresh_indicators(tmp_path, get=fake_get)
    rows = {row.iso2: row for row in parse_indicators_csv((tmp_path / "indicators.csv").read_bytes())}
    assert (rows["GB"].gdp_eur, rows["GB"].gdp_source) == (Decimal("43500250000"), indicators.GDP_SOURCE)
    assert (rows["GB"].gdp_usd, rows["GB"].usd_per_eur) == (None, None)
    # Ukraine is not in Eurostat's answer: its converted World Bank figure stays, with its rate.
    assert (rows["UA"].gdp_eur, rows["UA"].usd_per_eur) == (Decimal("176220678506"), Decimal("1.0824"))


def test_refresh_command_without_network_says_so_and_leaves_the_file(tmp_path, monkeypatch):
    (tmp_path / "indicators.csv").write_text(f"{HEADER}\n")

    def offline(url, **kwargs):
        raise TransientFetchError(f"{url}: connection refused")

    monkeypatch.setattr(indicators, "fetch", offline)
    with pytest.raises(CommandError, match="could not reach Eurostat.*unchanged"):
        call_command("refresh_indicators", str(tmp_path))
    assert (tmp_path / "indicators.csv").read_text() == f"{HEADER}\n"
