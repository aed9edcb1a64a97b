"""The map's colour scale and frame, and the ranked bars beside it (issue 18, item 3)."""

from decimal import Decimal

import pytest

from tests.browser.conftest import ARTIFACTS, reach_for_chart, seed_countries
from tests.factories import CompanyFactory, InvestmentFactory, country

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 15_000
# Leaders close to the reported ones (EUR bn) and a tail: quantile classes of these eight lump Spain and
# Germany together; the default scale must not.
TOTALS = {"GB": 63, "ES": 45, "DE": 30, "FR": 12, "NL": 8, "IE": 5, "IT": 3, "PL": 1}
# The form's categories: the last two are skills programmes, the rest data centres.
SKILLS = {"IT", "PL"}


@pytest.fixture
def leaders():
    seed_countries()
    company = CompanyFactory(slug="bigco", name="BigCo")
    for iso2, billions in TOTALS.items():
        amount = Decimal(billions) * 10**9
        InvestmentFactory(
            ref=f"T-RANK-{iso2}",
            company=company,
            country=country(iso2),
            title=f"Campus {iso2}",
            amount=amount,
            amount_eur=amount,
            category="skills" if iso2 in SKILLS else "datacentre",
        )


def open_map(session, path="/"):
    page = session.open(path)
    reach_for_chart(page, "#map")
    page.wait_for_selector("#map[data-drawn]", timeout=TIMEOUT)
    return page


def plotly_fills(page):
    """{ISO alpha-3: fill} of the countries with money as plotly drew them."""
    return page.evaluate(
        """() => {
          const trace = document.getElementById('map').data[2];
          const paths = document.querySelectorAll('#map .trace.choropleth')[2].querySelectorAll('path.choroplethlocation');
          const out = {};
          trace.locations.forEach((iso3, i) => { out[iso3] = getComputedStyle(paths[i]).fill; });
          return out;
        }"""
    )


def svg_fill(page, iso2):
    """The server-drawn map's fill of a country, as rgb() like the computed style."""
    colour = page.get_attribute(f'[data-svg-map] a[href^="/countries/{iso2}/"] path', "fill")
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def colorbar_title(page):
    return page.locator("#map .colorbar .cbtitle").text_content()


def test_default_scale_tells_the_leaders_apart_and_agrees_with_the_server_drawn_map(leaders, session):
    page = open_map(session)
    fills = plotly_fills(page)
    assert len({fills["GBR"], fills["ESP"], fills["DEU"]}) == 3
    # Same classes and colours on both views: the first view does not change colour when plotly lands.
    for iso2, iso3 in [("GB", "GBR"), ("ES", "ESP"), ("DE", "DEU"), ("FR", "FRA"), ("PL", "POL")]:
        assert fills[iso3] == svg_fill(page, iso2), iso2
    assert "natural breaks" in colorbar_title(page)
    session.assert_offline_and_clean()


def test_scale_switch_recolours_names_the_scale_and_is_kept_in_the_address(leaders, session):
    page = open_map(session)
    for label, value, title in [
        ("Quantile classes", "quantile", "quantile classes"),
        ("Linear", "linear", "linear scale"),
        ("Logarithmic", "log", "logarithmic scale"),
    ]:
        page.get_by_label(label, exact=True).check()
        page.wait_for_selector(f"#map[data-scale={value}]", timeout=TIMEOUT)
        assert title in colorbar_title(page)
        assert f"scale={value}" in page.url
    # Quantile classes of these eight put Spain and Germany together: the reason it is not the default.
    page.get_by_label("Quantile classes", exact=True).check()
    page.wait_for_selector("#map[data-scale=quantile]", timeout=TIMEOUT)
    fills = plotly_fills(page)
    assert fills["ESP"] == fills["DEU"] != fills["GBR"]
    # A shared link opens on its scale, and the API is not asked about it.
    page = open_map(session, "/?scale=linear")
    assert page.is_checked("input[name=scale][value=linear]")
    assert "linear scale" in colorbar_title(page)
    session.assert_offline_and_clean()


def rank_names(page):
    return page.locator("[data-rank-list] .rank-name").all_inner_texts()


