"""What extraction keeps and what it sets aside, on short articles written for each trap."""

from datetime import date

import pytest

from ingest.extract import Finding, extract_candidates

PUBLISHED = date(2024, 2, 20)


def extract(text: str, language: str | None = None) -> list[Finding]:
    return extract_candidates(text, PUBLISHED, language)


def figures(text: str, language: str | None = None) -> list[tuple[str, str | None, float, str]]:
    return [(c.company, c.country, c.amount, c.currency) for c in extract(text, language)]


def test_candidate_carries_the_contract_fields():
    (candidate,) = extract(
        "Microsoft will invest $2.1 billion in Spain over the next two years, it said on Monday."
    )
    row = candidate.as_dict()
    assert row["company"] == "microsoft" and row["country"] == "ES"
    assert row["amount"] == 2100000000 and row["currency"] == "USD"
    assert row["announced_on"] == "2024-02-19" and row["announced_precision"] == "day"
    assert (row["period_start"], row["period_end"]) == (2024, 2025)
    assert row["evidence"].startswith("Microsoft will invest")
    assert 0 < row["confidence"] <= 1
    assert row["category"] in ("datacentre", "compute", "research", "skills", "fund", "mixed")


def test_conversion_in_parentheses_is_same_investment():
    text = "Google investirá 25 millones de euros (26,9 millones de dólares) en formación en toda Europa."
    (candidate,) = extract(text)
    assert (candidate.amount, candidate.currency, candidate.country) == (25e6, "EUR", None)
    assert candidate.alternatives == ((26.9e6, "USD"),)


def test_same_figure_repeated_later_is_one_candidate():
    text = (
        "Microsoft va investir 3,2 milliards d'euros en Allemagne, a annoncé jeudi Brad Smith.\n\n"
        "Le chancelier a salué la décision.\n\n"
        "Les 3,2 milliards d'euros financeront des centres de données près de Francfort."
    )
    (candidate,) = extract(text)
    assert candidate.mentions == 2 and candidate.announced_on == date(2024, 2, 15)


def test_figure_restated_in_another_currency_later_is_one_candidate():
    text = (
        "Oracle will invest $5bn in the UK over the next five years, the company said on Monday.\n\n"
        "The investment, worth about £3.9bn, will expand its cloud regions in London and Newport."
    )
    (candidate,) = extract(text)
    assert (candidate.amount, candidate.currency) == (5e9, "USD")
    assert (3.9e9, "GBP") in candidate.alternatives


def test_epithet_names_the_company():
    text = "La firme de Redmond annonce un investissement de 2,1 Mds$ en Espagne."
    assert figures(text) == [("microsoft", "ES", 2.1e9, "USD")]


def test_pronoun_sentence_refers_to_the_company_just_named():
    text = "Amazon Web Services presentó ayer su plan en Zaragoza. La compañía invertirá 15.700 millones de euros en Aragón."
    assert figures(text) == [("aws", "ES", 15.7e9, "EUR")]


def test_figure_in_sentence_about_another_company_belongs_to_that_company():
    text = (
        "Microsoft will invest €3.2bn in Germany, it said on Thursday. "
        "Google, for its part, said on Tuesday it would spend €1bn on its data centre in Hamina, Finland."
    )
    assert figures(text) == [("microsoft", "DE", 3.2e9, "EUR"), ("google", "FI", 1e9, "EUR")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The plan will create 14,000 jobs and bring 20,000 GPUs to the country.",
        "The company expects to train one million people and hire 300 researchers.",
        "The programme will add £14bn to the UK's GDP by 2028.",
        "The company reported revenue of $26bn for the quarter.",
        "The start-up raised $1.1bn in a Series C funding round.",
        "The deal valued the company at $19bn.",
        "Brussels fined the company €2.4bn for abusing its dominance.",
        "The company has invested more than £3bn in the country since 2009.",
        "The figure brings its total investment in the country to £11bn.",
        "The group approved a $50bn share buyback.",
        "Its market value passed $3 trillion in January.",
        "The company also secured $7.5bn in debt financing.",
    ],
)
def test_figures_that_are_not_investments_are_not_candidates(sentence):
    text = "Microsoft will invest £2.5bn in the UK, the company said on Thursday. " + sentence
    assert figures(text) == [("microsoft", "GB", 2.5e9, "GBP")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Microsoft investit en Espagne depuis 37 ans et sa stratégie tient en quatre points.", "fr"),
        ("Cela correspond à une multiplication par quatre des investissements, soit 20 % de plus.", "fr"),
        ("El plan supone multiplicar por cuatro la inversión y crear 69.000 empleos hasta 2030.", "es"),
        ("Microsoft ha investito circa 13 miliardi di dollari in OpenAI dal 2019.", "it"),
        ("Der Konzern hat seit 2010 mehr als 150 Milliarden Euro in Deutschland investiert.", "de"),
    ],
)
def test_counts_ratios_and_cumulative_totals_are_not_candidates(text, language):
    assert extract(text, language) == []


