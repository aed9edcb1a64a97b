"""From an article's text to its candidate investments.

Reading goes sentence by sentence, keeping what a reader keeps: the company the story is about (so "la
firme" or "the company" in the next sentence is that company), the story's own date (so "deux jours
auparavant" counts back from it), and the places just named. Each figure of money is then given an
owner, a country, a date and a period, or set aside with the reason a careful reader would give (a
revenue figure, a partner's money, a data centre in Texas). Repeats of one figure merge into one
candidate; a total that only adds up figures the article also gives one by one is dropped.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
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
# A relative clause between commas ("L'azienda, che ha già 3.000 dipendenti, prevede..."): its "already"
# is about something else than the sentence's figure.
_RELATIVE_ASIDE = re.compile(
    r",\s*(?:che|cui|qui|dont|que|quien|quienes|which|who|whose|der|die|das|dessen|deren|welche[rs]?|który"
    r"|która|które|którego|dat|wat|o qual|a qual|cujo|cuja)\b[^,]{0,150},",
    re.IGNORECASE,
)
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
# The words before the upper end of a range: "entre 30 et", "between 1 and", "1,5-", "od 6 do".
_RANGE_BEFORE = re.compile(
    r"(?:\b(?:entre|between|zwischen|tra|fra|tussen|od|from|de|von|van|da)\s+\d[\d.,]*\s*"
    r"(?:\w+\s+)?(?:et|and|und|e|y|en|do|to|à|a|bis|tot|al)\s+|\d[\d.,]*\s?[-–]\s?)$",
    re.IGNORECASE,
)
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
# Ranks of a group's date by where it was read: 0-6 its own or its paragraph's sentences, 8 the story's
# lead or its dateline, 9 the publication date.
_PARAGRAPH_COARSE = (3, 6)  # the ranks _paragraph_date gives a month and a year
_DATELINE_RANK = 8
_PUBLISHED_RANK = 9


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
    ranged: bool = False  # the upper end of a range ("entre 30 et 50 milliards"): an estimate
    place_distance: float = 0  # how far the clause's place stands from the figure, in characters
    risk: str | None = None  # a reason to doubt the figure read anywhere in its sentence, not beside it


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
    source: str | None = None  # "lead", "dateline" or "published" when not read beside the figure

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


# "The former ... the latter" after two companies: the first or the last of the two.
# Only the unambiguous forms: "le premier" or "el segundo" are as often a minister or a building.
_FORMER = re.compile(
    r"\b(?:the former|erstere[rs]?|eerstgenoemde|pierwsz[ya] z nich|el primero de (?:ellos|ellas|los dos)"
    r"|il primo dei due|o primeiro deles)\b",
    re.IGNORECASE,
)
_LATTER = re.compile(
    r"\b(?:the latter|letztere[rs]?|este último|esta última|quest['’]ultim[oa]|laatstgenoemde|drug[ia] z nich"
    r"|ten ostatni|ta ostatnia|este último|esta última|ce dernier|cette dernière)\b",
    re.IGNORECASE,
)


def _former_or_latter(
    text: str, lo: int, start: int, companies: list[CompanyMention], context: _Context
) -> CompanyMention | None:
    """The company "the former" or "the latter" in a figure's clause stands for: of the last two
    companies named before, the first or the second."""
    clause = text[lo:start]
    former, latter = _FORMER.search(clause), _LATTER.search(clause)
    if not (former or latter):
        return None
    named = [*context.recent, *(m for m in companies if m.end <= lo + (former or latter).start())]
    pair: list[CompanyMention] = []
    for mention in reversed(named):
        if all(mention.family != other.family for other in pair):
            pair.insert(0, mention)
        if len(pair) == 2:
            break
    if len(pair) < 2:
        return None
    if former and latter:
        return pair[0] if former.start() > latter.start() else pair[1]
    return pair[0] if former else pair[1]


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


# Words that make the place after them one site among several: "tres centros, uno de ellos en España".
_ONE_OF_THEM = re.compile(
    r"(?:one of (?:them|which|those)|uno de (?:ellos|los cuales)|una de (?:ellas|las cuales)|l['’]un d['’](?:eux|entre eux)"
    r"|dont (?:un|l['’]un|une)|darunter (?:einer|eines|eine)|(?:einer|eines|eine) davon|uno dei quali|di cui uno"
    r"|uno di questi|een (?:daarvan|ervan)|waarvan (?:een|één)|jeden z nich|jedno z nich|w tym (?:jeden|jedno)"
    r"|um deles|uma delas|um dos quais|including one|y uno|and one|et un)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)


def _place_in_span(places: list[Place], start: int, end: int, text: str) -> tuple[Place | None, bool]:
    """The place a figure's own clause gives it, and whether that place is weak evidence (an adjective,
    a part of Europe). A specific European country beats Europe as a whole, unless it is only one site
    among several ("en Europa ... tres centros, uno de ellos en España"); a list of countries
    ("Noruega, Suecia y España") is several countries: Europe."""
    if any(p.code == EUROPE and p.kind == "europe" for p in places):
        places = [p for p in places if not _ONE_OF_THEM.search(text[max(0, p.start - 40) : p.start])]
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
    dates: list[DateMention], start: int, end: int, lo: int, hi: int, text: str = ""
) -> tuple[DateMention | None, int]:
    """The date of a figure within its sentence: day precision first, its own clause first. A date
    written between an earlier figure and a comma before this one is the earlier figure's ("after €2bn
    announced last year, a further €3bn")."""
    best, best_key = None, None
    for mention in dates:
        if lo and lo <= mention.start < start and re.search(r"[,;:–—]", text[mention.end : start]):
            continue
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
        context.readings.append(_Reading(sentence, companies, places, dates, figures))
        cue = bool(figures) and has_investment_cue(sentence.text)
        background = bool(figures) and _BACKGROUND.search(_RELATIVE_ASIDE.sub(",", sentence.text)) is not None
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
    if background and lo:
        # "After €2bn announced last year, a further €3bn": the earlier clause's words are its own.
        clause = max(lo, max((text.rfind(mark, lo, start) for mark in ",;:–—"), default=lo))
        background = _BACKGROUND.search(text, clause, hi) is not None
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
    referred = _former_or_latter(text, lo, start, companies, context)
    if referred and not (owner and owner.start >= lo):
        owner, other = referred, False
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
    mention.reason = mention.reason or reason
    # Words of another kind of money anywhere in the sentence: the narrow window missed them, or they
    # belong to another clause; either way the figure is less certain.
    mention.risk = _sentence_reason(text) or (
        "since"
        if any(year < context.published.year for year, _, _ in find_since(text, context.language))
        else None
    )

    own = [p for p in places if lo <= p.start < hi]
    place, weak = _place_in_span(own, start, end, text)
    if place:
        mention.place, mention.code = place, place.code
        mention.country_source = "weak" if weak and place.code == EUROPE else "span"
        mention.place_distance = _distance(place, start, end)
    mention.day, mention.day_rank = _best_date(dates, start, end, lo, hi, text)
    mention.ranged = _RANGE_BEFORE.search(text[max(0, start - 30) : start]) is not None
    mention.currency = figure.money.currency
    if mention.currency is None:
        mention.currency_explicit = False
        mention.currency = _implied_currency(figure.money, context)
    return mention


