"""The timeline's first view, drawn on the server: counted investment by year and its running sum, with a
title and a description that give every figure, readable without JavaScript and by screen readers."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db.models.functions import ExtractYear

from investments import svgtimeline
from investments.models import Investment
from investments.numbers import compact

pytestmark = pytest.mark.django_db


def first_view(html):
    return re.search(r'<div class="svg-timeline" data-svg-timeline>(.*?)</div>', html, re.S).group(1)


def counted_by_year():
    totals = {}
    for year, amount in (
        Investment.objects.counted()
        .filter(announced_on__isnull=False)
        .annotate(year=ExtractYear("announced_on"))
        .values_list("year", "amount_eur")
    ):
        totals[year] = totals.get(year, Decimal(0)) + (amount or 0)
    return totals


def test_each_year_is_a_bar_with_its_counted_total_and_the_description_gives_them_all(client, loaded):
    svg = first_view(client.get("/timeline/").content.decode())
    totals = counted_by_year()
    years = range(min(totals), max(totals) + 1)
    assert svg.count('class="svg-timeline-bar"') == len(years)
    assert re.findall(r'class="svg-timeline-year"[^>]*>(\d{4})<', svg) == [str(y) for y in years]
    description = unescape(re.search(r'<desc id="svg-timeline-desc">(.*?)</desc>', svg, re.S).group(1))
    for year in years:
        if totals.get(year):
            assert f"{year}: {compact(totals[year], 'EUR')}," in description
        else:
            assert f"{year}: no counted amount" in description
    assert f"{compact(sum(totals.values()), 'EUR')} in all" in description
    assert 'role="img"' in svg and 'aria-labelledby="svg-timeline-title"' in svg


def test_the_largest_year_fills_the_bars_band_and_the_running_sum_ends_at_the_total(client, loaded):
    svg = first_view(client.get("/timeline/").content.decode())
    heights = [float(h) for h in re.findall(r'class="svg-timeline-bar"[^>]*height="([\d.]+)%"', svg)]
    assert max(heights) == pytest.approx(svgtimeline.BARS_BOTTOM - svgtimeline.BARS_TOP)
    end = unescape(re.search(r'svg-timeline-end"[^>]*>([^<]+)<', svg).group(1))
    assert end == compact(sum(counted_by_year().values()), "EUR")


def test_filters_and_currency_shape_the_first_view_in_the_pages_language(client, loaded):
    svg = first_view(client.get("/fr/timeline/?company=amazon&currency=USD").content.decode())
    amazon = Investment.objects.counted().filter(company__slug__in=["amazon", "aws"])
    total = sum(i.amount_usd or 0 for i in amazon)
    assert "Investissement compté par année (USD)" in unescape(svg)
    assert f"{compact(total, 'USD', 'fr')} au total" in unescape(svg)


def test_a_selection_without_counted_money_says_so_instead_of_drawing_nothing(client, loaded):
    html = client.get("/timeline/?q=no-such-investment-anywhere").content.decode()
    assert "No counted amount matches these filters." in first_view(html)


def test_years_without_a_record_are_empty_slots_and_undisclosed_ones_add_nothing():
    rows = [
        {"key": 2020, "total": Decimal(5), "count": 2},
        {"key": 2023, "total": None, "count": 1},
        {"key": None, "total": Decimal(7), "count": 3},
    ]
    view = svgtimeline.timeline_bars(rows, lambda v: f"{v} EUR", str)
    assert [bar["year"] for bar in view["bars"]] == [2020, 2021, 2022, 2023]
    assert [bar["height"] for bar in view["bars"][1:]] == ["0.00%"] * 3
    assert view["cumulative"] == "5 EUR" and view["undated"] == 3
    assert svgtimeline.timeline_bars([{"key": 2020, "total": None, "count": 1}], str, str) is None
