"""What an investment pays for: data centres, compute, research, skills, a fund, or a mix.

The category is read off the words of the sentences that carry the figure; an investment whose words
point to two or more kinds ("data centres and training") is "mixed".
"""

import re

from investments.choices import Category

from .lexicon import could_match, pattern_anchors

_WORDS = {
    "datacentre": r"data ?cent(?:re|er)s?|datacent|centres? de données|centros? de datos|Rechenzentr"
    r"|centr[oi] (?:di )?(?:elaborazione )?dati|campus|cloud region|région cloud|regi[óo]n cloud"
    r"|region[ei] cloud|Cloud-Region|infrastructure cloud|cloud infrastructure|infraestructura"
    r"|infrastructure|infrastruktur|infrastruttur|hyperscale|server farm|cloud",
    "compute": r"supercomput|supercalculat|superordenador|Supercomputer|supercalcolat|GPU|AI factor|gigafactor"
    r"|fábrica de IA|KI-Fabrik|fabbrica (?:di|dell['’])IA|compute capacity|capacité de calcul"
    r"|capacidad de cómputo|Rechenkapazit|capacità di calcolo|computing power|puissance de calcul",
    "research": r"research|recherche|investigaci[óo]n|I\+D|R&D|Forschung|ricerca|laborator|\blab\b|\blabs\b"
    r"|innovation hub|centre of excellence",
    "skills": r"skill|training|train\b|trained|formation|former|compétences|formaci[óo]n|capacitaci[óo]n"
    r"|Weiterbildung|Schulung|Qualifizierung|Ausbildung|competenze|formazione|upskill|reskill"
    r"|éducation|education|educación|Bildung|istruzione|academy|académie|academia|Akademie|accademia",
    "fund": r"\bfund\b|\bfonds\b|\bfondo\b|\bFonds\b|startups?|start-ups?|venture|accelerator|accélérateur"
    r"|aceleradora|Beschleuniger|acceleratore|equity stake|participation|participaci[óo]n",
}
# The words name every category the model knows except "mixed", which is read as two or more of them.
if set(_WORDS) | {Category.MIXED} != set(Category.values):
    raise ImportError("ingest/extract/categories.py must give words for every investments.choices.Category")
_PATTERNS = {category: re.compile(pattern, re.IGNORECASE) for category, pattern in _WORDS.items()}
_ANCHORS = {category: pattern_anchors(pattern) for category, pattern in _WORDS.items()}


def categorize(texts: list[str]) -> str:
    """The category of an investment described by `texts` (its sentences, the first one leading)."""
    scores = {category: 0 for category in _PATTERNS}
    for weight, text in zip([3] + [1] * (len(texts) - 1), texts, strict=False):
        folded = text.lower()
        for category, pattern in _PATTERNS.items():
            if could_match(_ANCHORS[category], folded):
                scores[category] += weight * len(pattern.findall(text))
    ranked = sorted(scores, key=lambda category: scores[category], reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] == 0:
        return "datacentre"
    if scores[second] and scores[second] * 2 >= scores[best] and {best, second} != {"datacentre", "compute"}:
        return "mixed"
    return best
