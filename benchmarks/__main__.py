"""`python -m benchmarks [NAME ...]`: run every benchmarks/bench_*.py (or the named ones) in turn.

Each module exposes main(); each prints its figures as a Markdown section for docs/benchmarks.md.
"""

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    for name in names:
        print(f"\n<!-- python -m benchmarks {name} -->", flush=True)
        importlib.import_module(f"benchmarks.bench_{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
