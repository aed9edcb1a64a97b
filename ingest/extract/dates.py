"""Dates and investment periods in news prose, absolute or relative, in the eight languages.

`find_dates` reads "le 15 février", "19 février 2024", "February 19", "am Donnerstag", "dimanche",
"yesterday", "ayer", "mardi dernier", "this week", "deux jours auparavant" (relative to the date the
story last mentioned: the anchor), "en septembre 2021". `find_periods` reads "over the next two years",
"d'ici à 2027", "bis 2040", "en los próximos diez años", "entro il 2026", "between 2024 and 2026".
A year inside a period ("bis 2040") or after "since" ("depuis 2009") is not a date.

Hand-written tables rather than dateparser, by measurement (dateparser 1.5, `search_dates` with the
publication date as RELATIVE_BASE, on sentences of the test articles): it read "2,1 mil milhões" as 1
February and "w ciągu 5 lat" as five years ago, dated "esta terça-feira" written on a Tuesday a week
early, and took 1 to 15 ms a sentence (100 ms the first time per language), where the whole extraction of
an article takes about 4 ms. The tables read only the phrases news prose uses for a day ("esta
terça-feira", "we wtorek", "ce lundi 19 mai"), against the story's own anchor, with their spans so the
caller can tell the figure's clause from the rest.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .lexicon import could_match, pattern_anchors

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}
_MONTH_VARIANTS = {
    "en": {
        "Jan": 1,
        "Feb": 2,
        "Mar": 3,
        "Apr": 4,
        "Jun": 6,
        "Jul": 7,
        "Aug": 8,
        "Sep": 9,
        "Sept": 9,
        "Oct": 10,
        "Nov": 11,
        "Dec": 12,
    },
    "fr": {
        "fevrier": 2,
        "aout": 8,
        "decembre": 12,
        "janv": 1,
        "févr": 2,
        "fév": 2,
        "avr": 4,
        "juil": 7,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "déc": 12,
    },
    "es": {"setiembre": 9},
    "de": {"Jänner": 1, "Maerz": 3, "Jan": 1, "Feb": 2, "Okt": 10, "Dez": 12},
    "it": {},
    "nl": {"jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10, "nov": 11,
           "dec": 12},
    # Polish names a month in the genitive after a day ("17 lutego") and in the nominative or locative
    # alone ("w lutym").
    "pl": {"styczeń": 1, "luty": 2, "marzec": 3, "kwiecień": 4, "maj": 5, "czerwiec": 6, "lipiec": 7,
           "sierpień": 8, "wrzesień": 9, "październik": 10, "listopad": 11, "grudzień": 12, "styczniu": 1,
           "lutym": 2, "marcu": 3, "kwietniu": 4, "maju": 5, "czerwcu": 6, "lipcu": 7, "sierpniu": 8,
           "wrześniu": 9, "październiku": 10, "listopadzie": 11, "grudniu": 12},
    "pt": {"marco": 3, "fev": 2, "jan": 1, "abr": 4, "jun": 6, "jul": 7, "ago": 8, "set": 9, "out": 10,
           "dez": 12},
}  # fmt: skip
_WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "pl": "poniedziałek wtorek środę czwartek piątek sobotę niedzielę",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
}
_WEEKDAY_VARIANTS = {
    "es": {"miercoles": 2, "sabado": 5},
    "de": {"Sonnabend": 5},
    "it": {"lunedi": 0, "martedi": 1, "mercoledi": 2, "giovedi": 3, "venerdi": 4},
    "pl": {"środa": 2, "sobota": 5, "niedziela": 6, "poniedziałku": 0, "wtorku": 1, "środy": 2, "czwartku": 3,
           "piątku": 4},
    "pt": {"segunda": 0, "terça": 1, "quarta": 2, "quinta": 3, "sexta": 4, "terca": 1},
}  # fmt: skip
_NUMBERS = {
    "en": "one two three four five six seven eight nine ten eleven twelve",
    "fr": "un deux trois quatre cinq six sept huit neuf dix onze douze",
    "es": "un dos tres cuatro cinco seis siete ocho nueve diez once doce",
    "de": "ein zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "it": "un due tre quattro cinque sei sette otto nove dieci undici dodici",
    "nl": "een twee drie vier vijf zes zeven acht negen tien elf twaalf",
    "pl": "jeden dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście dwanaście",
    "pt": "um dois três quatro cinco seis sete oito nove dez onze doze",
}
_NUMBER_EXTRAS = {
    "a": 1,
    "an": 1,
    "une": 1,
    "uno": 1,
    "una": 1,
    "eine": 1,
    "einem": 1,
    "einen": 1,
    "einer": 1,
    "zwei": 2,
    "zwanzig": 20,
    "quince": 15,
    "quinze": 15,
    "fifteen": 15,
    "twenty": 20,
    "vingt": 20,
    "veinte": 20,
    "venti": 20,
    "quindici": 15,
    "fünfzehn": 15,
    "vijftien": 15,
    "twintig": 20,
    "piętnaście": 15,
    "dwadzieścia": 20,
    "dwóch": 2,
    "trzech": 3,
    "czterech": 4,
    "pięciu": 5,
    "dziesięciu": 10,
    "uma": 1,
    "duas": 2,
    "vinte": 20,
}

# Phrases per language: relative days against the publication date, against the story's own date
# (the anchor), weeks and months, and the period constructions.
_RELATIVE = {
    "en": {
        "published": [
            (r"today|this morning|tonight|this afternoon|earlier today", 0),
            (r"the day before yesterday", -2),
            (r"yesterday", -1),
        ],
        "anchor": [
            (r"the same day|that same day|on the same day|that day", 0),
            (r"the day before|the previous day|a day earlier", -1),
            (r"the next day|the following day|a day later", 1),
        ],
        "ago": r"(?P<n>\w+|\d+) (?P<unit>days?|weeks?) ago",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>days?|weeks?) (?:earlier|before|previously)",
        "this_week": r"(?:earlier )?this week",
        "last_week": r"last week",
        "last_month": r"last month",
        "this_month": r"(?:earlier )?this month",
        "last_year": r"last year",
        "last": r"last",
        "next": r"next|this coming|coming",
    },
    "fr": {
        "published": [
            (r"aujourd['’]hui|ce matin|ce soir|cet après-midi", 0),
            (r"avant-hier", -2),
            (r"hier", -1),
        ],
        "anchor": [
            (r"le jour même|le même jour|ce jour-là|ce même jour", 0),
            (r"la veille|le jour précédent", -1),
            (r"le lendemain|le jour suivant", 1),
        ],
        "ago": r"il y a (?P<n>\w+|\d+) (?P<unit>jours?|semaines?)",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>jours?|semaines?) (?:auparavant|plus tôt|avant|précédemment)",
        "this_week": r"cette semaine|en début de semaine",
        "last_week": r"la semaine (?:dernière|passée)",
        "last_month": r"le mois (?:dernier|passé)",
        "this_month": r"ce mois-ci",
        "last_year": r"l['’]an (?:dernier|passé)|l['’]année (?:dernière|passée)",
        "last": r"dernier|passé",
        "next": r"prochain",
    },
    "es": {
        "published": [
            (r"hoy|esta mañana|esta tarde|esta noche", 0),
            (r"anteayer|antier|antes de ayer", -2),
            (r"ayer", -1),
        ],
        "anchor": [
            (r"el mismo día|ese mismo día|ese día", 0),
            (r"el día anterior|la víspera|un día antes", -1),
            (r"al día siguiente|el día siguiente|un día después", 1),
        ],
        "ago": r"hace (?P<n>\w+|\d+) (?P<unit>días?|semanas?)",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>días?|semanas?) (?:antes|atrás)",
        "this_week": r"esta semana",
        "last_week": r"la semana pasada",
        "last_month": r"el mes pasado",
        "this_month": r"este mes",
        "last_year": r"el año pasado",
        "last": r"pasado",
        "next": r"próximo|que viene",
    },
    "de": {
        "published": [(r"heute|heute Morgen|heute Abend", 0), (r"vorgestern", -2), (r"gestern", -1)],
        "anchor": [
            (r"am selben Tag|am gleichen Tag|am selben Tage|an diesem Tag", 0),
            (r"am Vortag|tags zuvor|einen Tag zuvor|einen Tag vorher", -1),
            (r"am nächsten Tag|am Tag darauf|tags darauf|am folgenden Tag", 1),
        ],
        "ago": r"vor (?P<n>\w+|\d+) (?P<unit>Tagen|Wochen?)",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>Tage|Wochen?) (?:zuvor|vorher|davor|früher)",
        "this_week": r"(?:in )?dieser Woche|diese Woche|Anfang der Woche",
        "last_week": r"(?:in der )?(?:vergangenen|letzten|vorigen) Woche|letzte Woche|vergangene Woche",
        "last_month": r"(?:im )?(?:vergangenen|letzten|vorigen) Monat",
        "this_month": r"(?:in )?diesem Monat",
        "last_year": r"(?:im )?(?:vergangenen|letzten|vorigen) Jahr|letztes Jahr|vergangenes Jahr|im Vorjahr",
        "last": r"vergangenen|letzten|vorigen",
        "next": r"nächsten|kommenden",
    },
    "it": {
        "published": [
            (r"oggi|stamattina|stamane|stasera|questa mattina", 0),
            (r"l['’]altro ieri|l['’]altroieri|altroieri", -2),
            (r"ieri", -1),
        ],
        "anchor": [
            (r"lo stesso giorno|quello stesso giorno|quel giorno", 0),
            (r"il giorno prima|il giorno precedente|la vigilia", -1),
            (r"il giorno dopo|il giorno seguente|l['’]indomani", 1),
        ],
        "ago": r"(?P<n>\w+|\d+) (?P<unit>giorni|settimane?) fa",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>giorni|settimane?) (?:prima|addietro)",
        "this_week": r"questa settimana",
        "last_week": r"la settimana scorsa|la scorsa settimana",
        "last_month": r"il mese scorso|lo scorso mese",
        "this_month": r"questo mese",
        "last_year": r"l['’]anno scorso|lo scorso anno",
        "last": r"scorso|scorsa",
        "next": r"prossimo|prossima",
    },
    "nl": {
        "published": [
            (r"vandaag|vanochtend|vanmorgen|vanmiddag|vanavond", 0),
            (r"eergisteren", -2),
            (r"gisteren|gisteravond", -1),
        ],
        "anchor": [
            (r"dezelfde dag|op die dag", 0),
            (r"de dag ervoor|een dag eerder", -1),
            (r"de volgende dag|een dag later|de dag erna", 1),
        ],
        "ago": r"(?P<n>\w+|\d+) (?P<unit>dagen|dag|weken|week) geleden",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>dagen|dag|weken|week) (?:eerder|daarvoor)",
        "this_week": r"deze week|eerder deze week",
        "last_week": r"vorige week|afgelopen week",
        "last_month": r"vorige maand|afgelopen maand",
        "this_month": r"deze maand",
        "last_year": r"vorig jaar|afgelopen jaar",
        "last": r"afgelopen|vorige",
        "next": r"komende|volgende|aanstaande",
    },
    "pl": {
        "published": [
            (r"dziś|dzisiaj|dziś rano|tego dnia rano", 0),
            (r"przedwczoraj", -2),
            (r"wczoraj", -1),
        ],
        "anchor": [
            (r"tego samego dnia|tego dnia", 0),
            (r"dzień wcześniej|poprzedniego dnia", -1),
            (r"następnego dnia|dzień później|nazajutrz", 1),
        ],
        "ago": r"(?P<n>\w+|\d+) (?P<unit>dni|dzień|tygodni|tydzień|tygodnie) temu",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>dni|dzień|tygodni|tydzień|tygodnie) (?:wcześniej|przedtem)",
        "this_week": r"w tym tygodniu",
        "last_week": r"w (?:ubiegłym|zeszłym|poprzednim) tygodniu",
        "last_month": r"w (?:ubiegłym|zeszłym|poprzednim) miesiącu",
        "this_month": r"w tym miesiącu",
        "last_year": r"w (?:ubiegłym|zeszłym|poprzednim) roku",
        "last": r"ubiegły|ubiegłą|zeszły|zeszłą|ostatni|ostatnią",
        "next": r"przyszły|przyszłą|najbliższy|najbliższą",
    },
    "pt": {
        "published": [
            (r"hoje|esta manhã|esta tarde|esta noite|nesta manhã", 0),
            (r"anteontem", -2),
            (r"ontem", -1),
        ],
        "anchor": [
            (r"no mesmo dia|nesse dia|naquele dia", 0),
            (r"na véspera|no dia anterior|um dia antes", -1),
            (r"no dia seguinte|um dia depois", 1),
        ],
        "ago": r"há (?P<n>\w+|\d+) (?P<unit>dias?|semanas?)",
        "earlier": r"(?P<n>\w+|\d+) (?P<unit>dias?|semanas?) (?:antes|atrás)",
        "this_week": r"esta semana|nesta semana",
        "last_week": r"na semana passada|a semana passada",
        "last_month": r"no mês passado|o mês passado",
        "this_month": r"este mês|neste mês",
        "last_year": r"no ano passado|o ano passado",
        "last": r"passado|passada",
        "next": r"próximo|próxima",
    },
}

_PERIODS = {
    "en": {
        "span": r"(?:over|in|within|during|for|across) (?:the )?(?:next|coming|following) (?P<n>\w+|\d+) years"
        r"|over (?:a|the) (?P<n2>\w+|\d+)-year period|over (?P<n3>\w+|\d+) years"
        r"|(?:over|in|within) (?:the )?(?:next|coming) (?P<decade>decade)",
        "until": r"(?:by|through|until|till|up to) (?:the end of |end-|mid-)?(?:\w+ )?(?P<end>(?:19|20)\d\d)",
        "range": r"(?:between|from) (?P<a>(?:19|20)\d\d) (?:and|to|through) (?P<b>(?:19|20)\d\d)",
        "from": r"(?:from|starting in|beginning in) (?P<start>(?:19|20)\d\d)",
        "this_year": r"this year",
        "since": r"since (?P<year>(?:19|20)\d\d)",
    },
    "fr": {
        "span": r"(?:au cours|dans|sur|lors) (?:des|les) (?P<n>\w+|\d+) (?:prochaines|années à venir|ans)"
        r"(?: années)?|sur (?P<n2>\w+|\d+) ans|en (?P<n3>\w+|\d+) ans|d['’]ici (?P<n4>\w+|\d+) ans"
        r"|(?:au cours de|dans|sur) la prochaine (?P<decade>décennie)",
        "until": r"(?:d['’]ici (?:à |a )?|jusqu['’]en |jusqu['’]à |à l['’]horizon |avant )(?:(?:la )?fin )?"
        r"(?:\w+ )?"
        r"(?P<end>(?:19|20)\d\d)",
        "range": r"(?:entre|de) (?P<a>(?:19|20)\d\d) (?:et|à) (?P<b>(?:19|20)\d\d)",
        "from": r"(?:à partir de|dès) (?P<start>(?:19|20)\d\d)",
        "this_year": r"cette année",
        "since": r"depuis (?P<year>(?:19|20)\d\d)",
    },
    "es": {
        "span": r"(?:en|durante|a lo largo de) los (?:próximos|siguientes) (?P<n>\w+|\d+) años"
        r"|en un plazo de (?P<n2>\w+|\d+) años|(?:en|durante) (?P<n3>\w+|\d+) años"
        r"|en la próxima (?P<decade>década)",
        "until": r"(?:hasta|para|de aquí a|antes de) (?:(?:el )?(?:final|finales|fin|mediados) de )?(?:el )?"
        r"(?:\w+ de )?(?P<end>(?:19|20)\d\d)",
        "range": r"(?:entre|de) (?P<a>(?:19|20)\d\d) (?:y|a) (?P<b>(?:19|20)\d\d)",
        "from": r"a partir de(?:l)? (?P<start>(?:19|20)\d\d)",
        "this_year": r"este año",
        "since": r"desde (?:el )?(?P<year>(?:19|20)\d\d)",
    },
    "de": {
        "span": r"in den (?:nächsten|kommenden|folgenden) (?P<n>\w+|\d+) Jahren"
        r"|(?:über|binnen|innerhalb von|in) (?P<n2>\w+|\d+) Jahre(?:n)?"
        r"|über die (?:nächsten|kommenden) (?P<n3>\w+|\d+) Jahre|im nächsten (?P<decade>Jahrzehnt)",
        "until": r"bis (?:zum Jahr |Ende |zum Ende |spätestens |Mitte )?(?:\w+ )?(?P<end>(?:19|20)\d\d)",
        "range": r"(?:zwischen|von) (?P<a>(?:19|20)\d\d) (?:und|bis) (?P<b>(?:19|20)\d\d)",
        "from": r"ab (?:dem Jahr )?(?P<start>(?:19|20)\d\d)",
        "this_year": r"(?:in )?diesem Jahr|dieses Jahr",
        "since": r"seit (?P<year>(?:19|20)\d\d)",
    },
    "it": {
        "span": r"(?:nei|nel corso dei|per i|entro i) (?:prossimi|successivi) (?P<n>\w+|\d+) anni"
        r"|(?:in|entro|per|nell['’]arco di) (?P<n2>\w+|\d+) anni|nel prossimo (?P<decade>decennio)",
        "until": r"(?:entro (?:il |la fine del |fine )?|fino al )(?:\w+ )?(?P<end>(?:19|20)\d\d)",
        "range": r"(?:tra|fra) il (?P<a>(?:19|20)\d\d) e il (?P<b>(?:19|20)\d\d)"
        r"|dal (?P<a2>(?:19|20)\d\d) al (?P<b2>(?:19|20)\d\d)",
        "from": r"(?:a partire dal|dal) (?P<start>(?:19|20)\d\d)",
        "this_year": r"quest['’]anno",
        "since": r"dal (?P<year>(?:19|20)\d\d)(?! al)",
    },
    "nl": {
        "span": r"(?:in|over|binnen|gedurende) de (?:komende|volgende) (?P<n>\w+|\d+) jaar"
        r"|de komende (?P<n2>\w+|\d+) jaar|in (?P<n3>\w+|\d+) jaar(?: tijd)?|in het komende (?P<decade>decennium)",
        "until": r"(?:tegen|tot|voor|uiterlijk in) (?:(?:het )?(?:eind|einde|midden) )?(?:\w+ )?(?P<end>(?:19|20)\d\d)",
        "range": r"(?:tussen|van) (?P<a>(?:19|20)\d\d) (?:en|tot) (?P<b>(?:19|20)\d\d)",
        "from": r"vanaf (?P<start>(?:19|20)\d\d)",
        "this_year": r"dit jaar",
        "since": r"sinds (?P<year>(?:19|20)\d\d)",
    },
    "pl": {
        "span": r"w ciągu (?:najbliższych|kolejnych|następnych) (?P<n>\w+|\d+) lat"
        r"|(?:przez|na przestrzeni|w ciągu) (?P<n2>\w+|\d+) lat|w (?:najbliższej|kolejnej) (?P<decade>dekadzie)",
        "until": r"do (?:(?:końca|połowy) )?(?:\w+ )?(?P<end>(?:19|20)\d\d)(?: (?:roku|r\.))?",
        "range": r"(?:między|od) (?P<a>(?:19|20)\d\d) (?:a|do) (?P<b>(?:19|20)\d\d)",
        "from": r"(?:począwszy od|od) (?:roku )?(?P<start>(?:19|20)\d\d)(?! (?:do|a) )",
        "this_year": r"w tym roku",
        "since": r"od (?:roku )?(?P<year>(?:19|20)\d\d)(?! (?:do|a) )",
    },
    "pt": {
        "span": r"(?:nos|durante os|ao longo dos) (?:próximos|seguintes) (?P<n>\w+|\d+) anos"
        r"|(?:em|durante) (?P<n2>\w+|\d+) anos|na próxima (?P<decade>década)",
        "until": r"(?:até|antes de) (?:(?:o )?(?:final|fim|meados) de )?(?:\w+ de )?(?P<end>(?:19|20)\d\d)",
        "range": r"(?:entre|de) (?P<a>(?:19|20)\d\d) (?:e|a) (?P<b>(?:19|20)\d\d)",
        "from": r"a partir de (?:\w+ de )?(?P<start>(?:19|20)\d\d)",
        "this_year": r"este ano|neste ano",
        "since": r"desde (?P<year>(?:19|20)\d\d)",
    },
}
_YEAR_DATE = {
    "en": r"in (?P<year>(?:19|20)\d\d)",
    "fr": r"en (?P<year>(?:19|20)\d\d)",
    "es": r"en (?:el año )?(?P<year>(?:19|20)\d\d)",
    "de": r"(?:im Jahr(?:e)? |in )(?P<year>(?:19|20)\d\d)",
    "it": r"nel (?P<year>(?:19|20)\d\d)",
    "nl": r"in (?P<year>(?:19|20)\d\d)",
    "pl": r"w (?P<year>(?:19|20)\d\d)(?: (?:roku|r\.))?",
    "pt": r"em (?P<year>(?:19|20)\d\d)",
}
# Words without which a relative phrase cannot be there: a cheap test before the regular expression.
_AGO_WORDS = {
    "en": ("ago",),
    "fr": ("il y a",),
    "es": ("hace",),
    "de": ("vor ",),
    "it": (" fa",),
    "nl": ("geleden",),
    "pl": ("temu",),
    "pt": ("há ",),
}
_EARLIER_WORDS = {
    "en": ("earlier", "before", "previously"),
    "fr": ("auparavant", "plus tôt", "avant", "précédemment"),
    "es": ("antes", "atrás"),
    "de": ("zuvor", "vorher", "davor", "früher"),
    "it": ("prima", "addietro"),
    "nl": ("eerder", "daarvoor"),
    "pl": ("wcześniej", "przedtem"),
    "pt": ("antes", "atrás"),
}
_PERIOD_WORDS = {
    "en": ("year", "decade"),
    "fr": ("an", "décennie"),
    "es": ("año", "década"),
    "de": ("jahr",),
    "it": ("anni", "decennio"),
    "nl": ("jaar", "decennium"),
    "pl": ("lat", "dekadzie"),
    "pt": ("anos", "década"),
}
_YEAR = re.compile(r"(?:19|20)\d\d")
_WORDS = re.compile(r"[^\W\d_]+")
# Patterns that need a month or weekday name: tested against the sentence's words, a set lookup.
_WORD_GATED = frozenset({"day_month", "month_day", "month_year", "month_alone", "weekday"})
_MONTH_LEAD = {
    "en": r"(?:in|early|late|mid-|since|on) ",
    "fr": r"(?:en|début|fin|mi-|courant|au mois de|le mois de) ",
    "es": r"(?:en|a principios de|a finales de|a mediados de|el mes de) ",
    "de": r"(?:im|Anfang|Ende|Mitte|seit) ",
    "it": r"(?:a|ad|nel mese di|a inizio|a fine|a metà|lo scorso|nel) ",
    "nl": r"(?:in|begin|eind|half|medio) ",
    "pl": r"(?:w|we|na początku|pod koniec|od) ",
    "pt": r"(?:em|no início de|no final de|em meados de|no mês de) ",
}


@dataclass(frozen=True)
class DateMention:
    """A date found in text; `day` is the first of the month or year when precision is coarser."""

    day: date
    precision: str  # "day", "month" or "year"
    start: int
    end: int
    text: str
    exact: bool = True  # False for a week read as a day ("last week", "cette semaine")


@dataclass(frozen=True)
class Period:
    """The years an investment is spread over; either end may be unknown."""

    start_year: int | None
    end_year: int | None
    start: int
    end: int
    text: str


def _capitalised(word: str) -> str:
    """A pattern matching the word with a lower- or upper-case first letter."""
    return f"[{word[0]}{word[0].upper()}]{re.escape(word[1:])}"


@cache
def _tables(language: str) -> dict:
    language = language if language in _MONTHS else "en"
    months = {name: number for number, name in enumerate(_MONTHS[language].split(), 1)}
    months.update(_MONTH_VARIANTS[language])
    if language != "en":  # English month names turn up in every language (quotes, datelines)
        months.update({name: number for number, name in enumerate(_MONTHS["en"].split(), 1)})
    weekdays = {name: number for number, name in enumerate(_WEEKDAYS[language].split())}
    weekdays.update(_WEEKDAY_VARIANTS.get(language, {}))
    numbers = {name: number for number, name in enumerate(_NUMBERS[language].split(), 1)}
    numbers.update(_NUMBER_EXTRAS)
    month_alt = "|".join(
        (re.escape(name) if name[0].isupper() else _capitalised(name)) + (r"\.?" if len(name) <= 5 else "")
        for name in sorted(months, key=len, reverse=True)
    )
    weekday_alt = "|".join(
        re.escape(name) if name[0].isupper() else _capitalised(name)
        for name in sorted(weekdays, key=len, reverse=True)
    )
    rel = _RELATIVE[language]
    periods = _PERIODS[language]
    day = r"(?P<day>[0-3]?\d)(?:er|º|°|st|nd|rd|th|\.)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    flags = re.IGNORECASE
    month_words = {name.lower().rstrip(".") for name in months}
    weekday_words = {name.lower() for name in weekdays}
    gates: dict[str, set[str] | None] = {
        key: pattern_anchors(rel[key])
        for key in ("this_week", "last_week", "last_month", "this_month", "last_year")
    }
    gates.update(
        {
            "day_month": month_words,
            "month_day": month_words,
            "month_year": month_words,
            "month_alone": month_words,
            "weekday": weekday_words,
            "ago": set(_AGO_WORDS[language]),
            "earlier": set(_EARLIER_WORDS[language]),
            "span": set(_PERIOD_WORDS[language]),
            "this_year": pattern_anchors(periods["this_year"]),
        }
    )
    return {
        "gates": gates,
        "months": {name.lower().rstrip("."): number for name, number in months.items()},
        "weekdays": {name.lower(): number for name, number in weekdays.items()},
        "numbers": numbers,
        "iso": re.compile(r"\b(?P<year>20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
        "numeric": re.compile(r"\b(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./](?P<year>20\d\d)\b"),
        "day_month": re.compile(
            rf"\b{day}(?:\s+de)?\s+(?P<month>{month_alt})(?![\w])(?:,?\s+(?:de\s+|del\s+)?{year})?"
        ),
        "month_day": re.compile(
            rf"\b(?P<month>{month_alt})\s+{day}(?![\d])(?:,?\s+{year})?"
            if language == "en"
            else rf"\b(?P<month>(?-i:{'|'.join(re.escape(m) for m in _MONTHS['en'].split())}))\s+{day}"
            rf"(?![\d])(?:,?\s+{year})?"
        ),
        "month_year": re.compile(rf"\b(?P<month>{month_alt})\s+(?:de\s+|del\s+)?{year}\b"),
        "month_alone": re.compile(
            rf"\b{_MONTH_LEAD[language]}(?:de\s+)?(?P<month>{month_alt})(?![\w])", flags
        ),
        "weekday": re.compile(
            rf"(?:\b(?P<before>{rel['last']}|{rel['next']})\s+)?\b(?P<weekday>{weekday_alt})(?![\w])"
            rf"(?:\s+(?P<after>{rel['last']}|{rel['next']})\b)?"
        ),
        "published": [
            (re.compile(rf"\b(?:{pattern})\b", flags), shift, pattern_anchors(pattern))
            for pattern, shift in rel["published"]
        ],
        "anchor": [
            (re.compile(rf"\b(?:{pattern})\b", flags), shift, pattern_anchors(pattern))
            for pattern, shift in rel["anchor"]
        ],
        "ago": re.compile(rf"\b{rel['ago']}", flags),
        "earlier": re.compile(rf"\b{rel['earlier']}", flags),
        "this_week": re.compile(rf"\b(?:{rel['this_week']})\b", flags),
        "last_week": re.compile(rf"\b(?:{rel['last_week']})\b", flags),
        "last_month": re.compile(rf"\b(?:{rel['last_month']})\b", flags),
        "this_month": re.compile(rf"\b(?:{rel['this_month']})\b", flags),
        "last_year": re.compile(rf"\b(?:{rel['last_year']})\b", flags),
        "year": re.compile(rf"\b{_YEAR_DATE[language]}\b", flags),
        "span": re.compile(rf"\b(?:{periods['span']})", re.IGNORECASE),
        "until": re.compile(rf"\b(?:{periods['until']})\b", re.IGNORECASE),
        "range": re.compile(
            rf"\b(?:{periods['range']}|(?P<a3>(?:19|20)\d\d)\s?[-–/]\s?(?P<b3>(?:19|20)\d\d))\b",
            re.IGNORECASE,
        ),
        "from": re.compile(rf"\b(?:{periods['from']})\b", re.IGNORECASE),
        "this_year": re.compile(rf"\b(?:{periods['this_year']})\b", re.IGNORECASE),
        "since": re.compile(rf"\b(?:{periods['since']})\b", re.IGNORECASE),
    }


def _count(word: str | None, numbers: dict[str, int]) -> int | None:
    if not word:
        return None
    if word.isdigit():
        return int(word)
    return numbers.get(word.lower())


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _past(candidate: date | None, published: date) -> date | None:
    """A date written without its year is the latest such date not after publication."""
    if candidate and candidate > published + timedelta(days=2):
        return _safe_date(candidate.year - 1, candidate.month, candidate.day)
    return candidate


def find_periods(text: str, language: str, year: int) -> list[Period]:
    """Investment periods in `text`; `year` is when the period starts unless the text says otherwise."""
    tables = _tables(language)
    found: list[Period] = []
    folded = text.lower()
    has_year = _YEAR.search(text) is not None

    def add(match: re.Match, start_year: int | None, end_year: int | None) -> None:
        if any(match.start() < p.end and p.start < match.end() for p in found):
            return
        found.append(Period(start_year, end_year, match.start(), match.end(), match.group()))

    def scan(key: str) -> Iterator[re.Match]:
        gate = tables["gates"].get(key, "year")
        if has_year if gate == "year" else could_match(gate, folded):
            yield from tables[key].finditer(text)

    for match in scan("range"):
        first = match.group("a") or match.groupdict().get("a2") or match.group("a3")
        last = match.group("b") or match.groupdict().get("b2") or match.group("b3")
        if first and last and int(first) <= int(last):
            add(match, int(first), int(last))
    for match in scan("span"):
        groups = match.groupdict()
        if groups.get("decade"):
            count = 10
        else:
            written = groups.get("n") or groups.get("n2") or groups.get("n3") or groups.get("n4")
            count = _count(written, tables["numbers"])
        if count and count <= 30:
            add(match, year, year + count - 1)
    for match in scan("until"):
        end = int(match.group("end"))
        if end >= year:
            add(match, year, end)
    for match in scan("from"):
        add(match, int(match.group("start")), None)
    for match in scan("this_year"):
        add(match, year, year)
    return sorted(found, key=lambda period: period.start)


def find_since(text: str, language: str) -> list[tuple[int, int, int]]:
    """ "since 2009" phrases as (year, start, end): the mark of a cumulative total."""
    if not _YEAR.search(text):
        return []
    return [(int(m.group("year")), m.start(), m.end()) for m in _tables(language)["since"].finditer(text)]


def find_dates(text: str, language: str, published: date, anchor: date | None = None) -> list[DateMention]:
    """Dates in `text`, resolved against the publication date and the story's last date (`anchor`).

    Years that belong to a period or a "since" phrase are left out; so are dates after publication
    (plans, not announcements).
    """
    tables = _tables(language)
    anchor = anchor or published
    taken = [(p.start, p.end) for p in find_periods(text, language, published.year)]
    taken += [(start, end) for _, start, end in find_since(text, language)]
    found: list[DateMention] = []

    def free(start: int, end: int) -> bool:
        return not any(start < b and a < end for a, b in taken)

    def add(match: re.Match, day: date | None, precision: str, exact: bool = True) -> None:
        if day is None or not free(match.start(), match.end()):
            return
        if day > published + timedelta(days=2):
            return
        taken.append((match.start(), match.end()))
        found.append(DateMention(day, precision, match.start(), match.end(), match.group(), exact))

    def month_number(written: str) -> int | None:
        return tables["months"].get(written.lower().rstrip("."))

    folded = text.lower()
    has_year = _YEAR.search(text) is not None
    words = set(_WORDS.findall(folded))

    def scan(key: str) -> Iterator[re.Match]:
        gate = tables["gates"].get(key, "year")
        if key == "month_year" and not has_year:
            return
        if key in _WORD_GATED:
            wanted = not words.isdisjoint(gate)
        else:
            wanted = has_year if gate == "year" else could_match(gate, folded)
        if wanted:
            yield from tables[key].finditer(text)

    for match in scan("iso"):
        add(match, _safe_date(int(match["year"]), int(match["month"]), int(match["day"])), "day")
    for match in scan("numeric"):
        add(match, _safe_date(int(match["year"]), int(match["month"]), int(match["day"])), "day")
    for key in ("day_month", "month_day"):
        for match in scan(key):
            month = month_number(match["month"])
            if not month or not match["day"].isdigit():
                continue
            if match["year"]:
                day = _safe_date(int(match["year"]), month, int(match["day"]))
            else:
                day = _past(_safe_date(published.year, month, int(match["day"])), published)
            add(match, day, "day")
    for match in scan("month_year"):
        month = month_number(match["month"])
        if month:
            add(match, _safe_date(int(match["year"]), month, 1), "month")
    for match in scan("month_alone"):
        month = month_number(match["month"])
        if month:
            year = published.year if month <= published.month else published.year - 1
            add(match, _safe_date(year, month, 1), "month")
    for key, base in (("published", published), ("anchor", anchor)):
        for pattern, shift, required in tables[key]:
            if could_match(required, folded):
                for match in pattern.finditer(text):
                    add(match, base + timedelta(days=shift), "day")
    for key, base in (("ago", published), ("earlier", anchor)):
        for match in scan(key):
            count = _count(match["n"], tables["numbers"])
            if count is None or count > 60:
                continue
            unit = match["unit"].lower()
            days = count * 7 if unit.startswith(("week", "semaine", "semana", "woche", "settiman")) else count
            add(match, base - timedelta(days=days), "day")
    for match in scan("weekday"):
        modifier = (match["before"] or match["after"] or "").lower()
        if modifier and re.fullmatch(
            _RELATIVE[language if language in _RELATIVE else "en"]["next"], modifier, re.IGNORECASE
        ):
            continue
        weekday = tables["weekdays"].get(match["weekday"].lower())
        if weekday is None:
            continue
        back = (published.weekday() - weekday) % 7
        if modifier and back == 0:
            back = 7  # "last Tuesday" written on a Tuesday is a week ago
        add(match, published - timedelta(days=back), "day")
    for key, precision in (("this_week", "day"), ("last_week", "day")):
        for match in scan(key):
            add(match, published - timedelta(days=7 if key == "last_week" else 0), precision, exact=False)
    for match in scan("this_month"):
        add(match, published.replace(day=1), "month")
    for match in scan("last_month"):
        first = published.replace(day=1) - timedelta(days=1)
        add(match, first.replace(day=1), "month")
    for match in scan("last_year"):
        add(match, date(published.year - 1, 1, 1), "year")
    for match in scan("year"):
        add(match, date(int(match["year"]), 1, 1), "year")
    # A byline or a timestamp ("Door Redactie, 12 maart 2025 10:15", "Published 20 January 2025") dates
    # the page, not the news.
    found = [d for d in found if not _stamped(text, d)]
    return sorted(found, key=lambda mention: mention.start)


_TIME_AFTER = re.compile(r"^[,\s-]{0,3}(?:à\s|a las\s|um\s|alle\s|om\s|o\s|às\s|at\s)?\d{1,2}[:.h]\d{2}\b")
_BYLINE_BEFORE = re.compile(
    r"(?:^\s*(?:by|par|por|von|di|door|autor|redakcja)\b[^.\n]{0,40}"
    r"|\b(?:published|updated|publié|mis à jour|publicado|actualizado|veröffentlicht|aktualisiert|pubblicato"
    r"|aggiornato|gepubliceerd|bijgewerkt|opublikowano|aktualizacja|atualizado)\b[^.\n]{0,25}|[|·]\s*)$",
    re.IGNORECASE,
)


def _stamped(text: str, mention: DateMention) -> bool:
    """Whether a date is a page's byline or timestamp: a time right after it, or a byline word before it
    on the same line."""
    if _TIME_AFTER.match(text[mention.end : mention.end + 12]):
        return True
    line = text[text.rfind("\n", 0, mention.start) + 1 : mention.start]
    return _BYLINE_BEFORE.search(line) is not None
