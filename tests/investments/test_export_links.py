"""Every page's "Download these investments as CSV" link exports exactly the investments the page lists:
its query string's filters and the filter its path fixes (a country's or a company's page)."""

import csv
import html
import io
import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/timeline/",
    "/countries/ES/",
    "/countries/DE/",
    "/companies/microsoft/",
    "/companies/alphabet/",
    "/fr/countries/ES/",
]
QUERIES = ["", "category=datacentre", "status=announced,construction&currency=USD", "page_size=1&page=2"]


def csv_link(page_html: str) -> str:
    return html.unescape(re.search(r'<a href="([^"]+)" data-csv-link', page_html).group(1))


def exported_refs(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["ref"] for row in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("query", QUERIES)
def test_csv_link_exports_the_investments_the_page_lists(client, loaded, path, query):
    page = client.get(f"{path}?{query}")
    assert page.status_code == 200
    table = page.context["table"]
    listed = {investment.ref for investment in table["page"].paginator.object_list}
    exported = exported_refs(client, csv_link(page.content.decode()))
    assert sorted(exported) == sorted(listed)
    assert len(exported) == table["page"].paginator.count


def test_country_page_link_is_not_the_whole_of_europe(client, loaded):
    link = csv_link(client.get("/countries/ES/").content.decode())
    assert "country=ES" in link
    everything = exported_refs(client, "/api/v1/investments/?format=csv")
    assert len(exported_refs(client, link)) < len(everything)
