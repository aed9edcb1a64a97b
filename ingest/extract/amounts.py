"""Money amounts as news prose writes them in English, French, Spanish, German, Italian, Dutch, Polish
and Portuguese.

`find_money(text, language)` returns every amount that carries a currency or a scale word:
"2,1 milliards de dollars", "2,1 Mds$", "€15.7bn", "6.690 millones de euros", "eine Milliarde Euro",
"33.7 billion Swedish crowns", "USD 500 million", "8 miljard Britse pond", "2 mld dol.", "700 milionów
dolarów", "7,8 mil milhões de euros". A bare number (jobs, GPUs, years, percentages, "quatre
points") is not money and never comes out. `link_conversions` then tells a conversion in parentheses
("25 millions d'euros (26,9 millions de dollars)") and a component ("dont 1 milliard") from a new figure.

The digits are read here rather than with Babel's `parse_decimal`, by measurement (Babel 2.17, the
article's locale, on the 498 figures written in digits in the fixture articles and the two sets `make
eval` scores): Babel agrees on 496 and misreads the other two, both expected facts ("4,250 millones",
4.25 billion in Spanish press, which the es locale reads 4.25). The locale alone cannot tell a grouping
mark from a decimal one ("1,500 milioni" is 1.5 billion where the it locale reads 1.5); the scale word,
the digits after the mark and the plausibility of the result decide, and `parse_number` says when it
read a lone mark as grouping so that an absurd amount can be read the other way, which `parse_decimal`
cannot say.
"""

import re
from dataclasses import dataclass

# Currency as written after a number (or after its scale word), with the ISO code it means.
# "KR" stands for crowns whose nationality the text leaves to the country (SEK, NOK or DKK).
_CURRENCY_WORDS: tuple[tuple[str, str], ...] = (
    (r"dollars?\s+(?:US|am[ée]ricains?|des\s+[ÉEée]tats[- ]Unis)(?![\w])", "USD"),
    (
        r"d[óo]lares?\s+(?:estadounidenses|americanos|norte-americanos|de\s+(?:EE\.?\s?UU\.?|Estados\s+Unidos))",
        "USD",
    ),
    (r"Amerikaanse\s+dollars?|dolar(?:ów|y|a)?\s+amerykańskich", "USD"),
    (r"dollari\s+(?:USA|statunitensi|americani)(?![\w])", "USD"),
    (r"U\.?S\.?[- ]?dollars?|US-Dollar", "USD"),
    (r"dollars?|d[óo]lar(?:es)?|dollar[io]|dolar(?:ów|y|a|ami)?|dol\.|USD|US\$|\$", "USD"),
    (r"euros?|EUR|€", "EUR"),
    (
        r"livres?\s+sterling|libras?(?:\s+esterlinas?)?|Pfund(?:\s+Sterling)?|sterlin[ae]|pounds?(?:\s+sterling)?"
        r"|sterling|GBP|£|livres?|(?:Britse\s+)?pond(?:en)?(?:\s+sterling)?|funt(?:ów|y|a)?(?:\s+szterling\w*)?",
        "GBP",
    ),
    (
        r"(?:couronnes?|coronas?|corone|crowns?|kronor|kronas?|Kronen)\s+(?:su[ée]doises?|suecas?|svedesi)",
        "SEK",
    ),
    (
        r"(?:swedish|schwedischen?)\s+(?:crowns?|kronor|kronas?|Kronen)|Zweedse\s+kronen|koron\s+szwedzkich"
        r"|coroas\s+suecas|SEK",
        "SEK",
    ),
    (
        r"(?:couronnes?|coronas?|corone|crowns?|kroner|Kronen)\s+(?:norv[ée]giennes?|noruegas?|norvegesi)",
        "NOK",
    ),
    (
        r"(?:norwegian|norwegischen?)\s+(?:crowns?|kroner|Kronen)|Noorse\s+kronen|koron\s+norweskich"
        r"|coroas\s+norueguesas|NOK",
        "NOK",
    ),
    (r"(?:couronnes?|coronas?|corone|crowns?|kroner|Kronen)\s+(?:danoises?|danesas?|danesi)", "DKK"),
    (
        r"(?:danish|dänischen?)\s+(?:crowns?|kroner|Kronen)|Deense\s+kronen|koron\s+duńskich"
        r"|coroas\s+dinamarquesas|DKK",
        "DKK",
    ),
    (
        r"(?:polish\s+|polnischen?\s+|Poolse\s+)?(?:z[łl]otys?|z[łl]otych|z[łl]ote|z[łl]oty|eslotis?|zlótis?)"
        r"|zł|PLN",
        "PLN",
    ),
    (
        r"francs?\s+suisses|francos?\s+suizos|francos?\s+suíços|Zwitserse\s+frank(?:en)?|franków\s+szwajcarskich"
        r"|Schweizer\s+Franken|franchi\s+svizzeri|swiss\s+francs?|Franken|CHF",
        "CHF",
    ),
    (r"couronnes?|coronas?|corone|crowns?|kronor|kroner|kronen|kronas?|Kronen|koron|coroas|kr\.?", "KR"),
)
_CURRENCY_CODE = [(re.compile(pattern, re.IGNORECASE), code) for pattern, code in _CURRENCY_WORDS]
_POST_CURRENCY = "|".join(f"(?:{pattern})" for pattern, _ in _CURRENCY_WORDS)

