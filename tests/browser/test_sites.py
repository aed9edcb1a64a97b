"""Sites on the map: points over the countries, grouped by point, the layer and size switches."""

import pytest

from ingest.dataset_pipeline import ingest_dataset
from investments.models import Site
from tests.browser.conftest import reach_for_chart, seed_countries
from tests.sites.conftest import write_site_files

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 15_000


@pytest.fixture
def sites(dataset_dir):
    seed_countries()
    run = ingest_dataset(write_site_files(dataset_dir))
    assert run.status == "succeeded", run.errors


def site_points(page):
    """Markers drawn per sites trace (one per lead company); the map's frame, a line, is not one."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('#map .trace.scattergeo'))"
        ".filter(t => !t.querySelector('path.js-line'))"
        ".map(t => t.querySelectorAll('path.point').length)"
    )


def countries_visible(page):
    return page.evaluate(
        "() => document.getElementById('map').data.filter(t => t.type === 'choropleth' && t.visible !== false).length"
    )


def marker_sizes(page):
    return page.evaluate(
        "() => document.getElementById('map').data.filter(t => t.type === 'scattergeo' && t.meta && t.meta.layer === 'sites')"
        ".flatMap(t => t.marker.size)"
    )


def test_sites_are_drawn_as_points_grouped_by_place_and_the_switches_work(sites, session):
    page = session.open("/")
    reach_for_chart(page, "#map")
    page.wait_for_selector("#map[data-sites-drawn]", timeout=TIMEOUT)

    # Four sites, two at the same Zaragoza point: three markers.
    assert Site.objects.count() == 4
    assert sum(site_points(page)) == 3
    assert countries_visible(page) == 3

    by_amount = marker_sizes(page)
    page.check("input[name=site_size][value=mw]")
    page.wait_for_function(
        f"() => JSON.stringify({by_amount}) !== JSON.stringify("
        "document.getElementById('map').data.filter(t => t.type === 'scattergeo' && t.meta && t.meta.layer === 'sites')"
        ".flatMap(t => t.marker.size))",
        timeout=TIMEOUT,
    )
    assert "site_size=mw" in page.url

    page.check("input[name=layer][value=sites]")
    page.wait_for_function(
        "() => document.getElementById('map').data"
        ".filter(t => t.type === 'choropleth' && t.visible !== false).length === 0",
        timeout=TIMEOUT,
    )
    assert sum(site_points(page)) == 3

    page.check("input[name=layer][value=countries]")
    page.wait_for_selector("#map[data-sites-drawn='0']", timeout=TIMEOUT)
    assert site_points(page) == []
    assert countries_visible(page) == 3
    session.screenshot("sites-countries-only")

    page.check("input[name=layer][value=both]")
    page.wait_for_function(
        "() => document.querySelectorAll('#map .trace.scattergeo path.point').length === 3", timeout=TIMEOUT
    )
    session.screenshot("sites-both")
    session.assert_offline_and_clean()


def test_clicking_a_grouped_point_lists_its_sites_and_records(sites, session):
    page = session.open("/")
    reach_for_chart(page, "#map")
    page.wait_for_selector("#map[data-sites-drawn]", timeout=TIMEOUT)
    # The Zaragoza marker holds two sites; click it through plotly's own event.
    page.evaluate(
        """() => {
          const map = document.getElementById('map');
          const index = map.data.findIndex(t => t.meta && t.meta.groups &&
            t.meta.groups.some(g => g.sites.length === 2));
          const trace = map.data[index];
          const number = trace.meta.groups.findIndex(g => g.sites.length === 2);
          map.emit('plotly_click', {points: [{data: trace, curveNumber: index, pointNumber: number}]});
        }"""
    )
    panel = page.locator("[data-site-panel]")
    panel.wait_for(state="visible", timeout=TIMEOUT)
    links = panel.locator("h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == ["/sites/t-zaragoza-aws/", "/sites/t-zaragoza-ms/"]
    assert panel.locator("a[href='/investments/T-AWS-ES-02/']").count() == 1
    # The page stays put: the country click handler ignores site points.
    page.wait_for_timeout(300)
    assert "/countries/" not in page.url
    session.assert_offline_and_clean()


def test_filters_apply_to_the_sites(sites, session):
    page = session.open("/?company=google")
    reach_for_chart(page, "#map")
    page.wait_for_selector("#map[data-sites-drawn]", timeout=TIMEOUT)
    assert sum(site_points(page)) == 1
    session.assert_offline_and_clean()


def test_site_page_lists_its_investments_over_time_and_the_record_links_back(sites, session):
    page = session.open("/sites/t-zaragoza-aws/")
    rows = page.locator("[data-site-investments] tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").first.inner_text() < rows.nth(1).locator("td").first.inner_text()
    page.click("a[href='/investments/T-AWS-ES-02/']")
    page.wait_for_url("**/investments/T-AWS-ES-02/")
    assert page.locator("[data-record-sites] a[href='/sites/t-zaragoza-aws/']").count() == 1
    session.assert_offline_and_clean()
