"""Who else puts money into the same stories: governments, partners, funds, startups.

A figure belongs to a catalogue company only if no other investor stands between it and that company.
`find_other_investors` returns the governments and non-catalogue companies of a sentence that are the
subject of a verb of giving money ("el Gobierno de Aragón aportará", "its partner Nscale will invest",
"die Bundesregierung fördert"); `figure_owned_by_other` reads "the government's €1.5bn". A head of
government who merely welcomes an investment is not an investor. `find_institutions` and
`other_named_subject` tell whether a sentence without a catalogue company is about someone else, so the
company of the previous sentence is not carried into it.
"""

import re
from dataclasses import dataclass

# Public bodies; a figure next to one of them is public money unless a company is named closer.
_INSTITUTION = (
    r"government|gouvernement|gobierno|Regierung|Bundesregierung|Landesregierung|governo|exécutif|Ejecutivo"
    r"|Executive|État|Estado|Staat|Stato|ministry|ministère|ministerio|Ministerium|ministero"
    r"|European Commission|Commission européenne|Comisión Europea|EU-Kommission|Commissione europea"
    r"|Commission|Comisión|Kommission|Commissione|Brussels|Bruselas|Bruxelles|Brüssel|région|región"
    r"|Xunta|Generalitat|Diputación|Cabildo|Bundesland|regione|city council|ayuntamiento|mairie"
    r"|administración|administration|Verwaltung|amministrazione|Bpifrance|KfW|Cassa Depositi e Prestiti"
    r"|Caisse des dépôts|European Investment Bank|Banque européenne d['’]investissement"
    r"|Banco Europeo de Inversiones|Europäische Investitionsbank|Banca europea per gli investimenti"
    r"|Treasury|Trésor|Schatzamt|Downing Street|Élysée|Moncloa|Palazzo Chigi"
    # Words that are also common nouns in another case or language: only as written here.
    r"|(?-i:State|Junta|Stadt|Comune|Land|Bund|EU|UE|EIB|BEI|Tesoro)"
)
_PERSON_TITLE = (
    r"chancellor|Kanzler|Prime Minister|Premier ministre|primer ministro|presidente del Gobierno"
    r"|Ministerpräsident|premier|minister|ministre|ministro|Minister"
)
# A public body may carry an adjective ("the Welsh government", "la administración autonómica") and a
# complement ("el Gobierno de Aragón", "la Regione Lombardia").
_ADJECTIVE = (
    r"(?:\s+(?:autonómic[oa]|regional(?:e|es)?|federal(?:e)?|fédéral(?:e)?|central(?:e)?|local(?:e)?"
    r"|statale|nacional|national(?:e)?|nazionale|public|publique|pública|pubblica|autonomique))?"
)
_COMPLEMENT = (
    r"(?:\s+(?:(?:de|of|von|di|del|de la|du|des|della|der|dell['’])\s*)?(?-i:[A-ZÀ-Þ])[\w-]+"
    r"(?:\s+(?-i:[A-ZÀ-Þ])[\w-]+)?)?"
)
_DETERMINER = r"(?:the |le |la |l['’]|el |die |der |il |lo |its |son |sa |su |sein |seine |il suo |la sua )?"
_GOVERNMENT = rf"{_DETERMINER}(?:\w+ )?(?:{_INSTITUTION}|{_PERSON_TITLE}){_ADJECTIVE}{_COMPLEMENT}"

