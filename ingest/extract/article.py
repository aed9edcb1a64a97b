"""From an article's text to its candidate investments.

Reading goes sentence by sentence, keeping what a reader keeps: the company the story is about (so "la
firme" or "the company" in the next sentence is that company), the story's own date (so "deux jours
auparavant" counts back from it), and the places just named. Each figure of money is then given an
owner, a country, a date and a period, or set aside with the reason a careful reader would give (a
revenue figure, a partner's money, a data centre in Texas). Repeats of one figure merge into one
candidate; a total that only adds up figures the article also gives one by one is dropped.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .actors import (
    Investor,
    figure_owned_by_other,
    find_institutions,
    find_other_investors,
    find_partners,
    other_named_subject,
)
from .candidate import Candidate
from .capacity import with_capacity
from .categories import categorize
from .companies import Catalogue, CompanyMention, load_catalogue
from .cues import has_investment_cue, is_component, is_stake_gap, leads_into_total, non_investment_reason
from .dates import DateMention, Period, find_dates, find_periods, find_since
from .language import LANGUAGES, detect_language
from .money import Figure, Money, find_money, link_conversions, plausible_conversion, usd_value
from .places import EUROPE, Place, find_places
from .sentences import Sentence, split_sentences

# Smallest amount taken as an investment: below it figures are prices, grants to one school, fees.
MINIMUM_AMOUNT = 100_000
# Largest: no company pledge reaches a trillion dollars; such figures are market values or GDP.
MAXIMUM_USD = 900e9

# A company named right after a figure owns it: "15.700 millones de AWS", "€3bn by Microsoft".
_OWNER_AFTER = re.compile(
    r"^\s*(?:\)\s*)?(?:de|d['’]|del|by|from|of|von|vom|der|des|di|da|dal|della|par|por|de la part d[e'])\s*$",
    re.IGNORECASE,
)
# Words before a company that make it a partner, not the investor ("with OpenAI", "avec Nvidia").
_PARTNERED = re.compile(
    r"(?:\bwith|\bavec|\bcon|\bmit|\binsieme a|\bjunto a|\btogether with|\balongside|\bpartnership with"
    r"|\bpartenariat avec|\baux côtés d[e']|\bzusammen mit|\bgemeinsam mit|\bin collaborazione con"
    r"|\ben colaboración con|\bpartners?|\bsocio|\bpartenaire|\blike|\bcomme|\bcomo|\bwie|\bcome)\s+"
    r"(?:\w+\s+)?$",
    re.IGNORECASE,
)
# A sentence about earlier events: its figure is background, not the news the article's date is for.
_BACKGROUND = re.compile(
    r"\b(?:had|avait|avaient|había|habían|hatte|hatten|aveva|avevano|already|déjà|ya|bereits|schon|già"
    r"|previously|précédemment|anteriormente|zuvor|in precedenza|earlier|auparavant|antes|früher"
    r"|last year|l['’]an dernier|el año pasado|im vergangenen Jahr|l['’]anno scorso)\b",
    re.IGNORECASE,
)
# Auxiliaries and participles of money already put in: with "since 2007" before a figure, a total.
_PERFECT = re.compile(
    r"\b(?:has|have|had|hat|haben|hatte|a|ont|avait|ha|han|había|hanno|aveva)\b[^.]{0,120}"
    r"\b(?:invested|spent|put|poured|investi|dépensé|invertido|gastado|investiert|gesteckt|ausgegeben"
    r"|aufgewendet|investito|speso)\b",
    re.IGNORECASE,
)
# A sentence that opens by taking a share of the figure before: "Davon sollen 600 Millionen...".
_PART_OF_PREVIOUS = re.compile(
    r"(?:Davon|Hiervon|Of this|Of that|Of which|Of the total|Dont|Sur cette somme|Sur ce montant"
    r"|De esta cantidad|De ellos|De esa cifra|Di questi|Di cui|Di questa somma)\b",
)
_DATELINE = re.compile(
    r"(?-i:[A-ZÀ-Þ])[\w .'’-]{1,40}?(?:,\s*[^-–—()]{1,30}?)?\s*(?:\([^)]{1,30}\))?\s*(?:[-–—]+|\.-)\s+"
)
_AMERICAN = re.compile(
    r"\b(?:estadounidense|norteamericana?|american[oa]?|americaine?|américaine?|statunitense|US-amerikanisch\w*"
    r"|amerikanisch\w*|U\.?S\.?(?=[ -]))",
    re.IGNORECASE,
)
_LIST_OF_NAMES = re.compile(r"\s*(?:,|,?\s+(?:and|et|y|e|und))\s*")
_AFTER_PREPOSITION = re.compile(
    r"\b(?:de|d['’]|of|by|with|von|vom|di|da|con|avec|par|por|para|for|from|mit|del|des|du|dei|delle|degli"
    r"|della|at|à|au|en|in|nel|bei|chez|sur|on|to|a|al|zu|zum|zur|für|pour)\s*$",
    re.IGNORECASE,
)
_COMPARED = re.compile(
    r"\b(?:contre|compared with|compared to|versus|vs|against|up from|down from|frente a|comparado con"
    r"|en comparación con|gegenüber|im Vergleich zu|nach|rispetto a|contro|dopo i)\b",
    re.IGNORECASE,
)
_FIRST_LAST = re.compile(r"\b(?-i:[A-ZÀ-Þ][a-zà-ÿ]+)\s+(?-i:([A-ZÀ-Þ][a-zà-ÿ]+))\b")
# A sentence without final punctuation is a headline or a caption.
_HEADLINE = re.compile(r"[^.!?…»”\"')]\s*$")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass
class _Mention:
    """One occurrence of a figure, with everything the sentence and its context say about it."""

    sentence: Sentence
    figure: Figure
    lo: int  # the figure's own clause within the sentence: from the previous figure to the next one
    hi: int
    company: str | None = None
    family: str | None = None
    company_source: str = "none"  # "sentence", "context"
    code: str | None = None  # ISO alpha-2, EUROPE, a region code, or None when unknown
    country_source: str = "none"  # "span", "context", "none"
    place: Place | None = None
    day: DateMention | None = None
    day_rank: int = 9  # lower is better evidence for the date
    cue: bool = False
    background: bool = False
    reason: str | None = None
    currency: str | None = None
    currency_explicit: bool = True


@dataclass
class _Reading:
    """One sentence and what was found in it."""

    sentence: Sentence
    companies: list[CompanyMention]
    places: list[Place]
    dates: list[DateMention]
    figures: list[Figure]


@dataclass
class _Group:
    """Mentions merged into one investment."""

    mentions: list[_Mention] = field(default_factory=list)
    day: DateMention | None = None
    day_rank: int = 9
    period: Period | None = None

    @property
    def lead(self) -> _Mention:
        return self.mentions[0]


@dataclass
class _Context:
    """What the reader carries from sentence to sentence."""

    catalogue: Catalogue
    language: str
    published: date
    surnames: set[str]
    anchor: date | None = None
    last_company: CompanyMention | None = None
    first_company: CompanyMention | None = None
    recent: list[CompanyMention] = field(default_factory=list)
    readings: list[_Reading] = field(default_factory=list)
    amounts: list[Money] = field(default_factory=list)


def _catalogue(catalogue: Catalogue | str | Path | None) -> Catalogue:
    if isinstance(catalogue, Catalogue):
        return catalogue
    return load_catalogue(catalogue) if catalogue else load_catalogue()


def _figure_end(figure: Figure) -> int:
    return figure.alternatives[-1].end if figure.alternatives else figure.money.end


def _owner(
    text: str,
    companies: list[CompanyMention],
    investors: list[Investor],
    start: int,
    end: int,
    head: int = 0,
) -> tuple[CompanyMention | None, bool]:
    """The catalogue company a figure in this sentence belongs to, and whether another investor
    (a government, a partner) owns it instead."""
    for mention in companies:
        if end <= mention.start <= end + 40 and _OWNER_AFTER.match(text[end : mention.start]):
            return mention, False
    before = [m for m in companies if m.end <= start]
    # A company inside an aside ("CoreWeave, which rents out Nvidia chips, will...") or named as a
    # partner or comparison ("with OpenAI", "comme Google") is not the subject when another is.
    subjects = [
        m
        for i, m in enumerate(before)
        if not _PARTNERED.search(text[max(0, m.start - 40) : m.start])
        and not (i and "," in text[before[i - 1].end : m.start] and "," in text[m.end : start])
        and not _in_aside(text, m, start, head)
    ]
    if before and _in_list(text, before, before[-1]):
        return None, True  # "Microsoft, Google y Nvidia, que en total suman...": a joint total
    # Only companies in asides: the subject is a pronoun or epithet for the company of the story.
    chosen = subjects[-1] if subjects else None
    nearest_other = max((i.end for i in investors if i.end <= start), default=-1)
    if nearest_other > (chosen.end if chosen else -1):
        return None, True
    if chosen:
        return chosen, False
    # A company the money goes into ("its $13bn relationship with OpenAI, the maker of ChatGPT") is
    # not its owner, under any of its names.
    targets = {m.family for m in companies if m.start >= end and _is_stake(text, end, m)}
    after = [m for m in companies if m.start >= end and m.family not in targets]
    if after and not any(i.start < after[0].start for i in investors if i.start >= end):
        return after[0], False
    return None, False


def _in_aside(text: str, mention: CompanyMention, start: int, head: int = 0) -> bool:
    """Whether a company is named inside an aside that ends before the figure: "La empresa,
    especializada en chips de Nvidia, ya había anunciado 1.000 millones" is not about Nvidia."""
    comma = text.rfind(",", head, mention.start)
    if comma < 0 or "," not in text[mention.end : start]:
        return False
    return len(re.findall(r"\w+", text[comma + 1 : mention.start])) >= 2


