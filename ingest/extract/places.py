"""Places named in text and the country they are in, for prose in the eight languages of `language.py`.

Countries are known by their names in the article's language and in English, from Babel's territory names
(`babel.Locale(language).territories`); cities and regions where Big Tech builds (Aragón, Hamina, Sines,
Brandenburg, Lombardia...) map to their country; adjectives ("espagnol", "deutschen") count as weaker
evidence. Europe as a whole ("en Europe", "the EU", "le Vieux Continent") has no country (None).
Which countries are European is investments/europe.py's rule; territories Babel lists apart (Jersey,
the Faroes, Åland) count as the country they belong to. Polish declines country names ("w Polsce", "do
Niemiec"), so the cases news prose uses are listed beside Babel's nominatives.
"""

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale

from investments.europe import EUROPEAN_COUNTRIES

EUROPEAN = frozenset(EUROPEAN_COUNTRIES)
# Territories Babel names apart, reported as the country that answers for them.
_SOVEREIGN = {"GI": "GB", "IM": "GB", "JE": "GB", "GG": "GB", "FO": "DK", "AX": "FI", "SJ": "NO"}
EUROPE = "EUROPE"  # the code a Place carries for Europe as a whole before it is reported as None

_EUROPE_REGIONS = {"150", "EU", "EZ", "039", "151", "154", "155"}
_SKIPPED_TERRITORIES = {"001", "QO", "XA", "XB", "ZZ", "UN", "EA", "IC", "DG", "CP", "TA", "AC"}
# Territory names that are far more often something else in news prose: first names, a US state.
_AMBIGUOUS_NAMES = {
    "Chad",
    "Jordan",
    "Georgia",
    "Maurice",
    "Géorgie",
    "Georgien",
    "Man",
    "Island",
    "Turkey",
    "Niger",
    "Guinea",
    "Dominica",
    "Jersey",
    "Guernsey",
    "Monaco",
    "Mali",
    "Togo",
    "Oman",
    "Sainte-Lucie",
    "Norfolk",
    "Mauricio",
    "Granada",
    "Santa Lucía",
    "Indien",
    "Sark",
}

