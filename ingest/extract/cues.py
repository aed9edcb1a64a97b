"""What a figure in a sentence measures: an investment, or something else with a currency sign.

`has_investment_cue(sentence)` says whether the sentence talks about investing at all (a verb or noun of
investing, building, pledging or announcing, in any of the eight languages). `non_investment_reason(window)`
names what the words right around a figure make of it when it is not an investment: revenue, a valuation,
a startup's funding round, a fine, a GDP contribution, a cumulative total, global capex, an acquisition,
public money, a loan, a summit's or a country's total. The caller decides the window (the figure's clause).
"""

import re

from .lexicon import Lexicon

_INVESTMENT_PATTERN = (
    r"invest|inver(?:tir|tirá|tirán|sión|siones|tido)|invier[te]|investier|investition|investiment"
    r"|pledg|commit|spend|spent|inject|pour(?:s|ing|ed)?\b|plough|allocat|earmark|\bbuil[dt]|expan"
    r"|data ?cent(?:re|er)|campus|cloud region|package|programme|program\b|\bfund\b|\bfunds\b|deploy"
    r"|infrastructure|facility|supercomputer|\bhub\b|\bplan(?:s|ned)?\b|\bput\b|\bbet\b|promis|announc"
    r"|engag|enveloppe|consacr|injecter|débours|dépens|financ|sur la table|\bprojet|mobilis|allou"
    r"|centres? de données|construi|construction|région cloud|déploi|déploy|infrastructur|promet|annon[cç]"
    r"|desembols|destin|compromet|compromiso|gast|inyect|\bproyecto|\bprograma\b|movili|centros? de datos"
    r"|infraestructura|constru|regi[óo]n (?:cloud|de nube)|prometi|anunci"
    r"|steck|gesteckt|ausgeb|ausgegeben|bereitstell|bereitgestellt|zusage|zugesagt|paket|\bplan\b"
    r"|programm|finanzier|rechenzentr|infrastruktur|\bbau|gebaut|cloud-region|ausbau|aufbau|versproch"
    r"|angekündigt|kündigt"
    r"|stanzi|impegn|spender|spes[ao]|iniett|\bpiano\b|progett|centr[oi] dati|infrastruttur|costrui"
    r"|costruzione|region[ei] cloud|mett(?:e|ere|erà) sul piatto|mette a disposizione|promess|annunci"
    r"|steken|steekt|stopt|datacent|rekencentr|\bbouw|uitbrei|aangekondigd|kondigt|belooft|toezegg"
    r"|\btrek(?:t|ken)\b[^.]{0,60}\buit\b|uitgetrokken|reserveer|\bwyda(?:ć|je|dzą)?\b|wydatk|planuj"
    r"|inwest|zainwest|centr(?:um|a|ów) danych|przeznacz|wyłoż|buduj|budow|zapowied|ogłosi|region chmur"
    r"|investe|investir|investiment|centros? de dados|constru|anunci|aplicar|injetar|compromet"
)
_INVESTMENT_WORDS = Lexicon((("investment", _INVESTMENT_PATTERN),))