def _in_list(text: str, before: list[CompanyMention], chosen: CompanyMention) -> bool:
    """Whether a company is the last of a list of companies ("Microsoft, Google y Nvidia")."""
    index = before.index(chosen)
    if index == 0:
        return False
    previous = before[index - 1]
    glue = text[previous.end : chosen.start]
    return previous.family != chosen.family and _LIST_OF_NAMES.fullmatch(glue) is not None


def _subject_like(text: str, mention: CompanyMention) -> bool:
    """Whether a company mention can be what the next sentences are about: not the object of a
    preposition ("chips de Nvidia", "a stake in OpenAI") nor an aside."""
    return not _AFTER_PREPOSITION.search(text[max(0, mention.start - 15) : mention.start])


def _is_stake(text: str, end: int, company: CompanyMention) -> bool:
    """Whether a figure ending at `end` is money put into `company` ("$13bn relationship with OpenAI")."""
    gap = text[end : company.start]
    return len(gap) <= 40 and is_stake_gap(gap)


def _distance(place: Place, start: int, end: int) -> float:
    """How far a place is from a figure; places after it ("2,1 Mds$ en Espagne") are read first."""
    if place.start >= end:
        return place.start - end
    if place.end <= start:
        return (start - place.end) * 1.5 + 10
    return 0