# Currency written before the number: "$1 billion", "€15.7bn", "USD 500 million", "US$2bn".
_PRE_CURRENCY = r"(?-i:US\s?\$|U\.S\.\s?\$|(?<![A-Za-z])\$|€|£|USD|EUR|GBP|SEK|PLN|NOK|DKK|CHF)"
_PRE_CODE = {"$": "USD", "€": "EUR", "£": "GBP"}

# Scale words, longest first within a family; the value and the number convention they imply
# ("en": comma groups thousands; "eu": comma is the decimal mark; None: the article's language decides).
_SCALES: tuple[tuple[str, float, str | None], ...] = (
    (r"mil\s+millones", 1e9, "eu"),
    # Portugal's "mil milhões" is a thousand million; Brazil's "bilhão" too, Portugal's "bilião" a million
    # million.
    (r"mil\s+milh(?:ões|oes)", 1e9, "eu"),
    (r"bilh(?:ões|ão|oes|ao)", 1e9, "eu"),
    (r"bili(?:ões|ão|oes|ao)", 1e12, "eu"),
    (r"miljard(?:en)?|mrd\.?", 1e9, "eu"),
    (r"miliard(?:y|ów|a|ami)?", 1e9, "eu"),
    (r"milliards?|Mds?|Mrds?\.?", 1e9, "eu"),
    (r"Milliarden?", 1e9, "eu"),
    (r"miliard[oi]|mld\.?|mrd\.?", 1e9, "eu"),
    (r"millardos?", 1e9, "eu"),
    (r"billions?|bn|bln", 1e9, "en"),
    (r"billones|bill[óo]n|Billionen", 1e12, "eu"),
    (r"trillions?|tn", 1e12, "en"),
    (r"millones|mill[óo]n", 1e6, "eu"),
    (r"milh(?:ões|ão|oes|ao)", 1e6, "eu"),
    (r"miljoen(?:en)?", 1e6, "eu"),
    (r"milion(?:y|ów|a|ami)", 1e6, "eu"),
    (r"Millionen", 1e6, "eu"),
    (r"millions?", 1e6, None),
    (r"Mio\.?", 1e6, "eu"),
    (r"milion[ei]|mln\.?", 1e6, "eu"),
    (r"mn|MM", 1e6, "en"),
    (r"thousand", 1e3, "en"),
    (r"mille|mila|Tausend|Tsd\.?|mil|duizend|tys\.?|tysięcy|tysiące", 1e3, "eu"),
)
_SCALE_WORDS = "|".join(f"(?:{pattern})" for pattern, _, _ in _SCALES)
_SCALE_INFO = [
    (re.compile(pattern, re.IGNORECASE), value, convention) for pattern, value, convention in _SCALES
]
_SHORT_SCALE = {"m": 1e6, "b": 1e9, "k": 1e3, "M": 1e6, "Md": 1e9, "Mds": 1e9, "Mrd": 1e9, "Mrds": 1e9}

