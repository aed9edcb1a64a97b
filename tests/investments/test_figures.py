"""One format for amounts: compact and localised, the same from the server (Babel) as from the scripts
(Intl.NumberFormat); exact figures stay on the record page and in the CSV."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from investments.numbers import compact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("63100000000"), "63.1B EUR"),
        ("fr", Decimal("63100000000"), "63,1\xa0Md\xa0EUR"),
        ("en", Decimal("450000000"), "450M EUR"),
        ("de", Decimal("2500000"), "2,5\xa0Mio.\xa0EUR"),
    ],
)
def test_compact_amounts_in_each_language(language, value, expected):
    assert compact(value, "EUR", language).replace(" ", "\xa0") == expected.replace(" ", "\xa0")


def test_unknown_amount_is_blank_never_zero():
    assert compact(None, "EUR") == ""


def test_tables_show_compact_amounts_and_the_record_page_the_exact_one(client, loaded):
    with translation.override("en"):
        table = client.get("/?page_size=500").content.decode()
    row = re.search(r"T-MS-ES-01/\">.*?</tr>", table, re.S).group(0)
    assert "2.1B USD" in row and "2,100,000,000" not in row
    record = client.get("/investments/T-MS-ES-01/").content.decode()
    assert "2,100,000,000" in record


def test_french_pages_write_amounts_the_french_way(client, loaded):
    summary = re.search(r"data-summary>(.*?)</div>", client.get("/fr/").content.decode(), re.S).group(1)
    assert re.search(r"\d+,\d\s?Md", summary) and "EUR" in summary