_LIST_GLUE = re.compile(
    r"^\s*(?:,|and|et|y|e|und|as well as|ainsi que|así como|sowie|nonché)?\s*(?:in |en |à |a |nel |in der )?$"
)


def _listed_countries(places: list[Place], first: Place, text: str) -> set[str]:
    """Countries named in one list with `first` ("en Noruega, Suecia y España")."""
    codes = {first.code}
    previous = first
    for place in places:
        if place.start <= first.start:
            continue
        if place.kind not in ("country", "locality") or not _LIST_GLUE.match(
            text[previous.end : place.start]
        ):
            break
        codes.add(place.code)
        previous = place
    return codes


def _place_in_span(places: list[Place], start: int, end: int, text: str) -> tuple[Place | None, bool]:
    """The place a figure's own clause gives it, and whether that place is weak evidence (an adjective,
    a part of Europe). A specific European country beats Europe as a whole; a list of countries
    ("Noruega, Suecia y España") is several countries: Europe."""
    strong = [p for p in places if p.kind in ("country", "locality", "europe")]
    if strong:
        ranked = sorted(strong, key=lambda p: _distance(p, start, end))
        best = ranked[0]
        if best.code == EUROPE:
            specific = [p for p in ranked if p.code != EUROPE and p.in_europe and p.kind != "demonym"]
            if specific:
                best = specific[0]
        if best.code != EUROPE and best.in_europe and len(_listed_countries(strong, best, text)) > 1:
            return Place(EUROPE, best.name, "europe", best.start, best.end), False
        return best, False
    weak = sorted(
        (p for p in places if p.kind in ("demonym", "region")), key=lambda p: _distance(p, start, end)
    )
    return (weak[0], True) if weak else (None, False)


