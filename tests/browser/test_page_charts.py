"""The country and company pages' bar charts and comparison, as a reader sees them."""

import pytest

from investments.models import Investment
from investments.stats import stats
from tests.browser.test_dashboard import CHART_TIMEOUT, wait_for_chart

pytestmark = pytest.mark.django_db(transaction=True)


def bars(page, selector):
    """The chart's bars as drawn: (label, value) pairs of its one trace."""
    return page.evaluate(
        "(s) => { const t = document.querySelector(s).data[0];"
        " return t.orientation === 'h' ? t.y.map((y, i) => [String(y), t.x[i]]) : t.x.map((x, i) => [String(x), t.y[i]]); }",
        selector,
    )


def expected(queryset, by):
    rows = [
        r for r in stats(queryset, by, "EUR")["results"] if r["key"] is not None and r["total"] is not None
    ]
    return {str(r["key"]): float(r["total"]) for r in rows}


def test_country_page_charts_by_year_category_and_company_with_the_page_filters(dataset, session):
    page = session.open("/countries/ES/")
    for chart in ("by-year", "by-category", "by-company"):
        wait_for_chart(page, f"[data-chart={chart}]")
    spain = Investment.objects.filter(country__iso2="ES")
    years = bars(page, "[data-chart=by-year]")
    assert {label: value for label, value in years} == pytest.approx(expected(spain, "year"))
    assert [label for label, _ in years] == sorted(label for label, _ in years)  # years in order
    companies = bars(page, "[data-chart=by-company]")
    names = {r["key"]: r["label"] for r in stats(spain, "company", "EUR")["results"]}
    assert {label: value for label, value in companies} == pytest.approx(
        {names[k]: v for k, v in expected(spain, "company").items()}
    )
    assert [v for _, v in companies] == sorted((v for _, v in companies), reverse=True)
    # Each chart has its own menu (PNG, SVG, copy link).
    assert page.locator("[data-breakdown-charts] .chart-menu").count() == 3

    # A filter change redraws the charts with that filter and the page's fixed country.
    before = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-by]')).map(c => c.getAttribute('data-drawn'))"
    )
    page.select_option("#f-company", "microsoft")
    page.wait_for_function(
        "(b) => Array.from(document.querySelectorAll('[data-by]')).every((c, i) => c.getAttribute('data-drawn') !== b[i])",
        arg=before,
        timeout=CHART_TIMEOUT,
    )
    page.wait_for_function(
        "() => document.querySelector('[data-chart=by-company]').getAttribute('data-bars') === '1'"
    )
    assert [label for label, _ in bars(page, "[data-chart=by-company]")] == ["Microsoft"]
    categories = dict(bars(page, "[data-chart=by-category]"))
    ms_spain = spain.filter(company__slug="microsoft")
    assert sorted(categories.values()) == pytest.approx(sorted(expected(ms_spain, "category").values()))
    session.screenshot("country-charts")
    session.assert_offline_and_clean()


def test_company_page_charts_by_country_and_its_table_has_no_top_companies(dataset, session):
    page = session.open("/companies/amazon/")  # the group includes AWS
    wait_for_chart(page, "[data-chart=by-country]")
    amazon = Investment.objects.filter(company__slug__in=["amazon", "aws"])
    countries = bars(page, "[data-chart=by-country]")
    assert [label for label, _ in countries] == ["Spain"]
    assert countries[0][1] == pytest.approx(expected(amazon, "country")["ES"])
    # The table redrawn by the script keeps five columns, with no company links.
    page.select_option("#f-status", "announced")
    page.wait_for_function("() => document.querySelectorAll('[data-rows] tr').length === 1")
    page.wait_for_function(
        "() => document.querySelector('[data-breakdown=country] tbody tr').children.length === 5"
    )
    assert page.locator("[data-breakdown=country] a[href*='/companies/']").count() == 0
    assert page.locator("[data-breakdown=country] thead th:not([hidden])").count() == 5
    session.assert_offline_and_clean()


def test_map_table_redrawn_by_the_script_keeps_its_top_companies(dataset, session):
    page = session.open("/")
    wait_for_chart(page, "#map")
    page.select_option("#f-category", "research")
    page.wait_for_function("() => new URL(location.href).searchParams.get('category') === 'research'")
    page.wait_for_function(
        "() => document.querySelector('[data-breakdown=country] tbody tr').children.length === 6"
    )
    assert page.locator("[data-breakdown=country] tbody a[href*='/companies/']").count() >= 1
    session.assert_offline_and_clean()
