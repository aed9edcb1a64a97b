"""Every investment filter, on the API and on the FilterSet the pages use."""

import pytest
from django.http import QueryDict

from investments.filtersets import InvestmentFilterSet
from investments.models import Investment
from tests.api.helpers import COUNTED, refs
from tests.factories import AnnouncementFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/investments/"


def selected(client, query):
    return set(refs(client.get(f"{URL}?{query}&page_size=500")))


def test_no_filter_lists_every_record(client, data):
    assert selected(client, "") == set(data)


def test_country_filter_takes_one_code(client, data):
    assert selected(client, "country=DE") == {"GOOG-DE-01"}


@pytest.mark.parametrize("query", ["country=DE,FR", "country=DE&country=FR", "country=de,fr"])
def test_country_filter_takes_several_codes_comma_separated_or_repeated(client, data, query):
    assert selected(client, query) == {"GOOG-DE-01", "AMZ-FR-01"}


def test_company_filter_takes_one_slug(client, data):
    assert selected(client, "company=aws") == {"AWS-ES-01", "AWS-ES-02"}


@pytest.mark.parametrize("query", ["company=google,aws", "company=google&company=aws"])
def test_company_filter_takes_several_slugs(client, data, query):
    assert selected(client, query) == {"GOOG-DE-01", "AWS-ES-01", "AWS-ES-02"}


def test_parent_company_includes_its_subsidiaries(client, data):
    assert selected(client, "company=alphabet") == {"GOOG-DE-01"}
    assert selected(client, "company=amazon") == {"AMZ-FR-01", "AWS-ES-01", "AWS-ES-02"}


def test_country_and_company_filters_combine(client, data):
    assert selected(client, "country=ES&company=amazon") == {"AWS-ES-01", "AWS-ES-02"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=compute", {"GOOG-DE-01"}),
        ("category=compute,skills", {"GOOG-DE-01", "MS-EU-01"}),
        ("category=compute&category=mixed", {"GOOG-DE-01", "MS-ES-01"}),
        ("status=operational", {"AWS-ES-01", "AMZ-FR-01"}),
        ("status=construction,operational", {"AWS-ES-01", "AWS-ES-02", "AMZ-FR-01"}),
        ("confidence=high", {"MS-ES-01", "AWS-ES-01"}),
        ("confidence=low,high", {"MS-ES-01", "AWS-ES-01", "GOOG-DE-01"}),
        ("figure_source=third_party", {"GOOG-DE-01"}),
        ("figure_source=government,third_party", {"MS-ES-02", "MS-ES-03", "GOOG-DE-01"}),
    ],
)
def test_choice_filters_take_one_or_several_values(client, data, query, expected):
    assert selected(client, query) == expected


def test_announced_after_and_before_include_the_day_itself(client, data):
    assert selected(client, "announced_after=2024-06-14") == {"MS-ES-02", "MS-ES-03", "MS-EU-01"}
    assert selected(client, "announced_before=2021-03-15") == {"AWS-ES-01"}
    assert selected(client, "announced_after=2024-01-01&announced_before=2024-02-19") == {
        "AMZ-FR-01",
        "MS-ES-01",
    }


def test_amount_filters_in_eur(client, data):
    assert selected(client, "min_amount_eur=6000000000") == {"MS-ES-02", "AWS-ES-02"}
    assert selected(client, "max_amount_eur=1200000000") == {"GOOG-DE-01", "AMZ-FR-01"}
    assert selected(client, "min_amount_eur=1950000000&max_amount_eur=2500000000") == {
        "MS-ES-01",
        "MS-ES-03",
        "AWS-ES-01",
    }


def test_amount_filters_in_usd(client, data):
    # MS-ES-01 is 2.1 bn USD (1.95 bn EUR); the others are 1.1 USD per EUR in the fixture.
    assert selected(client, "min_amount_usd=2100000000&max_amount_usd=2100000000") == {"MS-ES-01"}
    assert selected(client, "min_amount_usd=17000000000") == {"AWS-ES-02"}


def test_europe_wide_selects_programmes_without_a_host_country(client, data):
    assert selected(client, "europe_wide=true") == {"MS-EU-01"}
    assert selected(client, "europe_wide=false") == set(data) - {"MS-EU-01"}


