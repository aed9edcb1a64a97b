#!/usr/bin/env python3
"""Score article extraction against a folder of articles and their expected facts (expected.json).

    python tests/ingest/extract/score.py tests/ingest/extract/articles
    python tests/ingest/extract/score.py DIR --cmd ".venv/bin/python manage.py extract {file} --published {published} --json"

Without --cmd the extractor runs in this process (no Django, no database). A candidate matches a fact
when the company (families folded: aws = amazon, alphabet = google), the country (ISO alpha-2, None for
Europe-wide) agree and the amount is within 2 % in the same currency, or of one of the fact's 'alt'
figures. Facts listed under 'acceptable' count a candidate right without being required.

    precision = candidates that match a fact / candidates with an amount
    recall    = primary facts matched / primary facts with an amount
    dates     = matched primary facts whose announced_on equals the expected full date / those expected
"""

import argparse
import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ALIASES = {
    "alphabet": "google", "google-cloud": "google", "googleorg": "google", "google-org": "google",
    "aws": "amazon", "amazon-web-services": "amazon",
    "facebook": "meta", "meta-platforms": "meta",
    "msft": "microsoft",
}  # fmt: skip


def norm_company(value) -> str:
    slug = str(value or "").strip().lower().replace(" ", "-").replace(".", "")
    return ALIASES.get(slug, slug)


def norm_country(value) -> str | None:
    if value in (None, "", "EU", "eu", "EUROPE", "europe"):
        return None
    return str(value).strip().upper()


def figures(fact: dict) -> list[tuple[float, str]]:
    out = []
    if fact.get("amount") is not None:
        out.append((float(fact["amount"]), str(fact["currency"]).upper()))
    for amount, currency in fact.get("alt", []):
        out.append((float(amount), currency.upper()))
    return out


def matches(candidate: dict, fact: dict) -> bool:
    if norm_company(candidate.get("company")) != norm_company(fact["company"]):
        return False
    if norm_country(candidate.get("country")) != norm_country(fact.get("country")):
        return False
    try:
        amount = float(candidate.get("amount"))
    except (TypeError, ValueError):
        return False
    currency = str(candidate.get("currency") or "").upper()
    return any(currency == c and abs(amount - a) <= 0.02 * a for a, c in figures(fact))


@dataclass
class Score:
    """Counts over a folder of articles, and one line per article."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_fact: int = 0
    n_fact: int = 0
    date_ok: int = 0
    date_n: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_fact / self.n_fact if self.n_fact else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def dates(self) -> float:
        return self.date_ok / self.date_n if self.date_n else 0.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f} dates {self.dates:.3f} "
            f"({self.n_pred} candidates, {self.n_fact} facts)"
        )


def score_article(score: Score, name: str, meta: dict, candidates: list[dict]) -> None:
    primary = meta.get("primary", meta.get("facts", []))
    acceptable = meta.get("acceptable", [])
    monetary = [c for c in candidates if c.get("amount") not in (None, "")]
    good = [c for c in monetary if any(matches(c, f) for f in primary + acceptable)]
    wanted = [f for f in primary if f.get("amount") is not None]
    found = [f for f in wanted if any(matches(c, f) for c in monetary)]
    wrong_dates = []
    for fact in found:
        day = fact.get("announced_on")
        if day and len(day) == 10:
            score.date_n += 1
            hit = next(c for c in monetary if matches(c, fact))
            if str(hit.get("announced_on") or "")[:10] == day:
                score.date_ok += 1
            else:
                wrong_dates.append(
                    f"{fact['company']}/{fact.get('country')} {hit.get('announced_on')} != {day}"
                )
    score.tp_pred += len(good)
    score.n_pred += len(monetary)
    score.tp_fact += len(found)
    score.n_fact += len(wanted)
    wrong = [f"{c.get('company')}/{c.get('country')}/{c.get('amount')} {c.get('currency')}" for c in monetary
             if c not in good]  # fmt: skip
    missed = [
        f"{f['company']}/{f.get('country')}/{f['amount']} {f['currency']}" for f in wanted if f not in found
    ]
    score.lines.append(
        f"{name}: {len(good)}/{len(monetary)} candidates right, {len(found)}/{len(wanted)} facts found"
        + (f"; wrong: {', '.join(wrong)}" if wrong else "")
        + (f"; missed: {', '.join(missed)}" if missed else "")
        + (f"; dates: {', '.join(wrong_dates)}" if wrong_dates else "")
    )


def in_process(path: Path, meta: dict) -> list[dict]:
    """Run the extractor in this process: the package is pure, no Django needed."""
    root = Path(__file__).resolve().parents[3]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from ingest.extract import extract_candidates

    text = path.read_text(encoding="utf-8")
    published = date.fromisoformat(meta["published"])
    return [c.as_dict() for c in extract_candidates(text, published, meta.get("language"))]


def by_command(template: str) -> Callable[[Path, dict], list[dict]]:
    def run(path: Path, meta: dict) -> list[dict]:
        line = template.format(file=shlex.quote(str(path)), published=meta["published"],
                               language=meta.get("language", ""))  # fmt: skip
        proc = subprocess.run(line, shell=True, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
        data = json.loads(proc.stdout)
        return data.get("candidates", []) if isinstance(data, dict) else data

    return run


def score_folder(folder: Path, extract: Callable[[Path, dict], list[dict]] = in_process) -> Score:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["articles"]
    score = Score()
    for name, meta in sorted(expected.items()):
        score_article(score, name, meta, extract(folder / name, meta))
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cmd", help="A command printing a JSON array; {file} {published} {language}.")
    args = parser.parse_args()
    score = score_folder(args.folder, by_command(args.cmd) if args.cmd else in_process)
    print("\n".join(score.lines))
    print(score.summary())


if __name__ == "__main__":
    main()