# Extra names for countries and Europe that Babel does not list in these forms.
_EXTRA_NAMES = {
    "GB": "UK|U.K|Britain|Great Britain|Grande-Bretagne|Gran Bretaña|Großbritannien|Gran Bretagna|Inghilterra|"
    "England|Angleterre|Inglaterra|Scotland|Écosse|Escocia|Schottland|Scozia|Wales|pays de Galles|"
    "Pays de Galles|País de Gales|Gales|Galles|Northern Ireland|Irlande du Nord|Irlanda del Norte|"
    "Nordirland|Irlanda del Nord|Vereinigten Königreich|Vereinigten Königreichs|Royaume Uni|VK|Groot-Brittannië|"
    "Engeland|Wielkiej Brytanii|Wielką Brytanię|Zjednoczonym Królestwie|Anglii|Grã-Bretanha|Inglaterra",
    "CZ": "Czech Republic|République tchèque|República Checa|Repubblica Ceca|Czechach|Czech",
    "NL": "the Netherlands|Holland|Niederlanden|Holandii|Holandię|Niderlandach|Holanda|Países Baixos",
    "CH": "der Schweiz|Szwajcarii|Zwitserland",
    "MY": "Malesia|Malaisie|Malasia|Malaysia",
    "KR": "Corée du Sud|Corea del Sur|Südkorea|Corea del Sud|South Korea",
    "US": "US|U.S|USA|EE.UU|EEUU|EE. UU|Vereinigten Staaten|North America|Amérique du Nord|Norteamérica|Nordamerika|"
    "America del Nord|Silicon Valley",
    "PL": "Polsce|Polski|Polskę|Polską",
    "DE": "Niemczech|Niemiec|Niemcom|Duitsland",
    "FR": "Francji|Francję",
    "ES": "Hiszpanii|Hiszpanię",
    "IT": "Włoszech|Włoch",
    "SE": "Szwecji|Szwecję",
    "PT": "Portugalii|Portugalię",
    "BE": "Belgii|Belgię",
    "IE": "Irlandii|Irlandię",
    "FI": "Finlandii|Finlandię",
    "NO": "Norwegii|Norwegię",
    "DK": "Danii|Danię",
    "AT": "Austrii|Austrię",
    "TR": "Turcji|Türkiye",
    EUROPE: "EU|UE|l'UE|European Union|Europese Unie|Unia Europejska|Unii Europejskiej|Unię Europejską|"
    "União Europeia|Europy|Europie|Union européenne|Unión Europea|Europäische Union|Europäischen Union|"
    "Unione europea|Unione Europea|Vieux Continent|vieux continent|Old Continent|viejo continente|"
    "Viejo Continente|alten Kontinent|Vecchio Continente|vecchio continente|EMEA|Europas|Europe-wide",
}
# Parts of Europe: Europe as a whole when nothing closer is said, but a country named in the story wins
# ("sa première région cloud en Europe centrale" in a story about Poland is Poland).
_EUROPEAN_REGIONS = (
    "Nordics|Nordic countries|pays nordiques|países nórdicos|nordischen Ländern|paesi nordici|Scandinavia|"
    "Scandinavie|Escandinavia|Skandinavien|Benelux|Europe de l'Est|Europe de l'Ouest|Europe centrale|"
    "Central Europe|Mitteleuropa|Europa central|Europa centrale|Europa del Sur|Europa del Este|Southern Europe|"
    "Eastern Europe|Northern Europe|Western Europe|Europa dell'Est|Central and Eastern Europe|"
    "Europe centrale et orientale|Europa central y oriental|Mittel- und Osteuropa|Europa centro-orientale|"
    "Europa centrorientale|Europa centro-oriental|CEE|Baltics|pays baltes|Baltikum|países bálticos|"
    "paesi baltici|Iberian Peninsula|péninsule ibérique|península ibérica|Iberische Halbinsel|"
    "penisola iberica|sud de l'Europe|Europe du Sud|Europe du Nord|sur de Europa|norte de Europa|"
    "Südeuropa|Nordeuropa|Osteuropa|Westeuropa|sud Europa|Nord Europa|Europa meridionale|Europa orientale|"
    "Europa settentrionale|Europa occidentale|Europa meridional|Europa oriental|Europa septentrional|"
    "Europa occidental|Mediterranean|Méditerranée|Mediterráneo|Mittelmeer|Mediterraneo|"
    "Europy Środkowo-Wschodniej|Europie Środkowo-Wschodniej|Europa Środkowo-Wschodnia|Europy Środkowej|"
    "Europie Środkowej|Scandinavische landen|Noord-Europa|Zuid-Europa|Oost-Europa|West-Europa|"
    "Centraal-Europa|Europa Central|Europa de Leste|Norte da Europa|Sul da Europa|países nórdicos|Skandynawii"
)