def _context_place(
    readings: list[_Reading], sentence: Sentence, same_paragraph: bool = False
) -> Place | None:
    """The place the story is about around a sentence: earlier in its paragraph, later in it, earlier
    paragraphs, then later ones."""
    here = sentence.index
    same = [r for r in readings if r.sentence.paragraph == sentence.paragraph]
    pools = [
        [r for r in same if r.sentence.index < here][::-1],
        [r for r in same if r.sentence.index > here],
    ]
    if not same_paragraph:
        pools += [
            [r for r in readings if r.sentence.paragraph < sentence.paragraph][::-1],
            [r for r in readings if r.sentence.paragraph > sentence.paragraph],
        ]
    for pool in pools:
        for reading in pool:
            named = [p for p in reading.places if p.kind in ("country", "locality", "europe")]
            if named:
                return named[-1] if reading.sentence.index < here else named[0]
    return None


def _best_date(
    dates: list[DateMention], start: int, end: int, lo: int, hi: int
) -> tuple[DateMention | None, int]:
    """The date of a figure within its sentence: day precision first, its own clause first."""
    best, best_key = None, None
    for mention in dates:
        inside = lo <= mention.start < hi
        distance = abs(mention.start - start) if mention.start < start else abs(mention.start - end)
        key = (_PRECISION_RANK[mention.precision], 0 if inside else 1, distance)
        if best_key is None or key < best_key:
            best, best_key = mention, key
    if best is None:
        return None, 9
    return best, {"day": 0, "month": 2, "year": 5}[best.precision]


def _read(text: str, context: _Context) -> list[_Mention]:
    """Read the article sentence by sentence; return every figure's mention."""
    catalogue, language, published = context.catalogue, context.language, context.published
    mentions: list[_Mention] = []
    for sentence in split_sentences(text):
        companies = catalogue.find(sentence.text)
        if companies and context.first_company is None:
            context.first_company = companies[0]
        places = find_places(sentence.text, language)
        dates = find_dates(sentence.text, language, published, context.anchor)
        amounts = find_money(sentence.text, language)
        figures, _ = link_conversions(sentence.text, amounts)
        figures = [f for f in figures if f.money.amount >= MINIMUM_AMOUNT]
        context.readings.append(_Reading(sentence, companies, places, dates, figures))
        cue = bool(figures) and has_investment_cue(sentence.text)
        background = bool(figures) and _BACKGROUND.search(sentence.text) is not None
        read = [
            _read_figure(
                sentence, figure, position, figures, companies, places, dates, context, cue, background
            )
            for position, figure in enumerate(figures)
        ]
        for previous, mention in zip(read, read[1:], strict=False):
            # "15 milliards de projets, contre 13 milliards l'an dernier": a figure set against one
            # that is not an investment is not one either.
            gap = sentence.text[_figure_end(previous.figure) : mention.figure.money.start]
            if previous.reason and not mention.reason and _COMPARED.search(gap):
                mention.reason = previous.reason
        mentions += read
        context.amounts += amounts
        subjects = [m for m in companies if _subject_like(sentence.text, m)]
        if subjects:
            context.last_company = subjects[-1]
            context.recent += subjects
        days = [d for d in dates if d.precision == "day"]
        if days:
            context.anchor = days[-1].day
    return mentions


