"""Countries, regions, cities and Europe as a whole, in eight languages (ingest/extract/places.py)."""

import pytest

from ingest.extract.places import EUROPE, find_places


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        ("en", "in Spain", "ES"),
        ("fr", "en Espagne", "ES"),
        ("es", "en España", "ES"),
        ("de", "in Spanien", "ES"),
        ("it", "in Spagna", "ES"),
        ("en", "in the UK", "GB"),
        ("fr", "au Royaume-Uni", "GB"),
        ("es", "en el Reino Unido", "GB"),
        ("de", "im Vereinigten Königreich", "GB"),
        ("it", "nel Regno Unito", "GB"),
        ("fr", "aux Pays-Bas", "NL"),
        ("de", "in den Niederlanden", "NL"),
        ("fr", "un campus en Aragon", "ES"),
        ("es", "en Aragón", "ES"),
        ("it", "in Aragona", "ES"),
        ("es", "en Zaragoza", "ES"),
        ("en", "in Hamina", "FI"),
        ("fr", "à Sines", "PT"),
        ("de", "in Brandenburg", "DE"),
        ("it", "in Lombardia", "IT"),
        ("en", "in Lombardy", "IT"),
        ("de", "in Nordrhein-Westfalen", "DE"),
        ("en", "in Wales", "GB"),
        ("fr", "à Varsovie", "PL"),
        ("es", "en Talavera de la Reina", "ES"),
        ("de", "Spaniens Regierung", "ES"),
        ("it", "dell'Italia", "IT"),
        ("en", "Waltham Cross", "GB"),
        ("fr", "aux États-Unis", "US"),
        ("de", "in den USA", "US"),
        ("en", "in Missouri", "US"),
        ("it", "in Malesia", "MY"),
        ("nl", "in het Verenigd Koninkrijk", "GB"),
        ("nl", "in België", "BE"),
        ("nl", "in de Eemshaven", "NL"),
        ("pl", "w Polsce", "PL"),
        ("pl", "do Niemiec", "DE"),
        ("pl", "w Warszawie", "PL"),
        ("pl", "w Wielkiej Brytanii", "GB"),
        ("pt", "em Portugal", "PT"),
        ("pt", "na Alemanha", "DE"),
        ("pt", "em Sines", "PT"),
        ("en", "in Türkiye", "TR"),
    ],
)
def test_place_is_mapped_to_its_country(language, text, code):
    assert [p.code for p in find_places(text, language)] == [code]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "en Europe"),
        ("en", "across the EU"),
        ("es", "la Unión Europea"),
        ("de", "in Europa"),
        ("it", "in Europa"),
    ],
)
def test_europe_has_no_country(language, text):
    places = find_places(text, language)
    assert [(p.code, p.country) for p in places] == [(EUROPE, None)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "the US group will invest"),
        ("de", "der US-Konzern investiert"),
        ("en", "the U.S. company said"),
        ("es", "Como en otros casos"),
        ("de", "Sie essen zu Mittag"),
    ],
)
def test_words_that_only_look_like_places_are_not_places(language, text):
    assert find_places(text, language) == []


def test_adjective_of_nationality_is_weaker_evidence():
    places = find_places("les centres de données espagnols", "fr")
    assert [(p.code, p.kind) for p in places] == [("ES", "demonym")]


def test_part_of_europe_is_a_region():
    places = find_places("sa première région cloud en Europe centrale et orientale", "fr")
    assert [(p.code, p.kind) for p in places] == [(EUROPE, "region")]


def test_european_countries_are_those_of_investments_europe():
    from ingest.extract.places import EUROPEAN
    from investments.europe import EUROPEAN_COUNTRIES

    assert frozenset(EUROPEAN_COUNTRIES) == EUROPEAN
    (turkey,) = find_places("in Türkiye", "en")
    assert turkey.in_europe


def test_territory_counts_as_the_country_that_answers_for_it():
    assert [p.code for p in find_places("in Gibraltar", "en")] == ["GB"]
    assert [p.code for p in find_places("on the Faroe Islands", "en")] == ["DK"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "in de Europese Unie"),
        ("pl", "w Unii Europejskiej"),
        ("pt", "na União Europeia"),
        ("pl", "w Europie"),
    ],
)
def test_europe_as_a_whole_in_the_new_languages(language, text):
    assert [p.code for p in find_places(text, language)] == [EUROPE]