# Cities and regions, by country, in the spellings of the five languages.
_LOCALITIES = {
    "ES": "Aragón|Aragon|Aragona|Aragonien|Zaragoza|Saragosse|Saragossa|Saragozza|Madrid|Barcelona|Barcelone|"
    "Barcellona|Cataluña|Catalogne|Catalonia|Katalonien|Catalogna|Catalunya|Talavera de la Reina|"
    "Castilla-La Mancha|Castille-La Manche|Huesca|Teruel|Bilbao|País Vasco|Pays basque|Basque Country|"
    "Valencia|Valence|Sevilla|Séville|Seville|Siviglia|Málaga|Malaga|Andalucía|Andalousie|Andalusia|"
    "Andalusien|Extremadura|Estrémadure|Galicia|Galice|Castilla y León|Navarra|Navarre|Asturias|"
    "La Muela|Villamayor de Gállego|Villanueva de Gállego|El Burgo de Ebro|San Mateo de Gállego|"
    "Alcalá de Henares|San Sebastián de los Reyes|Comunidad de Madrid|Cantabria|Murcia|Canarias|"
    "Baleares|Granada|Tarragona|Girona|Lleida|Cuenca|Toledo|Ciudad Real|Guadalajara|Burgos|Salamanca|Valladolid|"
    "Aragão|Saragoça|Madryt|Madrycie|Barcelonie",
    "PT": "Sines|Lisbon|Lisbonne|Lisboa|Lissabon|Lisbona|Porto|Oporto|Alentejo|Covilhã|Braga|Coimbra|Setúbal|"
    "Lizbona|Lizbonie|Évora|Aveiro|Leiria|Faro|Algarve|Madeira|Açores|Azores|Fundão|Castelo Branco",
    "FI": "Hamina|Helsinki|Espoo|Kajaani|Vantaa|Tampere|Oulu|Muhos|Kuopio|Turku|Lahti|Kouvola",
    "DE": "Brandenburg|Brandebourg|Brandeburgo|Berlin|Berlino|Berlín|Frankfurt|Francfort|Fráncfort|"
    "Francoforte|Frankfurt am Main|Hanau|Dietzenbach|Munich|München|Múnich|Monaco di Baviera|Bavaria|"
    "Bayern|Bavière|Baviera|Hesse|Hessen|Hesse|Assia|Nordrhein-Westfalen|North Rhine-Westphalia|"
    "Rhénanie-du-Nord-Westphalie|Renania del Norte-Westfalia|Renania Settentrionale-Vestfalia|NRW|"
    "Rheinisches Revier|Bedburg|Bergheim|Elsdorf|Hamburg|Hambourg|Hamburgo|Amburgo|Köln|"
    "Cologne|Colonia|Düsseldorf|Stuttgart|Leipzig|Dresden|Dresde|Sachsen|Saxe|Sajonia|Sassonia|"
    "Niedersachsen|Basse-Saxe|Baja Sajonia|Bassa Sassonia|Lower Saxony|Schleswig-Holstein|"
    "Baden-Württemberg|Bade-Wurtemberg|Rheinland-Pfalz|Thüringen|Sachsen-Anhalt|Magdeburg|Nürnberg|"
    "Nuremberg|Karlsruhe|Heidelberg|Bonn|Dortmund|Hannover|Hanovre|Rhein-Main|Rhine-Main|"
    "Mecklenburg-Vorpommern|Lausitz|Tübingen|Darmstadt|Offenbach|Mainz|Potsdam|Berlijn|Berlim|Berlinie|"
    "Frankfurtcie|Frankfurcie|Monachium|Monachijum|Munique",
    "IT": "Lombardia|Lombardy|Lombardie|Lombardía|Lombardei|Milan|Milano|Milán|Mailand|Turin|Torino|Turín|"
    "Rome|Roma|Rom|Naples|Napoli|Nápoles|Neapel|Piedmont|Piemonte|Piémont|Piamonte|Bologna|Bologne|"
    "Bolonia|Emilia-Romagna|Émilie-Romagne|Veneto|Vénétie|Venezia|Venice|Venise|Venecia|Venedig|"
    "Lazio|Latium|Lacio|Sicilia|Sicily|Sicile|Sizilien|Sardegna|Sardinia|Sardaigne|Cerdeña|"
    "Puglia|Apulia|Pouilles|Toscana|Tuscany|Toscane|Toskana|Florence|Firenze|Florencia|Florenz|"
    "Genoa|Genova|Gênes|Génova|Genua|Bari|Palermo|Catania|Trento|Bergamo|Brescia|Pavia|Varese|"
    "Monza|Campania|Calabria|Liguria|Friuli|Abruzzo",
    "IE": "Dublin|Dublino|Dublín|Grange Castle|Clonee|Cork|Galway|Limerick|Meath|Kildare|Athenry|Drogheda",
    "NL": "Amsterdam|Ámsterdam|Amsterdão|Eemshaven|Groningen|Groningue|Groninga|Winschoten|Middenmeer|"
    "Hollands Kroon|Agriport|Rotterdam|Róterdam|The Hague|La Haye|La Haya|Den Haag|L'Aia|Utrecht|"
    "Eindhoven|Zeewolde|Noord-Holland|Flevoland|Amsterdamie|Haarlemmermeer|Wieringermeer|Almere|Apeldoorn|"
    "Delfzijl|Drenthe|Friesland|Zuid-Holland|Noord-Brabant|Gelderland|Limburg|Overijssel|Nijmegen|Maastricht",
    "FR": "Paris|París|Parigi|Île-de-France|Ile-de-France|Marseille|Marsella|Marsiglia|Mulhouse|Alsace|Alsacia|"
    "Elsass|Alsazia|Lyon|Lyons|Lione|Grenoble|Petit-Landau|Toulouse|Tolosa|Bordeaux|Burdeos|Bordeaux|"
    "Lille|Niza|Nizza|Strasbourg|Estrasburgo|Straßburg|Strasburgo|Nantes|Rennes|Montpellier|"
    "Essonne|Saclay|Paris-Saclay|Seine-Saint-Denis|Hauts-de-France|Grand Est|Normandie|Normandy|"
    "Bretagne|Brittany|Occitanie|Provence|Provence-Alpes-Côte d'Azur|Auvergne-Rhône-Alpes|"
    "Bruyères-le-Châtel|Fos-sur-Mer|Dunkerque|Dunkirk",
    "GB": "London|Londres|Londra|Cardiff|Newport|Manchester|Cambridge|Oxford|Waltham Cross|Hertfordshire|"
    "Loughton|Essex|Slough|Birmingham|Edinburgh|Édimbourg|Edimburgo|Glasgow|Leeds|Liverpool|Bristol|"
    "Newcastle|Sunderland|Blyth|Teesside|Crawley|Docklands|Northumberland|North East England|"
    "Belfast|Harlow|Didcot|Swindon|Bracknell|Culham|Londen|Londyn|Londynie|Londres",
    "SE": "Stockholm|Estocolmo|Stoccolma|Sandviken|Gävle|Gavle|Staffanstorp|Gothenburg|Göteborg|Gotemburgo|"
    "Falun|Malmö|Luleå|Lulea|Borlänge|Katrineholm|Eskilstuna|Sztokholm|Sztokholmie|Estocolmo",
    "PL": "Warsaw|Varsovie|Varsovia|Warschau|Varsavia|Kraków|Krakow|Cracovie|Cracovia|Krakau|Poznań|Poznan|"
    "Wrocław|Wroclaw|Gdańsk|Gdansk|Łódź|Lodz|Katowice|Mazovia|Mazowsze|Warszawa|Warszawie|Warszawy|"
    "Warszawę|Krakowie|Krakowa|Poznaniu|Wrocławiu|Gdańsku|Łodzi|Katowicach|Mazowszu|Śląsku|Śląsk|"
    "Pomorzu|Trójmieście|Gdyni|Szczecinie|Lublinie|Białymstoku|Rzeszowie|Varsóvia",
    "DK": "Copenhagen|Copenhague|Kopenhagen|Copenaghen|Odense|Fredericia|Aabenraa|Esbjerg|Viborg|Aarhus|Jutland",
    "NO": "Oslo|Narvik|Kvandal|Skien|Telemark|Stavanger|Bergen|Trondheim|Tromsø|Narwiku",
    "BE": "Saint-Ghislain|Mons|Antwerp|Anvers|Amberes|Antwerpen|Anversa|Ghent|Gand|Gante|Gent|Liège|Lieja|"
    "Lüttich|Wallonia|Wallonie|Valonia|Wallonien|Vallonia|Flanders|Flandre|Flandes|Flandern|Fiandre|"
    "Farciennes|Charleroi|Brussel|Bruxelles|Brussels|Bruksela|Brukseli|Bruxelas|Vlaanderen|Wallonië|Henegouwen|"
    "Hainaut|Luik|Antwerpen",
    "AT": "Vienna|Vienne|Viena|Wien|Graz|Linz|Salzburg|Salzbourg|Salisburgo|Kronstorf",
    "CH": "Zurich|Zürich|Zúrich|Zurigo|Geneva|Genève|Ginebra|Genf|Ginevra|Bern|Berne|Berna|Basel|Bâle|"
    "Basilea|Lausanne|Losanna|Lugano",
    "GR": "Athens|Athènes|Atenas|Athen|Atene|Attica|Attique|Ática|Attika|Thessaloniki|Salonique|Tesalónica|"
    "Thessaloniki|Salonicco|Patras",
    "CZ": "Prague|Praga|Prag",
    "HU": "Budapest",
    "RO": "Bucharest|Bucarest|Bukarest",
    "HR": "Zagreb",
    "LU": "Luxembourg-Ville",
    "IS": "Reykjavik|Reikiavik",
    "EE": "Tallinn",
    "LV": "Riga",
    "LT": "Vilnius",
    "SK": "Bratislava",
    "SI": "Ljubljana",
    "UA": "Kyiv|Kiev|Kiew",
    # Outside Europe: where a Europe article also mentions a company's other projects.
    "US": "Virginia|Virginie|Texas|Ohio|Arizona|Iowa|Wisconsin|Indiana|Louisiana|Louisiane|Luisiana|"
    "Pennsylvania|Pennsylvanie|Pensilvania|Pennsylvanien|Oregon|Nevada|Mississippi|Wyoming|Nebraska|"
    "North Carolina|Caroline du Nord|Carolina del Norte|South Carolina|Alabama|Kansas|Missouri|"
    "Illinois|Chicago|Atlanta|Dallas|New York|Nueva York|Californie|California|"
    "Kalifornien|Michigan|Minnesota|Abilene",
    "JP": "Tokyo|Tokio|Tokyo|Osaka|Osaka",
    "IN": "Mumbai|Bombay|Hyderabad|Chennai|Bangalore|Bengaluru|Pune",
    "CN": "Beijing|Pékin|Pekín|Peking|Pechino|Shanghai|Shanghái|Shenzhen",
    "SG": "Singapore|Singapour|Singapur|Singapore",
    "MY": "Kuala Lumpur|Johor",
    "AE": "Abu Dhabi|Abou Dhabi|Abu Dabi|Dubai|Dubaï|Dubái",
    "SA": "Riyadh|Riyad|Riad|Riyadh",
    "AU": "Sydney|Melbourne",
    "BR": "São Paulo|Sao Paulo|Rio de Janeiro",
    "CA": "Toronto|Montreal|Montréal|Quebec|Québec|Ontario",
    "KR": "Seoul|Séoul|Seúl|Seul",
    "ID": "Jakarta|Yakarta|Giacarta|Batam",
    "TH": "Bangkok|Bangkog",
    "ZA": "Johannesburg|Johannesbourg|Johannesburgo|Cape Town|Le Cap|Ciudad del Cabo|Kapstadt|Città del Capo",
    "142": "Asia-Pacific|Asie-Pacifique|Asia-Pacífico|Asien-Pazifik|Asia-Pacifico|APAC|Middle East|Moyen-Orient|"
    "Oriente Medio|Oriente Próximo|Nahen Osten|Nahost|Medio Oriente",
}

