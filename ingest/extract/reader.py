"""From an article's text to its candidate investments.

Reading goes sentence by sentence, keeping what a reader keeps: the company the story is about (so "la
firme" or "the company" in the next sentence is that company), the story's own date (so "deux jours
auparavant" counts back from it), and the places just named. Each figure of money is then given an
owner (owners.py), a country (locating.py), a date and a period (dating.py), or set aside with the
reason a careful reader would give (reasons.py: a revenue figure, a partner's money, a data centre in
Texas). Repeats of one figure merge into one candidate; a total that only adds up figures the article
also gives one by one is dropped (grouping.py). This module holds the reading and the order of the
steps.
"""

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from more_itertools import unique_everseen

from .amounts import find_money, implied_currency, link_conversions
from .capacity import with_capacity
from .categories import categorize
from .companies import Catalogue, load_catalogue
from .confidence import confidence
from .cues import has_investment_cue
from .dates import find_dates
from .dating import background_in_clause, best_date, date_groups, date_source, is_background
from .finding import Finding
from .grouping import drop_estimates, drop_totals, merge, set_aside_groups, upper_end_of_range
from .language import LANGUAGES, detect_language
from .locating import country_mention, locate, place_figure, place_name
from .mentions import Context, Group, Mention, Reading
from .owners import carry_first_company, give_owner, subject_like
from .places import EUROPE, find_places
from .reasons import compared_reasons, figure_reason, sentence_risk, share_reasons
from .sentences import is_headline, split_sentences

# Smallest amount taken as an investment: below it figures are prices, grants to one school, fees.
MINIMUM_AMOUNT = 100_000
# A first name and a last name: the last names the article gives, so that "Smith said" is a person.
_FIRST_LAST = re.compile(r"\b(?-i:[A-ZÀ-Þ][a-zà-ÿ]+)\s+(?-i:([A-ZÀ-Þ][a-zà-ÿ]+))\b")
# Links to other articles that pages print inside the text: "Read also: ...", "Leia também" then a headline.
_READ_ALSO = re.compile(
    r"\s*(?:read (?:also|more)|see also|related(?: articles?| topics)?|lire aussi|à lire aussi|voir aussi"
    r"|lee también|leer más|te puede interesar|más información|lesen sie auch|mehr zum thema|leggi anche"
    r"|potrebbe interessarti|lees ook|lees meer|czytaj (?:też|także|również)|zobacz (?:też|także)"
    r"|leia (?:também|mais)|veja também|saiba mais)\b\s*[:.]?(?:\s.*)?",
    re.IGNORECASE,
)


def _catalogue(catalogue: Catalogue | str | Path | None) -> Catalogue:
    if isinstance(catalogue, Catalogue):
        return catalogue
    return load_catalogue(catalogue) if catalogue else load_catalogue()


def _read(text: str, context: Context) -> list[Mention]:
    """Read the article sentence by sentence; return every figure's mention."""
    catalogue, language, published = context.catalogue, context.language, context.published
    mentions: list[Mention] = []
    related = -1  # the paragraph after a "read also" line: another article's headline
    for sentence in split_sentences(text):
        if sentence.paragraph == related or _READ_ALSO.match(sentence.text):
            related = sentence.paragraph + 1 if _READ_ALSO.fullmatch(sentence.text) else related
            continue
        companies = catalogue.find(sentence.text)
        if companies and context.first_company is None:
            context.first_company = companies[0]
        places = find_places(sentence.text, language)
        dates = find_dates(sentence.text, language, published, context.anchor)
        amounts = find_money(sentence.text, language)
        figures, _ = link_conversions(sentence.text, amounts)
        figures = [f for f in figures if f.money.amount >= MINIMUM_AMOUNT]
        reading = Reading(sentence, companies, places, dates, figures)
        context.readings.append(reading)
        cue = bool(figures) and has_investment_cue(sentence.text)
        background = bool(figures) and is_background(sentence.text)
        read = [_read_figure(reading, position, context, cue, background) for position in range(len(figures))]
        compared_reasons(sentence.text, read)
        mentions += read
        context.amounts += amounts
        subjects = [m for m in companies if subject_like(sentence.text, m)]
        if subjects:
            context.last_company = subjects[-1]
            context.recent += subjects
        days = [d for d in dates if d.precision == "day"]
        if days:
            context.anchor = days[-1].day
    return mentions