# Number words that stand before a scale word ("un milliard", "eine Milliarde", "a billion", "mil millones").
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "un": 1,
    "une": 1,
    "uno": 1,
    "una": 1,
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "einem": 1,
    "einen": 1,
    "two": 2,
    "deux": 2,
    "dos": 2,
    "zwei": 2,
    "due": 2,
    "three": 3,
    "trois": 3,
    "tres": 3,
    "drei": 3,
    "tre": 3,
    "four": 4,
    "quatre": 4,
    "cuatro": 4,
    "vier": 4,
    "quattro": 4,
    "five": 5,
    "cinq": 5,
    "cinco": 5,
    "fünf": 5,
    "cinque": 5,
    "six": 6,
    "seis": 6,
    "sechs": 6,
    "sei": 6,
    "seven": 7,
    "sept": 7,
    "siete": 7,
    "sieben": 7,
    "sette": 7,
    "eight": 8,
    "huit": 8,
    "ocho": 8,
    "acht": 8,
    "otto": 8,
    "nine": 9,
    "neuf": 9,
    "nueve": 9,
    "neun": 9,
    "nove": 9,
    "ten": 10,
    "dix": 10,
    "diez": 10,
    "zehn": 10,
    "dieci": 10,
    "cien": 100,
    "cent": 100,
    "cento": 100,
    "mil": 1000,
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vijf": 5,
    "tien": 10,
    "jeden": 1,
    "jedna": 1,
    "dwa": 2,
    "dwie": 2,
    "trzy": 3,
    "cztery": 4,
    "pięć": 5,
    "dziesięć": 10,
    "okrągły": 1,
    "um": 1,
    "dois": 2,
    "duas": 2,
    "três": 3,
    "quatro": 4,
    "dez": 10,
}
_WORD_NUMBER = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))

# Digits with an optional grouping (". , space, narrow space, apostrophe" before exactly three digits)
# and an optional decimal part.
_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f\u2009' ]\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"

