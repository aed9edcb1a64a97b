"""Mentions of one investment merged into one group: the same company and place, the same figure (or
its conversion), not dated differently; then the estimates dropped when the company has a firm figure,
and a total that only adds up figures the article also gives one by one."""

import re

from .amounts import Money, plausible_conversion
from .locating import FAR_PLACE
from .mentions import Group, Mention
from .reasons import OUT_OF_SCOPE

# The words before the upper end of a range: "entre 30 et", "between 1 and", "1,5-", "od 6 do".
_RANGE_BEFORE = re.compile(
    r"(?:\b(?:entre|between|zwischen|tra|fra|tussen|od|from|de|von|van|da)\s+\d[\d.,]*\s*"
    r"(?:\w+\s+)?(?:et|and|und|e|y|en|do|to|à|a|bis|tot|al)\s+|\d[\d.,]*\s?[-–]\s?)$",
    re.IGNORECASE,
)


def upper_end_of_range(text: str, start: int) -> bool:
    """Whether the figure starting at `start` is the upper end of a range: an estimate."""
    return _RANGE_BEFORE.search(text[max(0, start - 30) : start]) is not None


def _compatible_places(a: Mention, b: Mention) -> bool:
    if a.code == b.code:
        return True
    return "context" in (a.country_source, b.country_source) or "none" in (a.country_source, b.country_source)


def _different_days(group: Group, mention: Mention) -> bool:
    """Two mentions dated differently in their own sentences are two announcements."""
    ours = [m.day.day for m in group.mentions if m.day and m.day_rank <= 2]
    theirs = mention.day.day if mention.day and mention.day_rank <= 2 else None
    if not ours or theirs is None:
        return False
    return all(
        abs((day - theirs).days) > 3 and (day.year, day.month) != (theirs.year, theirs.month) for day in ours
    )


def _same_figure(group: Group, mention: Mention) -> bool:
    lead = group.lead
    if lead.family != mention.family or not _compatible_places(lead, mention):
        return False
    if _different_days(group, mention):
        return False
    ours = [(money, m.currency) for m in group.mentions for money in (m.figure.money, *m.figure.alternatives)]
    theirs = [(money, mention.currency) for money in (mention.figure.money, *mention.figure.alternatives)]
    for money_a, fallback_a in ours:
        for money_b, fallback_b in theirs:
            same_currency = (money_a.currency or fallback_a) == (money_b.currency or fallback_b)
            if same_currency and abs(money_a.amount - money_b.amount) <= 0.03 * money_a.amount:
                return True
    # The same pledge restated in another currency later in the story ("€1.95bn" for "$2.1bn").
    if lead.code == mention.code and lead.code is not None:
        first = Money(lead.figure.money.amount, lead.currency, 0, 0, "")
        second = Money(mention.figure.money.amount, mention.currency, 0, 0, "")
        return plausible_conversion(first, second, tolerance=0.12)
    return False


def _same_figure_nearer_place(group: Group, mention: Mention) -> bool:
    """Whether a later mention restates the group's figure with a place said right beside it, where
    the group's place stood far from it ("la zone de Lisbonne ... investit 7,8 milliards" then "les 7,8
    milliards prévus pour l'Allemagne"): the same figure, and the nearer place is where it goes."""
    lead = group.lead
    if lead.family != mention.family or lead.currency != mention.currency:
        return False
    if "span" not in (lead.country_source, mention.country_source) or lead.code == mention.code:
        return False
    if abs(lead.figure.money.amount - mention.figure.money.amount) > 0.02 * lead.figure.money.amount:
        return False
    return lead.place_distance > FAR_PLACE and mention.place_distance < FAR_PLACE / 2


def merge(mentions: list[Mention]) -> list[Group]:
    groups: list[Group] = []
    for mention in mentions:
        if mention.reason or not mention.company:
            continue
        home = next((g for g in groups if _same_figure(g, mention)), None)
        home = home or next((g for g in groups if _same_figure_nearer_place(g, mention)), None)
        if home:
            home.mentions.append(mention)
        elif mention.cue:
            groups.append(Group([mention]))
    return groups


def drop_estimates(groups: list[Group]) -> list[Group]:
    """Drop a range ("entre 30 et 50 milliards") when the same company has a firm figure: the range is
    an estimate around the news, not the news; alone, it is the only figure there is."""
    firm = {g.lead.family for g in groups if not all(m.ranged for m in g.mentions)}
    return [g for g in groups if not (all(m.ranged for m in g.mentions) and g.lead.family in firm)]


def drop_totals(groups: list[Group]) -> list[Group]:
    """Drop a total that only adds up other figures of the same company ("3 Mrd. Dollar" for 2 + 1),
    handing its date and period to the parts that lack them."""
    kept = []
    for group in groups:
        lead = group.lead
        parts = [
            g
            for g in groups
            if g is not group
            and g.lead.family == lead.family
            and g.lead.currency == lead.currency
            and g.lead.figure.money.amount < lead.figure.money.amount
        ]
        total = sum(g.lead.figure.money.amount for g in parts)
        if len(parts) >= 2 and abs(total - lead.figure.money.amount) <= 0.02 * lead.figure.money.amount:
            for part in parts:
                if part.day is None or group.day_rank < part.day_rank:
                    part.day, part.day_rank, part.source = group.day, group.day_rank, group.source
                part.period = part.period or group.period
            continue
        kept.append(group)
    return kept


def set_aside_groups(mentions: list[Mention], kept: list[Group]) -> list[Group]:
    """The figures of catalogue companies the reading set aside (a running total, a fine, a partner's
    money), merged like kept ones; a figure that a kept candidate also carries is not repeated."""
    groups: list[Group] = []
    for mention in mentions:
        if not mention.company or not mention.reason or mention.reason in OUT_OF_SCOPE:
            continue
        if any(_same_figure(g, mention) for g in kept):
            continue
        home = next((g for g in groups if g.lead.reason == mention.reason and _same_figure(g, mention)), None)
        if home:
            home.mentions.append(mention)
        else:
            groups.append(Group([mention]))
    return groups