def _read_figure(
    sentence: Sentence,
    figure: Figure,
    position: int,
    figures: list[Figure],
    companies: list[CompanyMention],
    places: list[Place],
    dates: list[DateMention],
    context: _Context,
    cue: bool,
    background: bool,
) -> _Mention:
    text = sentence.text
    start, end = figure.money.start, _figure_end(figure)
    lo = _figure_end(figures[position - 1]) if position else 0
    hi = figures[position + 1].money.start if position + 1 < len(figures) else len(text)
    mention = _Mention(sentence, figure, lo, hi, cue=cue, background=background)

    investors = find_other_investors(text)
    for partner in find_partners(text):
        named = any(
            c.start <= partner.start < c.end or partner.start <= c.start < partner.end for c in companies
        )
        if not named and not _PARTNERED.search(text[max(0, partner.start - 40) : partner.start]):
            investors.append(partner)
    investors.sort(key=lambda investor: investor.start)
    head = _dateline_end(text)
    owner, other = _owner(text, companies, investors, start, end, head)
    if other:
        mention.reason = "another investor's money"
    elif owner:
        mention.company, mention.company_source = owner.slug, "sentence"
    elif _carries_company(text, start, head, places, context):
        carried = context.last_company
        if _AMERICAN.search(text, head, start) and context.catalogue.country(carried.slug) not in ("", "US"):
            # "la compañía estadounidense" after "la británica Nscale": the American company named last.
            american = [m for m in context.recent if context.catalogue.country(m.slug) == "US"]
            carried = american[-1] if american else carried
        mention.company, mention.company_source = carried.slug, "context"
    elif context.last_company:
        mention.reason = "another investor's money"
    if mention.company:
        mention.family = context.catalogue.family(mention.company)
    for target in companies:
        if target.start >= end and target.family != mention.family and _is_stake(text, end, target):
            mention.reason = mention.reason or "stake in another company"

    window = text[max(lo, start - 110) : min(hi, end + 60)]
    reason = non_investment_reason(window)
    for year, since_start, _ in find_since(text, context.language):
        if year >= context.published.year:
            continue
        after_figure = end <= since_start <= end + 50
        before_figure = lo <= since_start < start and _PERFECT.search(window)
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
    mention.reason = mention.reason or reason

    own = [p for p in places if lo <= p.start < hi]
    place, weak = _place_in_span(own, start, end, text)
    if place:
        mention.place, mention.code = place, place.code
        mention.country_source = "weak" if weak and place.code == EUROPE else "span"
    mention.day, mention.day_rank = _best_date(dates, start, end, lo, hi)
    mention.currency = figure.money.currency
    if mention.currency is None:
        mention.currency_explicit = False
        mention.currency = _implied_currency(figure.money, context)
    return mention


def _implied_currency(money: Money, context: _Context) -> str:
    """The currency of a figure written without one ("mantiene su plan de 15.700 millones"): that of the
    same figure written earlier with its currency, else the euro outside English, else the article's
    most used currency."""
    for earlier in reversed(context.amounts):
        if earlier.currency and abs(earlier.amount - money.amount) <= 0.02 * money.amount:
            return earlier.currency
    if context.language != "en":
        return "EUR"
    currencies = [a.currency for a in context.amounts if a.currency]
    return max(set(currencies), key=currencies.count) if currencies else "USD"


def _locate(mentions: list[_Mention], readings: list[_Reading]) -> None:
    """Give figures without a place of their own the place the story is about around them, and set
    aside figures outside Europe or nowhere at all. Runs once the whole article is read."""
    for mention in mentions:
        if mention.country_source in ("none", "weak"):
            # "former les Européens" is about people, so only this paragraph may name a country
            # instead; "sa région cloud en Europe centrale" is a place, so the story's country may.
            same_paragraph = mention.place is not None and mention.place.kind == "demonym"
            nearby = _context_place(readings, mention.sentence, same_paragraph)
            if nearby and (mention.place is None or nearby.code != EUROPE):
                mention.place, mention.code, mention.country_source = nearby, nearby.code, "context"
            elif mention.place:
                mention.country_source = "span"
        if mention.code is None:
            mention.reason = mention.reason or "no place"
        elif mention.code != EUROPE and not mention.place.in_europe:
            mention.reason = mention.reason or "outside Europe"


def _carries_company(text: str, start: int, head: int, places: list[Place], context: _Context) -> bool:
    """Whether a sentence without a company name is still about the last company named: it is not
    when a public body or another named company or country is its subject."""
    if context.last_company is None:
        return False
    if any(head <= a < start for a, _ in find_institutions(text)):
        return False
    skip = [(p.start - head, p.end - head) for p in places if p.kind not in ("country", "europe")]
    return not other_named_subject(text[head:], context.language, context.surnames, skip)


def _dateline_end(text: str) -> int:
    """Where a sentence starts after its dateline ("MADRID, 24 Abr. -", "ZURICH, June 2 (Reuters) -")."""
    match = _DATELINE.match(text)
    return match.end() if match else 0


