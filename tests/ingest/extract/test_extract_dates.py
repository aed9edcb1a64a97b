"""Absolute and relative dates, and investment periods (ingest/extract/dates.py)."""

from datetime import date

import pytest

from ingest.extract.dates import find_dates, find_periods

PUBLISHED = date(2024, 2, 20)  # a Tuesday
ANCHOR = date(2024, 2, 15)  # the date the story last gave


@pytest.mark.parametrize(
    ("language", "text", "expected", "precision"),
    [
        ("fr", "Microsoft a annoncé dimanche", "2024-02-18", "day"),
        ("de", "sagte am Donnerstag in Berlin", "2024-02-15", "day"),
        ("en", "announced this week", "2024-02-20", "day"),
        ("fr", "Deux jours auparavant, Google avait annoncé", "2024-02-13", "day"),
        ("fr", "le 15 février, avec 3 milliards", "2024-02-15", "day"),
        ("en", "the company said yesterday", "2024-02-19", "day"),
        ("es", "anunció ayer", "2024-02-19", "day"),
        ("it", "ha annunciato ieri", "2024-02-19", "day"),
        ("de", "teilte gestern mit", "2024-02-19", "day"),
        ("fr", "mardi dernier", "2024-02-13", "day"),
        ("en", "last Tuesday", "2024-02-13", "day"),
        ("en", "on Tuesday", "2024-02-20", "day"),
        ("es", "el pasado martes", "2024-02-13", "day"),
        ("es", "este miércoles", "2024-02-14", "day"),
        ("it", "giovedì scorso", "2024-02-15", "day"),
        ("fr", "Brad Smith (@BradSmi) 19 février 2024", "2024-02-19", "day"),
        ("en", "on February 19, 2024", "2024-02-19", "day"),
        ("en", "on 19 February", "2024-02-19", "day"),
        ("es", "el 15 de febrero de 2024", "2024-02-15", "day"),
        ("it", "il 15 febbraio", "2024-02-15", "day"),
        ("de", "am 15. Februar 2024", "2024-02-15", "day"),
        ("en", "two days ago", "2024-02-18", "day"),
        ("es", "hace tres días", "2024-02-17", "day"),
        ("de", "vor zwei Tagen", "2024-02-18", "day"),
        ("it", "due giorni fa", "2024-02-18", "day"),
        ("fr", "le lendemain", "2024-02-16", "day"),
        ("it", "lo stesso giorno", "2024-02-15", "day"),
        ("de", "tags zuvor", "2024-02-14", "day"),
        ("fr", "En septembre 2021, la firme", "2021-09-01", "month"),
        ("de", "Bereits im März 2021 hatte Apple", "2021-03-01", "month"),
        ("es", "en marzo de 2022", "2022-03-01", "month"),
        ("fr", "le 13 mai", "2023-05-13", "day"),
        ("fr", "l'an dernier", "2023-01-01", "year"),
        ("en", "announced in 2021", "2021-01-01", "year"),
        ("nl", "maakte het bedrijf vandaag bekend", "2024-02-20", "day"),
        ("nl", "zei Google dinsdag", "2024-02-20", "day"),
        ("nl", "meldde het bedrijf gisteren", "2024-02-19", "day"),
        ("nl", "op 15 februari 2024", "2024-02-15", "day"),
        ("pl", "dnia 17 lutego 2024 roku", "2024-02-17", "day"),
        ("pl", "ogłosił we wtorek", "2024-02-20", "day"),
        ("pl", "poinformowała wczoraj", "2024-02-19", "day"),
        ("pl", "w środę", "2024-02-14", "day"),
        ("pt", "anunciou esta terça-feira", "2024-02-20", "day"),
        ("pt", "anunciou hoje", "2024-02-20", "day"),
        ("pt", "a 11 de fevereiro", "2024-02-11", "day"),
        ("pt", "em março de 2022", "2022-03-01", "month"),
    ],
)
def test_date_is_read_against_publication_and_story(language, text, expected, precision):
    found = find_dates(text, language, PUBLISHED, ANCHOR)
    assert [(d.day.isoformat(), d.precision) for d in found] == [(expected, precision)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "lundi prochain"),
        ("en", "next Monday"),
        ("de", "bis 2040"),
        ("fr", "depuis 2009"),
        ("en", "since 2009"),
        ("es", "desde 2009"),
        ("it", "entro il 2026"),
        ("en", "by the end of 2027"),
        ("fr", "au cours des deux prochaines années"),
        ("nl", "sinds 2016"),
        ("nl", "tegen 2028"),
        ("pl", "od 2011 roku"),
        ("pl", "do 2026 roku"),
        ("pt", "desde 2019"),
        ("pt", "até 2030"),
    ],
)
def test_future_days_periods_and_since_are_not_announcement_dates(language, text):
    assert find_dates(text, language, PUBLISHED, ANCHOR) == []


@pytest.mark.parametrize(
    ("language", "text", "start", "end"),
    [
        ("en", "over the next two years", 2024, 2025),
        ("fr", "d'ici à 2027", 2024, 2027),
        ("fr", "d'ici à juin 2026", 2024, 2026),
        ("de", "bis 2040", 2024, 2040),
        ("es", "en los próximos diez años", 2024, 2033),
        ("it", "entro il 2026", 2024, 2026),
        ("fr", "au cours des deux prochaines années", 2024, 2025),
        ("en", "between 2024 and 2026", 2024, 2026),
        ("it", "dal 2024 al 2026", 2024, 2026),
        ("de", "in den nächsten zwei Jahren", 2024, 2025),
        ("en", "from 2024 to 2028", 2024, 2028),
        ("fr", "sur dix ans", 2024, 2033),
        ("es", "hasta 2033", 2024, 2033),
        ("it", "nei prossimi cinque anni", 2024, 2028),
        ("de", "zwischen 2026 und 2029", 2026, 2029),
    ],
)
def test_period_of_an_investment(language, text, start, end):
    periods = find_periods(text, language, 2024)
    assert [(p.start_year, p.end_year) for p in periods] == [(start, end)]
