"""The country and company pages' charts (static/js/charts.js) and their by-country table."""

import re

import pytest

from tests.investments.test_pages import parse

pytestmark = pytest.mark.django_db


def charts(response):
    return [(attrs["data-chart"], attrs["data-by"]) for tag, attrs in parse(response).tags if "data-by" in attrs]


def scripts(response):
    return [attrs["src"] for tag, attrs in parse(response).tags if tag == "script" and "src" in attrs]


@pytest.mark.parametrize(
    ("path", "other"), [("/countries/ES/", "company"), ("/companies/microsoft/", "country")]
)
def test_country_and_company_pages_chart_by_year_category_and_the_other_dimension(client, loaded, path, other):
    response = client.get(path + "?currency=USD")
    assert charts(response) == [("by-year", "year"), ("by-category", "category"), (f"by-{other}", other)]
    body = response.content.decode()
    section = body.split("data-breakdown-charts", 1)[1].split("</section>", 1)[0]
    assert section.count("<figure") == 3 and section.count("<figcaption>") == 3
    assert section.count('<span data-currency>USD</span>') == 3  # the caption names the chosen currency
    # plotly-basic, not the bigger geo bundle, and charts.js after dashboard.js (it uses window.Tracker).
    assert re.search(r"plotly-basic[.\w]*\.js", section)
    sources = scripts(response)
    dashboard = next(i for i, s in enumerate(sources) if "/js/dashboard." in s)
    assert any("/js/charts." in s for s in sources[dashboard + 1 :])


@pytest.mark.parametrize("path", ["/", "/timeline/", "/investments/T-MS-ES-01/", "/about/"])
def test_other_pages_have_no_breakdown_charts(client, loaded, path):
    response = client.get(path)
    assert charts(response) == []
    assert not any("/js/charts." in s for s in scripts(response))


def test_company_page_by_country_table_has_no_top_companies_column(client, loaded):
    body = client.get("/companies/microsoft/").content.decode()
    table = body.split('data-breakdown="country"', 1)[1].split("</table>", 1)[0]
    assert "Top companies" not in table
    assert "/companies/" not in table  # no cell links back to a company (the page's own)
    header_cells = table.split("</thead>", 1)[0].count("<th ")
    first_row = table.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert header_cells == 5 and first_row.count("<td") == 4  # the country's <th> and four figures
    assert "data-top-companies" not in table.split(">", 1)[0]


def test_map_page_by_country_table_keeps_its_top_companies_column(client, loaded):
    body = client.get("/").content.decode()
    table = body.split('data-breakdown="country"', 1)[1].split("</table>", 1)[0]
    assert "data-top-companies" in table.split(">", 1)[0]
    assert "Top companies" in table
    assert re.search(r'<td><a href="/companies/[\w-]+/">', table)


def test_company_page_empty_by_country_table_spans_its_five_columns(client, loaded):
    body = client.get("/companies/microsoft/?country=FR").content.decode()
    table = body.split('data-breakdown="country"', 1)[1].split("</table>", 1)[0]
    assert '<td colspan="5">No investment matches these filters.</td>' in table
