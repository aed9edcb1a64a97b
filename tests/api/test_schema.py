"""The OpenAPI description and the docs: every filter described, nothing loaded from another host."""

import re
from pathlib import Path

import pytest
import yaml

from investments.filtersets import (
    AnnouncementFilterSet,
    CompanyFilterSet,
    CountryFilterSet,
    InvestmentFilterSet,
)

pytestmark = pytest.mark.django_db
FILTERSETS = {
    "/api/v1/investments/": [InvestmentFilterSet],
    "/api/v1/stats/": [InvestmentFilterSet],
    "/api/v1/countries/": [CountryFilterSet, InvestmentFilterSet],
    "/api/v1/companies/": [CompanyFilterSet],
    "/api/v1/announcements/": [AnnouncementFilterSet],
}
API_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


@pytest.mark.parametrize("path", FILTERSETS)
def test_schema_lists_every_filter_with_a_description(schema, path):
    documented = parameters(schema, path)
    for filterset in FILTERSETS[path]:
        for name in filterset.base_filters:
            assert name in documented, f"{path}: {name} missing"
            assert documented[name].get("description"), f"{path}: {name} has no description"


def test_every_filter_has_a_help_text():
    for filterset in (InvestmentFilterSet, CompanyFilterSet, CountryFilterSet, AnnouncementFilterSet):
        for name, filter_ in filterset.base_filters.items():
            assert filter_.extra.get("help_text"), f"{filterset.__name__}.{name}"


def test_schema_describes_the_stats_parameters_and_response(schema):
    documented = parameters(schema, "/api/v1/stats/")
    assert documented["by"]["schema"]["enum"] == ["country", "company", "year", "month", "category"]
    assert documented["currency"]["schema"]["enum"] == ["EUR", "USD"]
    assert documented["by"]["description"] and documented["currency"]["description"]
    response = schema["paths"]["/api/v1/stats/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert response["schema"]["$ref"].endswith("/Stats")


def test_schema_describes_pagination_and_formats(schema):
    documented = parameters(schema, "/api/v1/investments/")
    assert documented["page"]["description"] and documented["page_size"]["description"]
    assert "csv" in documented["format"]["schema"]["enum"]
    assert "geojson" in parameters(schema, "/api/v1/countries/")["format"]["schema"]["enum"]


def test_schema_leaves_out_the_staff_endpoint(schema):
    assert not [path for path in schema["paths"] if "ingest-runs" in path]


def test_schema_endpoint_serves_openapi_3(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")


def test_docs_page_loads_nothing_from_another_host(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    script = client.get("/api/docs/?script=").content.decode()
    for text in (html, script):
        hosts = set(re.findall(r"https?://([^/\"'\s]+)", text))
        assert hosts <= {"testserver"}, hosts
    assert "swagger-ui" in html
    assert "validatorUrl" in script and "null" in script


def test_api_guide_documents_every_filter():
    guide = API_GUIDE.read_text(encoding="utf-8")
    for filterset in (InvestmentFilterSet, CompanyFilterSet, CountryFilterSet, AnnouncementFilterSet):
        for name in filterset.base_filters:
            assert f"`{name}`" in guide, f"docs/api.md does not mention {name}"
