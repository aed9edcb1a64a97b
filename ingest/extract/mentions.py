"""What the reader of an article records, and what each later step (owners, locating, dating, grouping,
reasons, confidence) reads and fills in: a figure's mention, a sentence's reading, a group of mentions of
one investment, and the context carried from sentence to sentence."""

from dataclasses import dataclass, field
from datetime import date

from .amounts import Figure, Money
from .companies import Catalogue, CompanyMention
from .dates import DateMention, Period
from .places import Place
from .sentences import Sentence


@dataclass
class Mention:
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
class Reading:
    """One sentence and what was found in it."""

    sentence: Sentence
    companies: list[CompanyMention]
    places: list[Place]
    dates: list[DateMention]
    figures: list[Figure]


@dataclass
class Group:
    """Mentions merged into one investment."""

    mentions: list[Mention] = field(default_factory=list)
    day: DateMention | None = None
    day_rank: int = 9
    period: Period | None = None
    source: str | None = None  # "lead", "dateline" or "published" when not read beside the figure

    @property
    def lead(self) -> Mention:
        return self.mentions[0]


@dataclass
class Context:
    """What the reader carries from sentence to sentence."""

    catalogue: Catalogue
    language: str
    published: date
    surnames: set[str]
    anchor: date | None = None
    last_company: CompanyMention | None = None
    first_company: CompanyMention | None = None
    recent: list[CompanyMention] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    amounts: list[Money] = field(default_factory=list)
