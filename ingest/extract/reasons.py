"""Why a figure is not an investment, read from the words around it and in its sentence: a running total
("since 2007"), a part of a larger figure, another investor's money, a figure too large for a pledge,
and the reasons `cues.non_investment_reason` gives (revenue, a valuation, a fine...). A reason read once
is shared by the restatements of the same figure."""

import re
from functools import lru_cache
from itertools import pairwise

from .actors import figure_owned_by_other
from .amounts import usd_value
from .cues import is_component, leads_into_total, non_investment_reason
from .dates import find_since
from .mentions import Context, Mention
from .sentences import is_headline

# The largest figure taken as an investment: no company pledge reaches a trillion dollars; such figures are market values or GDP.
MAXIMUM_USD = 900e9

# Reasons not worth a reviewer's look: the tracker is about Europe.
OUT_OF_SCOPE = {"no place", "outside Europe"}
# Reasons that belong to one mention's place or words, not to the figure wherever it is written.
_NOT_SHARED = {
    "per-site share",
    "part of a larger figure",
    "another investor's money",
    "stake in another company",
}

# Auxiliaries and participles of money already put in: with "since 2007" before a figure, a total.
_PERFECT = re.compile(
    r"\b(?:has|have|had|hat|haben|hatte|a|ont|avait|ha|han|había|hanno|aveva|heeft|hebben|had|tem|têm"
    r"|tinha)\b[^.]{0,120}"
    r"\b(?:invested|spent|put|poured|investi|dépensé|invertido|gastado|investiert|gesteckt|ausgegeben"
    r"|aufgewendet|investito|speso|geïnvesteerd|uitgegeven|investido|gasto)\b"
    r"|\b(?:zainwestował\w*|wydał\w*|investiu|gastou)\b",
    re.IGNORECASE,
)
# Words of a sum: with "since 2007" before a figure ("Desde 2007, la inversión total ... asciende a"),
# a running total.
_TOTAL_WORD = re.compile(
    r"\b(?:total|totale|totaal|totaux|insgesamt|Gesamt\w*|in all|overall|complessiv\w*|łączn\w*|w sumie"
    r"|cumul\w*|acumulad\w*|en total|au total|in totale|no total)\b",
    re.IGNORECASE,
)
# A sentence that opens by taking a share of the figure before: "Davon sollen 600 Millionen...".
_PART_OF_PREVIOUS = re.compile(
    r"(?:Davon|Hiervon|Of this|Of that|Of which|Of the total|Dont|Sur cette somme|Sur ce montant"
    r"|De esta cantidad|De ellos|De esa cifra|Di questi|Di cui|Di questa somma)\b",
)
# Words that set a figure against another ("contre 13 milliards l'an dernier").
_COMPARED = re.compile(
    r"\b(?:contre|compared with|compared to|versus|vs|against|up from|down from|frente a|comparado con"
    r"|en comparación con|gegenüber|im Vergleich zu|nach|rispetto a|contro|dopo i)\b",
    re.IGNORECASE,
)


def figure_reason(mention: Mention, position: int, context: Context) -> str | None:
    """The reason the words around a figure (its clause, a window of it) give for setting it aside."""
    text, figure, lo, hi = mention.sentence.text, mention.figure, mention.lo, mention.hi
    start, end = figure.money.start, figure.end
    window = text[max(lo, start - 110) : min(hi, end + 60)]
    reason = non_investment_reason(window)
    for year, since_start, _ in find_since(text, context.language):
        if year >= context.published.year:
            continue
        after_figure = end <= since_start <= end + 50
        before_figure = lo <= since_start < start and (
            _PERFECT.search(window) or _TOTAL_WORD.search(text, since_start, start)
        )
        if after_figure or before_figure:
            reason = reason or "cumulative total"
    if position == 0 and _PART_OF_PREVIOUS.match(text):
        reason = reason or "part of a larger figure"
    if is_component(text[max(lo, start - 40) : start]):
        reason = reason or "part of a larger figure"
    if leads_into_total(text[max(lo, start - 100) : start]):
        reason = reason or "cumulative total"
    if figure_owned_by_other(text, start, end):
        reason = reason or "another investor's money"
    if usd_value(figure.money) >= MAXIMUM_USD:
        reason = reason or "too large for an investment"
    return reason


def sentence_risk(text: str, context: Context) -> str | None:
    """Words of another kind of money anywhere in the sentence: the narrow window missed them, or they
    belong to another clause; either way the figure is less certain."""
    return _sentence_reason(text) or (
        "since"
        if any(year < context.published.year for year, _, _ in find_since(text, context.language))
        else None
    )


def compared_reasons(text: str, read: list[Mention]) -> None:
    """A figure set against one that is not an investment is not one either: "15 milliards de projets,
    contre 13 milliards l'an dernier"."""
    for previous, mention in pairwise(read):
        gap = text[previous.figure.end : mention.figure.money.start]
        if previous.reason and not mention.reason and _COMPARED.search(gap):
            mention.reason = previous.reason


@lru_cache(maxsize=64)
def _sentence_reason(text: str) -> str | None:
    """non_investment_reason over a whole sentence, read once for all its figures."""
    return non_investment_reason(text)


def share_reasons(mentions: list[Mention]) -> None:
    """A figure the article explains once ("un montant total de 37 milliards" at a summit) is the same
    thing where it is only restated: a headline, or a sentence that does not name its company."""
    explained = [m for m in mentions if m.reason and m.reason not in OUT_OF_SCOPE | _NOT_SHARED]
    for mention in mentions:
        if mention.reason or not (mention.company_source != "sentence" or is_headline(mention.sentence.text)):
            continue
        money = mention.figure.money
        for other in explained:
            same = other.figure.money
            if other.currency == mention.currency and abs(same.amount - money.amount) <= 0.005 * money.amount:
                mention.reason = other.reason
                break
