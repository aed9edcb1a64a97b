"""Where a figure's money goes: a place in the figure's own clause (the nearest, a specific country
before Europe as a whole, a list of countries read as Europe), else the place the story is about around
its sentence; figures outside Europe or nowhere are set aside. The places themselves are found by
`places.find_places`; this module decides which one a figure takes."""

import re

from more_itertools import unique_everseen

from .mentions import Mention, Reading
from .places import EUROPE, Place
from .sentences import Sentence

# A place this far from a figure (in characters) may belong to another clause of a long sentence.
FAR_PLACE = 80


def place_figure(mention: Mention, places: list[Place]) -> None:
    """Set the place the figure's own clause gives it (`place`, `code`, `country_source`,
    `place_distance`), if any."""
    text, lo, hi = mention.sentence.text, mention.lo, mention.hi
    start, end = mention.figure.money.start, mention.figure.end
    own = [p for p in places if lo <= p.start < hi]
    place, weak = _place_in_span(own, start, end, text)
    if place:
        mention.place, mention.code = place, place.code
        mention.country_source = "weak" if weak and place.code == EUROPE else "span"
        mention.place_distance = _distance(place, start, end)


def locate(mentions: list[Mention], readings: list[Reading]) -> None:
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


def country_mention(mentions: list[Mention]) -> Mention:
    """The mention whose place is a group's country: a figure's own clause beats the context; the
    first such mention decides, unless its place stood far from the figure and another's is nearer."""
    located = [m for m in mentions if m.country_source == "span"] or mentions
    first = located[0]
    if first.place_distance > FAR_PLACE:
        return min(located, key=lambda m: m.place_distance)
    return first


def place_name(mention: Mention, readings: list[Reading], code: str | None) -> str | None:
    """The place a candidate names: Europe's own name for a Europe-wide figure, else up to three
    localities of the country, else the country as written."""
    if code in (None, EUROPE):
        return mention.place.name if mention.place and mention.place.code == EUROPE else None
    # Localities of the figure's own sentence, else of its paragraph, else the country's name.
    for same in (
        lambda s: s.index == mention.sentence.index,
        lambda s: s.paragraph == mention.sentence.paragraph,
    ):
        localities = list(
            unique_everseen(
                place.name
                for reading in readings
                if same(reading.sentence)
                for place in reading.places
                if place.code == code and place.kind == "locality"
            )
        )
        if localities:
            return ", ".join(localities[:3])
    return mention.place.name if mention.place and mention.place.kind != "demonym" else None


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


def _context_place(readings: list[Reading], sentence: Sentence, same_paragraph: bool = False) -> Place | None:
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
