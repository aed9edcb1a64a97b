"""/api/v1/stats/: totals that honour every filter and count each investment once."""

import pytest

from investments.models import Country
from investments.versioned_cache import bump
from tests.api.conftest import BN
from tests.factories import InvestmentFactory, country

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/"


def rows(body):
    return {row["key"]: row for row in body["results"]}


def test_by_country_counts_each_investment_once(client, data):
    body = client.get(f"{URL}?by=country").json()
    spain = rows(body)["ES"]
    # MS-ES-03 is a component of MS-ES-02 and AWS-ES-01 is superseded by AWS-ES-02: neither adds.
    assert spain["count"] == 3
    assert spain["total"] == pytest.approx((1.95 + 6.69 + 15.7) * 1e9)
    assert spain["label"] == "Spain"
    # AMZ-FR-01 is a cumulative total, not new money: France has nothing counted.
    assert "FR" not in rows(body)
    assert body["count"] == 5
    assert body["total"] == pytest.approx(sum(row["total"] for row in body["results"]))
    assert body["by"] == "country" and body["currency"] == "EUR"


def test_component_and_superseded_records_do_not_add_to_totals(client, data):
    before = client.get(f"{URL}?by=country").json()
    InvestmentFactory(ref="PART", country=country("ES"), amount=5 * BN, part_of=data["AWS-ES-02"])
    old = InvestmentFactory(ref="OLD", country=country("ES"), amount=7 * BN)
    data["AWS-ES-02"].supersedes.add(old)
    bump()  # what an ingest does after changing the data: responses cached before are not served
    after = client.get(f"{URL}?by=country").json()
    assert rows(after)["ES"] == rows(before)["ES"]


def test_europe_wide_programmes_come_as_key_null(client, data):
    europe = rows(client.get(f"{URL}?by=country").json())[None]
    assert europe["label"] == "Europe-wide"
    assert europe["count"] == 1
    assert europe["total"] == 3e9


def test_by_country_gives_up_to_three_top_companies(client, data):
    for slug, amount in (("c1", 1), ("c2", 2), ("c3", 3), ("c4", 4)):
        InvestmentFactory(country=country("DE"), company__slug=slug, amount=amount * BN)
    germany = rows(client.get(f"{URL}?by=country").json())["DE"]
    top = germany["top_companies"]
    assert [c["company"] for c in top] == ["c4", "c3", "c2"]
    assert set(top[0]) == {"company", "name", "total"}
    assert top[0]["total"] == 4e9
    spain = rows(client.get(f"{URL}?by=country").json())["ES"]
    assert [c["company"] for c in spain["top_companies"]] == ["aws", "microsoft"]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("company", {"microsoft": 3, "aws": 1, "google": 1}),
        ("year", {2023: 1, 2024: 4}),
        ("month", {"2023-11": 1, "2024-02": 1, "2024-05": 1, "2024-06": 1, "2024-09": 1}),
        ("category", {"mixed": 1, "datacentre": 2, "compute": 1, "skills": 1}),
    ],
)
def test_other_groupings_count_each_investment_once(client, data, by, expected):
    body = client.get(f"{URL}?by={by}").json()
    assert {row["key"]: row["count"] for row in body["results"]} == expected
    assert all(
        set(row)
        == {
            "key",
            "label",
            "total",
            "total_firm",
            "count",
            "undisclosed",
            "confidence",
            "capacity_mw",
            "gpus",
        }
        for row in body["results"]
    )


def test_labels_are_display_names(client, data):
    assert rows(client.get(f"{URL}?by=company").json())["aws"]["label"] == "Amazon Web Services"
    assert (
        rows(client.get(f"{URL}?by=category").json())["datacentre"]["label"] == "Data centre or cloud region"
    )
    assert rows(client.get(f"{URL}?by=month").json())["2024-02"]["label"] == "February 2024"


