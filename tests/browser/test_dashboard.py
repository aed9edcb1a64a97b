"""The dashboard as a reader uses it: map, timeline, filters, history, detail pages, in two languages."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from investments.models import Country, Investment
from tests.browser.conftest import AXE, reach_for_chart
from tests.factories import CompanyFactory, InvestmentFactory, country

pytestmark = pytest.mark.django_db(transaction=True)

CHART_TIMEOUT = 15_000  # ms; generous for a loaded CI machine


def wait_for_chart(page, selector):
    reach_for_chart(page, selector)
    page.wait_for_selector(f"{selector}[data-drawn]", timeout=CHART_TIMEOUT)


def drawn_at(page, selector):
    return page.get_attribute(selector, "data-drawn")


def choropleth_paths(page):
    """Paths per choropleth trace: context neighbours, countries without money, countries with money."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('#map .trace.choropleth'))"
        ".map(t => t.querySelectorAll('path.choroplethlocation').length)"
    )


def table_refs(page):
    return page.eval_on_selector_all(
        "[data-rows] tr td:nth-child(2) a",
        "links => links.map(a => a.getAttribute('href').split('/').at(-2))",
    )


def query(page):
    return parse_qs(urlsplit(page.url).query)


def test_map_draws_every_european_country_with_data_coloured_and_contacts_no_other_host(dataset, session):
    page = session.open("/")
    wait_for_chart(page, "#map")

    context, without_money, with_money = choropleth_paths(page)
    coloured = {
        row["country__iso2"]
        for row in Investment.objects.counted()
        .filter(amount_eur__gt=0, country__isnull=False)
        .values("country__iso2")
    }
    assert with_money == len(coloured) == 3  # ES, DE, FR
    assert with_money + without_money == Country.objects.count()  # every seeded country has a shape
    assert context == 2
    assert page.locator("path.choroplethlocation").count() >= len(coloured)

    # The table alternative lists the same countries, and Europe-wide programmes sit beside the map.
    totals = page.locator("[data-breakdown=country] tbody th").all_inner_texts()
    assert sorted(totals) == ["France", "Germany", "Spain"]
    assert "AI skills programme" in page.locator("[data-programme-list]").inner_text()
    session.screenshot("map")
    session.assert_offline_and_clean()


def test_clicking_a_country_opens_its_page(dataset, session):
    page = session.open("/?status=announced")
    wait_for_chart(page, "#map")
    index = page.evaluate("() => document.getElementById('map').data[2].locations.indexOf('DEU')")
    germany = page.locator("#map .trace.choropleth").nth(2).locator("path.choroplethlocation").nth(index)
    germany.scroll_into_view_if_needed()  # the filter bar's multi-selects push the map down
    box = germany.bounding_box()  # Germany is compact: the middle of its box is German soil
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.url.endswith("/countries/DE/?status=announced")  # the filters go along
    session.assert_offline_and_clean()


def test_filter_change_updates_url_chart_and_table_without_reload_and_back_restores(dataset, session):
    page = session.open("/")
    wait_for_chart(page, "#map")
    page.evaluate("window.__sameDocument = true")
    before_rows = table_refs(page)
    before_drawn = drawn_at(page, "#map")
    assert len(before_rows) == Investment.objects.count()

    page.select_option("#f-category", "research")
    page.wait_for_function("() => new URL(location.href).searchParams.get('category') === 'research'")
    page.wait_for_function(f"() => document.querySelector('#map').dataset.drawn !== '{before_drawn}'")
    page.wait_for_function("() => document.querySelectorAll('[data-rows] tr').length === 1")

    assert query(page) == {"category": ["research"]}
    assert table_refs(page) == ["T-NV-FR-01"]
    assert choropleth_paths(page)[2] == 1  # France only
    assert page.evaluate("window.__sameDocument") is True  # no full reload
    assert "1" in page.locator("[data-summary]").inner_text()

    drawn = drawn_at(page, "#map")
    page.go_back()
    page.wait_for_function(f"() => document.querySelector('#map').dataset.drawn !== '{drawn}'")
    page.wait_for_function(f"() => document.querySelectorAll('[data-rows] tr').length === {len(before_rows)}")
    assert query(page) == {}
    assert page.input_value("#f-category") == ""
    assert sorted(table_refs(page)) == sorted(before_rows)
    assert choropleth_paths(page)[2] == 3

    page.go_forward()
    page.wait_for_function("() => document.querySelectorAll('[data-rows] tr').length === 1")
    assert page.input_value("#f-category") == "research"
    session.assert_offline_and_clean()


