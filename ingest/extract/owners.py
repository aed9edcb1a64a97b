"""Who a figure of money belongs to: the catalogue company named beside it ("15.700 millones de AWS"),
the subject of its clause, "the former" or "the latter", or the company the story was last about when
the sentence names none ("la firme"); else it is another investor's money (a government, a partner), or
money put into another company (a stake), and is set aside."""

import re
from itertools import islice

from more_itertools import unique_everseen

from .actors import Investor, find_institutions, find_other_investors, find_partners, other_named_subject
from .companies import CompanyMention
from .cues import is_stake_gap
from .mentions import Context, Mention
from .places import Place
from .sentences import dateline_end

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
# An epithet of an American company ("la compañía estadounidense"): among the companies named, a US one.
_AMERICAN = re.compile(
    r"\b(?:estadounidense|norteamericana?|american[oa]?|americaine?|américaine?|statunitense|US-amerikanisch\w*"
    r"|amerikanisch\w*|U\.?S\.?(?=[ -]))",
    re.IGNORECASE,
)
# The glue of a list of companies ("Microsoft, Google y Nvidia").
_LIST_OF_NAMES = re.compile(r"\s*(?:,|,?\s+(?:and|et|y|e|und))\s*")
# A preposition right before a company makes it an object ("chips de Nvidia"), not a subject.
_AFTER_PREPOSITION = re.compile(
    r"\b(?:de|d['’]|of|by|with|von|vom|di|da|con|avec|par|por|para|for|from|mit|del|des|du|dei|delle|degli"
    r"|della|at|à|au|en|in|nel|bei|chez|sur|on|to|a|al|zu|zum|zur|für|pour)\s*$",
    re.IGNORECASE,
)


def give_owner(
    mention: Mention, companies: list[CompanyMention], places: list[Place], context: Context
) -> None:
    """Set the company a figure belongs to (`company`, `family`, `company_source`), or the reason it
    belongs to no catalogue company (another investor's money, a stake in another company)."""
    text, figure, lo = mention.sentence.text, mention.figure, mention.lo
    start, end = figure.money.start, figure.end
    investors = find_other_investors(text)
    for partner in find_partners(text):
        named = any(
            c.start <= partner.start < c.end or partner.start <= c.start < partner.end for c in companies
        )
        if not named and not _PARTNERED.search(text[max(0, partner.start - 40) : partner.start]):
            investors.append(partner)
    investors.sort(key=lambda investor: investor.start)
    head = dateline_end(text)
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


def carry_first_company(mentions: list[Mention], context: Context) -> None:
    """Give a figure read before any company is named the first company the article names."""
    if context.first_company is None:
        return
    for mention in mentions:
        if mention.company is None and mention.reason is None:
            mention.company = context.first_company.slug
            mention.family = context.catalogue.family(mention.company)
            mention.company_source = "context"


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
    text: str, lo: int, start: int, companies: list[CompanyMention], context: Context
) -> CompanyMention | None:
    """The company "the former" or "the latter" in a figure's clause stands for: of the last two
    companies named before, the first or the second."""
    clause = text[lo:start]
    former, latter = _FORMER.search(clause), _LATTER.search(clause)
    if not (former or latter):
        return None
    named = [*context.recent, *(m for m in companies if m.end <= lo + (former or latter).start())]
    # The last two of different groups, the earlier first.
    pair = list(islice(unique_everseen(reversed(named), key=lambda m: m.family), 2))[::-1]
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


def subject_like(text: str, mention: CompanyMention) -> bool:
    """Whether a company mention can be what the next sentences are about: not the object of a
    preposition ("chips de Nvidia", "a stake in OpenAI") nor an aside."""
    return not _AFTER_PREPOSITION.search(text[max(0, mention.start - 15) : mention.start])


def _is_stake(text: str, end: int, company: CompanyMention) -> bool:
    """Whether a figure ending at `end` is money put into `company` ("$13bn relationship with OpenAI")."""
    gap = text[end : company.start]
    return len(gap) <= 40 and is_stake_gap(gap)


def _carries_company(text: str, start: int, head: int, places: list[Place], context: Context) -> bool:
    """Whether a sentence without a company name is still about the last company named: it is not
    when a public body or another named company or country is its subject."""
    if context.last_company is None:
        return False
    if any(head <= a < start for a, _ in find_institutions(text)):
        return False
    skip = [(p.start - head, p.end - head) for p in places if p.kind not in ("country", "europe")]
    return not other_named_subject(text[head:], context.language, context.surnames, skip)