def test_single_source_selects_records_with_exactly_one_source(client, data):
    AnnouncementFactory(investments=[data["MS-ES-02"]])  # a second source
    assert selected(client, "single_source=true") == {
        "MS-ES-03",
        "AWS-ES-01",
        "AWS-ES-02",
        "MS-EU-01",
        "AMZ-FR-01",
    }
    # None (GOOG-DE-01) or several (MS-ES-01, MS-ES-02).
    assert selected(client, "single_source=false") == {"GOOG-DE-01", "MS-ES-01", "MS-ES-02"}


def test_counted_selects_the_records_that_count_toward_totals(client, data):
    assert selected(client, "counted=true") == COUNTED
    assert selected(client, "counted=false") == {"MS-ES-03", "AWS-ES-01", "AMZ-FR-01"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skills programme", {"MS-EU-01"}),  # title
        ("HANAU", {"GOOG-DE-01"}),  # place, any case
        ("villamayor", {"MS-ES-02", "MS-ES-03"}),  # a place, and the evidence of the shared source
        ("milliard", {"MS-ES-01"}),  # evidence of a source only
        ("Plan de Aragón", {"MS-ES-02", "MS-ES-03"}),  # title of a source
    ],
)
def test_q_searches_titles_places_and_source_evidence(client, data, text, expected):
    assert selected(client, f"q={text}") == expected


def test_ordering_by_amount_and_date(client, data):
    by_amount = refs(client.get(f"{URL}?ordering=-amount_eur"))
    assert by_amount[:2] == ["AWS-ES-02", "MS-ES-02"]
    assert refs(client.get(f"{URL}?ordering=amount_eur"))[0] == "GOOG-DE-01"
    assert refs(client.get(f"{URL}?ordering=announced_on"))[0] == "AWS-ES-01"
    assert refs(client.get(f"{URL}?ordering=-amount_usd"))[0] == "AWS-ES-02"


def test_default_order_is_newest_first(client, data):
    assert refs(client.get(URL))[0] == "MS-EU-01"


def test_page_size_is_capped_at_500(client, data):
    body = client.get(f"{URL}?page_size=100000").json()
    assert body["count"] == len(data)
    assert len(body["results"]) == len(data)
    assert len(refs(client.get(f"{URL}?page_size=2"))) == 2


def test_pages_follow_each_other(client, data):
    first = refs(client.get(f"{URL}?page_size=3"))
    second = refs(client.get(f"{URL}?page_size=3&page=2"))
    assert len(first) == len(second) == 3
    assert not set(first) & set(second)


def test_filterset_gives_the_same_records_without_the_api(data):
    filterset = InvestmentFilterSet(QueryDict("country=ES&company=amazon"), queryset=Investment.objects.all())
    assert filterset.is_valid()
    assert {i.ref for i in filterset.qs} == {"AWS-ES-01", "AWS-ES-02"}
    invalid = InvestmentFilterSet(QueryDict("country=ZZ"), queryset=Investment.objects.all())
    assert not invalid.is_valid()
    assert "country" in invalid.errors


def test_announcements_filter_by_investment_company_country_and_language(client, data):
    def urls(query):
        response = client.get(f"/api/v1/announcements/?{query}")
        assert response.status_code == 200, response.content
        return {row["url"].rsplit("/", 1)[1] for row in response.json()["results"]}

    assert urls("investment=MS-ES-01") == {"ms-es-pledge", "ms-es-pledge-fr"}
    assert urls("company=amazon") == {"aws-2021", "aws-2024", "amazon-france"}
    assert urls("country=DE,FR") == {"amazon-france"}
    assert urls("language=fr,es") == {"ms-es-pledge-fr", "aragon"}
    assert urls("q=milliard") == {"ms-es-pledge-fr"}
    assert urls("published_after=2024-06-01") == {"aragon", "ms-skills"}


def test_companies_filter_by_parent(client, data):
    body = client.get("/api/v1/companies/?parent=amazon").json()
    assert [row["slug"] for row in body["results"]] == ["aws"]


def test_countries_filter_by_eu_membership(client, data):
    members = client.get("/api/v1/countries/?eu_member=true").json()
    others = client.get("/api/v1/countries/?eu_member=false").json()
    assert len(members) == 27
    assert {"NO", "GB", "CH", "UA", "XK"} <= {row["iso2"] for row in others}


@pytest.mark.parametrize("ordering", [",", ",,", "-", ",-amount_eur"])
def test_empty_ordering_names_order_nothing_instead_of_failing(client, data, ordering):
    response = client.get("/api/v1/investments/", {"ordering": ordering})
    assert response.status_code in (200, 400), response.content[:300]
