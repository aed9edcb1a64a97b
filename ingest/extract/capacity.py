"""Capacity in an article: power in MW or GW, and accelerator (GPU) counts, as the text states them.

"1 GW", "300 megawatts", "1,4 gigawatt", "100.000 GPUs", "18 000 puces Nvidia", "23,040 GB300 GPUs",
"10.000 procesadores gráficos": English, French, German, Spanish, Italian, Dutch, Polish and Portuguese
phrasings. Power is returned in MW, GPUs as a count, each with the words as written, for a curator to
check against the sentence. Power bought from wind or solar farms (PPAs) is not a data centre's
capacity and is skipped.
"""

import re
from dataclasses import dataclass, replace

from more_itertools import first_true

from .finding import Finding

# A number as the press writes it: 1 / 1.4 / 1,4 / 18 000 / 18.000 / 18,000 / 18 000 (narrow spaces).
_NUMBER = r"(?P<number>\d{1,3}(?:[ \u00a0\u202f\u2009.,']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
# Shorthands for thousands and millions before the unit ("18k GPUs", "18 mil GPU", "1 million GPUs").
_SCALE = (
    r"(?:\s?(?P<scale>k|mil|mila|tys|tsd|tausend|thousand|mille|million|millions|millones|millón|"
    r"millionen|milioni|milione|milhões|milhão|milion(?:y|ów)?|miljoen)\.?(?=\s|$))?"
)
_MW_UNIT = r"(?P<mw>mw|megawatts?|mégawatts?|megavatios?|megawatt?s?|megawat(?:y|ów)?|megawatios?)"
_GW_UNIT = r"(?P<gw>gw|gigawatts?|gigawatt?s?|gigavatios?|gigawat(?:y|ów)?|gigawatios?)"
POWER = re.compile(
    rf"(?<![\w.,]){_NUMBER}\s?(?:{_MW_UNIT}|{_GW_UNIT})(?:\b|(?=\W))(?!\s?h\b)",
    re.IGNORECASE,
)
# What an accelerator is called; a few words (a maker, a model: "Nvidia", "GB300", "Grace Blackwell")
# may stand between the number and the word, or after the word ("puces Nvidia").
_GPU_WORD = (
    r"(?:gpu's|gpus?|tpus?|accelerators?|accélérateurs?|beschleuniger|aceleradores?|acceleratori|"
    r"superchips?|chips?|puces|puce|processeurs graphiques|grafikprozessoren|grafikchips|"
    r"procesadores gráficos|processori grafici|processadores gráficos|procesorów graficznych|"
    r"procesory graficzne|układów graficznych|chipów|chipy|unidades de procesamiento gráfico|"
    r"grafische processors|grafische chips)"
)
_MODEL = r"(?:(?:de |di |von |van |da |do |od )?[A-Z0-9][\w-]*\s){0,3}"
GPUS = re.compile(
    rf"(?<![\w.,]){_NUMBER}\+?{_SCALE}\s?(?:{_MODEL})?(?P<word>{_GPU_WORD})\b",
    re.IGNORECASE,
)
# Power from wind or solar farms, or bought under a PPA, in the same clause: not the site's capacity.
ENERGY = re.compile(
    r"\b(?:ppa|power purchase|renewables?|renouvelables?|erneuerbare|renovables?|rinnovabili|"
    r"hernieuwbare|odnawialn\w*|renováve\w*|wind|éolien\w*|eólic\w*|eolic\w*|solar\w*|solaire\w*|"
    r"fotovoltai\w*|photovolta\w*|zon\w*|wiatr\w*|windpark\w*|offshore)\b",
    re.IGNORECASE,
)
SCALES = {"k": 1_000, "mil": 1_000, "mila": 1_000, "tys": 1_000, "tsd": 1_000, "tausend": 1_000,
          "thousand": 1_000, "mille": 1_000}  # fmt: skip
CLAUSE = re.compile(r"[;:()]|,\s(?=\D)|\s(?:and|et|und|y|e|en|i|oraz)\s", re.IGNORECASE)
# Beyond these the figure is not one site's (a national target of millions of chips, a typo).
MAX_MW = 100_000
MAX_GPUS = 10_000_000


@dataclass(frozen=True)
class Capacity:
    mw: float | None = None
    mw_as_given: str = ""
    gpus: int | None = None
    gpus_as_given: str = ""

    def __bool__(self):
        return self.mw is not None or self.gpus is not None


def to_number(text: str) -> float:
    """The value of a number as written: groups of three after a separator are thousands (18.000,
    18 000, 18,000), any other separator is the decimal mark (1,4 or 1.4)."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").replace("'", " ")
    groups = re.split(r"[ .,]", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    if len(groups) > 2:
        # 1.234,5 or 1,234.5: the last separator is the decimal mark.
        *whole, decimals = groups
        return float("".join(whole) + "." + decimals)
    return float(text.replace(",", ".").replace(" ", ""))


def _clause(text: str, start: int, end: int) -> str:
    """The stretch of text around [start, end) up to the nearest clause break on each side."""
    before = [m.end() for m in CLAUSE.finditer(text, 0, start)]
    after = CLAUSE.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]


def find_power(text: str) -> tuple[float, str] | None:
    """The first data-centre power figure in `text`, in MW, with its words; None when there is none."""
    for match in POWER.finditer(text):
        if ENERGY.search(_clause(text, match.start(), match.end())):
            continue
        value = to_number(match.group("number")) * (1000 if match.group("gw") else 1)
        if 0 < value <= MAX_MW:
            return round(value, 1), match.group(0).strip()
    return None


def find_gpus(text: str) -> tuple[int, str] | None:
    """The first accelerator count in `text`, with its words; None when there is none."""
    for match in GPUS.finditer(text):
        value = to_number(match.group("number"))
        scale = (match.group("scale") or "").lower()
        if scale:
            value *= SCALES.get(scale, 1_000_000)
        if value != int(value) or not 0 < value <= MAX_GPUS:
            continue
        return int(value), match.group(0).strip()
    return None


def find_capacity(*texts: str) -> Capacity:
    """Power and GPUs from the first of `texts` that states each (say, a figure's sentences, then
    the whole article)."""
    power = first_true(map(find_power, texts))
    gpus = first_true(map(find_gpus, texts))
    return Capacity(
        mw=power[0] if power else None,
        mw_as_given=power[1] if power else "",
        gpus=gpus[0] if gpus else None,
        gpus_as_given=gpus[1] if gpus else "",
    )


def with_capacity(finding: Finding, *texts: str) -> Finding:
    """The finding with the power and GPUs the first of `texts` stating each gives (unchanged when
    none does): the one call extraction makes (ingest.extract.reader.extract_candidates)."""
    found = find_capacity(*texts)
    if not found:
        return finding
    return replace(
        finding,
        capacity_mw=found.mw,
        capacity_as_given=found.mw_as_given,
        gpus=found.gpus,
        gpus_as_given=found.gpus_as_given,
    )