def _paragraph_date(mention: _Mention, readings: list[_Reading]) -> tuple[DateMention | None, int]:
    """A date from another sentence of the paragraph that has no figure of its own."""
    here = mention.sentence
    best, best_key = None, None
    for reading in readings:
        other = reading.sentence
        if other.paragraph != here.paragraph or other.index == here.index or reading.figures:
            continue
        for day in reading.dates:
            key = (_PRECISION_RANK[day.precision], abs(other.index - here.index), other.index < here.index)
            if best_key is None or key < best_key:
                best, best_key = day, key
    if best is None:
        return None, 9
    return best, {"day": 1, "month": 3, "year": 6}[best.precision]


def _lead_date(readings: list[_Reading]) -> DateMention | None:
    """The date the story's news happened: the first day-precise date of its first two paragraphs."""
    for reading in readings:
        if reading.sentence.paragraph > 2:
            break
        for day in reading.dates:
            if day.precision == "day":
                return day
    return None


def _compatible_places(a: _Mention, b: _Mention) -> bool:
    if a.code == b.code:
        return True
    return "context" in (a.country_source, b.country_source) or "none" in (a.country_source, b.country_source)


def _different_days(group: _Group, mention: _Mention) -> bool:
    """Two mentions dated differently in their own sentences are two announcements."""
    ours = [m.day.day for m in group.mentions if m.day and m.day_rank <= 2]
    theirs = mention.day.day if mention.day and mention.day_rank <= 2 else None
    if not ours or theirs is None:
        return False
    return all(
        abs((day - theirs).days) > 3 and (day.year, day.month) != (theirs.year, theirs.month) for day in ours
    )


def _same_figure(group: _Group, mention: _Mention) -> bool:
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


def _merge(mentions: list[_Mention]) -> list[_Group]:
    groups: list[_Group] = []
    for mention in mentions:
        if mention.reason or not mention.company:
            continue
        home = next((g for g in groups if _same_figure(g, mention)), None)
        if home:
            home.mentions.append(mention)
        elif mention.cue:
            groups.append(_Group([mention]))
    return groups


def _date_groups(groups: list[_Group], context: _Context) -> None:
    """Give each group its best date: its own sentences, its paragraphs, else the story's date when
    the figure is the news (the company the article is about, not a background figure)."""
    lead_day = _lead_date(context.readings)
    main_family = context.catalogue.family(context.first_company.slug) if context.first_company else None
    for group in groups:
        dated = [(m.day, m.day_rank) for m in group.mentions if m.day]
        dated += [_paragraph_date(m, context.readings) for m in group.mentions]
        dated = [(d, r) for d, r in dated if d]
        if dated:
            group.day, group.day_rank = min(dated, key=lambda pair: pair[1])
        elif lead_day and group.lead.family == main_family and not any(m.background for m in group.mentions):
            group.day, group.day_rank = lead_day, 8
        year = group.day.day.year if group.day else context.published.year
        group.period = _period(group.mentions, context, year)


def _drop_totals(groups: list[_Group]) -> list[_Group]:
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
                    part.day, part.day_rank = group.day, group.day_rank
                part.period = part.period or group.period
            continue
        kept.append(group)
    return kept


def _confidence(group: _Group) -> float:
    lead = group.lead
    score = 0.45
    if any(m.company_source == "sentence" for m in group.mentions):
        score += 0.15
    if any(m.country_source == "span" for m in group.mentions):
        score += 0.12
    if lead.currency_explicit:
        score += 0.08
    if group.day is not None:
        score += 0.05 if group.day_rank < 8 else 0.02
    if re.search(r"invest|invert|inversi", lead.sentence.text, re.IGNORECASE):
        score += 0.07
    score += min(0.08, 0.04 * (len(group.mentions) - 1))
    return max(0.05, min(0.98, score))


