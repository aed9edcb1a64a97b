"""The map's first view, drawn on the server: the shading, the legend and a link to each country with
money, readable without JavaScript and by screen readers."""

import re
from html import unescape

import pytest

from investments import svgmap
from investments.models import Country, Investment

pytestmark = pytest.mark.django_db


def svg_of(html):
    return re.search(r"<div class=\"svg-map\" data-svg-map>(.*?)</div>", html, re.S).group(1)


def test_every_country_has_a_shape_and_each_with_money_links_its_page(client, loaded):
    svg = svg_of(client.get("/").content.decode())
    assert svg.count("<path d=") >= Country.objects.count()  # each country, the sea behind them
    linked = set(re.findall(r'<a href="/countries/([A-Z]{2})/"', svg))
    hosting = set(
        Investment.objects.counted().filter(country__isnull=False).values_list("country__iso2", flat=True)
    )
    assert linked == hosting


def test_a_countrys_link_says_its_total_in_the_pages_language(client, loaded):
    spain = unescape(
        re.search(r'<a href="/countries/ES/" aria-label="([^"]+)"', client.get("/").content.decode()).group(1)
    )
    assert spain.startswith("Spain: ") and "EUR" in spain and "investments" in spain
    french = unescape(
        re.search(
            r'<a href="/fr/countries/ES/" aria-label="([^"]+)"', client.get("/fr/").content.decode()
        ).group(1)
    )
    assert french.startswith("Espagne") and "," in french.split(":")[1]  # 4,4 Md EUR


def test_links_keep_the_pages_filters_but_not_its_country(client, loaded):
    svg = svg_of(client.get("/?company=microsoft&currency=USD&page=2").content.decode())
    assert 'href="/countries/ES/?company=microsoft&amp;currency=USD"' in svg
    assert "USD" in svg
    svg = svg_of(client.get("/?company=microsoft&country=ES").content.decode())
    assert 'href="/countries/ES/?company=microsoft"' in svg


def test_shading_follows_the_totals_and_the_legend_gives_each_class(client, loaded):
    html = client.get("/").content.decode()
    legend = re.search(r'<ul class="svg-map-legend"(.*?)</ul>', html, re.S).group(1)
    assert legend.count("<li>") >= 3 and "undisclosed amounts only" in legend


def test_classes_put_the_largest_total_in_the_darkest_class():
    bounds = svgmap.classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert len(bounds) == 5 and bounds[-1] == 10
    assert svgmap.colour(10, bounds) == svgmap.CLASS_COLOURS[-1]
    assert svgmap.colour(1, bounds) == svgmap.CLASS_COLOURS[0]
    assert svgmap.classes([None, 0]) == []


def test_natural_breaks_give_leaders_far_ahead_classes_of_their_own():
    # Quantile classes of these eight would put 30 and 45 (the third and second) in one class.
    totals = [63e9, 45e9, 30e9, 12e9, 8e9, 5e9, 3e9, 1e9]
    bounds = svgmap.classes(totals)
    assert bounds == [5e9, 12e9, 30e9, 45e9, 63e9]
    assert len({svgmap.colour(t, bounds) for t in (63e9, 45e9, 30e9)}) == 3
    assert svgmap.classes([5, 5, 5]) == [5] and svgmap.classes([2, 1]) == [1, 2]


def test_the_frame_shows_the_canaries_the_north_cape_and_cyprus_inside_its_window():
    to_svg, (_, _, width, height), _ = svgmap.frame()
    for lon, lat in [(-15.5, 28.1), (25.8, 71.1), (33.4, 35.1), (-21.9, 64.1)]:
        x, y = to_svg(lon, lat)
        assert 0 <= x <= width and 0 <= y <= height


def test_the_page_carries_a_light_map(client, loaded):
    svg = svg_of(client.get("/").content.decode())
    assert len(svg) < 80_000  # bytes before compression
