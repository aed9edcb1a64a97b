"""Language detection by function words (ingest/extract/language.py)."""

import json
from pathlib import Path

import pytest

from ingest.extract.language import detect_language

ARTICLES = Path(__file__).parent / "articles"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Microsoft said on Monday that it will invest in the country over the next two years.", "en"),
        ("Microsoft a annoncé un investissement dans le pays au cours des deux prochaines années.", "fr"),
        ("Microsoft invertirá en el país durante los próximos dos años, según anunció la compañía.", "es"),
        (
            "Microsoft will in den nächsten zwei Jahren in Deutschland investieren, teilte der Konzern mit.",
            "de",
        ),
        ("Microsoft investirà nel Paese nei prossimi due anni, ha annunciato la società.", "it"),
        ("Microsoft gaat de komende twee jaar investeren in het land, meldt het bedrijf.", "nl"),
        ("Microsoft zainwestuje w Polsce w ciągu najbliższych dwóch lat, poinformowała firma.", "pl"),
        ("A Microsoft vai investir no país nos próximos dois anos, anunciou a empresa.", "pt"),
        ("Microsoft invertirá en el país en los próximos dos años, anunció la empresa.", "es"),
    ],
)
def test_sentence_language_is_detected(text, language):
    assert detect_language(text) == language


def test_every_fixture_article_is_detected_in_its_language():
    expected = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))["articles"]
    for name, meta in expected.items():
        assert detect_language((ARTICLES / name).read_text(encoding="utf-8")) == meta["language"], name


def test_text_without_function_words_falls_back_to_the_default():
    assert detect_language("12345 67890", default="fr") == "fr"
