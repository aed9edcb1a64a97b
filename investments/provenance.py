"""A record's provenance, as the record page explains it: whether each source's figure differs from the
record's, whether the record counts toward totals and why, and the records it overlaps.

figure_differs() is the one rule for a discrepancy that the record page, the API and the CSV share (the
review queue's reconciliation has its own tolerance for matching, NEWS_MATCH_TOLERANCE);
tests/investments/test_one_rule.py holds the page and the API to the same answer on every record. Whether
a record counts is InvestmentQuerySet.counted()'s to decide: counting() only gives its reasons in words.
"""

from decimal import Decimal

from django.utils.translation import gettext

from investments.choices import NotCountedReason, Status

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


def source_differs(announcement, investment) -> bool:
    """Whether the record page flags a source's figure (figure_differs(); unknown is not flagged)."""
    return bool(
        figure_differs(
            announcement.amount,
            announcement.currency,
            announcement.amount_eur,
            investment.amount,
            investment.currency,
            investment.amount_eur,
        )
    )


def counting(investment):
    """Whether the record counts toward totals and why, in the words of the About page.

    `investment` comes with_counted() (is_counted, is_firm) and its superseded_by and supersedes
    prefetched, as the record page reads it.
    """
    reasons = []
    if investment.withdrawn:
        reasons.append(gettext("It was withdrawn from the record."))
    if investment.status == Status.CANCELLED:
        reasons.append(gettext("The project was cancelled: its money will not be spent."))
    if investment.part_of_id:
        reasons.append(gettext("It is a component of a larger record, which counts instead."))
    # A withdrawn record supersedes nothing any more (querysets.counted_condition()).
    superseded_by = [record for record in investment.superseded_by.all() if not record.withdrawn]
    if superseded_by:
        reasons.append(gettext("A later record supersedes it and counts instead."))
    if investment.not_counted_reason:
        reasons.append(NotCountedReason(investment.not_counted_reason).label)
    notes = []
    if investment.expands_id:
        notes.append(gettext("It adds new money to an earlier record: both count."))
    if investment.supersedes.all():
        notes.append(gettext("It replaces the records it supersedes, which no longer count."))
    if investment.amount is None:
        notes.append(gettext("The amount was not disclosed, so it adds nothing to the totals."))
    return {"counted": investment.is_counted, "firm": investment.is_firm, "reasons": reasons, "notes": notes}


def relations(investment):
    """The records this one overlaps, each group with the relation's name."""
    groups = [
        (gettext("Part of"), [investment.part_of] if investment.part_of else []),
        (gettext("Components"), list(investment.parts.all())),
        (gettext("Supersedes"), list(investment.supersedes.all())),
        (gettext("Superseded by"), list(investment.superseded_by.all())),
        (gettext("Expands"), [investment.expands] if investment.expands else []),
        (gettext("Expanded by"), list(investment.expansions.all())),
    ]
    return [{"label": label, "records": records} for label, records in groups if records]
