"""The country and company pages' charts (static/js/charts.js) and their by-country table."""

import html
import re

import pytest

from investments.models import Company, Country, Investment
from tests.investments.test_pages import parse, table_refs

pytestmark = pytest.mark.django_db


def charts(response):
    return [
        (attrs["data-chart"], attrs["data-by"]) for tag, attrs in parse(response).tags if "data-by" in attrs
    ]


def scripts(response):
    return [attrs["src"] for tag, attrs in parse(response).tags if tag == "script" and "src" in attrs]


@pytest.mark.parametrize(
    ("path", "other"), [("/countries/ES/", "company"), ("/companies/microsoft/", "country")]
)
def test_country_and_company_pages_chart_by_year_category_and_the_other_dimension(
    client, loaded, path, other
):
    response = client.get(path + "?currency=USD")
    assert charts(response) == [("by-year", "year"), ("by-category", "category"), (f"by-{other}", other)]
    body = response.content.decode()
    section = body.split("data-breakdown-charts", 1)[1].split("</section>", 1)[0]
    assert section.count("<figure") == 3 and section.count("<figcaption>") == 3
    assert section.count("<span data-currency>USD</span>") == 3  # the caption names the chosen currency
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
    # Visible header cells: the per-inhabitant column's heading is there, hidden until that figure is chosen.
    header_cells = len(re.findall(r"<th (?![^>]*\bhidden\b)", table.split("</thead>", 1)[0]))
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


def select(response, name):
    """(value, selected) of every option of the filter bar's <select name=...>, and the select's attributes."""
    body = response.content.decode()
    start = body.index(f'<select id="f-{name}"')
    block = body[start : body.index("</select>", start)]
    attrs = block.split(">", 1)[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?>', block)
    return attrs, [(value, bool(chosen)) for value, chosen in options]


@pytest.mark.parametrize("path", ["/", "/timeline/"])
def test_filter_bar_offers_several_countries_and_companies_at_once(client, loaded, path):
    response = client.get(path)
    for name in ("country", "company"):
        attrs, options = select(response, name)
        assert " multiple" in attrs and 'aria-describedby="f-several-help"' in attrs
        assert options and not any(chosen for _, chosen in options)  # none chosen: all
        assert "" not in [value for value, _ in options]  # no "All" option to pick beside others
    assert 'id="f-several-help"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["country=ES,DE&company=microsoft,google", "country=es&country=DE&company=MICROSOFT&company=google"],
)
def test_filter_bar_selects_every_value_chosen_comma_separated_or_repeated(client, loaded, query):
    response = client.get(f"/?{query}")
    assert sorted(v for v, chosen in select(response, "country")[1] if chosen) == ["DE", "ES"]
    assert sorted(v for v, chosen in select(response, "company")[1] if chosen) == ["google", "microsoft"]


def test_filter_bar_shows_each_choice_as_the_filterset_reads_it(client, loaded):
    response = client.get("/?status=Announced&category=research,skills")
    assert [value for value, chosen in select(response, "status")[1] if chosen] == ["announced"]
    # Several values from a shared link, in a single select: one chosen option, so the bar submits both.
    assert [value for value, chosen in select(response, "category")[1] if chosen] == ["research,skills"]


def test_filter_bar_carries_along_every_filter_it_has_no_field_for(client, loaded):
    body = client.get(
        "/?covers=ES&min_amount_eur=1000&ordering=-amount_eur&page_size=10&currency=USD&category=research"
    ).content.decode()
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body)
    assert hidden == [
        ("min_amount_eur", "1000"),
        ("covers", "ES"),
        ("ordering", "-amount_eur"),
        ("page_size", "10"),
    ]


def test_filter_bar_options_are_every_country_and_company_in_the_pages_language(client, loaded):
    response = client.get("/fr/")
    body = response.content.decode()
    start = body.index('<select id="f-country"')
    labels = re.findall(r"<option [^>]*>([^<]+)</option>", body[start : body.index("</select>", start)])
    expected = sorted(c.name_fr or c.name for c in Country.objects.all())
    assert [html.unescape(label) for label in labels] == expected
    companies = [value for value, _ in select(response, "company")[1]]
    assert companies == list(Company.objects.order_by("name").values_list("slug", flat=True))
    brand = Company.objects.filter(parent__isnull=False).select_related("parent").first()
    assert f">{brand.name} ({brand.parent.name})</option>" in body


def test_repeated_parameters_filter_the_page_as_the_comma_separated_ones_do(client, loaded):
    repeated = table_refs(client.get("/timeline/?country=ES&country=FR&page_size=100"))
    joined = table_refs(client.get("/timeline/?country=ES,FR&page_size=100"))
    assert repeated == joined
    assert sorted(repeated) == sorted(
        Investment.objects.filter(country__iso2__in=["ES", "FR"]).values_list("ref", flat=True)
    )


def test_country_page_offers_several_companies_but_no_country_choice(client, loaded):
    response = client.get("/countries/ES/?company=microsoft,amazon")
    assert 'id="f-country"' not in response.content.decode()
    assert sorted(v for v, chosen in select(response, "company")[1] if chosen) == ["amazon", "microsoft"]


@pytest.mark.parametrize(("path", "present"), [("/", True), ("/timeline/", True), ("/countries/ES/", False)])
def test_map_and_timeline_carry_the_comparison_chart_hidden_until_several_are_chosen(
    client, loaded, path, present
):
    response = client.get(path + "?country=ES,DE")
    tags = parse(response).tags
    figures = [attrs for tag, attrs in tags if tag == "figure" and "data-compare" in attrs]
    assert bool(figures) == present
    if present:
        assert "hidden" in figures[0]  # without JavaScript the table below is the comparison
        chart = next(attrs for tag, attrs in tags if attrs.get("data-chart") == "compare")
        assert "plotly-basic" in chart["data-plotly"]
        assert ("plotly-geo" in chart.get("data-after", "")) == (path == "/")
        assert any("/js/compare." in s for s in scripts(response))


def test_french_pages_caption_the_charts_and_explain_the_multi_selects_in_french(client, loaded):
    body = client.get("/fr/countries/ES/").content.decode()
    assert "Investissement compté par année d" in body  # the apostrophe may come escaped
    assert "Aucun choix : tous." in body
    strings = client.get("/fr/timeline/").content.decode()
    assert "une couleur par entreprise choisie" in strings
