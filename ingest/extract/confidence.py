"""How likely a candidate is right, from what the wrong ones lacked on real press."""

import re

from .mentions import Group

# Words of investing in the eight languages: a figure in a sentence that says "invest" is rarely wrong.
_INVEST_WORD = re.compile(r"invest|invert|inversi|inwest|steck|iniett|stanzi", re.IGNORECASE)


def confidence(group: Group) -> float:
    """How likely the candidate is right, from what the wrong ones lacked on real press: a company
    named beside the figure (not carried from an earlier sentence), a place in the figure's own clause,
    a verb of investing, a written currency, a date read in the text, the figure repeated; a range or
    a sentence about earlier events counts against it. Scaled so that a candidate with a name, a place
    and a verb of its own is above 0.8 and one whose company and place both come from the context is
    below 0.5."""
    mentions = group.mentions
    score = 0.25
    if any(m.company_source == "sentence" for m in mentions):
        score += 0.25
    if any(m.country_source == "span" for m in mentions):
        score += 0.15
    if group.lead.currency_explicit:
        score += 0.05
    if any(_INVEST_WORD.search(m.sentence.text) for m in mentions):
        score += 0.10
    if group.day is not None and group.source != "published":
        score += 0.05
    score += min(0.10, 0.05 * (len(mentions) - 1))
    if all(m.ranged or m.background for m in mentions):
        score -= 0.10
    if all(m.risk for m in mentions):
        score -= 0.30
    elif any(m.risk for m in mentions):
        score -= 0.10
    return max(0.05, min(0.98, score))