def test_ranked_bars_list_the_countries_largest_first_as_the_table_and_follow_the_filters(leaders, session):
    page = open_map(session)
    names = rank_names(page)
    by_size = sorted(TOTALS, key=TOTALS.get, reverse=True)
    expected = page.evaluate("(codes) => codes.map(c => window.Tracker.config.countries[c].name)", by_size)
    assert names == expected
    table = page.locator("[data-breakdown=country] tbody th").all_inner_texts()
    assert names == table  # the table of totals is largest first too
    widths = page.eval_on_selector_all(
        "[data-rank-list] .rank-bar", "bars => bars.map(b => b.getBoundingClientRect().width)"
    )
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1] > 0
    assert page.locator("[data-rank-list] li").first.inner_text().endswith("EUR")

    drawn = page.get_attribute("#map", "data-drawn")
    page.select_option("#f-category", "skills")
    page.wait_for_function(f"() => document.querySelector('#map').dataset.drawn !== '{drawn}'")
    assert rank_names(page) == [expected[-2], expected[-1]]  # Italy, Poland

    with page.expect_navigation():
        page.locator("[data-rank-list] a").first.click()
    assert page.url.endswith("/countries/IT/?category=skills")
    session.assert_offline_and_clean()


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_frame_holds_the_north_cape_and_the_canaries_and_the_colour_bar_sits_by_the_map(
    leaders, open_session, width, height
):
    session = open_session(viewport={"width": width, "height": height})
    page = open_map(session)
    # Points projected by plotly's own projection fall inside the map's area, and the window's outline
    # ends where the colour bar begins, not across a gap.
    inside = page.evaluate(
        """() => {
          const geo = document.getElementById('map')._fullLayout.geo._subplot;
          const area = document.querySelector('#map .geo .bg rect').getBoundingClientRect();
          const origin = document.querySelector('#map .main-svg').getBoundingClientRect();
          return [[25.8, 71.1], [-15.5, 28.1], [-18.0, 27.7], [33.4, 35.1]].map(([lon, lat]) => {
            const [x, y] = geo.projection([lon, lat]);
            return origin.left + x >= area.left && origin.left + x <= area.right
              && origin.top + y >= area.top && origin.top + y <= area.bottom;
          });
        }"""
    )
    assert inside == [True, True, True, True]
    session.screenshot(f"map-scale-{width}")
    page.locator(".map-layout").screenshot(path=str(ARTIFACTS / f"map-scale-{width}-whole.png"))
    shapes = page.locator("#map .trace.scattergeo").first.bounding_box()  # the window's outline
    bar = page.locator("#map .colorbar").bounding_box()
    if width > 560:
        gap = bar["x"] - (shapes["x"] + shapes["width"])
        assert -2 <= gap <= 30, gap
    else:
        gap = bar["y"] - (shapes["y"] + shapes["height"])
        assert -2 <= gap <= 40, gap
    session.assert_offline_and_clean()


@pytest.mark.parametrize("language", ["", "/fr"])
def test_colour_bar_labels_fit_inside_the_map_box_in_either_language(session, language):
    seed_countries()
    company = CompanyFactory(slug="bigco", name="BigCo")
    # Figures with decimals make the longest class ranges ("27,9 Md – 50,2 Md").
    for iso2, billions in {
        "GB": "50.2",
        "ES": "27.9",
        "DE": "10.3",
        "FR": "6.3",
        "NL": "3.8",
        "IE": "1.7",
    }.items():
        amount = Decimal(billions) * 10**9
        InvestmentFactory(
            ref=f"T-BAR-{iso2}", company=company, country=country(iso2), amount=amount, amount_eur=amount
        )
    # French class ranges ("28 Md – 50,2 Md") are the widest: none may run past the chart's right edge.
    page = open_map(session, f"{language}/")
    right = page.evaluate("() => document.getElementById('map').getBoundingClientRect().right")
    labels = page.eval_on_selector_all(
        "#map .colorbar text", "texts => texts.map(t => t.getBoundingClientRect().right)"
    )
    assert labels and max(labels) <= right
    session.assert_offline_and_clean()
