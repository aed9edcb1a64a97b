"""The extractor over every fixture article, scored with the project scorer's matching rules.

Fixtures are news articles written for this project (tests/ingest/extract/articles/NAME-xx.txt) with
their expected facts in expected.json, in the same format as the development corpus, so
`python tests/ingest/extract/score.py tests/ingest/extract/articles` prints the same figures.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.extract.language import LANGUAGES

from .score import score_folder

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def score():
    return score_folder(ARTICLES)


def test_fixtures_cover_eight_languages_with_real_length(expected):
    names = sorted(path.name for path in ARTICLES.glob("*.txt"))
    assert names == sorted(expected)
    assert len(names) >= 50
    per_language = Counter(meta["language"] for meta in expected.values())
    assert set(per_language) == set(LANGUAGES)
    assert min(per_language[language] for language in ("en", "fr", "es", "de", "it")) >= 7
    assert min(per_language[language] for language in ("nl", "pl", "pt")) >= 3
    # Each new language has an article whose figures are all something else (fines, revenue).
    assert {meta["language"] for meta in expected.values() if not meta["facts"]} >= {"nl", "pl", "pt"}
    for name, meta in expected.items():
        assert name.endswith(f"-{meta['language']}.txt")
        words = len((ARTICLES / name).read_text(encoding="utf-8").split())
        assert 100 <= words <= 500, (name, words)  # a page excerpt with its furniture is shorter
    assert sum(1 for meta in expected.values() if not meta["facts"]) >= 5  # articles without investment


def test_extraction_reaches_the_quality_bar_on_fixture_articles(score):
    report = "\n".join(score.lines + [score.summary()])
    assert score.f1 >= 0.95, report
    assert score.dates >= 0.9, report


def test_fixture_articles_without_investment_yield_no_candidate(expected):
    from datetime import date

    from ingest.extract import extract_candidates

    for name, meta in expected.items():
        if not meta["facts"]:
            text = (ARTICLES / name).read_text(encoding="utf-8")
            found = extract_candidates(text, date.fromisoformat(meta["published"]), meta["language"])
            assert found == [], (name, [c.as_dict() for c in found])
