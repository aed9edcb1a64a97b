"""/api/v1/sites/ (JSON and GeoJSON), its filters, the MW and GPU sums of /api/v1/stats/, the pages."""

import pytest

from investments.models import Investment, Site
from investments.sites import summarize, with_investments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


def refs(response):
    assert response.status_code == 200, response.content
    return sorted(site["ref"] for site in response.json())


def site(ref):
    return with_investments(Site.objects.all()).get(ref=ref)


def test_list_holds_every_site_with_its_point_and_investments_oldest_first(loaded_sites, client):
    response = client.get("/api/v1/sites/")
    assert refs(response) == ["t-hamina", "t-villamayor", "t-zaragoza-aws", "t-zaragoza-ms"]
    aws = next(s for s in response.json() if s["ref"] == "t-zaragoza-aws")
    assert (aws["latitude"], aws["longitude"], aws["precision"]) == (41.65606, -0.87734, "town")
    assert [i["ref"] for i in aws["investments"]] == ["T-AWS-ES-01", "T-AWS-ES-02"]
    assert aws["page"] == "/sites/t-zaragoza-aws/"


def test_a_site_adds_the_counted_money_of_its_own_records_and_not_shared_ones(loaded_sites):
    # T-AWS-ES-01 is superseded by T-AWS-ES-02: only the latter adds; both are at this site alone.
    aws = summarize(site("t-zaragoza-aws"))
    assert aws["amount_eur"] == Investment.objects.get(ref="T-AWS-ES-02").amount_eur
    assert (aws["capacity_mw"], aws["gpus"], aws["company"]) == (300, 5000, "aws")
    # T-MS-ES-02 covers two sites: listed at both, added to neither; T-MS-ES-03 is a component.
    for ref in ("t-villamayor", "t-zaragoza-ms"):
        assert summarize(site(ref))["amount_eur"] == 0
    # Capacity is not money: the cumulative (not counted) Hamina record still sizes its site.
    assert summarize(site("t-hamina"))["capacity_mw"] == 100


def test_detail_marks_shared_records_and_carries_capacity_as_given(loaded_sites, client):
    body = client.get("/api/v1/sites/t-villamayor/").json()
    shared = {i["ref"]: i["shared"] for i in body["investments"]}
    assert shared == {"T-MS-ES-02": True, "T-MS-ES-03": False}
    ms = next(i for i in body["investments"] if i["ref"] == "T-MS-ES-02")
    assert (ms["gpus"], ms["gpus_as_given"], ms["gpus_source"]) == (
        1000,
        "1 000 GPU",
        "https://example.org/ms-gpus",
    )
    assert client.get("/api/v1/sites/t-nowhere/").status_code == 404


@pytest.mark.parametrize(
    "query, expected",
    [
        ("country=FI", ["t-hamina"]),
        ("country=es", ["t-villamayor", "t-zaragoza-aws", "t-zaragoza-ms"]),
        ("company=amazon", ["t-zaragoza-aws"]),  # a group includes its brands
        ("company=microsoft&status=operational", []),
        ("status=construction", ["t-zaragoza-aws"]),
        ("announced_after=2024-06-01", ["t-villamayor", "t-zaragoza-ms"]),
        ("counted=true&country=ES", ["t-villamayor", "t-zaragoza-aws", "t-zaragoza-ms"]),
        ("category=skills", []),
        ("q=hamina", ["t-hamina"]),
    ],
)
def test_filters_select_sites_through_their_investments(loaded_sites, client, query, expected):
    assert refs(client.get(f"/api/v1/sites/?{query}")) == expected


def test_investment_filters_hold_on_one_and_the_same_investment(loaded_sites, client):
    # Google has an operational record (Hamina) but none announced: no site has one that is both.
    assert refs(client.get("/api/v1/sites/?company=microsoft&status=announced")) == [
        "t-villamayor",
        "t-zaragoza-ms",
    ]
    assert refs(client.get("/api/v1/sites/?company=google&status=announced")) == []


