"""One rule for the Europe-wide programmes beside a country: the map filtered to a country, the country's
page and the API's `europe_wide=true&covers=` list the same ones, in the page's currency."""

import pytest

from investments.models import Investment
from tests.factories import InvestmentFactory, country

pytestmark = pytest.mark.django_db


def programme_refs(response):
    return sorted(inv.ref for inv in response.context["programmes"])


@pytest.fixture
def programmes(loaded):
    spain_too = InvestmentFactory(
        ref="T-EU-ES-DE", country=None, title="Programme for Spain and Germany", amount_usd=1_080_000_000
    )
    spain_too.countries.set([country("ES"), country("DE")])
    elsewhere = InvestmentFactory(ref="T-EU-PL", country=None, title="Programme for Poland")
    elsewhere.countries.set([country("PL")])
    return spain_too, elsewhere


def test_map_filtered_to_a_country_lists_the_programmes_its_page_lists(client, programmes):
    on_map = programme_refs(client.get("/?country=ES"))
    on_page = programme_refs(client.get("/countries/ES/"))
    api = client.get("/api/v1/investments/?europe_wide=true&covers=ES&page_size=500").json()
    assert on_map == on_page == sorted(row["ref"] for row in api["results"])
    assert "T-EU-ES-DE" in on_map and "T-EU-PL" not in on_map


def test_programmes_follow_the_other_filters_too(client, programmes):
    assert "T-EU-ES-DE" not in programme_refs(client.get("/?country=ES&category=research"))
    assert "T-EU-ES-DE" not in programme_refs(client.get("/countries/ES/?category=research"))


def test_without_a_country_the_map_lists_every_programme(client, programmes):
    expected = sorted(Investment.objects.filter(country__isnull=True).values_list("ref", flat=True))
    response = client.get("/?page_size=500")
    assert response.context["programme_count"] == len(expected)


def test_country_page_shows_programmes_in_the_chosen_currency(client, programmes):
    html = client.get("/countries/ES/?currency=USD").content.decode()
    section = html.split('id="programmes-heading"', 1)[1].split("</section>", 1)[0]
    assert " USD" in section and " EUR" not in section


def test_covers_counts_hosted_records_and_covering_programmes(client, programmes):
    hosted = set(Investment.objects.filter(country__iso2="ES").values_list("ref", flat=True))
    api = client.get("/api/v1/investments/?covers=ES&page_size=500").json()
    assert {row["ref"] for row in api["results"]} == hosted | {"T-EU-ES-DE"}