def test_totals_in_usd(client, data):
    body = client.get(f"{URL}?by=country&currency=USD").json()
    assert body["currency"] == "USD"
    assert rows(body)["DE"]["total"] == pytest.approx(1.1e9)
    assert rows(body)["ES"]["total"] == pytest.approx(2.1e9 + 6.69e9 * 1.1 + 15.7e9 * 1.1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("company=amazon", {"ES": 1}),
        ("company=alphabet", {"DE": 1}),
        ("country=ES,DE", {"ES": 3, "DE": 1}),
        ("europe_wide=true", {None: 1}),
        ("category=datacentre", {"ES": 2}),
        ("announced_after=2024-05-01", {"ES": 2, None: 1}),
        ("min_amount_eur=5000000000", {"ES": 2}),
        ("confidence=high", {"ES": 1}),
        ("figure_source=government", {"ES": 1}),
        ("single_source=true", {"ES": 2, None: 1}),
        ("counted=false", {}),
        ("q=aragon", {"ES": 2}),
    ],
)
def test_stats_honour_the_filters(client, data, query, expected):
    body = client.get(f"{URL}?by=country&{query}").json()
    assert {row["key"]: row["count"] for row in body["results"]} == expected


def test_stats_function_serves_the_pages_too(data):
    from investments.models import Investment
    from investments.stats import stats

    body = stats(Investment.objects.all(), "country", "EUR")
    assert body["count"] == 5


# --- Normalised by population and GDP (issue 18) ---------------------------------------------------


def with_indicators(iso2, population=None, gdp=None):
    Country.objects.filter(iso2=iso2).update(
        population=population, population_year=2024, gdp_eur=gdp, gdp_year=2023
    )


def test_per_capita_divides_each_country_total_by_its_population(client, data):
    with_indicators("ES", population=48_610_500)
    body = client.get(f"{URL}?by=country&per=capita").json()
    spain = rows(body)["ES"]
    assert body["per"] == "capita"
    assert spain["per_capita"] == pytest.approx(spain["total"] / 48_610_500, abs=0.01)
    assert spain["per_capita_firm"] == pytest.approx(spain["total_firm"] / 48_610_500, abs=0.01)
    assert spain["population"] == 48_610_500


def test_per_capita_is_null_without_a_population_and_for_europe_wide(client, data):
    body = client.get(f"{URL}?by=country&per=capita").json()
    assert rows(body)["ES"]["per_capita"] is None
    assert rows(body)[None]["per_capita"] is None


def test_share_of_gdp_is_a_fraction_of_gdp_in_eur_whatever_the_currency(client, data):
    with_indicators("ES", gdp=1_500_000_000_000)
    eur = rows(client.get(f"{URL}?by=country&per=gdp").json())["ES"]
    usd = rows(client.get(f"{URL}?by=country&per=gdp&currency=USD").json())["ES"]
    assert eur["share_of_gdp"] == pytest.approx(eur["total"] / 1.5e12, rel=1e-4)
    assert usd["share_of_gdp"] == eur["share_of_gdp"]
    assert usd["share_of_gdp_firm"] == eur["share_of_gdp_firm"]
    assert "per_capita" not in eur


def test_per_with_another_grouping_is_a_400_naming_per(client, data):
    response = client.get(f"{URL}?by=company&per=capita")
    assert response.status_code == 400
    assert "per" in response.json()


def test_an_unknown_per_is_a_400_naming_per(client, data):
    response = client.get(f"{URL}?by=country&per=household")
    assert response.status_code == 400
    assert "per" in response.json()


def test_per_capita_columns_come_in_the_csv(client, data):
    with_indicators("ES", population=48_610_500)
    text = client.get(f"{URL}?by=country&per=capita&format=csv").content.decode()
    header, *lines = text.splitlines()
    assert "per_capita" in header.split(",") and "population" in header.split(",")
    assert any(line.startswith("ES,") and "48610500" in line for line in lines)