# Companies that co-invest with catalogue companies in the stories this project reads, and names that
# look like a company ("Nscale Group", "Aker ASA").
_PARTNERS = (
    r"(?-i:Nscale|Aker|Telef[óo]nica|Deutsche Telekom|Telekom|SAP|Mistral AI|Mistral|G42|Iberdrola|TIM|Vantage"
    r"|Equinix|Digital Realty|Brookfield|Blackstone|Schwarz Gruppe|Schwarz Digits|OVHcloud|OVH|Scaleway|Iliad"
    r"|Orange|Vodafone|BT|Nokia|Ericsson|Siemens|Wayve|Nebius|Fluidstack|Data4|Start Campus|Merlin Properties"
    r"|Solaria|Enel|Eni|Fastweb|Aruba|Leonardo|Atos|Capgemini|Thales|EDF|Engie|KKR|BlackRock|MGX|SoftBank"
    r"|Mubadala|Allianz|AXA|Kao Data|Edged|Atlas Edge|Digital Bridge|Colt|Iron Mountain|Intel|Infineon|Bosch"
    r"|NTT|Global Switch|Stack Infrastructure|CyrusOne|Prologis|Goodman|Segro|Delos Cloud|Delos|Tesla|Samsung"
    r"|TSMC|Arm|Anthropic rival|xAI|Mistral|Helsing|Aleph Alpha|Black Forest Labs|DeepL|Synthesia"
    r"|(?:[A-Z][\w&-]+ )?(?:[A-Z][\w&-]+) (?:AG|SA|SE|ASA|S\.A\.|S\.p\.A\.|Ltd|plc|Group|Groupe|Grupo|Gruppe"
    r"|Holding|Capital|Partners|Ventures|Energy|Energía|Energia))"
)
_MONEY_VERB = (
    r"(?:invest|investi|invert|invier|investier|contribu|aport|apport|beisteuer|fund|financ|finanzi|spend"
    r"|pledg|commit|inject|inyect|iniett|subsidi|subventionn|subvencion|sovvenzion|förder|provid|fourni"
    r"|proporcion|bereitstell|stell[et]\w* bereit|forni|stanzi|allocat|destin|mobilis|movili|co-financ"
    r"|cofinanc|put\b|raise|raising|raised|lev[ée]|recaud|sammel|raccog|back(?:s|ed|ing)?\b|steck)"
)
# Auxiliaries, reporting verbs and adverbs that may stand between an investor and its verb.
_BETWEEN = (
    r"(?:[\s,]+(?:will|would|is|are|to|plans|planned|also|has|have|had|va|vont|a|ont|doit|compte|prévoit"
    r"|de|d['’]|ha|han|va a|van a|prevé|planea|también|hat|wird|werden|will|soll|plant|auch|zu|hanno"
    r"|intende|prevede|anche|di|se|s['’]|est|sera|itself|for its part|pour sa part|por su parte|seinerseits"
    r"|dal canto suo|set|expected|going|ready|prêt|dispuesto|bereit|pronto|alone|seule?|sola|allein|said|says"
    r"|announced|added|that|it|a annoncé|a indiqué|qu['’]il|qu['’]elle|dijo|anunció|que|ha annunciato|che"
    r"|kündigte an|teilte mit|dass|er|sie)){0,5}[\s,]+"
)