def test_filtered_link_means_the_same_on_the_page_and_in_the_api(dataset, session):
    path = "/?company=amazon&status=construction,operational"
    page = session.open(path)
    wait_for_chart(page, "#map")
    api = page.evaluate(
        "() => fetch('/api/v1/investments/?company=amazon&status=construction,operational').then(r => r.json())"
    )
    assert (
        sorted(table_refs(page)) == sorted(r["ref"] for r in api["results"]) == ["T-AWS-ES-01", "T-AWS-ES-02"]
    )
    session.assert_offline_and_clean()


def test_search_box_filters_as_one_types(dataset, session):
    page = session.open("/timeline/")
    wait_for_chart(page, "#timeline")
    page.fill("#f-q", "Villamayor")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'Villamayor'")
    page.wait_for_function("() => document.querySelectorAll('[data-rows] tr').length === 1")
    assert table_refs(page) == ["T-MS-ES-03"]
    session.assert_offline_and_clean()


def marker_count(page):
    """Markers of the investment traces (the cumulative line has none)."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('#timeline .scatterlayer .trace'))"
        ".reduce((n, t) => n + t.querySelectorAll('path.point').length, 0)"
    )


def test_timeline_draws_one_point_per_investment_and_spreads_pledges_on_demand(dataset, session):
    page = session.open("/timeline/")
    wait_for_chart(page, "#timeline")
    assert marker_count(page) == Investment.objects.count()
    cumulative = page.evaluate("() => document.getElementById('timeline').data.at(-1)")
    counted_total = float(Investment.objects.grand_total("EUR")["total"])
    assert cumulative["y"][-1] == pytest.approx(counted_total)

    drawn = drawn_at(page, "#timeline")
    page.check("#spread")
    page.wait_for_function(f"() => document.querySelector('#timeline').dataset.drawn !== '{drawn}'")
    assert query(page)["spread"] == ["1"]
    # A counted pledge over n years becomes n markers; the total stays the same. Records that do not
    # count stay on their date.
    counted = set(Investment.objects.counted().values_list("pk", flat=True))
    expected = sum(
        (i.period_end - i.period_start + 1)
        if i.pk in counted and i.period_start and i.period_end and i.period_end > i.period_start
        else 1
        for i in Investment.objects.all()
    )
    assert marker_count(page) == expected
    cumulative = page.evaluate("() => document.getElementById('timeline').data.at(-1)")
    assert cumulative["y"][-1] == pytest.approx(counted_total)
    session.screenshot("timeline")
    session.assert_offline_and_clean()


def test_investment_page_lists_every_source_its_figure_and_how_it_counts(dataset, session):
    page = session.open("/investments/T-MS-ES-03/")
    record = Investment.objects.get(ref="T-MS-ES-03")
    links = page.eval_on_selector_all("[data-sources] > li > a", "links => links.map(a => a.href)")
    assert links == [a.url for a in record.announcements.all()]
    text = page.inner_text("main")
    assert "Not counted" in text and "component of a larger record" in text
    assert "differs from the record" in text  # the source gave the whole plan's 6.69bn
    assert "T-MS-ES-02" in page.inner_text("main dl.facts:last-of-type")
    session.screenshot("investment")
    session.assert_offline_and_clean()


def test_country_and_company_pages_list_their_investments_with_sources(dataset, session):
    page = session.open("/countries/ES/")
    refs = table_refs(page)
    assert sorted(refs) == sorted(Investment.objects.filter(country__iso2="ES").values_list("ref", flat=True))
    assert page.locator("[data-rows] ul.sources a").count() >= 6
    session.screenshot("country")

    page = session.open("/companies/amazon/")  # the group includes AWS
    assert sorted(table_refs(page)) == ["T-AWS-ES-01", "T-AWS-ES-02", "T-AWS-ES-03"]
    page.select_option("#f-status", "announced")
    page.wait_for_function("() => document.querySelectorAll('[data-rows] tr').length === 1")
    assert table_refs(page) == ["T-AWS-ES-03"]
    session.screenshot("company")
    session.assert_offline_and_clean()


def test_french_pages_keep_the_filters_when_switching_language(dataset, session):
    page = session.open("/timeline/?currency=USD")
    page.click("a[hreflang=fr]")
    page.wait_for_url(re.compile(r"/fr/timeline/\?currency=USD$"))
    assert page.get_attribute("html", "lang") == "fr"
    assert "Chronologie" in page.inner_text("nav.site-nav")
    wait_for_chart(page, "#timeline")
    page.select_option("#f-country", "ES")
    page.wait_for_function("() => new URL(location.href).searchParams.get('country') === 'ES'")
    assert page.get_attribute("a[hreflang=en]", "href") == "/timeline/?country=ES&currency=USD"
    session.screenshot("timeline-fr")
    session.assert_offline_and_clean()


PAGES = [
    "/",
    "/timeline/",
    "/countries/ES/",
    "/companies/microsoft/",
    "/investments/T-MS-ES-01/",
    "/about/",
    "/fr/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violation(dataset, open_session, path):
    # axe is injected as an inline script, which the page's CSP would rightly refuse.
    session = open_session(bypass_csp=True)
    page = session.open(path)
    if page.locator("[data-chart]").count():
        wait_for_chart(page, "[data-chart]")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1)
    session.assert_offline_and_clean()


def test_narrow_screen_has_no_sideways_scroll_and_keyboard_reaches_everything(dataset, open_session):
    session = open_session(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = session.open("/")
    wait_for_chart(page, "#map")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    session.screenshot("map-375")

    # The first Tab reaches the skip link, which is then visible and moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Every filter has a label, and focus is drawn visibly (an outline) on each control.
    for control in page.locator(
        "form[data-filters] input:not([type=hidden]), form[data-filters] select"
    ).all():
        control_id = control.get_attribute("id")
        assert page.locator(f"label[for={control_id}]").count() == 1
        control.focus()
        outline = control.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline != "none"

    # A keyboard user filters and reaches a country through the table alternative.
    page.focus("#f-category")
    page.keyboard.press("ArrowDown")  # change the selection with the keyboard alone
    page.wait_for_function("() => new URL(location.href).searchParams.has('category')")
    session.assert_offline_and_clean()


@pytest.mark.parametrize(("path", "chart"), [("/", "#map"), ("/timeline/", "#timeline")])
def test_chart_menu_downloads_the_chart_as_an_image_and_copies_the_link(dataset, open_session, path, chart):
    session = open_session(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    page = session.open(path + "?company=microsoft")
    wait_for_chart(page, chart)
    menu = page.locator(".chart-menu")
    with page.expect_download() as png:
        menu.get_by_role("button", name="Download image (PNG)").click()
    assert png.value.suggested_filename.startswith(f"eu-ai-investment-{chart[1:]}-")
    assert png.value.suggested_filename.endswith(".png")
    with page.expect_download() as svg:
        menu.get_by_role("button", name="Download image (SVG)").click()
    assert svg.value.suggested_filename.endswith(".svg")
    menu.get_by_role("button", name="Copy link to this view").click()
    page.wait_for_function("() => document.querySelector('[data-status]').textContent.includes('copied')")
    assert page.evaluate("() => navigator.clipboard.readText()") == page.url
    session.assert_offline_and_clean()


def test_timeline_puts_the_cumulative_total_in_its_own_panel_and_groups_small_companies(dataset, session):
    for n in range(8):  # more companies than the palette has colours and shapes
        company = CompanyFactory(slug=f"small-{n}", name=f"Small {n}")
        InvestmentFactory(ref=f"T-SMALL-{n}", company=company, country=country("FR"), amount=10_000_000 + n)
    page = session.open("/timeline/")
    wait_for_chart(page, "#timeline")
    traces = page.evaluate(
        "() => document.getElementById('timeline').data.map(t => [t.name, t.yaxis || 'y'])"
    )
    layout = page.evaluate(
        "() => { const l = document.getElementById('timeline').layout; return [l.yaxis.domain, l.yaxis2.domain, l.yaxis2.overlaying || null]; }"
    )
    assert traces[-1][1] == "y2" and all(axis == "y" for _, axis in traces[:-1])
    markers_panel, cumulative_panel, overlaying = layout
    assert overlaying is None and cumulative_panel[1] < markers_panel[0]  # one y-axis per panel
    names = [name for name, _ in traces[:-1]]
    assert len(names) <= 7 and names[-1] == "Other companies"
    assert marker_count(page) == Investment.objects.count()  # grouped, not dropped
    session.assert_offline_and_clean()


def test_timeline_is_usable_on_a_phone(dataset, open_session):
    session = open_session(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = session.open("/timeline/")
    wait_for_chart(page, "#timeline")
    box = page.locator("#timeline").bounding_box()
    plot = page.locator("#timeline .nsewdrag").first.bounding_box()  # the markers' plot area
    legend = page.locator("#timeline .legend").bounding_box()
    assert box["width"] <= 390 and plot["height"] >= 250
    assert legend["x"] >= box["x"] - 1 and legend["x"] + legend["width"] <= box["x"] + box["width"] + 1
    assert legend["y"] + legend["height"] <= plot["y"] + 2  # above the plot, not over it
    session.screenshot("timeline-phone")
    session.assert_offline_and_clean()


def test_spreading_leaves_records_that_do_not_count_on_their_date(dataset, session):
    InvestmentFactory(
        ref="T-CUMUL",
        country=country("FR"),
        not_counted_reason="cumulative",
        period_start=2009,
        period_end=2040,
    )
    page = session.open("/timeline/?spread=1")
    wait_for_chart(page, "#timeline")
    x_range = page.evaluate("() => document.getElementById('timeline').layout.xaxis.range")
    assert x_range[0] > "2010" and x_range[1] < "2039"  # not stretched to the 2009-2040 running total
    session.assert_offline_and_clean()


def test_table_redrawn_by_the_script_shows_a_year_only_date_as_the_year(dataset, session):
    InvestmentFactory(
        ref="T-YEAR-ONLY", title="Year-only pledge", country=country("FR"),
        announced_on="2022-01-01", announced_precision="year",
    )  # fmt: skip
    page = session.open("/timeline/")
    wait_for_chart(page, "#timeline")
    page.fill("#f-q", "Year-only")
    page.wait_for_function("() => document.querySelectorAll('[data-rows] tr').length === 1")
    assert page.inner_text("[data-rows] tr td:first-child") == "2022"
    session.assert_offline_and_clean()


def test_confidence_filter_redraws_the_table_and_the_range_of_totals(dataset, session):
    page = session.open("/")
    wait_for_chart(page, "#map")
    page.select_option("#f-confidence", "high")
    page.wait_for_function("() => new URL(location.href).searchParams.get('confidence') === 'high'")
    high = Investment.objects.filter(confidence="high")
    page.wait_for_function(f"() => document.querySelectorAll('[data-rows] tr').length === {high.count()}")
    assert set(page.locator("[data-rows] tr td:nth-child(9)").all_inner_texts()) == {"High"}
    totals = high.grand_total("EUR")
    # The summary comes from the stats, a request of its own: wait for it too.
    page.wait_for_function(
        "count => document.querySelector('[data-summary]').innerText.startsWith(count + ' investment')",
        arg=totals["count"],
    )
    summary = page.locator("[data-summary]").inner_text()
    # Every source of the test dataset is from one major outlet: nothing is firm, so the range opens at 0.
    assert totals["total_firm"] == 0 < totals["total"]
    assert "between" in summary and "The higher figure counts every record" in summary


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_scripts_write_amounts_as_the_server_does(dataset, session, language):
    page = session.open(f"{language}/?company=microsoft")
    wait_for_chart(page, "#map")
    server_summary = page.inner_text("[data-summary]")
    server_cells = page.locator("[data-rows] tr td:nth-child(5)").all_inner_texts()
    # Redrawn by the script: another filter, then back.
    page.select_option("#f-company", [])  # a multi-select: none chosen means every company
    page.wait_for_function("() => !new URL(location.href).searchParams.get('company')")
    page.wait_for_function(
        "text => document.querySelector('[data-summary]').innerText !== text", arg=server_summary
    )
    page.select_option("#f-company", "microsoft")
    page.wait_for_function("() => new URL(location.href).searchParams.get('company') === 'microsoft'")
    page.wait_for_function(
        "text => document.querySelector('[data-summary]').innerText === text", arg=server_summary
    )
    page.wait_for_function(
        "cells => JSON.stringify(Array.from(document.querySelectorAll('[data-rows] tr td:nth-child(5)'))"
        ".map(td => td.innerText)) === JSON.stringify(cells)",
        arg=server_cells,
    )


def test_per_inhabitant_recolours_the_map_and_fills_the_table_column_live(dataset, session):
    Country.objects.filter(iso2="ES").update(population=48_610_500, population_year=2024)
    Country.objects.filter(iso2="DE").update(population=83_445_000, population_year=2024)
    page = session.open("/?per=capita")
    wait_for_chart(page, "#map")
    # France has money but no population in this test: it is not coloured per inhabitant.
    assert choropleth_paths(page)[2] == 2
    assert "Per inhabitant (EUR)" in page.evaluate(
        "() => document.querySelector('#map .colorbar').textContent"
    )
    heading = page.locator("[data-breakdown=country] [data-per-heading]")
    assert heading.is_visible() and heading.inner_text() == "Per inhabitant"
    assert "EUR" in page.locator("[data-breakdown=country] tbody tr", has_text="Spain").inner_text()

    drawn = drawn_at(page, "#map")
    page.select_option("#f-per", "gdp")
    page.wait_for_function("() => new URL(location.href).searchParams.get('per') === 'gdp'")
    page.wait_for_function(f"() => document.querySelector('#map').dataset.drawn !== '{drawn}'")
    page.wait_for_function(
        "() => document.querySelector('[data-per-heading]').textContent === 'Share of GDP'"
    )
    # No GDP figure in this test: no country is coloured (plotly draws no empty trace), none shows a share.
    assert choropleth_paths(page)[2:] in ([], [0])
    assert page.locator("[data-breakdown=country] tbody tr", has_text="Spain").inner_text().endswith("—")
    session.assert_offline_and_clean()
