"""Lighthouse scores of the map and timeline pages, served as in production on loopback.

    .venv/bin/python -m benchmarks lighthouse

Loads the bundled dataset into a throwaway SQLite database, collects the static files and serves the
site with gunicorn (config/gunicorn.py, DEBUG off, WhiteNoise with hashed, compressed files), as
bench_pages does. Then runs Lighthouse (pinned below; installed with npm into var/node the first
time) with Debian's Chromium, desktop and mobile presets, on / and /timeline/, and prints the median
of each category score and of the key metrics (FCP, LCP, TBT, CLS, Speed Index) over the runs, with
the load average of the machine before and after: Lighthouse times the page on the machine's own CPU.

Environment: LIGHTHOUSE_RUNS (default 3), LIGHTHOUSE_PAGES (default "/ /timeline/"), LIGHTHOUSE_PRESETS
(default "desktop mobile"), LIGHTHOUSE_JSON (a folder to keep each run's report in).
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_pages import CHROMIUM, PYTHON
from benchmarks.serving import ROOT, free_port, gunicorn_command, start, stop, wait_until_up

VERSION = "12.8.2"  # the last major that runs on Debian 12's Node 20 (13.x needs Node 22)
NODE_DIR = ROOT / "var" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", 3))
PAGES = os.environ.get("LIGHTHOUSE_PAGES", "/ /timeline/").split()
PRESETS = os.environ.get("LIGHTHOUSE_PRESETS", "desktop mobile").split()
KEEP_JSON = os.environ.get("LIGHTHOUSE_JSON", "")
ATTEMPTS = 3
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Lighthouse audit id, column title, unit: "s" and "ms" from milliseconds, "" as is.
METRICS = [
    ("first-contentful-paint", "FCP", "s"),
    ("largest-contentful-paint", "LCP", "s"),
    ("total-blocking-time", "TBT", "ms"),
    ("cumulative-layout-shift", "CLS", ""),
    ("speed-index", "SI", "s"),
]


def installed_version():
    package = NODE_DIR / "node_modules" / "lighthouse" / "package.json"
    if not package.exists():
        return None
    return json.loads(package.read_text())["version"]


def install():
    """Lighthouse at VERSION in var/node, from the npm registry the first time."""
    if LIGHTHOUSE.exists() and installed_version() == VERSION:
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def server_env(database_url):
    return {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }


def lighthouse(url, preset, output):
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")  # mobile is Lighthouse's default
    for _ in range(ATTEMPTS):
        # On a loaded machine Lighthouse now and then loses the trace (NO_NAVSTART): run it again.
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM})
        if done.returncode == 0:
            return json.loads(Path(output).read_text())
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url} ({preset})")


def summarise(reports):
    """Median of each category score (0-100) and each metric over the runs of one page and preset."""
    scores = {c: statistics.median(r["categories"][c]["score"] * 100 for r in reports) for c in CATEGORIES}
    metrics = {m: statistics.median(r["audits"][m]["numericValue"] for r in reports) for m, _, _ in METRICS}
    return scores, metrics


def shown(value, unit):
    if unit == "s":
        return f"{value / 1000:.1f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    return f"{value:.3f}"


def report(rows, load_before, load_after):
    print(f"## Lighthouse {VERSION} (Debian Chromium, loopback, production serving, median of {RUNS} runs)\n")
    print(
        "| page | preset | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | SI |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path, preset, (scores, metrics) in rows:
        cells = [f"{scores[c]:.0f}" for c in CATEGORIES] + [shown(metrics[m], unit) for m, _, unit in METRICS]
        print(f"| `{path}` | {preset} | " + " | ".join(cells) + " |")
    print()
    print(
        f"Load average (1, 5, 15 min) before: {', '.join(f'{v:.2f}' for v in load_before)}; "
        f"after: {', '.join(f'{v:.2f}' for v in load_after)} ({os.cpu_count()} cores)."
    )


def main():
    if not Path(CHROMIUM).exists() or not shutil.which("npm"):
        print(f"<!-- skipped: {CHROMIUM} or npm is missing -->")
        return
    install()
    folder = Path(tempfile.mkdtemp(prefix="bench_lighthouse_"))
    env = server_env(f"sqlite:///{folder / 'tracker.sqlite3'}")
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["ingest", "dataset"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Output discarded: the log holds the 404 of /robots.txt that each Lighthouse run asks for.
    server = start(gunicorn_command(port), env, base + "/about/")
    try:
        for path in PAGES:  # warm the server: the first request of each worker imports and connects
            wait_until_up(base + path)
        load_before = os.getloadavg()
        rows = []
        for path in PAGES:
            for preset in PRESETS:
                reports = []
                for run in range(RUNS):
                    name = f"{path.strip('/').replace('/', '-') or 'map'}-{preset}-{run}.json"
                    reports.append(lighthouse(base + path, preset, folder / name))
                    if KEEP_JSON:
                        Path(KEEP_JSON).mkdir(parents=True, exist_ok=True)
                        shutil.copy(folder / name, Path(KEEP_JSON) / name)
                rows.append((path, preset, summarise(reports)))
        report(rows, load_before, os.getloadavg())
    finally:
        stop(server, timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