# Adjectives of nationality (weaker evidence than a name: "les centres de données espagnols").
_DEMONYMS = {
    "ES": "spaanse spaans hiszpański hiszpańska hiszpańskie hiszpańskich espanhol espanhola espanhóis "
    "spanish spaniards espagnol espagnole espagnols espagnoles español española españoles españolas "
    "spanisch spanische spanischen spanischer spanisches spanischem spagnolo spagnola spagnoli spagnole",
    "DE": "duitse duits niemiecki niemiecka niemieckie niemieckich alemã alemães "
    "german germans allemand allemande allemands allemandes alemán alemana alemanes alemanas deutsch "
    "deutsche deutschen deutscher deutsches deutschem tedesco tedesca tedeschi tedesche",
    "FR": "franse frans francuski francuska francuskie francuskich francês francesa "
    "french français française françaises francés francesa franceses francesas französisch französische "
    "französischen französischer französisches francese francesi",
    "IT": "italiaanse italiaans włoski włoska włoskie włoskich italiano italiana "
    "italian italians italien italienne italiens italiennes italiano italiana italianos italianas "
    "italienisch italienische italienischen italienischer italiani italiane",
    "GB": "britse brits brytyjski brytyjska brytyjskie brytyjskich britânico britânica britânicos "
    "british britannique britanniques británico británica británicos británicas britisch britische "
    "britischen britischer britannico britannica britannici britanniche",
    "SE": "zweedse zweeds szwedzki szwedzka szwedzkie szwedzkich sueco sueca "
    "swedish suédois suédoise suédoises sueco sueca suecos suecas schwedisch schwedische schwedischen "
    "svedese svedesi",
    "PL": "poolse pools polski polska polskie polskich polskiego polskim polskiej polskimi polaków "
    "polaco polaca polonês polonesa "
    "polish polonais polonaise polonaises polaco polaca polacos polacas polnisch polnische polnischen "
    "polacco polacca polacchi polacche",
    "FI": "finnish finlandais finlandaise finlandaises finlandés finlandesa finlandeses finlandesas finnisch "
    "finnische finnischen finlandese finlandesi",
    "NL": "nederlandse nederlands holenderski holenderska holenderskie holenderskich neerlandês neerlandesa "
    "holandês holandesa "
    "dutch néerlandais néerlandaise néerlandaises neerlandés neerlandesa holandés holandesa "
    "niederländisch niederländische niederländischen olandese olandesi",
    "IE": "irish irlandais irlandaise irlandés irlandesa irlandeses irisch irische irischen irlandese irlandesi",
    "PT": "portugese portugees portugalski portugalska portugalskie portugalskich português portuguesa "
    "portugueses portuguesas "
    "portuguese portugais portugaise portugués portuguesa portugueses portugiesisch portugiesische "
    "portugiesischen portoghese portoghesi",
    "BE": "belgische belgisch belgijski belgijska belgijskie belgijskich "
    "belgian belge belges belga belgas belgisch belgische belgischen",
    "AT": "austrian autrichien autrichienne austriaco austriaca österreichisch österreichische "
    "österreichischen austriaci",
    "CH": "swiss suisse suisses suizo suiza suizos schweizer schweizerisch schweizerische svizzero svizzera "
    "svizzeri",
    "NO": "norwegian norvégien norvégienne noruego noruega norwegisch norwegische norwegischen norvegese",
    "DK": "danish danois danoise danés danesa dänisch dänische dänischen danese danesi",
    "GR": "greek grec grecque griego griega griechisch griechische griechischen greco greca",
    "142": "asian asiatique asiatiques asiático asiática asiáticos asiatisch asiatische asiatischen asiatico "
    "asiatica asiatici",
    EUROPE: "europese europees europejski europejska europejskie europejskich europejskiej europeu europeia "
    "europeus europeias "
    "european européen européenne européens européennes europeo europea europeos europeas europei "
    "europee europäisch europäische europäischen europäischer europäisches",
}
_LANGUAGES = ("en", "fr", "es", "de", "it", "nl", "pl", "pt")


