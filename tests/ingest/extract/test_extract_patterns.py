"""The patterns real press broke extraction on (issue 16), each on short texts written for it."""

from datetime import date

import pytest

from ingest.extract import extract_candidates

PUBLISHED = date(2025, 3, 12)  # a Wednesday


def figures(text: str, language: str | None = None, published: date = PUBLISHED) -> list[tuple]:
    return [
        (c.company, c.country, c.amount, c.currency) for c in extract_candidates(text, published, language)
    ]


@pytest.mark.parametrize(
    ("language", "text", "kept"),
    [
        (
            "en",
            "Microsoft will invest €1.2bn in Ireland. The company has invested more than €5bn in the country "
            "since 2011, and the new money brings its total to date to €6.2bn.",
            ("microsoft", "IE", 1.2e9, "EUR"),
        ),
        (
            "de",
            "Oracle investiert 2 Milliarden Euro in Deutschland. Der Konzern hat dort bisher insgesamt "
            "1 Milliarde Euro investiert.",
            ("oracle", "DE", 2e9, "EUR"),
        ),
        (
            "es",
            "Amazon invertirá 900 millones de euros en España. Desde 2015 ha invertido 2.500 millones en el país.",
            ("amazon", "ES", 900e6, "EUR"),
        ),
        (
            "it",
            "Google investirà 600 milioni di euro in Italia. Finora il gruppo ha investito 2 miliardi nel Paese.",
            ("google", "IT", 600e6, "EUR"),
        ),
        (
            "fr",
            "Microsoft va investir 2 milliards d'euros en France. Au total depuis 2019, le groupe a investi "
            "6 milliards d'euros dans le pays.",
            ("microsoft", "FR", 2e9, "EUR"),
        ),
        (
            "nl",
            "Google investeert 600 miljoen euro in Nederland. Tot nu toe heeft Google in Nederland 3 miljard "
            "euro geïnvesteerd.",
            ("google", "NL", 600e6, "EUR"),
        ),
        (
            "pl",
            "Google zainwestuje 2 mld zł w Polsce. Dotychczas firma zainwestowała w Polsce łącznie 4 mld zł.",
            ("google", "PL", 2e9, "PLN"),
        ),
        (
            "pt",
            "A Microsoft vai investir 2 mil milhões de euros em Portugal. Desde 2019, a empresa já investiu "
            "500 milhões de euros no país.",
            ("microsoft", "PT", 2e9, "EUR"),
        ),
    ],
)
def test_running_and_cumulative_totals_are_context_not_new_money(language, text, kept):
    assert figures(text, language) == [kept]


def test_cumulative_total_is_set_aside_with_its_reason_when_asked():
    text = (
        "Google investirà 600 milioni di euro in Italia. Finora il gruppo ha investito 2 miliardi nel Paese."
    )
    found = extract_candidates(text, PUBLISHED, "it", set_aside=True)
    assert [(c.amount, c.set_aside) for c in found] == [(600e6, None), (2e9, "cumulative total")]
    assert found[1].confidence < 0.5


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Technology companies pledged investments worth £40bn in all at the investment summit in London.",
        ),
        ("en", "Microsoft, Oracle and Nvidia together will invest £9bn in Britain, the government said."),
        ("fr", "Les trois groupes investiront ensemble 9 milliards d'euros en France, Microsoft en tête."),
    ],
)
def test_sums_over_several_companies_are_nobodys(language, text):
    assert figures(text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "amount"),
    [
        ("es", "Amazon invertirá 4,250 millones de euros en Aragón.", 4.25e9),
        ("it", "Microsoft investirà 1,500 milioni di euro in Lombardia.", 1.5e9),
        ("es", "Google invertirá 1.500 millones de euros en España.", 1.5e9),
        ("it", "Google investirà 1,5 miliardi di euro in Italia.", 1.5e9),
    ],
)
def test_thousands_mark_is_read_by_the_unit_and_the_digits_after_it(language, text, amount):
    assert [f[2] for f in figures(text, language)] == [amount]