# Each reason with the words that give it away, in the eight languages.
_NOT_INVESTMENT: tuple[tuple[str, str], ...] = (
    (
        "revenue",
        r"\brevenues?\b|\bsales\b|\bturnover\b|chiffre d['’]affaires|\bventes\b|\brecettes\b|\bingres(?:os|[óo])\b"
        r"|factur(?:aci[óo]n|[óo]|ado)|\bventas\b|\bUmsatz|\bUmsätze|\bErlöse|\bsetzte\b[^.]{0,60}\bum\b"
        r"|\bfatturato\b|\bricavi\b|\bvendite\b|\bearnings\b|\bprofits?\b|bénéfices?|\bbeneficios?\b"
        r"|\bGewinn|Nettogewinn|\butil[ei]\b|net income|résultat net|\bomzet\b|\bwinst\b|przychod|\bzysk"
        r"|receitas?\b|faturação|faturamento|\blucros?\b",
    ),
    (
        "valuation",
        r"\bvaluation\b|\bvalued at\b|\bvalued it\b|valoris[ée]e?s?\b|valorisant|valorisation|valoraci[óo]n"
        r"|valor[óo]|valorad[ao]|\bBewertung\b|\bbewertet\b|valutazione|valutat[ao]|ha valutata"
        r"|market (?:cap|value|capitali[sz]ation)|stock market|capitalisation boursière|en Bourse|capitalizaci[óo]n"
        r"|en bolsa|Börsenwert|Marktwert|an der Börse|capitalizzazione|in Borsa|valeur de marché"
        r"|valor de mercado|valore di mercato|\bfortune\b|net worth|patrimoine|\bfortuna\b|Vermögen"
        r"|beurswaarde|waardering|gewaardeerd|wycen|kapitalizacj|avaliad[ao]|avaliação",
    ),
    (
        "funding round",
        r"funding round|financing round|\bSeries [A-F]\b|seed round|\braised\b|\braises\b|\braising\b"
        r"|levée de fonds|\ba levé\b|\bqui a levé\b|\blève\b|tour de table|ronda de financiaci[óo]n|\bronda\b"
        r"|\bha captado\b|\brecaudad[oa]|Finanzierungsrunde|eingesammelt|sammelte|round di|\braccolto\b"
        r"|\braccolti\b|\bround\b|\b(?:had|has|have) secured\b|financieringsronde|opgehaald|runda finansowania"
        r"|pozyska[łl]|ronda de financiamento|\bangariou\b|\bcaptou\b",
    ),
    (
        "fine",
        r"\bfined?\b|\bpenalt(?:y|ies)\b|\bamende\b|\bsanction|\bsanci[óo]n|\bsancion|\bmulta\b|\bmultad[oa]\b"
        r"|\bStrafe\b|Bußgeld|Geldbuße|Geldstrafe|\bsanzione\b|antitrust|\bboete\b|\bkar[aęy]\b|\bkoima\b",
    ),
    (
        "gdp contribution",
        r"\bGDP\b|\bPIB\b|\bBIP\b|\bPIL\b|gross domestic product|produit intérieur brut|producto interior bruto"
        r"|Bruttoinlandsprodukt|prodotto interno lordo|economic impact|impact économique|impacto económico"
        r"|impatto economico|Wertschöpfung|Wirtschaftsleistung|to the (?:\w+ )?economy|à l['’]économie"
        r"|a la economía|zur Wirtschaft|all['’]economia|valeur ajoutée|valor añadido|valore aggiunto"
        r"|economic output|gross value added|gesamtwirtschaftlich|economic benefit|retombées économiques"
        r"|\bbbp\b|bruto (?:nationaal|binnenlands) product|\beconomie\b|\bPKB\b|gospodar|\bPIB\b|à economia"
        r"|economia (?:portuguesa|nacional)",
    ),
    (
        "cumulative total",
        r"\bso far\b|\bto date\b|already (?:invested|spent)"
        r"|over the (?:past|last) (?:\w+ )?(?:years|decades?)|in the (?:past|last) (?:\w+ )?years"
        r"|total investment to|total commitment|à ce jour|jusqu['’]ici"
        r"|jusqu['’]à présent|déjà investi|ces dernières années"
        r"|(?:au cours des|ces) (?:\w+ )?dernières années|engagement total"
        r"|cumul|hasta la fecha|hasta ahora|ya ha invertido|compromiso total"
        r"|en los últimos (?:\w+ )?años|acumulad"
        r"|\bbisher\b|\bbislang\b|bereits investiert|Gesamtzusage"
        r"|in den (?:vergangenen|letzten) (?:\w+ )?Jahren|kumuliert"
        r"|\bfinora\b|fino ad oggi|\bad oggi\b|già investit|impegno totale"
        r"|negli ultimi (?:\w+ )?anni|tot nu toe|tot dusver|totale investering|in totaal|\binmiddels\b"
        r"|al geïnvesteerd|afgelopen (?:\w+ )?jaren|dotychczas|do tej pory|do dziś|w sumie|łączna wartość"
        r"|w ostatnich (?:\w+ )?latach|até agora|até hoje|até à data|no total|já investiu|investimento total"
        r"|nos últimos (?:\w+ )?anos|acumulad|in all\b|au total depuis|running total",
    ),
    (
        "global capex",
        r"\bcapex\b|capital expenditures?|capital spending|fiscal year|exercice fiscal|año fiscal|ejercicio fiscal"
        r"|Geschäftsjahr|anno fiscale|\bworldwide\b|\bglobally\b|à l['’]échelle mondiale|dans le monde entier"
        r"|(?:dépenses|investissements?)[^.]{0,40}mondia(?:les|ux)|a nivel mundial|en todo el mundo"
        r"|(?:gasto|inversi[óo]n|inversiones)[^.]{0,40}mundial|weltweite[n]? (?:Investitionen|Ausgaben)"
        r"|weltweit investier|a livello globale|in tutto il mondo|(?:spese|investimenti)[^.]{0,40}mondiali"
        r"|\bglobal (?:spending|investment|capex|capital)|gasto de capital|dépenses d['’]investissement"
        r"|Investitionsausgaben|spese in conto capitale|wereldwijd|na całym świecie|globalnie|em todo o mundo"
        r"|a nível mundial|kapitałow|property(?:,| and) equipment"
        r"|\b(?:first|second|third|fourth|last|latest|fiscal|calendar) quarter|\bquarterly\b|trimestriel"
        r"|\btrimestral|\bQuartal|trimestrale|\bkwartaal|\bkwarta[lł]\w*",
    ),
    (
        "acquisition",
        r"\bacqui(?:re|red|res|ring|sition)\b|\btakeover\b|\bbuyout\b|\brachat\b|\bracheter\b|\brachète\b"
        r"|adquisici[óo]n|\badquirir\b|Übernahme|übernehmen|übernimmt|acquisizione|acquisire|\bbid\b"
        r"|offre de rachat|overname|\bprzejęci|\bprzejąć|aquisição|\badquirir\b",
    ),
    (
        "shareholder payout",
        r"buyback|share repurchase|\bdividends?\b|rachat d['’]actions|dividendes?|recompra|\bdividendos?\b"
        r"|Aktienrückkauf|Dividende|riacquisto|\bdividendi?\b",
    ),
    (
        "public money",
        r"\bsubsid(?:y|ies|ise[ds]?|ize[ds]?)\b|subvention|aides? publiques?|ayudas? públicas?|subvenci[óo]n"
        r"|Fördermittel|Fördergeld|staatlichen? Förderung|sovvenzion|aiuti di Stato|state aid|subsidie|dotacj"
        r"|subsídio|dinheiro público|fundos públicos|overheidsgeld|publiczn\w* (?:pieniądz|środk)"
        r"|public (?:money|funds|funding)|fonds publics|fondos públicos|öffentliche(?:n)? Mittel|fondi pubblici"
        r"|taxpayer|contribuables|Steuergeld",
    ),
    (
        "loan",
        r"\bloans?\b|\bdebt\b|\bbonds?\b|\bdette\b|\bprêts?\b|\bemprunt|\bdeuda\b|préstamo|\bKredit|Schulden"
        r"|Anleihe|\bdebito\b|\bprestito\b|\blening\b|\bschuld\b|\bkredyt|\bpożyczk|empréstimo|\bdívida\b",
    ),
    (
        "market size",
        r"\bmarket (?:is expected|size|could|will be worth|worth)|le marché (?:devrait|pourrait|pèse)"
        r"|el mercado (?:alcanzará|podría)|der Markt (?:soll|könnte|wird)|il mercato (?:raggiungerà|potrebbe|vale)",
    ),
    ("salary", r"\bsalar(?:y|ies|ios?)\b|\bsalaires?\b|\bGehält|\bstipendi"),
    (
        "estimate",
        r"\bestimat(?:e|ed|es)\b|\bestimé(?:e|s|es)?\b|estimaci[óo]n|\bestima(?:do|da)?\b|geschätzt"
        r"|Schätzung|\bstima(?:to|ta)?\b|ha stimato|\bgeschat\b|\bszacun|szacowan|\bestimativa\b",
    ),
    (
        "procurement",
        r"\bsuppliers?\b|fournisseurs?|proveedores|Zulieferer[n]?|\bLieferanten|fornitori|\bpurchases\b"
        r"|\bachats\b|\bEinkäufe",
    ),
    (
        "per-site share",
        r"\beach\b(?! year)|\bchacun(?:e)?\b|cada uno|cada una|cada campus|\bjeweils\b|ciascuno|ciascuna"
        r"|per campus"
        r"|por campus|pro Standort|\belk(?:e)?\b(?! jaar)|\bkażd[aey]\b(?! roku)|\bcada\b(?! ano| año)",
    ),
    (
        "summit or national total",
        r"(?:summit|sommet|cumbre|Gipfel|vertice)[^.]{0,120}(?:total|whole|secured|rassembl|atteign|record"
        r"|insgesamt|complessiv|in all|sumar|alcanz)|(?:\btotal|in all|insgesamt)[^.]{0,80}"
        r"(?:summit|sommet|cumbre|Gipfel|vertice)|investissements? privés|private investments?"
        r"|inversi(?:ón|ones) privadas?|private[n]? Investitionen|Privatinvestitionen|investimenti privati"
        r"|investissements? étrangers|foreign investments?|inversi(?:ón|ones) extranjeras?|investisseurs étrangers"
        r"|foreign investors|inversores extranjeros|ausländische[n]? Investoren|investitori esteri"
        r"|buitenlandse investeerders|inwestorzy zagraniczni|inwestorów zagranicznych|investidores estrangeiros"
        r"|ausländische[n]? Investitionen|Auslandsinvestitionen|investimenti esteri|as a whole"
        r"|dans son ensemble|en su conjunto|im Ganzen|buitenlandse investeringen|inwestycj\w* zagraniczn"
        r"|investimento estrangeiro|investimento direto estrangeiro|(?:pledges|engagements|promesses|compromisos"
        r"|Zusagen|impegni)[^.]{0,60}(?:in all|au total|en total|insgesamt|in totale|in total)"
        r"|(?:summit|sommet|cumbre|Gipfel|vertice|top)[^.]{0,40}(?:pledges|promesses|promesas|Zusagen|impegni"
        r"|toezeggingen|deklaracj|promessas)"
        r"|(?:pledg|promett|promis|promet|prometer|zusagen|zugesagt|impegnar|toezeggen|obieca)\w*[^.]{0,60}"
        r"(?:in all|au total|en total|insgesamt|in totale|in totaal|łącznie|no total)\b"
        r"|(?:the|les|los|die|i) (?:two|three|four|deux|trois|quatre|dos|tres|cuatro|zwei|drei|vier|due|tre"
        r"|quattro) (?:groups|companies|firms|groupes|entreprises|sociétés|grupos|empresas|compañías|Konzerne"
        r"|Unternehmen|gruppi|aziende|società)[^.]{0,40}(?:together|ensemble|conjuntamente|juntos|zusammen"
        r"|gemeinsam|insieme)|(?:together|ensemble|juntos|zusammen|insieme|samen|razem|juntas?) (?:will )?"
        r"(?:invest|investiront|invertirán|investieren|investiranno|investeren|zainwestują|investirão)",
    ),
    (
        # A pledge is made, not reached: a figure that "rose to" or "fell by" is a reported measure.
        "reported measure",
        r"\b(?:rose|climbed|jumped|grew|increased|fell|dropped|declined|decreased|soared) (?:by |to )"
        r"|\b(?:a augmenté|a progressé|a bondi|a chuté|a reculé|est passée?) (?:de |à )"
        r"|\b(?:aumentó|creció|subió|cayó|bajó) (?:un |hasta |a )|\b(?:stieg|wuchs|sank|fiel) (?:um |auf )"
        r"|\b(?:è salit[oa]|è cresciut[oa]|è aumentat[oa]|è sces[oa]) (?:a |del )|\b(?:steeg|groeide|daalde) (?:naar|met)"
        r"|\b(?:wzrósł|wzrosła|wzrosły|spadł|spadła) (?:do|o)\b|\b(?:subiu|cresceu|aumentou|caiu) (?:para|\d)",
    ),
    (
        "past spending",
        r"(?<!be )(?<!been )(?<!being )\bspent\b|a dépensé|ont dépensé|avait dépensé|gast[óo]\b|ha gastado"
        r"|ausgegeben hat|ausgegeben haben|\bgab\b[^.]{0,60}\baus\b|ha speso|hanno speso|heeft uitgegeven"
        r"|\bkosztował[aoy]?\b|wydał[aoy]?\b|\bgastou\b|custou",
    ),
    (
        # Money already spent, not a new plan, when the words around also speak of a duration or a
        # total ("has invested €5bn since 2009"); alone, "a investi" can report the news itself.
        "past investment",
        r"\b(?:has|have|had) invested\b[^.]{0,80}(?:since|so far|to date|in total|over the|already|more than)"
        r"|\b(?:since|in total|so far|already)\b[^.]{0,80}\b(?:has|have|had) (?:already )?invested\b"
        r"|\b(?:a|ont|avait|avaient) (?:déjà )?investi\b[^.]{0,80}(?:depuis|au total|à ce jour|en tout)"
        r"|\b(?:depuis|au total)\b[^.]{0,80}\b(?:a|ont|avait) (?:déjà )?investi\b"
        r"|\b(?:ha|han|había) (?:ya )?invertido\b[^.]{0,80}(?:desde|en total|hasta)"
        r"|\b(?:desde|en total)\b[^.]{0,80}\b(?:ha|han|había) (?:ya )?invertido\b"
        r"|\b(?:hat|haben|hatte)\b.{0,120}?\b(?:investiert|gesteckt|ausgegeben|aufgewendet)\b"
        r"|\b(?:ha|hanno|aveva) (?:già )?investito\b[^.]{0,80}(?:dal|in totale|finora)"
        r"|\b(?:dal|in totale|finora)\b[^.]{0,80}\b(?:ha|hanno|aveva) (?:già )?investito\b"
        r"|\b(?:heeft|hebben|had) (?:al |inmiddels )?[^.]{0,60}geïnvesteerd\b"
        r"|\bzainwestował[aoy]?\b[^.]{0,80}(?:od|łącznie|dotychczas)|\b(?:od|dotychczas)\b[^.]{0,80}zainwestował"
        r"|\b(?:já )?investiu\b[^.]{0,80}(?:desde|no total|até)|\b(?:desde|no total)\b[^.]{0,80}\b(?:já )?investiu\b",
    ),
    (
        "tax",
        r"\btax(?:es)?\b|\bfisc\b|contentieux fiscal|\bimpôts?\b|\bimpuestos?\b|Hacienda\b|\bSteuern?\b"
        r"|\btasse\b|\bfisco\b|back taxes|redressement|belasting|\bpodat|\bimpostos?\b",
    ),
)
# One pattern for all reasons, one group per reason: a single pass over the window.