@dataclass(frozen=True)
class Place:
    """A place named in text; `code` is ISO alpha-2, a UN region code, or EUROPE."""

    code: str
    name: str
    kind: str  # "country", "locality", "europe", "region" (part of Europe), "demonym"
    start: int
    end: int

    @property
    def in_europe(self) -> bool:
        return self.code == EUROPE or self.code in EUROPEAN

    @property
    def country(self) -> str | None:
        """ISO alpha-2 of the country, None for Europe as a whole."""
        return None if self.code == EUROPE else self.code


def _split(names: str) -> list[str]:
    return [name.strip() for name in names.split("|") if name.strip()]


@cache
def gazetteer() -> dict[str, tuple[str, str]]:
    """Place names in the eight languages, mapped to (code, kind). All languages at once: an article
    names places in other languages' spellings too, and a misread language must not lose them."""
    names: dict[str, tuple[str, str]] = {}
    for locale in _LANGUAGES:
        for code, name in Locale(locale).territories.items():
            if code in _SKIPPED_TERRITORIES or name in _AMBIGUOUS_NAMES or "(" in name:
                continue
            if code in _EUROPE_REGIONS:
                kind = "europe" if code in ("150", "EU", "EZ") else "region"
                names.setdefault(name, (EUROPE, kind))
                names.setdefault(name.replace("’", "'"), (EUROPE, kind))
            elif len(code) == 2 or code.isdigit():
                code = _SOVEREIGN.get(code, code)
                names.setdefault(name, (code, "country"))
                names.setdefault(name.replace("’", "'"), (code, "country"))
    for code, spelled in _EXTRA_NAMES.items():
        for name in _split(spelled):
            names[name] = (code, "europe" if code == EUROPE else "country")
    for code, spelled in _LOCALITIES.items():
        for name in _split(spelled):
            names[name] = (code, "locality" if len(code) == 2 else "country")
    for name in _split(_EUROPEAN_REGIONS):
        names[name] = (EUROPE, "region")
    return names


