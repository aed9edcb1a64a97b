"""Amounts of money in the local formats of the eight languages (ingest/extract/amounts.py)."""

import pytest

from ingest.extract.amounts import find_money, link_conversions, parse_number


@pytest.mark.parametrize(
    ("language", "text", "amount", "currency"),
    [
        ("fr", "2,1 milliards de dollars", 2.1e9, "USD"),
        ("fr", "2,1 Mds$", 2.1e9, "USD"),
        ("en", "€15.7bn", 15.7e9, "EUR"),
        ("en", "£2.5bn", 2.5e9, "GBP"),
        ("es", "1.000 millones de dólares", 1e9, "USD"),
        ("es", "6.690 millones de euros", 6.69e9, "EUR"),
        ("de", "3,2 Milliarden Euro", 3.2e9, "EUR"),
        ("it", "4,3 miliardi di euro", 4.3e9, "EUR"),
        ("en", "33.7 billion Swedish crowns", 33.7e9, "SEK"),
        ("en", "2.8 billion zlotys", 2.8e9, "PLN"),
        ("fr", "un milliard d'euros", 1e9, "EUR"),
        ("de", "eine Milliarde Euro", 1e9, "EUR"),
        ("de", "eine weitere Milliarde Euro", 1e9, "EUR"),
        ("en", "$1 billion", 1e9, "USD"),
        ("en", "USD 500 million", 500e6, "USD"),
        ("de", "1 Mrd. Euro", 1e9, "EUR"),
        ("it", "2 mld di euro", 2e9, "EUR"),
        ("es", "mil millones de euros", 1e9, "EUR"),
        ("es", "dos mil millones de dólares", 2e9, "USD"),
        ("es", "15.700 millones de euros", 15.7e9, "EUR"),
        ("fr", "25 millions d'euros", 25e6, "EUR"),
        ("fr", "400 millions de francs suisses", 400e6, "CHF"),
        ("de", "33,7 Milliarden schwedische Kronen", 33.7e9, "SEK"),
        ("it", "33,7 miliardi di corone svedesi", 33.7e9, "SEK"),
        ("en", "SEK 33.7bn", 33.7e9, "SEK"),
        ("en", "US$2bn", 2e9, "USD"),
        ("en", "$1.5-billion", 1.5e9, "USD"),
        ("fr", "100 M€", 100e6, "EUR"),
        ("de", "2,5 Mrd. €", 2.5e9, "EUR"),
        ("fr", "500 000 €", 500e3, "EUR"),
        ("en", "€500m", 500e6, "EUR"),
        ("it", "1,2 mld €", 1.2e9, "EUR"),
        ("de", "zehn Milliarden Euro", 10e9, "EUR"),
        ("de", "3,44 Milliarden US-Dollar", 3.44e9, "USD"),
        ("it", "un miliardo di dollari", 1e9, "USD"),
        ("nl", "1,5 miljard euro", 1.5e9, "EUR"),
        ("nl", "8 miljard Britse pond", 8e9, "GBP"),
        ("nl", "33,7 miljard Zweedse kronen", 33.7e9, "SEK"),
        ("nl", "250 miljoen euro", 250e6, "EUR"),
        ("pl", "2,5 mld zł", 2.5e9, "PLN"),
        ("pl", "700 milionów dolarów", 700e6, "USD"),
        ("pl", "2 mld dol.", 2e9, "USD"),
        ("pl", "3 miliardy złotych", 3e9, "PLN"),
        ("pl", "800 mln euro", 800e6, "EUR"),
        ("pt", "7,8 mil milhões de euros", 7.8e9, "EUR"),
        ("pt", "um milhão de dólares", 1e6, "USD"),
        ("pt", "30 milhões de euros", 30e6, "EUR"),
    ],
)
def test_amount_in_local_format(language, text, amount, currency):
    found = find_money(text, language)
    assert len(found) == 1
    assert found[0].amount == pytest.approx(amount)
    assert found[0].currency == currency


def test_german_billion_is_a_million_million():
    assert find_money("1,5 Billionen Dollar", "de")[0].amount == pytest.approx(1.5e12)


def test_amount_without_currency_keeps_its_scale():
    found = find_money("invertirá 2.100 millones en Aragón", "es")
    assert [(m.amount, m.currency) for m in found] == [(2.1e9, None)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "20,000 GPUs and 1 million people trained"),
        ("fr", "2 millions de personnes formées"),
        ("fr", "37 ans de présence et quatre points"),
        ("en", "in 2024, 300 researchers"),
        ("en", "up 122% from a year earlier"),
        ("fr", "une multiplication par quatre"),
        ("en", "a billion-dollar company"),
        ("en", "500m from the coast"),
        ("fr", "3,2 milliards de dollars (Mds$)"[len("3,2 milliards de dollars ") :]),
    ],
)
def test_counts_years_and_ratios_are_not_money(language, text):
    assert find_money(text, language) == []


@pytest.mark.parametrize(
    ("digits", "convention", "value"),
    [
        ("6.690", "eu", 6690),
        ("6.690", "en", 6.69),
        ("2,1", "eu", 2.1),
        ("15,700", "en", 15700),
        ("1 000", "eu", 1000),
        ("1.234.567", "eu", 1234567),
        ("1,234.5", "en", 1234.5),
        ("15.7", "eu", 15.7),
    ],
)
def test_number_grouping_follows_the_convention(digits, convention, value):
    assert parse_number(digits, convention)[0] == pytest.approx(value)


def test_conversion_in_parentheses_is_same_investment():
    text = "25 millions d'euros (26,9 millions de dollars) dans la formation"
    figures, components = link_conversions(text, find_money(text, "fr"))
    assert len(figures) == 1
    assert figures[0].money.amount == 25e6
    assert [(m.amount, m.currency) for m in figures[0].alternatives] == [(26.9e6, "USD")]
    assert components == []


def test_conversion_after_soit_is_same_investment():
    text = "400 millions de dollars, soit environ 330 millions de francs suisses"
    figures, _ = link_conversions(text, find_money(text, "fr"))
    assert len(figures) == 1 and figures[0].alternatives[0].currency == "CHF"


def test_component_after_dont_is_set_aside():
    text = "3 milliards d'euros, dont 1 milliard d'euros pour la formation"
    figures, components = link_conversions(text, find_money(text, "fr"))
    assert [f.money.amount for f in figures] == [3e9]
    assert [m.amount for m in components] == [1e9]


def test_two_figures_in_one_currency_are_two_figures():
    text = "3,2 milliards d'euros en Allemagne et 2,1 milliards d'euros en Espagne"
    figures, _ = link_conversions(text, find_money(text, "fr"))
    assert [f.money.amount for f in figures] == [3.2e9, 2.1e9]


@pytest.mark.parametrize(
    ("language", "text", "amount"),
    [
        ("es", "4,250 millones de euros", 4.25e9),
        ("es", "4.250 millones de euros", 4.25e9),
        ("it", "1,500 milioni di euro", 1.5e9),
        ("es", "4,25 millones de euros", 4.25e6),
        ("en", "$1,500 million", 1.5e9),
    ],
)
def test_three_digits_after_a_mark_before_millions_are_thousands(language, text, amount):
    assert find_money(text, language)[0].amount == pytest.approx(amount)


def test_portuguese_mil_milhoes_is_a_thousand_million_and_bilião_a_million_million():
    assert find_money("7,8 mil milhões de euros", "pt")[0].amount == pytest.approx(7.8e9)
    assert find_money("1 bilião de euros", "pt")[0].amount == pytest.approx(1e12)
