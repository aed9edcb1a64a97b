"""A date known to the year reads "2022", to the month "2022-03", never as the 1 January it is stored as."""

from datetime import date

import pytest

from tests.factories import InvestmentFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(db):
    return {
        "year": InvestmentFactory(ref="T-YEAR", announced_on=date(2022, 1, 1), announced_precision="year"),
        "month": InvestmentFactory(ref="T-MONTH", announced_on=date(2023, 3, 1), announced_precision="month"),
        "day": InvestmentFactory(ref="T-DAY", announced_on=date(2024, 2, 19), announced_precision="day"),
    }


def test_announced_reads_as_precisely_as_known(dated):
    assert [dated[k].announced for k in ("year", "month", "day")] == ["2022", "2023-03", "2024-02-19"]


@pytest.mark.parametrize("path", ["/", "/countries/ES/", "/investments/T-YEAR/"])
def test_pages_show_a_year_only_date_as_the_year(client, dated, path):
    html = client.get(path).content.decode()
    assert "2022-01-01" not in html
    assert ">2022<" in html


def test_feed_gives_the_date_as_precisely_as_known(client, dated):
    body = client.get("/feeds/investments.atom?country=ES").content.decode()
    assert "announced 2022 ·" in body
    assert "2022-01-01 ·" not in body


def test_unknown_date_is_blank(db):
    assert InvestmentFactory(ref="T-NONE", announced_on=None, country=country("FR")).announced == ""