@cache
def _demonyms() -> dict[str, str]:
    return {word: code for code, words in _DEMONYMS.items() for word in words.split()}


_TOKEN = re.compile(r"\w+")
# "US" and "U.S." are a place only after a preposition ("in the US", "aux USA"); elsewhere they qualify
# a noun ("the US group", "US-Konzern") and every company here is American.
_US_ABBREVIATION = re.compile(r"^(?:U\.?S|U\.S\.?A|USA)$")
_BEFORE_US = re.compile(
    r"\b(?:in|across|outside|to|into|from|aux|en|nei|negli|nach|dans|hors des)\s+(?:the\s+|den\s+|les\s+|los\s+|gli\s+)?$",
    re.IGNORECASE,
)


@cache
def _first_words() -> dict[str, int]:
    """Each name's first word with the most words a name starting with it has, so that only words
    that can start a name are looked up."""
    longest: dict[str, int] = {}
    for name in gazetteer():
        words = _TOKEN.findall(name)
        if words:
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


def find_places(text: str, language: str = "en") -> list[Place]:
    """Every place named in `text`, in reading order, longest name first where names overlap."""
    names = gazetteer()
    first_words = _first_words()
    demonyms = _demonyms()
    tokens = list(_TOKEN.finditer(text))
    found: list[Place] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = token.group()
        matched = None
        for length in range(min(first_words.get(word, 0), len(tokens) - index), 0, -1):
            last = tokens[index + length - 1]
            written = text[token.start() : last.end()]
            entry = names.get(written) or names.get(" ".join(written.split()))
            if entry:
                code, kind = entry
                abbreviated_us = code == "US" and _US_ABBREVIATION.match(written.replace(" ", ""))
                if abbreviated_us and (
                    text[last.end() : last.end() + 1] == "-"
                    or not _BEFORE_US.search(text[max(0, token.start() - 30) : token.start()])
                ):
                    break
                matched = Place(code, written, kind, token.start(), last.end())
                break
        if matched is None:
            if language == "de" and word.endswith("s") and word[:-1] in names:
                code, kind = names[word[:-1]]  # German genitive: "Spaniens", "Brandenburgs"
                matched = Place(code, word, kind, token.start(), token.end())
            elif word.lower() in demonyms:
                matched = Place(demonyms[word.lower()], word, "demonym", token.start(), token.end())
        if matched:
            found.append(matched)
            while index < len(tokens) and tokens[index].start() < matched.end:
                index += 1
        else:
            index += 1
    return found
