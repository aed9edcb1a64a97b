"""`manage.py extract`: one JSON array on stdout with --json, a table without (no database)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ARTICLES = Path(__file__).parent / "articles"


def run(*args) -> str:
    out = StringIO()
    call_command("extract", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_one_array_of_candidates():
    article = ARTICLES / "microsoft-espana-es.txt"
    rows = json.loads(run(str(article), "--published", "2024-02-20", "--json"))
    assert isinstance(rows, list) and rows
    first = rows[0]
    for key in ("company", "country", "amount", "currency", "announced_on", "evidence", "confidence", "place",
                "category", "period_start", "period_end", "announced_precision"):  # fmt: skip
        assert key in first
    assert (first["company"], first["country"], first["amount"], first["currency"]) == (
        "microsoft", "ES", 2100000000, "USD"
    )  # fmt: skip
    assert first["announced_on"] == "2024-02-19"


def test_several_files_give_one_array():
    files = [str(ARTICLES / "google-finland-en.txt"), str(ARTICLES / "nvidia-results-none-en.txt")]
    rows = json.loads(run(*files, "--published", "2024-05-31", "--language", "en", "--json"))
    assert [row["company"] for row in rows] == ["google"]


def test_table_output_is_readable():
    text = run(str(ARTICLES / "aws-brandenburg-de.txt"), "--published", "2024-05-16")
    assert "aws" in text and "DE" in text and "7,800,000,000" in text


def test_bad_date_is_refused():
    with pytest.raises(CommandError):
        run(str(ARTICLES / "aws-brandenburg-de.txt"), "--published", "16/05/2024")


def test_set_aside_figures_follow_with_their_reason_only_when_asked():
    article = str(ARTICLES / "microsoft-cumul-fr.txt")
    plain = json.loads(run(article, "--published", "2025-05-08", "--json"))
    assert [(row["amount"], row["set_aside"]) for row in plain] == [(2000000000, None)]
    rows = json.loads(run(article, "--published", "2025-05-08", "--json", "--set-aside"))
    assert rows[0]["set_aside"] is None
    assert {row["set_aside"] for row in rows[1:]} == {"cumulative total", "summit or national total"}
    assert "set aside: cumulative total" in run(article, "--published", "2025-05-08", "--set-aside")


def test_polish_article_is_read_with_its_language_given():
    rows = json.loads(
        run(
            str(ARTICLES / "google-warszawa-pl.txt"),
            "--published",
            "2025-03-12",
            "--language",
            "pl",
            "--json",
        )
    )
    assert [(row["company"], row["amount"], row["currency"]) for row in rows] == [
        ("google", 2500000000, "PLN")
    ]
