"""Article extraction speed: articles per second on one core, against a plain tokenisation peer.

    python benchmarks/bench_extract.py [--rounds 7] [--repeat 3]

Runs `ingest.extract.extract_candidates` over every fixture article (tests/ingest/extract/articles)
`repeat` times per round, timed in CPU seconds of this one process (one core), and in the same process a peer that does the least any text pass does: a
`re.findall(r"\\w+")` word tokenisation of the same texts. Prints the median of the rounds for each and
their ratio; the bar is 50 articles per second.
"""

import argparse
import json
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "ingest" / "extract" / "articles"
BAR = 50.0


def load_articles() -> list[tuple[str, date, str]]:
    expected = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))["articles"]
    return [
        (
            (ARTICLES / name).read_text(encoding="utf-8"),
            date.fromisoformat(meta["published"]),
            meta["language"],
        )
        for name, meta in sorted(expected.items())
    ]


def rate(work, articles: list, repeat: int) -> float:
    """Articles per CPU second for one round of `work` over the articles, `repeat` times. CPU time of
    this process, not wall time: on a shared machine other processes' load must not count against us."""
    start = time.process_time()
    for _ in range(repeat):
        for article in articles:
            work(article)
    return len(articles) * repeat / (time.process_time() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from ingest.extract import extract_candidates, load_catalogue

    catalogue = load_catalogue()
    articles = load_articles()
    word = re.compile(r"\w+")

    def extract(article):
        # The language is left to detection, as for an article from a feed without metadata.
        text, published, _ = article
        return extract_candidates(text, published, None, catalogue)

    def tokenise(article):
        return word.findall(article[0])

    extract(articles[0])  # warm the caches: compiled patterns, Babel's territory names
    ours = [rate(extract, articles, args.repeat) for _ in range(args.rounds)]
    peer = [rate(tokenise, articles, args.repeat) for _ in range(args.rounds)]
    ours_median, peer_median = statistics.median(ours), statistics.median(peer)
    words = sum(len(word.findall(text)) for text, _, _ in articles) / len(articles)
    print(f"articles: {len(articles)} fixture articles, {words:.0f} words on average, {args.rounds} rounds")
    print(
        f"extract_candidates: {ours_median:,.1f} articles per CPU second (median; min {min(ours):,.1f}, max {max(ours):,.1f})"
    )
    print(f"peer re.findall(r'\\w+'): {peer_median:,.0f} articles per CPU second (median)")
    print(f"ratio: extraction takes {peer_median / ours_median:,.0f}x the time of a bare tokenisation pass")
    print(f"bar: {BAR:.0f} articles/s -> {'met' if ours_median >= BAR else 'NOT met'}")
    return 0 if ours_median >= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