def test_new_money_after_last_years_figure_in_the_same_sentence_is_kept_and_dated_apart():
    text = (
        "Microsoft said on Tuesday it would invest €1.2bn in Ireland. After €700m announced for a cable "
        "station last year, a further €400m will go into a training centre in Cork, the company added."
    )
    found = {c.amount: c for c in extract_candidates(text, PUBLISHED, "en")}
    assert set(found) >= {1.2e9, 400e6}
    assert found[400e6].announced_on == date(2025, 3, 11)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "Google and Amazon both backed skills programmes: the former with £10m for school courses in the UK, the "
            "latter with £25m for cloud training in British colleges.",
            [("google", "GB", 10e6, "GBP"), ("amazon", "GB", 25e6, "GBP")],
        ),
        (
            "de",
            "Oracle und IBM bauen aus. Ersterer investiert 2 Milliarden Euro in Frankfurt, letzterer 600 "
            "Millionen Euro in München.",
            [("oracle", "DE", 2e9, "EUR"), ("ibm", "DE", 600e6, "EUR")],
        ),
    ],
)
def test_the_former_and_the_latter_name_the_two_companies(language, text, expected):
    assert figures(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "es",
            "Amazon Web Services invertirá 2.000 millones de euros en Aragón. Destinará además 150 millones "
            "de euros a formación en la región.",
            150e6,
        ),
        (
            "it",
            "Google investirà 600 milioni di euro in Piemonte. Prevede inoltre di stanziare 20 milioni di euro "
            "per corsi di formazione nella regione.",
            20e6,
        ),
        (
            "pt",
            "A Microsoft vai investir 2 mil milhões de euros em Sines. Prevê ainda aplicar 30 milhões de euros "
            "em formação em Portugal.",
            30e6,
        ),
        (
            "pl",
            "Microsoft przeznaczy 180 mln dolarów na chmurę w Polsce. Planuje też wydać 20 mln dolarów na "
            "szkolenia w Polsce.",
            20e6,
        ),
    ],
)
def test_sentence_opening_with_its_verb_belongs_to_the_company_before(language, text, expected):
    companies = {amount: company for company, _, amount, _ in figures(text, language)}
    assert companies.get(expected) in ("aws", "google", "microsoft")


@pytest.mark.parametrize(
    ("language", "text", "company"),
    [
        ("en", "The Redmond-based group will invest €300m in new data centres in Denmark.", "microsoft"),
        ("nl", "De softwaregigant investeert 300 miljoen euro in Nederland.", "microsoft"),
        ("pl", "Firma z Redmond zainwestuje 300 mln dolarów w Polsce.", "microsoft"),
        ("pt", "A tecnológica de Redmond vai investir 300 milhões de euros em Portugal.", "microsoft"),
    ],
)
def test_epithet_names_the_company_in_every_language(language, text, company):
    assert [f[0] for f in figures(text, language)] == [company]


def test_relative_day_in_the_sentence_before_dates_the_figure():
    text = (
        "Google ha presentato ieri a Torino il suo progetto per un nuovo campus.\n\n"
        "Il gruppo investirà 600 milioni di euro nella costruzione del campus in Piemonte."
    )
    (candidate,) = extract_candidates(text, PUBLISHED, "it")
    assert candidate.announced_on == date(2025, 3, 11)
    assert candidate.date_source in ("paragraph", "lead")


def test_permit_month_is_not_the_announcement_day():
    text = (
        "Microsoft maakte vandaag bekend dat het 1,5 miljard euro investeert in Middenmeer.\n\n"
        "Daarnaast trekt het bedrijf 25 miljoen euro uit voor opleidingen in Nederland. De gemeente gaf in "
        "januari al een vergunning voor de bouw."
    )
    days = {c.amount: c.announced_on for c in extract_candidates(text, date(2025, 9, 16), "nl")}
    assert days == {1.5e9: date(2025, 9, 16), 25e6: date(2025, 9, 16)}


def test_undated_figure_takes_the_dateline_then_the_publication_date_and_says_which():
    dateline = (
        "LONDON, 10 March -- Oracle set out new plans for Britain.\n\n"
        "It will invest $5bn in the UK over five years, the company said."
    )
    (candidate,) = extract_candidates(dateline, PUBLISHED, "en")
    assert (candidate.announced_on, candidate.date_source) == (date(2025, 3, 10), "dateline")
    (candidate,) = extract_candidates("Oracle will invest $5bn in the UK over five years.", PUBLISHED, "en")
    assert (candidate.announced_on, candidate.date_source) == (PUBLISHED, "published")


