"""HTTP behaviour: read-only, ETag and 304, Cache-Control, CORS, throttling, the staff endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import AnonRateThrottle

from investments import versioned_cache
from tests.factories import IngestRunFactory

pytestmark = pytest.mark.django_db
PUBLIC = [
    "/api/v1/investments/",
    "/api/v1/investments/MS-ES-01/",
    "/api/v1/companies/",
    "/api/v1/countries/",
    "/api/v1/announcements/",
    "/api/v1/stats/?by=country",
    "/api/v1/investments/?format=csv",
    "/api/v1/countries/?format=geojson",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_responses_are_cacheable_for_five_minutes(client, data, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"')


@pytest.mark.parametrize("url", PUBLIC)
def test_matching_if_none_match_gets_304(client, data, url):
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert not response.content


def test_304_runs_no_query(client, data):
    etag = client.get("/api/v1/investments/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/investments/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(queries) == 0


def test_etag_changes_after_an_ingest(client, data):
    etag = client.get("/api/v1/investments/")["ETag"]
    versioned_cache.bump()
    response = client.get("/api/v1/investments/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_etag_differs_by_query_and_format(client, data):
    etags = {client.get(url)["ETag"] for url in ("/api/v1/investments/", "/api/v1/investments/?country=ES")}
    etags.add(client.get("/api/v1/investments/", HTTP_ACCEPT="text/csv")["ETag"])
    assert len(etags) == 3


def test_repeated_request_is_served_from_the_cache_until_the_next_ingest(client, data, settings):
    settings.API_CACHE_SECONDS = 60
    first = client.get("/api/v1/stats/?by=country")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/stats/?by=country")
    assert len(queries) == 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"
    data["GOOG-DE-01"].delete()
    versioned_cache.bump()
    after = client.get("/api/v1/stats/?by=country").json()
    assert "DE" not in {row["key"] for row in after["results"]}


def test_page_count_is_kept_per_data_version(client, data, settings):
    settings.API_COUNT_CACHE_SECONDS = 60
    assert client.get("/api/v1/investments/?page_size=2").json()["count"] == len(data)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/investments/?page_size=2&page=2").json()["count"] == len(data)
    # The page query counts within its rows (the firm rule's outlets); the page count is a query of its own.
    assert not [q for q in queries if q["sql"].upper().startswith("SELECT COUNT(")]
    data["GOOG-DE-01"].delete()
    versioned_cache.bump()
    assert client.get("/api/v1/investments/?page_size=2&page=2").json()["count"] == len(data) - 1


def test_cors_header_on_get(client, data):
    response = client.get("/api/v1/investments/", HTTP_ORIGIN="https://someone.example")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v1/investments/", "/api/v1/investments/MS-ES-01/", "/api/v1/stats/"])
def test_api_is_read_only(client, data, method, url):
    assert getattr(client, method)(url, data={}, content_type="application/json").status_code in (403, 405)


def test_api_is_read_only_for_staff_too(admin_client, data):
    assert admin_client.delete("/api/v1/investments/MS-ES-01/").status_code in (403, 405)
    assert admin_client.post("/api/v1/investments/", data={}).status_code in (403, 405)


def test_anonymous_requests_are_throttled(client, data, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/v1/companies/", REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_throttled_answer_says_when_to_come_back_and_other_clients_are_served(client, data, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    for _ in range(2):
        assert client.get("/api/v1/stats/?by=country", REMOTE_ADDR="203.0.113.8").status_code == 200
    refused = client.get("/api/v1/stats/?by=country", REMOTE_ADDR="203.0.113.8")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    assert client.get("/api/v1/stats/?by=country", REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.fixture
def run(db):
    return IngestRunFactory(source="dataset", status="succeeded", counts={"created": 3})


def test_ingest_runs_are_hidden_from_anonymous_users(client, run):
    assert client.get("/api/v1/ingest-runs/").status_code in (403, 404)
    assert client.get(f"/api/v1/ingest-runs/{run.pk}/").status_code in (403, 404)
    assert "ingest-runs" not in client.get("/api/v1/").content.decode()


def test_ingest_runs_are_hidden_from_logged_in_non_staff(client, run, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a-long-test-password"))
    assert client.get("/api/v1/ingest-runs/").status_code in (403, 404)


def test_ingest_runs_are_visible_to_staff_and_never_cached_publicly(admin_client, run):
    response = admin_client.get("/api/v1/ingest-runs/")
    assert response.status_code == 200
    assert response.json()["results"][0]["counts"] == {"created": 3}
    assert response["Cache-Control"] == "private, no-store"
    assert admin_client.get(f"/api/v1/ingest-runs/{run.pk}/").json()["source"] == "dataset"
