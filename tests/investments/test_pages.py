"""The HTML pages, server side: they answer, filter as the API does, speak French, load nothing from
elsewhere and run no inline script."""

import json
import re
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments import versioned_cache as data_version
from investments import views
from investments.filtersets import InvestmentFilterSet
from investments.models import Announcement, Country, Investment
from investments.stats import stats
from tests.factories import InvestmentFactory, country

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/timeline/",
    "/about/",
    "/countries/ES/",
    "/countries/es/",
    "/companies/microsoft/",
    "/companies/amazon/",
    "/investments/T-MS-ES-01/",
    "/investments/T-GO-EU-01/",
]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each inline script."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.scripts = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script = attrs

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.scripts.append((self._in_script, data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def parse(response):
    tags = Tags()
    tags.feed(response.content.decode())
    return tags


def table_refs(response):
    body = response.content.decode()
    rows = body.split("data-rows", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'href="/(?:fr/)?investments/([^/]+)/"', rows)


@pytest.mark.parametrize("path", PAGES + ["/fr" + p for p in PAGES])
def test_every_page_answers(client, loaded, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/countries/ZZ/", "/companies/nobody/", "/investments/NOPE-01/"])
def test_unknown_country_company_or_record_is_not_found(client, loaded, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "",
        "company=amazon",
        "country=ES&category=datacentre",
        "status=announced,construction",
        "announced_after=2024-03-01&announced_before=2024-12-31",
        "min_amount_eur=3000000000",
        "q=aragon",
        "europe_wide=true",
        "ordering=-amount_eur",
    ],
)
def test_table_lists_what_the_api_lists_for_the_same_query_string(client, loaded, query):
    page = client.get(f"/?{query}")
    api = client.get(f"/api/v1/investments/?{query}", HTTP_ACCEPT="application/json").json()
    refs = [row["ref"] for row in api["results"]]
    assert table_refs(page) == refs
    assert page.context["table"]["page"].paginator.count == api["count"]


def test_pages_filter_through_the_shared_filterset(client, loaded):
    with mock.patch.object(views, "InvestmentFilterSet", wraps=InvestmentFilterSet) as filterset:
        client.get("/timeline/?company=microsoft&category=datacentre")
    data = filterset.call_args.args[0]
    assert data["company"] == "microsoft" and data["category"] == "datacentre"
    assert filterset.call_args.kwargs["queryset"].model is Investment


def test_country_page_fixes_its_country_whatever_the_query_string_says(client, loaded):
    response = client.get("/countries/FI/?country=ES")
    assert table_refs(response) == ["T-GO-FI-01"]


def test_map_page_carries_the_stats_the_api_serves_for_the_same_query_string(client, loaded):
    body = client.get("/?currency=USD&company=microsoft&page=2").content.decode()
    embedded = json.loads(
        re.search(r'<script id="map-stats" type="application/json">(.*?)</script>', body).group(1)
    )
    api = client.get("/api/v1/stats/?company=microsoft&by=country&currency=USD").json()
    assert embedded == api


def test_map_page_shows_the_totals_without_a_script(client, loaded):
    response = client.get("/?currency=USD")
    body = response.content.decode()
    expected = stats(Investment.objects.all(), "country", "USD")
    countries = [row for row in expected["results"] if row["key"] is not None]
    totals = body.split('data-breakdown="country"', 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r'<th scope="row"><a href="/countries/(\w\w)/">', totals) == [
        r["key"] for r in countries
    ]
    assert f"<strong>{expected['count']}</strong> investments counted once" in body
    # The fixture's sources are all from one major outlet: nothing is firm, so the range starts at 0.
    assert expected["total_firm"] == 0
    assert re.search(r"between <strong>0 USD</strong> and <strong>[\d.]+[KMBT] USD</strong>", body)
    assert "The higher figure counts every record" in body
    assert "Adding up" not in body


def test_map_totals_are_kept_in_the_cache_until_the_data_changes(client, loaded, settings):
    settings.API_CACHE_SECONDS = 60

    def adds_up(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return any("SUM(" in q["sql"] for q in queries.captured_queries)

    assert adds_up("/?company=microsoft")
    assert not adds_up("/?company=microsoft")
    assert adds_up("/?company=amazon")  # another selection
    data_version.bump()
    assert adds_up("/?company=microsoft")


def test_map_page_sends_one_page_of_investments_not_every_row(client, loaded):
    spain = country("ES")
    for _ in range(60):
        InvestmentFactory(country=spain)
    response = client.get("/")
    assert len(table_refs(response)) == 50
    assert 'rel="next"' in response.content.decode()


def test_invalid_filter_value_is_shown_as_ignored_rather_than_failing(client, loaded):
    response = client.get("/?announced_after=not-a-date")
    assert response.status_code == 200
    assert "Ignored" in response.content.decode()


def test_record_page_shows_every_source_its_figure_discrepancies_and_how_it_counts(client, loaded):
    record = Investment.objects.get(ref="T-MS-ES-03")
    body = client.get("/investments/T-MS-ES-03/").content.decode()
    for source in record.announcements.all():
        assert f'href="{source.url}"' in body
    assert "Not counted" in body and "component of a larger record" in body
    assert "differs from the record" in body  # the source gave the whole plan's figure
    assert "/investments/T-MS-ES-02/" in body  # its whole, under "Part of"


def test_superseded_and_not_new_money_records_say_why_they_do_not_count(client, loaded):
    superseded = client.get("/investments/T-AWS-ES-01/").content.decode()
    assert "supersedes it and counts instead" in superseded and "/investments/T-AWS-ES-02/" in superseded
    cumulative = client.get("/investments/T-GO-FI-01/").content.decode()
    assert "Cumulative total, not new money" in cumulative
    expansion = client.get("/investments/T-AWS-ES-03/").content.decode()
    assert "This record counts toward the totals." in expansion and "both count" in expansion


def test_single_source_record_is_marked(client, loaded):
    assert Announcement.objects.filter(investments__ref="T-GO-FI-01").count() == 1
    assert "single source" in client.get("/investments/T-GO-FI-01/").content.decode()


def test_french_pages_are_in_french(client, loaded):
    body = client.get("/fr/?category=datacentre").content.decode()
    assert '<html lang="fr">' in body
    for text in [
        "Carte",
        "Chronologie",
        "Totaux par pays",
        "Centre de données ou région cloud",
        "Espagne",
        "Appliquer",
    ]:
        assert text in body, text
    ui = json.loads(
        re.search(r'<script id="ui-strings" type="application/json">(.*?)</script>', body).group(1)
    )
    assert ui["loading"] == "Chargement…"
    record = client.get("/fr/investments/T-MS-ES-01/").content.decode()
    assert "Montant annoncé" in record and "Taux de référence de la BCE" in record


def test_english_stays_at_the_root_whatever_the_browser_asks(client, loaded):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in body


def test_language_links_keep_the_query_string(client, loaded):
    body = client.get("/timeline/?country=ES&currency=USD").content.decode()
    assert 'href="/fr/timeline/?country=ES&amp;currency=USD" hreflang="fr"' in body
    body = client.get("/fr/countries/ES/?status=announced").content.decode()
    assert 'href="/countries/ES/?status=announced" hreflang="en"' in body


@pytest.mark.parametrize("path", PAGES + ["/fr/"])
def test_pages_load_nothing_from_another_host(client, loaded, path):
    tags = parse(client.get(path))
    sources = {a.url for a in Announcement.objects.all()}
    for tag, attrs in tags.tags:
        for name in ("src", "href", "action", "data-topojson", "data-plotly", "srcset", "poster"):
            value = attrs.get(name) or ""
            if not re.match(r"^(https?:)?//", value):
                continue
            # The only absolute addresses are links a reader follows to the sources.
            assert tag == "a" and name == "href" and value in sources, (tag, name, value)


@pytest.mark.parametrize("path", PAGES)
def test_csp_forbids_inline_scripts_and_pages_have_none(client, loaded, path):
    response = client.get(path)
    policy = dict(
        (directive.split()[0], directive.split()[1:])
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy.get("script-src", []) + policy["default-src"]
    assert "'unsafe-eval'" not in policy.get("script-src", [])
    for attrs, _ in parse(response).scripts:
        assert attrs.get("type") == "application/json", attrs  # data, never code
    for tag, attrs in parse(response).tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)


def test_static_files_are_hashed_and_plotly_bundles_are_the_partial_ones(client, loaded):
    body = client.get("/").content.decode()
    assert re.search(r'data-plotly="/static/vendor/plotly/plotly-geo\.min\.[0-9a-f]{12}\.js"', body)
    assert re.search(r'data-topojson="/static/vendor/topojson/europe_50m\.[0-9a-f]{12}\.json"', body)
    timeline = client.get("/timeline/").content.decode()
    assert re.search(r'data-plotly="/static/vendor/plotly/plotly-basic\.min\.[0-9a-f]{12}\.js"', timeline)
    assert "plotly.min" not in body + timeline and "plotly-latest" not in body + timeline


def test_about_page_states_the_method_and_links_the_downloads(client, loaded):
    body = client.get("/about/").content.decode()
    for text in [
        "previous business day",
        "15th of that month",
        "1 July",
        "AGPL-3.0",
        "CC BY 4.0",
        "Components",
        "Superseded records",
        "How to cite",
        "/api/v1/investments/?format=csv",
        "/api/v1/countries/?format=geojson",
        "/api/docs/",
    ]:
        assert text in body, text


def test_map_page_offers_per_inhabitant_and_fills_the_column_and_the_map_data(client, loaded):
    Country.objects.filter(iso2="ES").update(population=48_610_500, population_year=2024)
    plain = client.get("/").content.decode()
    assert 'name="per"' in plain and "data-per-heading hidden" in plain
    page = client.get("/?per=capita").content.decode()
    assert '<option value="capita" selected>' in page
    assert "data-per-heading>" in page  # the column is shown
    stats = json.loads(page.split('id="map-stats" type="application/json">')[1].split("</script>")[0])
    assert stats["per"] == "capita"
    spain = next(row for row in stats["results"] if row["key"] == "ES")
    assert spain["per_capita"] is not None
    assert " EUR</td>" in page.split("data-per-heading")[1]


def test_map_page_exports_leave_per_out_of_the_investments_csv(client, loaded):
    page = client.get("/?per=gdp").content.decode()
    csv_link = page.split("data-csv-link")[0].rsplit('href="', 1)[1] if "data-csv-link" in page else ""
    assert "per=" not in csv_link


def test_company_page_totals_table_takes_the_same_per_choice(client, loaded):
    Country.objects.filter(iso2="ES").update(gdp_eur=1_500_000_000_000, gdp_year=2023)
    page = client.get("/companies/microsoft/?per=gdp").content.decode()
    assert '<option value="gdp" selected>' in page
    table = page.split('id="countries-caption"')[1].split("</table>")[0]
    assert "Share of GDP</th>" in table and "%</td>" in table
