"""When a source's figure differs from its record's: the one rule the record page, the API and the CSV
share (the review queue's reconciliation has its own tolerance for matching, NEWS_MATCH_TOLERANCE)."""

from decimal import Decimal

# Across currencies the two figures are compared in EUR, each converted at its own date's ECB rate: a
# few percent of drift is the exchange rate, not the source.
DISCREPANCY_TOLERANCE = Decimal("0.05")


def figure_differs(source_amount, source_currency, source_eur, record_amount, record_currency, record_eur):
    """True when the source gives another figure than the record; None when either figure is unknown.

    In the record's own currency the figures are compared as given, exactly (a CHF source of the record's
    CHF figure never differs, whatever the rates); across currencies, in EUR, beyond the tolerance.
    """
    if source_amount is None or record_amount is None:
        return None
    if source_currency == record_currency:
        return source_amount != record_amount
    if source_eur is None or record_eur is None:
        return None
    if record_eur == 0:
        return source_eur != 0
    return abs(source_eur - record_eur) / record_eur > DISCREPANCY_TOLERANCE
