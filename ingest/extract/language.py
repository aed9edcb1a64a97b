"""Which of the eight languages an article is written in, told by its function words, endings and accents.

Function words decide on ordinary text; for a headline or a one-line sentence, which has few of them,
word endings ("-ción", "-zione", "-ungen") and letters ("ñ", "ç", "ß", "ò") break the tie.
"""

import re

LANGUAGES = ("en", "fr", "es", "de", "it", "nl", "pl", "pt")

# Function words frequent in news prose and rare in the other four languages (two points each).
_PROFILES = {
    "en": "the of and to is that for on with was by its at from has have will are be this which said would "
    "their it an as were been than also after into over",
    "fr": "le les des du et est une que qui dans pour sur au aux par pas ce cette son ses été avec ont leur "
    "sont mais elle selon plus ces entre après d l qu va",
    "es": "el los las del y que por con para es su sus como más pero fue han este esta sobre entre también "
    "según al se lo ya desde hasta tras ante",
    "de": "der die das und den dem des ein eine einen einer ist nicht mit von zu im auf für sich auch als bei "
    "wird werden hat aus nach sei soll sowie um zum zur wie",
    "it": "il gli della dei delle di e che per non è sono alla nel nella anche più ad degli dell nell sul "
    "sulla questo questa tra ha hanno dalla dal con",
    "nl": "het een van en zijn niet op te voor met aan er om ook als bij wordt worden door naar heeft hebben "
    "uit maar dit nog wel meer dan deze werd tot geen over kan moet zal zich",
    "pl": "w i z na się do że jest nie od to jak po przez dla oraz ale już co tym był była który która które "
    "jego jej przy we ze ich tak czy ma są będzie także lub",
    "pt": "os as do dos das em no nos nas um uma não com pelo pela ao à também mais foi são ser mas ou "
    "seu sua seus suas este esta isso pelos está vai entre após",
}
# Words several of the languages share (one point to each).
_SHARED = {
    "en": ("fr", "es", "nl"),
    "la": ("fr", "es", "it"),
    "un": ("fr", "es", "it"),
    "una": ("es", "it"),
    "a": ("en", "es", "it"),
    "in": ("en", "de", "it"),
    "da": ("it", "pt"),
    "na": ("pt", "pl"),
    "o": ("pt", "pl"),
    "de": ("fr", "es", "nl", "pt"),
    "die": ("de", "nl"),
    "van": ("nl",),
    "que": ("fr", "es", "pt"),
    "para": ("es", "pt"),
    "se": ("es", "it", "pt", "pl"),
    "e": ("it", "pt"),
}
# Endings, verb forms and scale words of each language (one point each).
_ENDINGS = (
    (re.compile(r"ci[óo]n(?:es)?\b|dad(?:es)?\b|ía\b|[aei]rá[n]?\b|\bmill(?:ones|ón)\b"), "es"),
    (re.compile(r"zion[ei]\b|ggi\b|zz[ao]\b|[aei]rà\b|\bmiliard[io]\b|\bmilion[ei]\b"), "it"),
    (
        re.compile(r"ungen?\b|keit\b|heit\b|schaft\b|lich\b|iert\b|ieren\b|\bmilliarden?\b|\bmillionen\b"),
        "de",
    ),
    (re.compile(r"eaux?\b|ique[s]?\b|ée?s?\b|ment\b|[ei]ra\b|\bmilliards?\b"), "fr"),
    (re.compile(r"ing\b|tion\b|ed\b|ly\b|\bbillions?\b|\bbn\b"), "en"),
    (re.compile(r"heid\b|lijk\b|ij\b|\bmiljard\b|\bmiljoen\b|oe|aa"), "nl"),
    (re.compile(r"ów\b|ych\b|ość\b|cz|sz|rz|\bmld\b|\bmiliard\w*|\bmilion\w*"), "pl"),
    (re.compile(r"ção\b|ções\b|ões\b|ão\b|\bmilhões\b|\bmilhão\b"), "pt"),
)
_LETTERS = {"ñ": "es", "¿": "es", "¡": "es", "ç": "fr", "ê": "fr", "â": "fr", "î": "fr", "ô": "fr", "û": "fr",
            "ß": "de", "ä": "de", "ö": "de", "ü": "de", "ò": "it", "ì": "it", "ù": "it",
            "ł": "pl", "ą": "pl", "ę": "pl", "ś": "pl", "ź": "pl", "ż": "pl", "ń": "pl", "ć": "pl",
            "ã": "pt", "õ": "pt"}  # fmt: skip

_WORD_LANGUAGES: dict[str, dict[str, int]] = {}
for _language, _words in _PROFILES.items():
    for _word in _words.split():
        _WORD_LANGUAGES.setdefault(_word, {})[_language] = 2
for _word, _languages in _SHARED.items():
    for _language in _languages:
        _WORD_LANGUAGES.setdefault(_word, {}).setdefault(_language, 1)

_WORD = re.compile(r"[a-zà-öø-ÿąćęłńśźż]+")


def language_scores(text: str) -> dict[str, int]:
    """Points for each language: function words, then endings and letters as tie-breakers."""
    lowered = text.lower()
    scores = dict.fromkeys(LANGUAGES, 0)
    for word in _WORD.findall(lowered):
        for language, points in _WORD_LANGUAGES.get(word, {}).items():
            scores[language] += points
    first, second = sorted(scores.values(), reverse=True)[:2]
    if first - second >= 8:
        return scores  # function words alone are conclusive: spare the slower tie-breakers
    for pattern, language in _ENDINGS:
        scores[language] += len(pattern.findall(lowered))
    for letter, language in _LETTERS.items():
        scores[language] += lowered.count(letter)
    return scores


def detect_language(text: str, default: str = "en") -> str:
    """The language (one of LANGUAGES) the text is most likely written in."""
    scores = language_scores(text)
    best = max(LANGUAGES, key=lambda language: scores[language])
    return best if scores[best] else default
