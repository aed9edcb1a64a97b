"""Compare: several countries or companies chosen in the filter bar, and their chart by year."""

import pytest

from investments.models import Investment
from investments.stats import stats
from tests.browser.test_dashboard import CHART_TIMEOUT, choropleth_paths, query, wait_for_chart

pytestmark = pytest.mark.django_db(transaction=True)


def series(page):
    """The comparison chart as drawn: {trace name: {year: total}}."""
    return page.evaluate(
        "() => Object.fromEntries(document.querySelector('[data-chart=compare]').data"
        ".map(t => [t.name, Object.fromEntries(t.x.map((x, i) => [x, t.y[i]]).filter(p => p[1] !== null))]))"
    )


def by_year(queryset):
    return {
        str(r["key"]): float(r["total"])
        for r in stats(queryset, "year", "EUR")["results"]
        if r["key"] is not None and r["total"] is not None
    }


def test_choosing_two_countries_on_the_map_compares_them_by_year_and_keeps_the_map(dataset, session):
    page = session.open("/")
    wait_for_chart(page, "#map")
    assert page.is_hidden("[data-compare]")
    page.select_option("#f-country", ["ES", "DE"])
    # One comma-separated parameter, in the options' order (by name: Germany, Spain).
    page.wait_for_function("() => new URL(location.href).searchParams.get('country') === 'DE,ES'")
    page.wait_for_selector("[data-chart=compare][data-series='DE,ES']", timeout=CHART_TIMEOUT)
    assert series(page) == {
        "Spain": pytest.approx(by_year(Investment.objects.filter(country__iso2="ES"))),
        "Germany": pytest.approx(by_year(Investment.objects.filter(country__iso2="DE"))),
    }
    assert "one colour per chosen country" in page.inner_text("[data-compare] figcaption")
    # The map, drawn by the geo bundle, still redraws after the bars' bundle came in.
    before = page.get_attribute("#map", "data-drawn")
    page.select_option("#f-category", "research")
    page.wait_for_function(
        "(b) => document.querySelector('#map').getAttribute('data-drawn') !== b",
        arg=before,
        timeout=CHART_TIMEOUT,
    )
    assert sum(choropleth_paths(page)) > 0
    # Back to one country: no comparison.
    page.select_option("#f-country", ["ES"])
    page.wait_for_function("() => document.querySelector('[data-compare]').hidden")
    session.assert_offline_and_clean()


def test_shared_link_with_two_companies_selects_both_and_compares_them_on_the_timeline(dataset, session):
    page = session.open("/timeline/?company=microsoft,amazon")
    selected = page.eval_on_selector(
        "#f-company", "s => Array.from(s.selectedOptions).map(o => o.value).sort()"
    )
    assert selected == ["amazon", "microsoft"]
    wait_for_chart(page, "#timeline")
    page.wait_for_selector("[data-chart=compare][data-series='microsoft,amazon']", timeout=CHART_TIMEOUT)
    drawn = series(page)
    assert set(drawn) == {"Microsoft", "Amazon"}
    assert drawn["Microsoft"] == pytest.approx(by_year(Investment.objects.filter(company__slug="microsoft")))
    amazon = Investment.objects.filter(company__slug__in=["amazon", "aws"])  # the group includes AWS
    assert drawn["Amazon"] == pytest.approx(by_year(amazon))
    assert page.locator("[data-compare] .chart-menu button").count() == 3
    # Back restores the single choice and hides the chart; forward brings both back.
    page.select_option("#f-company", ["microsoft"])
    page.wait_for_function("() => new URL(location.href).searchParams.get('company') === 'microsoft'")
    page.wait_for_function("() => document.querySelector('[data-compare]').hidden")
    page.go_back()
    page.wait_for_function("() => !document.querySelector('[data-compare]').hidden")
    assert sorted(query(page)["company"][0].split(",")) == ["amazon", "microsoft"]
    assert page.eval_on_selector("#f-company", "s => s.selectedOptions.length") == 2
    session.assert_offline_and_clean()


def test_compare_chart_downloads_as_an_image_beside_the_map(dataset, open_session):
    session = open_session(accept_downloads=True)
    page = session.open("/?company=microsoft,nvidia")
    page.wait_for_selector("[data-chart=compare][data-drawn]", timeout=CHART_TIMEOUT)
    with page.expect_download() as png:
        page.locator("[data-compare] .chart-menu").get_by_role("button", name="Download image (PNG)").click()
    assert png.value.suggested_filename.startswith("eu-ai-investment-compare-")
    session.assert_offline_and_clean()


def test_filter_bar_without_javascript_submits_several_countries(dataset, open_session):
    session = open_session(java_script_enabled=False)
    page = session.open("/timeline/")
    page.select_option("#f-country", ["ES", "FR"])
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/timeline/?*")
    assert sorted(query(page)["country"]) == ["ES", "FR"]  # repeated, as a <select multiple> submits them
    refs = page.eval_on_selector_all(
        "[data-rows] tr td:nth-child(2) a",
        "links => links.map(a => a.getAttribute('href').split('/').at(-2))",
    )
    assert sorted(refs) == sorted(
        Investment.objects.filter(country__iso2__in=["ES", "FR"]).values_list("ref", flat=True)
    )
    selected = page.eval_on_selector(
        "#f-country", "s => Array.from(s.selectedOptions).map(o => o.value).sort()"
    )
    assert selected == ["ES", "FR"]
    session.assert_offline_and_clean()