@lru_cache(maxsize=64)
def _sentence_reason(text: str) -> str | None:
    """non_investment_reason over a whole sentence, read once for all its figures."""
    return non_investment_reason(text)


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


# Links to other articles that pages print inside the text: "Read also: ...", "Leia também" then a headline.
_READ_ALSO = re.compile(
    r"\s*(?:read (?:also|more)|see also|related(?: articles?| topics)?|lire aussi|à lire aussi|voir aussi"
    r"|lee también|leer más|te puede interesar|más información|lesen sie auch|mehr zum thema|leggi anche"
    r"|potrebbe interessarti|lees ook|lees meer|czytaj (?:też|także|również)|zobacz (?:też|także)"
    r"|leia (?:também|mais)|veja também|saiba mais)\b\s*[:.]?(?:\s.*)?",
    re.IGNORECASE,
)
# Body paragraphs (headlines and captions left out) in which the story's own date is looked for.
_LEAD_PARAGRAPHS = 3


def _lead_readings(readings: list[_Reading]) -> list[_Reading]:
    """The sentences of the headline and the first body paragraphs."""
    body: list[int] = []
    for reading in readings:
        paragraph = reading.sentence.paragraph
        if paragraph not in body and not _HEADLINE.search(reading.sentence.text):
            body.append(paragraph)
    lead = set(body[:_LEAD_PARAGRAPHS]) | set(range(min(body[:1] or [0])))
    return [r for r in readings if r.sentence.paragraph in lead]


