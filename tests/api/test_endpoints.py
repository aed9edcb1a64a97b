"""What each endpoint says: lists and details by their natural keys."""

import pytest

from tests.api.helpers import refs

pytestmark = pytest.mark.django_db


def test_investment_detail_by_ref_carries_amounts_relations_and_sources(client, data):
    body = client.get("/api/v1/investments/MS-ES-01/").json()
    assert body["company"] == {"slug": "microsoft", "name": "Microsoft", "parent": None}
    assert body["country"] == {"iso2": "ES", "name": "Spain"}
    assert body["europe_wide"] is False
    assert (body["amount"], body["currency"]) == (2100000000, "USD")
    assert (body["amount_eur"], body["amount_usd"]) == (1950000000, 2100000000)
    assert body["fx_rate_eur"] == pytest.approx(0.9285714286)
    assert body["fx_date"] == "2024-02-19"
    assert body["counted"] is True
    assert body["firm"] is False  # two sources, but of one major outlet
    assert body["withdrawn"] is False
    assert [source["url"] for source in body["sources"]] == [
        "https://example.org/ms-es-pledge",
        "https://example.org/ms-es-pledge-fr",
    ]
    first = body["sources"][0]
    assert first | {"id": None} == {
        "id": None,
        "url": "https://example.org/ms-es-pledge",
        "publisher": "Example Wire",
        "outlet": "example.org",
        "tier": "major",
        "date": "2024-02-19",
        "language": "en",
        "title": "Microsoft pledge in Spain",
        "announced_by": "",
        "evidence": "Microsoft will invest $2.1 billion over two years.",
        "amount": 2100000000,
        "currency": "USD",
        "amount_eur": 1940000000,
        "discrepancy": False,  # the record's own USD figure (its EUR conversion, 1.94 bn, is another date's)
    }


def test_source_disagreeing_by_more_than_five_percent_is_flagged(client, data):
    component = client.get("/api/v1/investments/MS-ES-03/").json()
    # The Aragon article gives the whole plan (6.69 bn), not the 2.2 bn campus.
    assert component["sources"][0]["discrepancy"] is True
    whole = client.get("/api/v1/investments/MS-ES-02/").json()
    assert whole["sources"][0]["discrepancy"] is False


def test_source_without_a_figure_has_no_discrepancy_flag(client, data):
    from tests.factories import AnnouncementFactory

    AnnouncementFactory(investments=[data["GOOG-DE-01"]])
    assert client.get("/api/v1/investments/GOOG-DE-01/").json()["sources"][0]["discrepancy"] is None


def test_investment_relations_name_the_other_records(client, data):
    component = client.get("/api/v1/investments/MS-ES-03/").json()
    assert component["part_of"] == "MS-ES-02"
    assert component["counted"] is False
    revised = client.get("/api/v1/investments/AWS-ES-02/").json()
    assert revised["supersedes"] == ["AWS-ES-01"]
    first = client.get("/api/v1/investments/AWS-ES-01/").json()
    assert first["superseded_by"] == ["AWS-ES-02"]
    assert first["counted"] is False
    assert client.get("/api/v1/investments/AMZ-FR-01/").json()["not_counted_reason"] == "cumulative"


def test_europe_wide_programme_lists_the_countries_it_covers(client, data):
    body = client.get("/api/v1/investments/MS-EU-01/").json()
    assert body["country"] is None
    assert body["europe_wide"] is True
    assert body["countries"] == ["DE", "ES", "FR"]


def test_investment_list_rows_match_the_detail(client, data):
    listed = {row["ref"]: row for row in client.get("/api/v1/investments/").json()["results"]}
    for ref in ("MS-ES-01", "MS-ES-03", "AWS-ES-02", "MS-EU-01"):
        assert listed[ref] == client.get(f"/api/v1/investments/{ref}/").json()


def test_unknown_record_is_404(client, data):
    assert client.get("/api/v1/investments/NOPE-1/").status_code == 404


def test_company_detail_by_slug_lists_its_brands(client, data):
    body = client.get("/api/v1/companies/alphabet/").json()
    assert body["subsidiaries"] == ["google"]
    assert client.get("/api/v1/companies/google/").json()["parent"] == "alphabet"


def test_country_detail_by_iso_code_carries_names_and_totals(client, data):
    body = client.get("/api/v1/countries/ES/").json()
    assert body["iso3"] == "ESP"
    assert body["names"]["es"] == "España"
    assert body["totals"]["count"] == 3  # MS-ES-01, MS-ES-02, AWS-ES-02
    assert body["totals"]["total_eur"] == pytest.approx((1.95 + 6.69 + 15.7) * 1e9)
    assert client.get("/api/v1/countries/ZZ/").status_code == 404


def test_country_list_holds_every_seeded_country_unpaginated(client, data):
    body = client.get("/api/v1/countries/").json()
    assert isinstance(body, list)
    assert len(body) == 45


def test_country_totals_honour_the_investment_filters(client, data):
    spain = client.get("/api/v1/countries/ES/?company=microsoft").json()
    assert spain["totals"]["count"] == 2
    assert [c["company"] for c in spain["totals"]["top_companies"]] == ["microsoft"]


def test_announcement_detail_by_id_lists_its_investments(client, data):
    listed = client.get("/api/v1/announcements/?investment=MS-ES-02").json()["results"]
    body = client.get(f"/api/v1/announcements/{listed[0]['id']}/").json()
    assert body["investments"] == ["MS-ES-02", "MS-ES-03"]
    assert body["amount_eur"] == 6690000000


def test_api_root_lists_the_public_endpoints(client, data):
    body = client.get("/api/v1/").json()
    assert set(body) == {"companies", "countries", "investments", "announcements", "sites", "stats"}


def test_list_query_count_does_not_grow_with_the_page(client, data, django_assert_max_num_queries):
    # Two of them read data_as_of, once per data version.
    with django_assert_max_num_queries(14):
        assert len(refs(client.get("/api/v1/investments/?page_size=500"))) == len(data)


@pytest.mark.parametrize("ref", ["MS-ES-01", "MS-ES-03", "AWS-ES-01", "MS-EU-01", "GOOG-DE-01"])
def test_fast_rows_say_what_the_declared_serializer_says(data, ref):
    """investments.export_fields reads the records from the rows for speed; the DRF fields built from it
    for the schema, rendered by DRF from the model, must give the same document, field by field."""
    import json

    from rest_framework import serializers as drf
    from rest_framework.renderers import JSONRenderer
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from investments.api.serializers import InvestmentSerializer
    from investments.models import Investment

    request = Request(APIRequestFactory().get("/api/v1/investments/"))
    instance = Investment.objects.with_counted().get(ref=ref)
    serializer = InvestmentSerializer(instance, context={"request": request})
    declared = json.loads(JSONRenderer().render(drf.ModelSerializer.to_representation(serializer, instance)))
    built = json.loads(JSONRenderer().render(serializer.data))
    for source in built["sources"] + declared["sources"]:
        source.pop("discrepancy")  # needs the record, which only the row reader hands over
    declared["countries"].sort()  # the records order them; the plain relation has no order
    assert built == declared
