"""ECB conversion rules, and the refresh of the rate history."""

import io
import zipfile
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest

from ingest import fx
from ingest.fetch import Fetched
from ingest.models import IngestRun
from investments.money import NoRate, RateTable, UnknownCurrency, rate_table, reference_day

HISTORY = """Date,USD,GBP,SEK,
2024-02-19,1.0776,0.8551,11.2,
2024-02-16,1.0768,0.8558,11.25,
2024-02-15,1.0743,0.8547,N/A,
"""


@pytest.fixture
def table():
    return RateTable.from_csv_text(HISTORY)


def test_sunday_uses_fridays_rate(table):
    conversion = table.convert(Decimal("1000"), "USD", date(2024, 2, 18))
    assert conversion.rate_date == date(2024, 2, 16)
    assert conversion.amount_eur == Decimal("928.68")  # 1000 / 1.0768


def test_a_day_without_a_quote_for_the_currency_uses_the_previous_quoted_day(table):
    assert table.convert(Decimal("100"), "SEK", date(2024, 2, 17)).rate_date == date(2024, 2, 16)
    with pytest.raises(NoRate):  # the only earlier day has no SEK quote
        table.convert(Decimal("100"), "SEK", date(2024, 2, 15))


def test_cross_rate_to_usd(table):
    conversion = table.convert(Decimal("1000"), "GBP", date(2024, 2, 19))
    assert conversion.amount_usd == (Decimal("1000") / Decimal("0.8551") * Decimal("1.0776")).quantize(
        Decimal("0.01")
    )


def test_unknown_currency_is_an_error(table):
    with pytest.raises(UnknownCurrency):
        table.convert(Decimal("1"), "XYZ", date(2024, 2, 19))


def test_before_the_series_is_an_error(table):
    with pytest.raises(NoRate):
        table.convert(Decimal("1"), "USD", date(2000, 1, 1))


def test_month_and_year_precision_reference_days():
    assert reference_day(date(2021, 3, 1), "month") == date(2021, 3, 15)
    assert reference_day(date(2021, 1, 1), "year") == date(2021, 7, 1)
    assert reference_day(date(2021, 3, 9), "day") == date(2021, 3, 9)


def test_packaged_history_covers_the_required_currencies():
    table = rate_table()
    for code in ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF"]:
        assert table.supports(code)
    assert table.days[0] <= date(2019, 1, 2)


def zipped(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", text)
    return buffer.getvalue()


@pytest.mark.django_db
def test_refresh_swaps_in_a_new_history(settings, tmp_path):
    settings.FX_HISTORY_PATH = tmp_path / "fx" / "hist.zip"
    fetched = Fetched(url=settings.FX_HISTORY_URL, status=200, body=zipped(HISTORY))
    with mock.patch.object(fx, "fetch", return_value=fetched):
        run = fx.refresh_fx_history()
    try:
        assert run.status == IngestRun.Status.SUCCEEDED
        assert run.counts == {"days": 3, "last": "2024-02-19"}
        assert rate_table().last_day == date(2024, 2, 19)
    finally:
        rate_table.cache_clear()


@pytest.mark.django_db
def test_refresh_with_a_broken_file_keeps_the_old_history(settings, tmp_path):
    settings.FX_HISTORY_PATH = tmp_path / "fx" / "hist.zip"
    fetched = Fetched(url=settings.FX_HISTORY_URL, status=200, body=b"<html>not a zip</html>")
    with mock.patch.object(fx, "fetch", return_value=fetched), pytest.raises(zipfile.BadZipFile):
        fx.refresh_fx_history()
    assert list(settings.FX_HISTORY_PATH.parent.iterdir()) == []  # nothing half-written left behind
    assert IngestRun.objects.get(source="fx").status == IngestRun.Status.FAILED
    assert rate_table().last_day > date(2026, 1, 1)  # still the packaged history