def _candidate(group: _Group, context: _Context) -> Candidate:
    mentions = group.mentions
    lead = group.lead
    # The country: a figure's own clause beats the context; the first such mention decides.
    located = [m for m in mentions if m.country_source == "span"] or mentions
    country_mention = located[0]
    code = country_mention.code
    country = None if code in (None, EUROPE) else code

    crowns = {"NO": "NOK", "DK": "DKK", "IS": "ISK"}.get(country or "", "SEK")
    alternatives: list[tuple[float, str]] = []
    for mention in mentions:
        for money in (mention.figure.money, *mention.figure.alternatives):
            pair = (money.amount, money.currency or mention.currency)
            if pair != (lead.figure.money.amount, lead.currency) and pair not in alternatives:
                alternatives.append(pair)
    alternatives = [(amount, crowns if currency == "KR" else currency) for amount, currency in alternatives]
    named = [m.company for m in mentions if m.company_source == "sentence" and m.company]
    return Candidate(
        company=named[0] if named else lead.company or "",
        country=country,
        amount=lead.figure.money.amount,
        currency=crowns if lead.currency == "KR" else lead.currency or "",
        announced_on=group.day.day if group.day else None,
        announced_precision=group.day.precision if group.day else None,
        evidence=_evidence(mentions),
        confidence=_confidence(group),
        place=_place_name(country_mention, context.readings, code),
        category=categorize([m.sentence.text for m in mentions]),
        period_start=group.period.start_year if group.period else None,
        period_end=group.period.end_year if group.period else None,
        alternatives=tuple(alternatives),
        mentions=len(mentions),
    )


def _evidence(mentions: list[_Mention]) -> str:
    """The sentence that carries the figure: the first one in the body, a headline only if alone."""
    for mention in mentions:
        if not _HEADLINE.search(mention.sentence.text):
            return mention.sentence.text
    return mentions[0].sentence.text


def _place_name(mention: _Mention, readings: list[_Reading], code: str | None) -> str | None:
    if code in (None, EUROPE):
        return mention.place.name if mention.place and mention.place.code == EUROPE else None
    # Localities of the figure's own sentence, else of its paragraph, else the country's name.
    for same in (
        lambda s: s.index == mention.sentence.index,
        lambda s: s.paragraph == mention.sentence.paragraph,
    ):
        localities: list[str] = []
        for reading in readings:
            if not same(reading.sentence):
                continue
            for place in reading.places:
                if place.code == code and place.kind == "locality" and place.name not in localities:
                    localities.append(place.name)
        if localities:
            return ", ".join(localities[:3])
    return mention.place.name if mention.place and mention.place.kind != "demonym" else None


def _period(mentions: list[_Mention], context: _Context, year: int) -> Period | None:
    """The period of a figure: in its own clause, its sentence, then its paragraph's figure-free sentences."""
    for mention in mentions:
        periods = find_periods(mention.sentence.text, context.language, year)
        if periods:
            inside = [p for p in periods if mention.lo <= p.start < mention.hi] or periods
            start = mention.figure.money.start
            return min(inside, key=lambda p: abs(p.start - start))
    for mention in mentions:
        for reading in context.readings:
            other = reading.sentence
            if other.paragraph == mention.sentence.paragraph and not reading.figures:
                periods = find_periods(other.text, context.language, year)
                if periods:
                    return periods[0]
    return None


def extract_candidates(
    text: str,
    published: date,
    language: str | None = None,
    catalogue: Catalogue | str | Path | None = None,
) -> list[Candidate]:
    """The candidate investments an article reports, in the order it first states them.

    `published` anchors relative dates ("yesterday", "mardi dernier"); `language` ("en", "fr", "es",
    "de", "it") is detected when not given; `catalogue` is a Catalogue or the path of a companies CSV
    (the project's data/companies.csv when omitted).
    """
    language = (language or "").lower()[:2]
    if language not in LANGUAGES:
        language = detect_language(text)
    surnames = {match.group(1) for match in _FIRST_LAST.finditer(text)}
    context = _Context(_catalogue(catalogue), language, published, surnames)
    mentions = _read(text, context)
    _locate(mentions, context.readings)
    if context.first_company:
        # A figure before any company is named belongs to the first company the article names.
        for mention in mentions:
            if mention.company is None and mention.reason is None:
                mention.company = context.first_company.slug
                mention.family = context.catalogue.family(mention.company)
                mention.company_source = "context"
    groups = _merge(mentions)
    _date_groups(groups, context)
    groups = _drop_totals(groups)
    candidates = [_candidate(group, context) for group in groups]
    # --- Capacity (issue 19): MW/GW and GPUs from each figure's sentences, else from the whole article
    # when it reports one investment only. Kept to these lines; the rule is in ingest.extract.capacity.
    alone = (text,) if len(candidates) == 1 else ()
    return [
        with_capacity(c, *(m.sentence.text for m in g.mentions), *alone)
        for c, g in zip(candidates, groups, strict=True)
    ]