def _lead_date(readings: list[_Reading]) -> DateMention | None:
    """The date the story's news happened: the first exact day of its first body paragraphs ("W
    poniedziałek, 17 lutego"), else a week read as a day ("last week")."""
    days = [
        d
        for r in _lead_readings(readings)
        for d in r.dates
        if d.precision == "day" and d.start >= _dateline_end(r.sentence.text)
    ]
    exact = [d for d in days if d.exact]
    return (exact or days or [None])[0]


def _dateline_date(readings: list[_Reading]) -> DateMention | None:
    """The date of the story's dateline ("LONDON, 14 October --"), when it has one."""
    for reading in readings[:3]:
        head = _dateline_end(reading.sentence.text)
        for day in reading.dates:
            if day.precision == "day" and day.end <= head:
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


# A place this far from a figure (in characters) may belong to another clause of a long sentence.
_FAR_PLACE = 80


def _same_figure_nearer_place(group: _Group, mention: _Mention) -> bool:
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
    return lead.place_distance > _FAR_PLACE and mention.place_distance < _FAR_PLACE / 2


def _merge(mentions: list[_Mention]) -> list[_Group]:
    groups: list[_Group] = []
    for mention in mentions:
        if mention.reason or not mention.company:
            continue
        home = next((g for g in groups if _same_figure(g, mention)), None)
        home = home or next((g for g in groups if _same_figure_nearer_place(g, mention)), None)
        if home:
            home.mentions.append(mention)
        elif mention.cue:
            groups.append(_Group([mention]))
    return groups


def _drop_estimates(groups: list[_Group]) -> list[_Group]:
    """Drop a range ("entre 30 et 50 milliards") when the same company has a firm figure: the range is
    an estimate around the news, not the news; alone, it is the only figure there is."""
    firm = {g.lead.family for g in groups if not all(m.ranged for m in g.mentions)}
    return [g for g in groups if not (all(m.ranged for m in g.mentions) and g.lead.family in firm)]


def _date_groups(groups: list[_Group], context: _Context) -> None:
    """Give each group its best date: its own sentences, its paragraphs, else the story's date when
    the figure is the news (the company the article is about, not a background figure)."""
    lead_day = _lead_date(context.readings)
    dateline = _dateline_date(context.readings)
    main_family = context.catalogue.family(context.first_company.slug) if context.first_company else None
    # The companies the story is about: the first one named, and those its lead paragraphs name.
    lead_families = {main_family} | {c.family for r in _lead_readings(context.readings) for c in r.companies}
    for group in groups:
        dated = [(m.day, m.day_rank) for m in group.mentions if m.day]
        dated += [_paragraph_date(m, context.readings) for m in group.mentions]
        dated = [(d, r) for d, r in dated if d]
        if dated:
            group.day, group.day_rank = min(dated, key=lambda pair: pair[1])
        background = any(m.background for m in group.mentions)
        # A month or year read in a figure-free sentence of the paragraph (a permit "in January") is a
        # weaker date than the story's own day.
        story = lead_day is not None and group.lead.family in lead_families and not background
        if story and (
            group.day is None or (group.day_rank in _PARAGRAPH_COARSE and group.day.day <= lead_day.day)
        ):
            group.day, group.day_rank, group.source = lead_day, 8, "lead"
        if group.day is None and dateline and not background:
            group.day, group.day_rank, group.source = dateline, _DATELINE_RANK, "dateline"
        elif group.day is None and not background:
            # The news is dated by its publication when the text fixes no day: say so (`date_source`).
            published = context.published
            group.day = DateMention(published, "day", -1, -1, published.isoformat())
            group.day_rank, group.source = _PUBLISHED_RANK, "published"
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
                    part.day, part.day_rank, part.source = group.day, group.day_rank, group.source
                part.period = part.period or group.period
            continue
        kept.append(group)
    return kept


