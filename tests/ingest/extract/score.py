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

Then per language, the calibration of the candidates' confidence (precision among those at >= 0.8, the
share of wrong ones below 0.5), and with --targets whether each target of issue 16 is met.
"""

import argparse
import functools
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
HIGH, LOW = 0.8, 0.5  # the confidence a reviewer may trust, and the one below which most wrong ones should be


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


def precision_at_high(scored: list[tuple[float, bool]]) -> float:
    """Precision among the candidates whose confidence is 0.8 or more."""
    high = [right for confidence, right in scored if confidence >= HIGH]
    return sum(high) / len(high) if high else 0.0


def wrong_below_low(scored: list[tuple[float, bool]]) -> float:
    """The share of wrong candidates whose confidence is below 0.5 (1.0 when none is wrong)."""
    wrong = [confidence for confidence, right in scored if not right]
    return sum(confidence < LOW for confidence in wrong) / len(wrong) if wrong else 1.0


def _calibration(label: str, scored: list[tuple[float, bool]]) -> str:
    high = sum(confidence >= HIGH for confidence, _ in scored)
    wrong = sum(not right for _, right in scored)
    return (
        f"{label}: precision at >= {HIGH} {precision_at_high(scored):.3f} ({high} candidates); "
        f"wrong candidates below {LOW} {wrong_below_low(scored):.3f} ({wrong} wrong)"
    )


@dataclass
class Score:
    """Counts over a folder of articles (or one language of it), and one line per article."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_fact: int = 0
    n_fact: int = 0
    date_ok: int = 0
    date_n: int = 0
    lines: list[str] = field(default_factory=list)
    languages: dict[str, "Score"] = field(default_factory=dict)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right) per candidate
    aside: list[tuple[float, bool]] = field(default_factory=list)  # the same with the set-aside figures

    @property
    def precision_at_high(self) -> float:
        return precision_at_high(self.scored)

    @property
    def wrong_below_low(self) -> float:
        return wrong_below_low(self.scored)

    def calibration(self) -> str:
        lines = [_calibration("confidence", self.scored)]
        if self.aside:
            lines.append(_calibration("confidence with the set-aside figures", self.scored + self.aside))
        return "\n".join(lines)

    def targets(self) -> list[str]:
        """Each target of issue 16 with its figure and whether it is met."""
        checks = [
            ("F1 >= 0.92", self.f1, 0.92),
            ("dates >= 0.90", self.dates, 0.90),
            (f"precision at confidence >= {HIGH} >= 0.95", self.precision_at_high, 0.95),
            (f"wrong candidates below {LOW} >= 0.80", self.wrong_below_low, 0.80),
        ]
        checks += [(f"F1 {code} >= 0.85", part.f1, 0.85) for code, part in sorted(self.languages.items())]
        return [
            f"target {name}: {value:.3f} {'met' if value >= bar else 'NOT MET'}"
            for name, value, bar in checks
        ]

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

    def language_line(self, code: str) -> str:
        return (
            f"language {code}: precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f} "
            f"({self.n_pred} candidates, {self.n_fact} facts)"
        )

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f} dates {self.dates:.3f} "
            f"({self.n_pred} candidates, {self.n_fact} facts)"
        )


def score_article(score: Score, name: str, meta: dict, candidates: list[dict]) -> None:
    """Count one article into the folder's score and into its language's."""
    code = meta.get("language") or name.rsplit("-", 1)[-1].split(".")[0]
    _count(score, name, meta, candidates)
    _count(score.languages.setdefault(code, Score()), name, meta, candidates)


def _count(score: Score, name: str, meta: dict, candidates: list[dict]) -> None:
    primary = meta.get("primary", meta.get("facts", []))
    acceptable = meta.get("acceptable", [])
    # Figures the extractor set aside count only towards the calibration of its confidence.
    for candidate in candidates:
        if candidate.get("set_aside") and candidate.get("amount") not in (None, ""):
            right = any(matches(candidate, f) for f in primary + acceptable)
            score.aside.append((float(candidate.get("confidence") or 0.0), right))
    candidates = [c for c in candidates if not c.get("set_aside")]
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
    for candidate in monetary:
        if isinstance(candidate.get("confidence"), (int, float)):
            score.scored.append((float(candidate["confidence"]), candidate in good))
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


def in_process(path: Path, meta: dict, set_aside: bool = False) -> list[dict]:
    """Run the extractor in this process: the package is pure, no Django needed."""
    root = Path(__file__).resolve().parents[3]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from ingest.extract import extract_candidates

    text = path.read_text(encoding="utf-8")
    published = date.fromisoformat(meta["published"])
    return [
        c.as_dict() for c in extract_candidates(text, published, meta.get("language"), set_aside=set_aside)
    ]


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
    parser.add_argument("--targets", action="store_true", help="Say whether each target of issue 16 is met.")
    parser.add_argument(
        "--set-aside",
        action="store_true",
        help="Also measure the confidence of the figures the extractor sets aside (in process only).",
    )
    args = parser.parse_args()
    extract = by_command(args.cmd) if args.cmd else functools.partial(in_process, set_aside=args.set_aside)
    score = score_folder(args.folder, extract)
    print("\n".join(score.lines))
    for code, part in sorted(score.languages.items()):
        print(part.language_line(code))
    print(score.calibration())
    print(score.summary())
    if args.targets:
        print("\n".join(score.targets()))


if __name__ == "__main__":
    main()