# Adjectives written between a number word and its scale: "eine weitere Milliarde", "a further billion".
_ADJECTIVE = (
    r"(?:weitere[n]?|zusätzliche[n]?|further|additional|extra|new|nouveau|nouvel|autre|otro|otra|nuevo|nueva"
    r"|altro|ulteriore|nuovo)"
)
_AMOUNT = re.compile(
    rf"""
    (?<![\w.,$€£])
    (?:(?P<pre>{_PRE_CURRENCY})\s?)?
    (?:(?P<num>{_NUMBER})|(?P<word>\b(?:{_WORD_NUMBER}))(?=\s))
    (?:
        (?:[\s\u00a0\u202f]|-)?(?:{_ADJECTIVE}\s+)?(?P<scale>{_SCALE_WORDS})(?![\w])
      | \s?(?P<symscale>(?-i:Mds|Mrds|Md|Mrd|M))(?=\s?[$€£])
      | (?P<short>(?-i:[mbk]))(?![\w])
    )?
    (?:(?<=\.)|(?![\w]))
    (?:[\s\u00a0\u202f]*(?:de\s+|d['’]\s*|di\s+|of\s+)?(?P<post>{_POST_CURRENCY})(?![\w]))?
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Words that may follow an amount written without a currency ("invertirá 2.100 millones en Aragón")
# and still leave it money; anything else ("2 millions de personnes", "1 million users") is a count.
_AFTER_BARE_AMOUNT = re.compile(
    r"\s*(?:[,.;:)\]–—]|$|(?:en|in|à|au|aux|dans|pour|for|to|into|on|over|across|für|nach|bis|per|nel|nella"
    r"|nei|a|al|para|hasta|entre|sur|within|by|durch|con|with|avec|mit|through|et|and|y|und|e|d['’]ici|da"
    r"|voor|naar|tot|op|met|w|we|na|do|dla|z|oraz|em|no|na|ao|até|com"
    r"|supplémentaires?|adicionales|additional|zusätzlich|aggiuntivi|more|de plus|más|in più)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """An amount found in text: value in full units, ISO currency (None when only a scale is written)."""

    amount: float
    currency: str | None
    start: int
    end: int
    text: str


def _currency_code(written: str) -> str:
    written = written.strip()
    if written in _PRE_CODE:
        return _PRE_CODE[written]
    if written.replace(" ", "") in ("US$", "U.S.$"):
        return "USD"
    for pattern, code in _CURRENCY_CODE:
        if pattern.fullmatch(written):
            return code
    return written.upper()


def _scale(written: str) -> tuple[float, str | None]:
    for pattern, value, convention in _SCALE_INFO:
        if pattern.fullmatch(written):
            return value, convention
    return 1.0, None


def parse_number(digits: str, convention: str) -> tuple[float, bool]:
    """Read "6.690", "2,1", "1 000", "15,700" by the convention ("en" or "eu").

    Return the value and whether a lone separator before three digits was read as grouping, so a
    caller can fall back to the decimal reading when that gives an absurd amount.
    """
    text = re.sub(r"[\u00a0\u202f\u2009' ]", "", digits)
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        return float(text.replace(grouping, "").replace(decimal, ".")), False
    separator = "." if dots else "," if commas else ""
    if not separator:
        return float(text), False
    if text.count(separator) > 1:
        return float(text.replace(separator, "")), False
    head, tail = text.split(separator)
    grouping = len(tail) == 3 and ((convention == "en") == (separator == ","))
    if grouping:
        return float(head + tail), True
    return float(f"{head}.{tail}"), False


_THOUSANDS_OF_MILLIONS = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")

# An amount needs a digit or a number word before a scale word; most sentences have neither.
_MAY_HOLD_MONEY = re.compile(r"\d|illi|illo|iliard|ilion|mil\b|milh|miljo|miljard|bili", re.IGNORECASE)


def find_money(text: str, language: str = "en") -> list[Money]:
    """Every amount of money in `text`, in reading order."""
    if not _MAY_HOLD_MONEY.search(text):
        return []
    found = []
    for match in _AMOUNT.finditer(text):
        pre, post = match["pre"], match["post"]
        scale_text = match["scale"] or match["symscale"] or match["short"]
        if match["word"] and not match["scale"]:
            continue
        if match["short"] and not pre:
            continue  # "500m" alone is more often metres than millions
        if not (pre or post or scale_text):
            continue
        if match["scale"]:
            value, convention = _scale(match["scale"])
            if match["scale"].startswith("Billion") and language == "de":
                value = 1e12  # German "Billion" is a million million, the English word a thousand million
        elif scale_text:
            value, convention = _SHORT_SCALE[scale_text.rstrip(".")], None
        else:
            value, convention = 1.0, None
        convention = convention or ("en" if language == "en" else "eu")
        if match["word"]:
            number, grouped = float(_NUMBER_WORDS[match["word"].lower()]), False
        elif value == 1e6 and _THOUSANDS_OF_MILLIONS.fullmatch(match["num"]):
            # "4,250 millones", "1.500 milioni": three digits after a lone mark before "millions" group
            # thousands whatever the mark (a decimal would be written "4,25 millones").
            number, grouped = float(re.sub(r"\D", "", match["num"])), True
        else:
            number, grouped = parse_number(match["num"], convention)
            if grouped and number * value >= 1e12:
                number = parse_number(match["num"], "en" if convention == "eu" else "eu")[0]
        currency = _currency_code(pre) if pre else _currency_code(post) if post else None
        end = match.end()
        if currency is None:
            if value < 1e6 or not _AFTER_BARE_AMOUNT.match(text, end):
                continue
        elif post and pre and _currency_code(post) != currency:
            end = match.start("post")  # "$2bn euros" does not happen; a following word is not ours
        amount = float(round(number * value, 2))  # 33.7 * 1e9 is 33700000000.000004 in binary
        if amount <= 0:
            continue
        found.append(Money(amount, currency, match.start(), end, text[match.start() : end]))
    return found


# Rough rates to the US dollar, only to recognise a conversion printed beside a figure (the project's
# investments/money.py converts with real rates); wide enough for 2019-2026 swings.
_ROUGH_USD_RATE = {
    "USD": 1.0,
    "EUR": 1.1,
    "GBP": 1.27,
    "CHF": 1.12,
    "SEK": 0.095,
    "NOK": 0.095,
    "DKK": 0.147,
    "KR": 0.095,
    "PLN": 0.25,
}


def plausible_conversion(first: Money, second: Money, tolerance: float = 0.3) -> bool:
    """Whether `second` could be `first` converted into another currency."""
    if not first.currency or not second.currency or first.currency == second.currency:
        return False
    rate_a = _ROUGH_USD_RATE.get(first.currency)
    rate_b = _ROUGH_USD_RATE.get(second.currency)
    if rate_a is None or rate_b is None:
        return False
    ratio = (first.amount * rate_a) / (second.amount * rate_b)
    return 1 - tolerance <= ratio <= 1 / (1 - tolerance)


_CONVERSION_GAP = re.compile(
    r"\s*[(\[,–—/-]?\s*(?:(?:soit|or|i\.e\.|about|around|roughly|approximately|approx\.|some|nearly|almost"
    r"|circa|ca\.|environ|près de|quelque|autour de|alrededor de|unos|unas|aproximadamente|cerca de|casi"
    r"|equivalentes? a|equivalent to|the equivalent of|l['’]équivalent de|es decir|o sea|rund|etwa|umgerechnet"
    r"|knapp|gut|fast|pari a|ovvero|cioè|oltre|quasi|more than|plus de|más de|über|mehr als|più di|o|ou"
    r"|oder|sea|ossia|also|c\.|env\.|equal to|worth|valued at|zo['’]n|ongeveer|omgerekend|ofwel|ruim|bijna"
    r"|około|ok\.|blisko|prawie|czyli|ponad|cerca de|aproximadamente|ou seja|quase|mais de)[\s:]+)*",
    re.IGNORECASE,
)
_COMPONENT_GAP = re.compile(
    r"\b(?:dont|of which|de los cuales|de las cuales|davon|di cui|including|y compris|incluidos|incluidas"
    r"|einschließlich|inklusive|darunter|compresi|inclusi|among them|parmi lesquels|with a first phase"
    r"|first phase|première phase|primera fase|erste Phase|prima fase|first tranche|première tranche"
    r"|waarvan|waaronder|w tym|z czego|dos quais|das quais|incluindo)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """One figure of an article: its amount as first written and the conversions printed beside it."""

    money: Money
    alternatives: tuple[Money, ...] = ()

    @property
    def end(self) -> int:
        """Where the figure ends in its text: after the last conversion printed beside it."""
        return self.alternatives[-1].end if self.alternatives else self.money.end


def link_conversions(text: str, amounts: list[Money]) -> tuple[list[Figure], list[Money]]:
    """Fold conversions into the figure they convert; set components of a larger figure aside.

    Return the figures and the amounts set aside as components ("3 milliards, dont 1 milliard pour...").
    """
    figures: list[Figure] = []
    components: list[Money] = []
    for money in amounts:
        if figures:
            last = figures[-1]
            gap = text[last.end : money.start]
            conversion_gap = _CONVERSION_GAP.fullmatch(gap)
            if conversion_gap and plausible_conversion(last.money, money, tolerance=0.45):
                figures[-1] = Figure(last.money, last.alternatives + (money,))
                continue
            if len(gap) < 60 and _COMPONENT_GAP.search(gap) and money.amount < last.money.amount:
                components.append(money)
                continue
        figures.append(Figure(money))
    return figures, components


def usd_value(money: Money) -> float:
    """A rough dollar value, to tell a pledge from a market value (unknown currencies count as dollars)."""
    return money.amount * _ROUGH_USD_RATE.get(money.currency or "USD", 1.0)


def implied_currency(money: Money, earlier: list[Money], language: str) -> str:
    """The currency of a figure written without one ("mantiene su plan de 15.700 millones"): that of the
    same figure written earlier in the article with its currency, else the euro outside English, else
    the article's most used currency."""
    for before in reversed(earlier):
        if before.currency and abs(before.amount - money.amount) <= 0.02 * money.amount:
            return before.currency
    if language != "en":
        return "EUR"
    currencies = [a.currency for a in earlier if a.currency]
    return max(set(currencies), key=currencies.count) if currencies else "USD"