def test_spending_outside_europe_is_not_a_candidate():
    text = (
        "Google will invest €1bn in its Finnish data centre in Hamina, it said on Tuesday. "
        "On Thursday it said it would spend $2bn on its first data centre in Malaysia, "
        "after putting $1bn into a campus in Kansas City, Missouri."
    )
    assert figures(text) == [("google", "FI", 1e9, "EUR")]


def test_government_co_investment_is_not_the_company_money():
    text = (
        "AWS invertirá 15.700 millones de euros en Aragón, anunció este martes. "
        "Por su parte, el Gobierno de Aragón destinará 30 millones de euros a mejorar los accesos."
    )
    assert figures(text) == [("aws", "ES", 15.7e9, "EUR")]


def test_partner_money_is_not_the_company_money():
    text = (
        "Nvidia und die Deutsche Telekom bauen in München eine KI-Fabrik. "
        "Die Telekom investiert rund eine Milliarde Euro in das Projekt, wie beide am Dienstag mitteilten."
    )
    assert figures(text, "de") == []


def test_combined_total_of_two_listed_investments_is_dropped():
    text = (
        "Oracle will in den kommenden fünf Jahren insgesamt drei Milliarden US-Dollar in Deutschland und den "
        "Niederlanden investieren, teilte der Konzern am Dienstag mit. Zwei Milliarden Dollar sollen in die "
        "Cloud-Region Frankfurt fließen, eine Milliarde Dollar in die Region Amsterdam."
    )
    found = extract(text, "de")
    assert [(c.country, c.amount) for c in found] == [("DE", 2e9), ("NL", 1e9)]
    assert all(c.announced_on == date(2024, 2, 20) for c in found)


def test_component_introduced_by_dont_is_not_a_second_candidate():
    text = "Microsoft va investir 4 milliards d'euros en France, dont plus de 2 milliards d'euros en Alsace."
    assert figures(text) == [("microsoft", "FR", 4e9, "EUR")]


def test_list_of_countries_is_europe_wide():
    text = "CoreWeave invertirá 2.200 millones de dólares en Noruega, Suecia y España, anunció el miércoles."
    assert figures(text) == [("coreweave", None, 2.2e9, "USD")]


def test_relative_date_counts_back_from_the_story_date():
    text = (
        "Microsoft a investi en Europe le 15 février, avec 3 milliards d'euros destinés à l'Allemagne.\n\n"
        "Deux jours auparavant, Google avait annoncé qu'elle investirait 25 millions d'euros dans la formation "
        "des Européens."
    )
    dates = {c.company: c.announced_on for c in extract(text, "fr")}
    assert dates == {"microsoft": date(2024, 2, 15), "google": date(2024, 2, 13)}


def test_two_announcements_of_equal_amount_on_different_dates_stay_apart():
    text = (
        "Apple investiert eine weitere Milliarde Euro in München, kündigte Tim Cook am Donnerstag an. "
        "Bereits im März 2021 hatte Apple eine Milliarde Euro für den Aufbau des Standorts in München angekündigt."
    )
    found = extract(text, "de")
    assert [(c.amount, c.announced_on, c.announced_precision) for c in found] == [
        (1e9, date(2024, 2, 15), "day"),
        (1e9, date(2021, 3, 1), "month"),
    ]


def test_article_without_investment_gives_nothing():
    text = (
        "Nvidia reported revenue of $30bn for its second quarter. Its market value is about $3tn. "
        "Jensen Huang toured Europe to promote sovereign AI."
    )
    assert extract(text) == []


def test_extraction_needs_no_django_settings():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (
        "import sys, datetime; from ingest.extract import extract_candidates; "
        "extract_candidates('Microsoft will invest $1bn in Spain.', datetime.date(2024, 1, 1)); "
        "assert 'django.conf' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, env={"PATH": "/usr/bin:/bin"})
