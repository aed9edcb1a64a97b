"""Amounts as readers see them: compact and in the page's language ("63.1B EUR", "63,1 Md EUR").

Babel formats them from the CLDR data that the browsers' Intl.NumberFormat uses too, so that a figure
drawn on the server and one redrawn by a script read alike. Exact figures stay on the record page and
in the CSV.
"""

from babel.numbers import format_compact_decimal
from django.utils.translation import get_language, to_locale


def compact(value, currency: str = "", language: str | None = None) -> str:
    if value is None:
        return ""
    locale = to_locale(language or get_language() or "en")
    text = format_compact_decimal(float(value), format_type="short", locale=locale, fraction_digits=1)
    return f"{text} {currency}".strip()