_REASONS = Lexicon(_NOT_INVESTMENT)

# Words that lead into a running total: the figure after them adds up earlier ones ("bringing its
# total investment to £11bn", "portando a 14 miliardi l'impegno complessivo", "steigt ... auf 3,5 Mrd.").
_TOTAL_BEFORE = re.compile(
    r"(?:bring(?:s|ing)?|taking|takes) (?:its|the) (?:\w+ )?(?:total|overall)[^.]{0,40}$|(?:total|overall)\b[^.]{0,30}\bto $"
    r"|portant (?:ainsi )?(?:à|le total)[^.]{0,30}$|elevar?(?:á|án|ando|a)? (?:a|el total|su inversión total)[^.]{0,30}$"
    r"|auf insgesamt $|\bsteigt\b[^.]{0,80}\bauf $|portando (?:il totale |così )?a $|porta (?:il totale )?a $"
    r"|(?:komt|brengt)[^.]{0,60}\bop (?:\w+ )?$|(?:totale|totaal)[^.]{0,40}\b(?:op|naar) (?:\w+ )?$"
    r"|\b(?:brings?|raises?|takes?|porte|porterait|eleva|elevará|bringt|porta|brengt|podnosi|leva)\s+"
    r"(?:ainsi\s+|así\s+|damit\s+|così\s+)?(?:its|their|son|leur|su|sus|sein|seine|il suo|zijn|swoje|o seu|a sua)"
    r"\s+(?:\w+\s+){0,2}(?:to|à|a|auf|op|do|para)\s+(?:\w+\s+)?$"
    # "the company's total in the region will reach": a total of the company's money in a place.
    r"|(?:total|totale|totaal|Gesamt\w*)\s+(?:de|del|of|du|de la|della|dell['’]|van|da|do|der|des)\s[^.]{0,60}"
    r"\b(?:en|in|dans|nel|nella|w|em|no|na)\s[^.]{0,50}\b(?:ascender\w*|asciende|s['’]él[eè]v\w*|rises?|reach\w*"
    r"|will be|amount\w*|sal\w+|ammonter\w*|arriver\w*|komt|wynies\w*|chega\w*|steigt|beläuft)\s+"
    r"(?:a|à|to|op|do|auf|sich auf)\s+(?:\w+\s+)?$"
    r"|(?:łączn\w*|całkowit\w*)[^.]{0,40}\bdo (?:\w+ )?$|(?:eleva|elevando|elevará)[^.]{0,40}\bpara (?:\w+ )?$"
    r"|total[^.]{0,40}\bpara (?:\w+ )?$"
    # "salgono a 3,2 miliardi gli impegni": a sum that rises to a figure is a running total.
    r"|\b(?:salgono|sale|salirà|salgo|sube|suben|subirá|rises?|rising|passe|passera|steigt|steigen|stijgt"
    r"|wzrasta|wzrośnie|sobe|sobem|subirá) (?:così |ainsi |so |damit |assim )?(?:a|à|to|auf|naar|do|para) $",
    re.IGNORECASE,
)
# A figure introduced as part of a larger one: "dont plus de 2 milliards", "davon 8,8 Milliarden".
_COMPONENT_BEFORE = re.compile(
    r"\b(?:dont|of which|de los cuales|de las cuales|davon|di cui|including|y compris|incluidos|incluidas"
    r"|einschließlich|darunter|compresi|inclusi|waarvan|waaronder|w tym|z czego|dos quais|das quais"
    r"|incluindo)\s+(?:(?:plus de|more than|más de|mehr als|oltre|près de"
    r"|almost|nearly|about|around|some|environ|quelque|unos|unas|rund|etwa|circa|around|up to|jusqu['’]à"
    r"|hasta|bis zu|fino a|ruim|bijna|ponad|około|mais de|cerca de)\s+)?$",
    re.IGNORECASE,
)
# The words between a figure and a company it goes into: "its $13bn relationship with OpenAI",
# "13 miliardi di dollari in OpenAI"; no capitalised word (a place) may stand between.
_STAKE_GAP = re.compile(
    r"^\s*(?:(?-i:[a-zà-ÿ])[\w'’-]*\s+){0,2}(?:with|in|into|dans|en|nel|nella|an|bei|avec|con|mit|w|na"
    r"|no|na|em|met)\s+"
    r"(?:the\s+|la\s+|le\s+|l['’]\s*)?$",
    re.IGNORECASE,
)


def has_investment_cue(text: str) -> bool:
    """Whether the text speaks of investing, building, pledging, announcing or a programme."""
    return _INVESTMENT_WORDS.first(text) is not None


def non_investment_reason(window: str) -> str | None:
    """What the words around a figure make of it when it is not an investment, else None."""
    return _REASONS.first(window)


def leads_into_total(before: str) -> bool:
    """Whether the words just before a figure make it a running total ("bringing its total to")."""
    return _TOTAL_BEFORE.search(before) is not None


def is_component(before: str) -> bool:
    """Whether the words just before a figure make it part of a larger one ("dont", "davon", "di cui")."""
    return _COMPONENT_BEFORE.search(before) is not None


def is_stake_gap(between: str) -> bool:
    """Whether the words between a figure and a company name put the money into that company."""
    return _STAKE_GAP.match(between) is not None
