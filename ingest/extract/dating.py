"""When a figure was announced and for what period: a date in its own clause or sentence, else in a
figure-free sentence of its paragraph, else the story's own date (its lead, its dateline) when the figure
is the news, else the publication date. A figure in a sentence about earlier events ("had already
invested") is background and takes no story date. The dates themselves are found by `dates.find_dates`;
this module decides which one a figure takes."""

import re

from more_itertools import first, unique_everseen

from .dates import DateMention, Period, find_periods
from .mentions import Context, Group, Mention, Reading
from .sentences import dateline_end, is_headline

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
# A figure takes the most precise date of its sentence: a day before a month before a year.
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
# Ranks of a group's date by where it was read: 0-6 its own or its paragraph's sentences, 8 the story's
# lead or its dateline, 9 the publication date.
_PARAGRAPH_COARSE = (3, 6)  # the ranks _paragraph_date gives a month and a year
_DATELINE_RANK = 8
_PUBLISHED_RANK = 9


def is_background(text: str) -> bool:
    """Whether a sentence is about earlier events (outside its relative clauses)."""
    return _BACKGROUND.search(_RELATIVE_ASIDE.sub(",", text)) is not None


def background_in_clause(text: str, lo: int, start: int, hi: int) -> bool:
    """Whether the clause of a figure that follows another figure is about earlier events: "After €2bn
    announced last year, a further €3bn": the earlier clause's words are its own."""
    clause = max(lo, max((text.rfind(mark, lo, start) for mark in ",;:–—"), default=lo))
    return _BACKGROUND.search(text, clause, hi) is not None


def best_date(
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


def _paragraph_date(mention: Mention, readings: list[Reading]) -> tuple[DateMention | None, int]:
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


# Body paragraphs (headlines and captions left out) in which the story's own date is looked for.
_LEAD_PARAGRAPHS = 3


def _lead_readings(readings: list[Reading]) -> list[Reading]:
    """The sentences of the headline and the first body paragraphs."""
    body = list(unique_everseen(r.sentence.paragraph for r in readings if not is_headline(r.sentence.text)))
    lead = set(body[:_LEAD_PARAGRAPHS]) | set(range(first(body, 0)))
    return [r for r in readings if r.sentence.paragraph in lead]


def _lead_date(readings: list[Reading]) -> DateMention | None:
    """The date the story's news happened: the first exact day of its first body paragraphs ("W
    poniedziałek, 17 lutego"), else a week read as a day ("last week")."""
    days = [
        d
        for r in _lead_readings(readings)
        for d in r.dates
        if d.precision == "day" and d.start >= dateline_end(r.sentence.text)
    ]
    exact = [d for d in days if d.exact]
    return first(exact or days, None)


def _dateline_date(readings: list[Reading]) -> DateMention | None:
    """The date of the story's dateline ("LONDON, 14 October --"), when it has one."""
    for reading in readings[:3]:
        head = dateline_end(reading.sentence.text)
        for day in reading.dates:
            if day.precision == "day" and day.end <= head:
                return day
    return None


def date_groups(groups: list[Group], context: Context) -> None:
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


def date_source(group: Group) -> str | None:
    """Where the date was read: the figure's sentence, its paragraph, the story's lead, its dateline,
    or its publication."""
    if group.day is None:
        return None
    if group.source:
        return group.source
    own = any(m.day is group.day for m in group.mentions)
    return "sentence" if own else "paragraph"


def _period(mentions: list[Mention], context: Context, year: int) -> Period | None:
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
