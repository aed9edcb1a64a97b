"""The server-drawn first views of the map and the timeline, and plotly taking their place (issue 20).

Plotly is not run while a page loads (Lighthouse's phone score): the server draws the map's shading and
the timeline's totals by year as SVG, and plotly comes in when the reader reaches for a chart or changes
a filter, drawing in the same box, so that nothing moves.
"""

import pytest

from investments.models import Investment
from tests.browser.conftest import STACKS, reach_for_chart
from tests.browser.test_dashboard import CHART_TIMEOUT, marker_count

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = [("/", "#map", "[data-svg-map]"), ("/timeline/", "#timeline", "[data-svg-timeline]")]
# Long enough for the deferred scripts, the load event and an idle period: plotly must still be absent.
SETTLE_MS = 1500
LAYOUT_SHIFTS = """() => {
  window.__shifts = [];
  new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map((e) => e.value)))
    .observe({ type: "layout-shift" });
}"""


def plotly_ran(page):
    return page.evaluate(
        "() => typeof window.Plotly !== 'undefined'"
        " || Array.from(document.scripts).some((s) => s.src.includes('/plotly/'))"
    )


def stack_box(page, chart):
    """The box the first view and plotly's chart share, in page coordinates (pointing may scroll)."""
    return (
        page.locator(chart)
        .locator(f"xpath=ancestor::div[{STACKS}][1]")
        .evaluate(
            "(el) => { const r = el.getBoundingClientRect();"
            " return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; }"
        )
    )


@pytest.mark.parametrize(("path", "chart", "first"), CHARTS)
def test_first_view_reads_without_javascript(dataset, open_session, path, chart, first):
    session = open_session(java_script_enabled=False)
    page = session.open(path)
    view = page.locator(first)
    assert view.is_visible()
    assert view.locator("svg").bounding_box()["height"] > 200  # drawn at size, not an empty box
    if chart == "#timeline":
        years = page.locator(".svg-timeline-year").all_text_contents()
        assert years == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
        description = page.locator("#svg-timeline-desc").text_content()
        assert all(f"{year}:" in description for year in years)
        assert page.get_attribute(f"{first} svg", "role") == "img"
    else:
        assert page.locator(f"{first} a[href^='/countries/']").count() == 3  # ES, DE, FR
    assert page.locator(".chart-menu").count() == 0  # the image menu needs plotly: no dead buttons
    session.assert_offline_and_clean()


@pytest.mark.parametrize(("path", "chart", "first"), CHARTS)
def test_plotly_waits_for_the_reader_then_takes_over_in_the_same_box(dataset, session, path, chart, first):
    page = session.open(path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(SETTLE_MS)
    assert not plotly_ran(page)
    assert page.locator(first).is_visible()
    before = stack_box(page, chart)
    page.evaluate(LAYOUT_SHIFTS)

    reach_for_chart(page, chart)
    page.wait_for_selector(f"{chart}[data-drawn]", timeout=CHART_TIMEOUT)
    assert plotly_ran(page)
    assert page.locator(first).is_hidden()  # plotly's chart now covers it
    assert stack_box(page, chart) == before
    assert sum(page.evaluate("() => window.__shifts")) < 0.001
    session.assert_offline_and_clean()


def test_a_filter_changed_before_plotly_came_in_is_drawn_by_plotly(dataset, session):
    page = session.open("/timeline/")
    page.wait_for_load_state("load")
    page.select_option("#f-company", "microsoft")  # the pointer never went near the chart
    page.wait_for_function("() => new URL(location.href).searchParams.get('company') === 'microsoft'")
    page.wait_for_selector("#timeline[data-drawn]", timeout=CHART_TIMEOUT)
    assert marker_count(page) == Investment.objects.filter(company__slug="microsoft").count()
    assert page.locator("[data-svg-timeline]").is_hidden()
    session.assert_offline_and_clean()


def test_the_image_menu_brings_plotly_in_and_downloads_at_once(dataset, open_session):
    session = open_session(accept_downloads=True)
    page = session.open("/timeline/")
    page.wait_for_load_state("load")
    assert not plotly_ran(page)
    with page.expect_download(timeout=CHART_TIMEOUT) as png:
        page.locator(".chart-menu").get_by_role("button", name="Download image (PNG)").click()
    assert png.value.suggested_filename.startswith("eu-ai-investment-timeline-")
    session.assert_offline_and_clean()


def test_keyboard_focus_on_the_maps_links_keeps_the_first_view(dataset, session):
    page = session.open("/")
    page.wait_for_load_state("load")
    link = page.locator("[data-svg-map] a").first
    link.focus()
    page.wait_for_timeout(SETTLE_MS)
    # Plotly's map is not reachable by keyboard: it would hide the link that has the focus.
    assert not plotly_ran(page)
    assert page.evaluate("() => document.activeElement.closest('[data-svg-map]') !== null")
    session.assert_offline_and_clean()


@pytest.mark.parametrize("path", ["/?scale=log", "/timeline/?spread=1"])
def test_an_address_asking_for_a_view_only_plotly_draws_gets_it_without_a_gesture(dataset, session, path):
    page = session.open(path)
    page.wait_for_selector("[data-chart][data-drawn]", timeout=CHART_TIMEOUT)
    session.assert_offline_and_clean()