_SUBJECT = re.compile(
    rf"\b(?P<who>{_GOVERNMENT}|{_PARTNERS})\b(?:['’]s)?{_BETWEEN}(?={_MONEY_VERB})",
    re.IGNORECASE,
)
_PARTNER_NAME = re.compile(rf"\b(?P<who>{_PARTNERS})\b")
_INSTITUTION_NAME = re.compile(rf"\b(?:{_INSTITUTION})\b", re.IGNORECASE)
_PERSON_TITLE_NAME = re.compile(rf"\b(?:{_PERSON_TITLE})\b", re.IGNORECASE)
_POSSESSIVE = re.compile(rf"\b(?P<who>{_GOVERNMENT})['’]s\s*$", re.IGNORECASE)
_AFTER_FIGURE = re.compile(
    r"^\s*(?:de l['’]|(?:du|de la|des|del|der|dello|della|from the|of the|by the|von der|vom)\s+)"
    r"(?:\w+\s+)?(?:gouvernement|État|Etat|gobierno|Estado|Regierung|Bundesregierung|Bundes|Staates|governo"
    r"|Stato|government|state|région|región|regione|Landes|Commission|Comisión|Kommission|Commissione|UE|EU)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Investor:
    """A non-catalogue investor named in a sentence."""

    name: str
    start: int
    end: int
    kind: str  # "government" or "partner"


def find_other_investors(text: str) -> list[Investor]:
    """Governments and partner companies in `text` that put money in themselves, in reading order."""
    if not (_INSTITUTION_NAME.search(text) or _PARTNER_NAME.search(text) or _PERSON_TITLE_NAME.search(text)):
        return []  # the full pattern is slow; most sentences name no one of these
    found = []
    for match in _SUBJECT.finditer(text):
        who = match.group("who")
        kind = "partner" if _PARTNER_NAME.fullmatch(who.strip()) else "government"
        found.append(Investor(who, match.start("who"), match.end("who"), kind))
    return found


def find_partners(text: str) -> list[Investor]:
    """Companies outside the catalogue named in `text` ("el fondo Blackstone estudia invertir..."),
    whatever their verb: one standing closer to a figure than any catalogue company owns it."""
    return [Investor(m.group("who"), m.start(), m.end(), "partner") for m in _PARTNER_NAME.finditer(text)]


def find_institutions(text: str) -> list[tuple[int, int]]:
    """Public bodies named in `text` (not people), as (start, end)."""
    return [(m.start(), m.end()) for m in _INSTITUTION_NAME.finditer(text)]


def figure_owned_by_other(text: str, start: int, end: int) -> bool:
    """Whether the words glued to a figure give it to a government ("the government's €1.5bn",
    "1,5 milliard d'euros de l'État")."""
    before = text[max(0, start - 60) : start]
    possessive = ("'s" in before or "’s" in before) and _POSSESSIVE.search(before)
    return bool(possessive or _AFTER_FIGURE.match(text[end : end + 60]))


# Sentence openers after which the subject comes: "Separately, Siemens said...", "On Tuesday, Wayve...".
_OPENER = re.compile(
    r"^(?:(?:Separately|Meanwhile|Elsewhere|Also|However|Moreover|In addition|Par ailleurs|Parallèlement"
    r"|De son côté|Pour sa part|En outre|Por otra parte|Por su parte|Además|Asimismo|Paralelamente|Daneben"
    r"|Unterdessen|Außerdem|Zudem|Indes|Intanto|Inoltre|Dal canto suo|Nel frattempo|Parallelamente"
    r"|Daarnaast|Ondertussen|Ook|Bovendien|Verder|Ponadto|Tymczasem|Również|Além disso|Entretanto|Por outro lado"
    r"|Paralelamente)\b,?\s*"
    r"|(?:On|In|At|By|En|Le|Lors|Dès|El|Al|Desde|Am|Im|Nach|Seit|Il|Nel|A|Lo|Da|Op|Na|Sinds|W|We|Po|Od|No|Em"
    r"|Após)\b[^,]{0,40},\s*)",
)
_NOT_A_NAME_WORDS = (
    "the a an this that these those its their his her it "
    "he she they we i there here such some many le la "
    "les l un une ce cet cette ces son sa ses leur "
    "il elle ils elles on nous cela ceci el la los las "
    "lo un una este esta estos estas ese esa su sus él "
    "ella ellos ellas der die das den dem des ein eine einer "
    "dieser diese dieses sein seine ihr ihre er sie es wir man "
    "il lo la gli i le un uno una questo questa quel "
    "quella suo sua lui lei loro but and or yet so mais "
    "et ou donc pero y o sino aber und oder doch ma "
    "e o però according selon según laut secondo analysts analystes analistas analysten "
    "analisti experts "
    "het de een dit dat deze die zijn haar hij zij ze wij er hier maar en of volgens ook "
    "ten ta to te ci jego jej ich on ona oni ale oraz lub według także również ponadto spółka firma "
    "koncern gigant przedsiębiorstwo korporacja potentat "
    "o a os as um uma este esta esse essa seu sua ele ela eles elas mas ou segundo empresa companhia "
    "tecnológica grupo gigante "
    "after before while when since despite although without following besides both "
    "après avant pendant depuis malgré sans outre tras después antes durante pese además ambos ambas "
    "nach vor während seit trotz ohne neben beide dopo prima durante malgrado oltre entrambi "
    "na voor tijdens sinds ondanks zonder naast beide po przed podczas mimo obok oba obie "
    "após depois antes durante apesar além ambos ambas "
    "already also still thus then finora intanto inoltre ancora già bisher bislang zudem ebenfalls inmiddels "
    "intussen tevens dotychczas wcześniej już nadal ya también todavía hasta déjà aussi encore ainsi jusqu "
    "ainda já até"
)
# A sentence of Spanish, Italian, Portuguese or Polish may open with its verb, its subject being the
# company of the previous sentence ("Destinará además 150 millones...", "Prevede inoltre di..."):
# a capitalised verb form is not another company's name.
_OPENING_VERB = {
    "es": re.compile(
        r"\w+(?:ará|erá|irá|arán|erán|irán|ó|aron|ieron|ía|ían)|Prevé|Tiene|Planea|Quiere|Espera"
        r"|Destina|Invierte|Ha|Han|Va|Cuenta|Pretende|Contempla|Incluye|Aporta"
    ),
    "it": re.compile(
        r"\w+(?:erà|irà|arà|eranno|iranno|aranno|ò)|Prevede|Punta|Intende|Ha|Hanno|Vuole|Conta"
        r"|Investe|Stanzia|Destina|Mette|Include|Porta"
    ),
    "pt": re.compile(
        r"\w+(?:ará|erá|irá|arão|erão|irão|ou|aram|eram)|Prevê|Pretende|Tem|Vai|Conta|Quer"
        r"|Planeia|Investe|Destina|Aplica|Inclui"
    ),
    "pl": re.compile(r"\w+(?:uje|ują|ie|ał|ała|ało|ił|iła|iło|ali|ili|y)|Chce|Zamierza|Ma|Wyda|Przeznaczy"),
}
_NOT_A_NAME = frozenset(_NOT_A_NAME_WORDS.split())
_TITLES = re.compile(r"(?:Mr|Mrs|Ms|Dr|Prof|M|Mme|Sr|Sra|Herr|Frau|Sig|Dott)\.?\s*$")
_DESCRIBED_NAME = re.compile(
    r"(?:(?:the|la|le|el|il|lo|l['’])\s+)?(?:(?-i:[A-Z])\w+\s+)?(?:[a-zà-ÿ][\w-]*\s+){1,2}"
    r"(?P<name>(?-i:[A-ZÀ-Þ])[\w&.-]+)\s+(?:(?:has|have|had|will|would|a|ha|va|is)\s+)?(?-i:[a-zà-ÿ])"
)
_NAME = re.compile(r"(?-i:[A-ZÀ-Þ])[\w&.-]*(?:\s+(?-i:[A-ZÀ-Þ])[\w&.-]*){0,2}")


def other_named_subject(text: str, language: str, surnames: set[str], skip: list[tuple[int, int]]) -> bool:
    """Whether a sentence's subject is a company or body outside the catalogue ("Separately, Siemens said
    it would put £250m..."). People ("Smith said...", "Brad Smith a précisé") are not; `surnames` are the
    last names the article has given with a first name; `skip` are spans already known (catalogue
    mentions, places) that are not another investor."""
    opener = _OPENER.match(text)
    start = opener.end() if opener else 0
    # "Swiss bank UBS said...", "la banque suisse UBS a...": the name after a describing phrase.
    described = _DESCRIBED_NAME.match(text, start)
    if described and language != "de":
        start = described.start("name")
    match = _NAME.match(text, start)
    if not match:
        return False
    if any(a <= match.start() < b for a, b in skip):
        return False
    words = match.group().split()
    if words[0].lower().strip(".") in _NOT_A_NAME or _TITLES.search(text[: match.start()]):
        return False
    if _PARTNER_NAME.match(text, match.start()):
        return True
    if _INSTITUTION_NAME.match(text, match.start()):
        return True
    if language == "de":
        return False  # German capitalises every noun: a capital says nothing about a name
    if len(words) >= 2 or words[0] in surnames:
        return False  # a person: "Brad Smith", or "Smith" once introduced
    verb = _OPENING_VERB.get(language)
    if verb and verb.fullmatch(words[0]):
        return False
    return words[0].isalpha() and len(words[0]) > 2