@pytest.mark.parametrize("query", ["country=QQ", "company=nobody", "status=dreaming", "announced_after=soon"])
def test_unknown_filter_values_are_a_400_naming_the_parameter(loaded_sites, client, query):
    response = client.get(f"/api/v1/sites/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_geojson_is_a_feature_collection_of_points_in_longitude_latitude_order(loaded_sites, client):
    response = client.get("/api/v1/sites/?format=geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    features = {f["id"]: f for f in body["features"]}
    assert len(features) == Site.objects.count()
    hamina = features["t-hamina"]
    assert hamina["type"] == "Feature"
    assert hamina["geometry"] == {"type": "Point", "coordinates": [27.19794, 60.56974]}
    # Flat scalars only, so that QGIS reads them as attribute columns.
    assert all(not isinstance(v, dict | list) for f in features.values() for v in f["properties"].values())
    assert features["t-zaragoza-aws"]["properties"]["investments"] == "T-AWS-ES-01,T-AWS-ES-02"
    one = client.get("/api/v1/sites/t-hamina/?format=geojson").json()
    assert one["type"] == "Feature" and one["geometry"]["coordinates"] == [27.19794, 60.56974]


def test_geojson_errors_are_answered_in_json(loaded_sites, client):
    response = client.get("/api/v1/sites/?format=geojson&country=QQ")
    assert response.status_code == 400
    assert "country" in response.json()


@pytest.mark.parametrize("by", ["country", "company", "year", "month", "category"])
def test_stats_rows_sum_the_mw_and_gpus_of_counted_records(loaded_sites, client, by):
    body = client.get(f"/api/v1/stats/?by={by}").json()
    rows = body["results"]
    assert all("capacity_mw" in row and "gpus" in row for row in rows)
    # Counted: T-AWS-ES-02 (300 MW, 5,000 GPUs) and T-MS-ES-02 (1,000 GPUs); the Hamina record is
    # cumulative, so its 100 MW stay out.
    assert sum(row["capacity_mw"] for row in rows) == 300
    assert sum(row["gpus"] for row in rows) == 6000


def test_stats_by_company_gives_each_company_its_own_sums(loaded_sites, client):
    rows = {row["key"]: row for row in client.get("/api/v1/stats/?by=company").json()["results"]}
    assert (rows["aws"]["capacity_mw"], rows["aws"]["gpus"]) == (300, 5000)
    assert (rows["microsoft"]["capacity_mw"], rows["microsoft"]["gpus"]) == (0, 1000)


def test_site_page_lists_its_investments_and_the_record_page_links_to_its_sites(loaded_sites, client):
    page = client.get("/sites/t-zaragoza-aws/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("T-AWS-ES-01") < html.index("T-AWS-ES-02")
    assert "300 MW" in html
    record = client.get("/investments/T-AWS-ES-02/").content.decode()
    assert 'href="/sites/t-zaragoza-aws/"' in record
    assert "5,000 GPUs" in record and "https://example.org/aws-gpus" in record
    assert client.get("/sites/t-nowhere/").status_code == 404


def test_map_page_offers_the_layer_and_size_switches(loaded_sites, client):
    html = client.get("/").content.decode()
    assert 'name="layer" value="sites"' in html and 'name="site_size" value="mw"' in html
    assert "js/sites" in html


def test_admin_lists_and_opens_sites(loaded_sites, admin_client):
    assert admin_client.get("/admin/investments/site/?q=hamina").status_code == 200
    site_id = Site.objects.get(ref="t-hamina").pk
    page = admin_client.get(f"/admin/investments/site/{site_id}/change/")
    assert page.status_code == 200 and "T-GO-FI-01" in page.content.decode()


def test_the_list_costs_the_same_few_queries_whatever_the_number_of_sites(
    loaded_sites, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/sites/").json()) == 4
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/sites/?format=geojson&company=microsoft").json()["features"]) == 2