def _read_figure(reading: Reading, position: int, context: Context, cue: bool, background: bool) -> Mention:
    """The mention of the sentence's figure at `position`: its owner, its reason to be set aside, its
    place, date and currency, as far as the sentence tells them (the context fills the rest once the
    whole article is read)."""
    sentence, figures = reading.sentence, reading.figures
    figure, text = figures[position], sentence.text
    start, end = figure.money.start, figure.end
    lo = figures[position - 1].end if position else 0
    hi = figures[position + 1].money.start if position + 1 < len(figures) else len(text)
    if background and lo:
        background = background_in_clause(text, lo, start, hi)
    mention = Mention(sentence, figure, lo, hi, cue=cue, background=background)
    give_owner(mention, reading.companies, reading.places, context)
    mention.reason = mention.reason or figure_reason(mention, position, context)
    mention.risk = sentence_risk(text, context)
    place_figure(mention, reading.places)
    mention.day, mention.day_rank = best_date(reading.dates, start, end, lo, hi, text)
    mention.ranged = upper_end_of_range(text, start)
    mention.currency = figure.money.currency
    if mention.currency is None:
        mention.currency_explicit = False
        mention.currency = implied_currency(figure.money, context.amounts, context.language)
    return mention


def _finding(group: Group, context: Context) -> Finding:
    """What a group of mentions proposes to a curator."""
    mentions = group.mentions
    lead = group.lead
    located = country_mention(mentions)
    code = located.code
    country = None if code in (None, EUROPE) else code

    crowns = {"NO": "NOK", "DK": "DKK", "IS": "ISK"}.get(country or "", "SEK")
    # The figure in the other currencies written beside it, each once, in the order written.
    written = unique_everseen(
        (money.amount, money.currency or m.currency)
        for m in mentions
        for money in (m.figure.money, *m.figure.alternatives)
    )
    stated = (lead.figure.money.amount, lead.currency)
    alternatives = [
        (amount, crowns if currency == "KR" else currency)
        for amount, currency in written
        if (amount, currency) != stated
    ]
    named = [m.company for m in mentions if m.company_source == "sentence" and m.company]
    return Finding(
        company=named[0] if named else lead.company or "",
        country=country,
        amount=lead.figure.money.amount,
        currency=crowns if lead.currency == "KR" else lead.currency or "",
        announced_on=group.day.day if group.day else None,
        announced_precision=group.day.precision if group.day else None,
        date_source=date_source(group),
        evidence=_evidence(mentions),
        confidence=confidence(group),
        place=place_name(located, context.readings, code),
        category=categorize([m.sentence.text for m in mentions]),
        period_start=group.period.start_year if group.period else None,
        period_end=group.period.end_year if group.period else None,
        alternatives=tuple(alternatives),
        mentions=len(mentions),
    )


def _evidence(mentions: list[Mention]) -> str:
    """The sentence that carries the figure: the first one in the body, a headline only if alone."""
    for mention in mentions:
        if not is_headline(mention.sentence.text):
            return mention.sentence.text
    return mentions[0].sentence.text


def extract_candidates(
    text: str,
    published: date,
    language: str | None = None,
    catalogue: Catalogue | str | Path | None = None,
    set_aside: bool = False,
) -> list[Finding]:
    """The investments an article reports (each a Finding), in the order it first states them.

    `published` anchors relative dates ("yesterday", "mardi dernier"); `language` (one of LANGUAGES)
    is detected when not given; `catalogue` is a Catalogue or the path of a companies CSV
    (the project's data/companies.csv when omitted). With `set_aside`, the figures of catalogue
    companies the reading set aside follow, each with its reason in `set_aside` ("cumulative total",
    "fine"...): for a review queue that shows them as such, and for measuring the confidence.
    """
    language = (language or "").lower()[:2]
    if language not in LANGUAGES:
        language = detect_language(text)
    surnames = {match.group(1) for match in _FIRST_LAST.finditer(text)}
    context = Context(_catalogue(catalogue), language, published, surnames)
    mentions = _read(text, context)
    locate(mentions, context.readings)
    carry_first_company(mentions, context)
    share_reasons(mentions)
    groups = drop_estimates(merge(mentions))
    date_groups(groups, context)
    groups = drop_totals(groups)
    found = [_finding(group, context) for group in groups]
    # --- Capacity (issue 19): MW/GW and GPUs from each figure's sentences, else from the whole article
    # when it reports one investment only. Kept to these lines; the rule is in ingest.extract.capacity.
    alone = (text,) if len(found) == 1 else ()
    found = [
        with_capacity(c, *(m.sentence.text for m in g.mentions), *alone)
        for c, g in zip(found, groups, strict=True)
    ]
    if set_aside:
        aside = set_aside_groups(mentions, groups)
        date_groups(aside, context)
        found += [replace(_finding(g, context), set_aside=g.lead.reason) for g in aside]
    return found