def test_restated_older_plan_does_not_take_the_publication_date():
    text = "Il lancio della regione cloud di Aws risale al 2020 ed è parte di un già annunciato investimento da 2,2 miliardi di dollari in Italia."
    (candidate,) = extract_candidates(text, PUBLISHED, "it")
    assert candidate.date_source != "published"


def test_range_is_an_estimate_beside_a_firm_figure_but_kept_alone():
    firm = (
        "Mistral AI investira 8,5 milliards d'euros en France. Le campus représentait entre 30 et 50 "
        "milliards d'euros d'investissement selon l'Élysée."
    )
    assert [f[2] for f in figures(firm, "fr")] == [8.5e9]
    alone = "Google investirà tra 1 e 2 miliardi di euro in Italia nei prossimi anni."
    assert [f[2] for f in figures(alone, "it")] == [2e9]


def test_one_site_among_several_leaves_the_figure_europe_wide():
    text = (
        "CoreWeave ha anunciado una inversión de 2.200 millones de euros para expandir su presencia en Europa "
        "con tres nuevos centros de datos, uno de ellos en España."
    )
    assert figures(text, "es") == [("coreweave", None, 2.2e9, "EUR")]


def test_confidence_is_high_for_a_named_placed_investment_and_low_for_a_carried_one():
    (strong,) = extract_candidates(
        "Microsoft will invest €2bn in new data centres in Spain.", PUBLISHED, "en"
    )
    assert strong.confidence >= 0.8
    text = (
        "Microsoft opened an office in Madrid.\n\nThe figure for the region rose to €300m, "
        "which includes the revenue of partners."
    )
    weak = extract_candidates(text, PUBLISHED, "en", set_aside=True)
    assert all(c.confidence < 0.5 for c in weak)


def test_byline_and_timestamp_date_the_page_not_the_news():
    text = (
        "Microsoft investeert 2 miljard dollar in Nederlandse AI-infrastructuur\n"
        "Door Redactie Tech, 12 maart 2025 10:15 · 3 reacties\n"
        "Microsoft heeft gisteren aangekondigd 2 miljard dollar te investeren in datacenters in Nederland."
    )
    (candidate,) = extract_candidates(text, date(2025, 3, 12), "nl")
    assert candidate.announced_on == date(2025, 3, 11)


def test_read_also_links_are_other_articles():
    text = (
        "Microsoft vai investir 10 mil milhões de dólares em Sines, anunciou esta terça-feira a empresa.\n"
        "Leia também\n"
        "Google anuncia 50 milhões para formação em IA em Portugal\n"
        "Czytaj także: Amazon zainwestuje 3 mld zł w Polsce"
    )
    assert [c.company for c in extract_candidates(text, date(2025, 11, 11), "pt")] == ["microsoft"]


def test_figure_explained_once_is_the_same_thing_in_the_headline():
    text = (
        "Choose France : 37 milliards d'euros d'investissements annoncés\n\n"
        "Les entreprises réunies lundi pour le sommet Choose France ont annoncé des investissements d'un "
        "montant total de 37 milliards d'euros. Amazon a confirmé 300 millions d'euros pour sa logistique en France."
    )
    assert figures(text, "fr") == [("amazon", "FR", 300e6, "EUR")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Microsoft's spending on property and equipment rose to $14 billion in the first quarter in Germany.",
        ),
        (
            "fr",
            "Au sommet Choose France, les investisseurs étrangers devraient promettre 15 milliards d'euros au total.",
        ),
        ("it", "Con il nuovo piano salgono a 3,2 miliardi di euro gli impegni complessivi di Aws in Italia."),
    ],
)
def test_reported_measures_and_totals_of_many_are_not_pledges(language, text):
    assert figures(text, language) == []


def test_already_in_a_relative_clause_does_not_make_the_figure_old_news():
    text = (
        "Ibm investirà 500 milioni di euro a Roma, ha annunciato lunedì l'azienda.\n\n"
        "L'azienda, che in Italia ha già 3.000 dipendenti, prevede inoltre di destinare 20 milioni di euro "
        "a borse di studio in Italia."
    )
    days = {c.amount: c.announced_on for c in extract_candidates(text, date(2025, 3, 11), "it")}
    assert days == {500e6: date(2025, 3, 10), 20e6: date(2025, 3, 10)}