# Words of investing in the eight languages: a figure in a sentence that says "invest" is rarely wrong.
_INVEST_WORD = re.compile(r"invest|invert|inversi|inwest|steck|iniett|stanzi", re.IGNORECASE)


def _confidence(group: _Group) -> float:
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


def _candidate(group: _Group, context: _Context) -> Candidate:
    mentions = group.mentions
    lead = group.lead
    # The country: a figure's own clause beats the context; the first such mention decides.
    located = [m for m in mentions if m.country_source == "span"] or mentions
    country_mention = located[0]
    if country_mention.place_distance > _FAR_PLACE:
        country_mention = min(located, key=lambda m: m.place_distance)
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
        date_source=_date_source(group),
        evidence=_evidence(mentions),
        confidence=_confidence(group),
        place=_place_name(country_mention, context.readings, code),
        category=categorize([m.sentence.text for m in mentions]),
        period_start=group.period.start_year if group.period else None,
        period_end=group.period.end_year if group.period else None,
        alternatives=tuple(alternatives),
        mentions=len(mentions),
    )


def _date_source(group: _Group) -> str | None:
    """Where the date was read: the figure's sentence, its paragraph, the story's lead, its dateline,
    or its publication."""
    if group.day is None:
        return None
    if group.source:
        return group.source
    own = any(m.day is group.day for m in group.mentions)
    return "sentence" if own else "paragraph"


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
    set_aside: bool = False,
) -> list[Candidate]:
    """The candidate investments an article reports, in the order it first states them.

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
    _share_reasons(mentions)
    groups = _drop_estimates(_merge(mentions))
    _date_groups(groups, context)
    groups = _drop_totals(groups)
    found = [_candidate(group, context) for group in groups]
    # --- Capacity (issue 19): MW/GW and GPUs from each figure's sentences, else from the whole article
    # when it reports one investment only. Kept to these lines; the rule is in ingest.extract.capacity.
    alone = (text,) if len(found) == 1 else ()
    found = [
        with_capacity(c, *(m.sentence.text for m in g.mentions), *alone)
        for c, g in zip(found, groups, strict=True)
    ]
    if set_aside:
        aside = _set_aside_groups(mentions, groups)
        _date_groups(aside, context)
        found += [replace(_candidate(g, context), set_aside=g.lead.reason) for g in aside]
    return found


# Reasons not worth a reviewer's look: the tracker is about Europe.
_OUT_OF_SCOPE = {"no place", "outside Europe"}


def _share_reasons(mentions: list[_Mention]) -> None:
    """A figure the article explains once ("un montant total de 37 milliards" at a summit) is the same
    thing where it is only restated: a headline, or a sentence that does not name its company."""
    explained = [m for m in mentions if m.reason and m.reason not in _OUT_OF_SCOPE | _NOT_SHARED]
    for mention in mentions:
        if mention.reason or not (
            mention.company_source != "sentence" or _HEADLINE.search(mention.sentence.text)
        ):
            continue
        money = mention.figure.money
        for other in explained:
            same = other.figure.money
            if other.currency == mention.currency and abs(same.amount - money.amount) <= 0.005 * money.amount:
                mention.reason = other.reason
                break


# Reasons that belong to one mention's place or words, not to the figure wherever it is written.
_NOT_SHARED = {
    "per-site share",
    "part of a larger figure",
    "another investor's money",
    "stake in another company",
}


def _set_aside_groups(mentions: list[_Mention], kept: list[_Group]) -> list[_Group]:
    """The figures of catalogue companies the reading set aside (a running total, a fine, a partner's
    money), merged like kept ones; a figure that a kept candidate also carries is not repeated."""
    groups: list[_Group] = []
    for mention in mentions:
        if not mention.company or not mention.reason or mention.reason in _OUT_OF_SCOPE:
            continue
        if any(_same_figure(g, mention) for g in kept):
            continue
        home = next((g for g in groups if g.lead.reason == mention.reason and _same_figure(g, mention)), None)
        if home:
            home.mentions.append(mention)
        else:
            groups.append(_Group([mention]))
    return groups
