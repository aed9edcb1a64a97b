"""The map page at 100,000 investments, in headless Chromium on loopback, served as in production.

    make bench                      # every benchmark
    .venv/bin/python -m benchmarks pages

Generates investments (with sources and a share of components, superseded and Europe-wide records)
into a throwaway SQLite database, collects the static files, serves the site with gunicorn (DEBUG
off, WhiteNoise with hashed, compressed files) on 127.0.0.1 and loads the map page in a fresh browser
context each run (a cold cache, as a first visit). It reports medians of:

- time to the first chart: from navigation start to the map's `map-drawn` performance mark;
- bytes transferred (compressed, headers included) per kind: JavaScript, data (topojson, JSON), HTML,
  CSS; the budget is 1.0 s and 700 KB of JavaScript and data;
- a peer measured in the same run: the About page (same server, same CSS, no chart and no data) and
  a blank page, so that a slow machine shows in the peers too.

gunicorn runs with config/gunicorn.py, as `make serve` and docker-compose do. Without Redis the
server keeps nothing in its cache, so every view of the map adds up the 100,000 investments again:
the cold path. With BENCH_PAGES_REDIS_URL set, the server uses that Redis as production does, and the
totals are added up once per data version (by the warm-up run, which is not counted).

Environment: BENCH_PAGES_ROWS (default 100000), BENCH_PAGES_RUNS (9), BENCH_PAGES_DATABASE_URL (a
database to fill instead of a temporary SQLite file; it must be empty or already hold the rows),
BENCH_PAGES_REDIS_URL (e.g. redis://127.0.0.1:6379/15: a database of its own, flushed at the start;
default none), BENCH_KEEP=1 keeps the SQLite file for the next run, which then reuses it.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.serving import ROOT, free_port, gunicorn_command, start, stop

PYTHON = sys.executable
ROWS = int(os.environ.get("BENCH_PAGES_ROWS", 100_000))
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", 9))
KEEP = os.environ.get("BENCH_KEEP") == "1"
BUDGET_SECONDS = 1.0
BUDGET_BYTES = 700 * 1024
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def sqlite_path():
    """A fixed path only when kept for the next run; else one of its own, so that runs never meet."""
    if KEEP:
        return Path(tempfile.gettempdir()) / f"bench_pages_{ROWS}.sqlite3"
    return Path(tempfile.mkdtemp(prefix="bench_pages_")) / "tracker.sqlite3"


SQLITE_PATH = None  # set by main()
DATABASE_URL = os.environ.get("BENCH_PAGES_DATABASE_URL", "")
REDIS_URL = os.environ.get("BENCH_PAGES_REDIS_URL", "")


def server_env():
    return {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "WARNING",
    }


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=server_env(), check=True)


def generate(rows):
    """Fill the database with `rows` investments (run in a subprocess, with DATABASE_URL set)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from benchmarks.synthetic import orm_investments

    orm_investments(rows)


# Sum the transferred bytes of what the page loaded, by kind.
TRANSFERS = """() => {
  const kinds = {js: 0, data: 0, html: 0, css: 0, other: 0};
  const add = (entry) => {
    const name = entry.name;
    const kind = entry.entryType === 'navigation' ? 'html'
      : /\\.js(\\?|$)/.test(name) ? 'js'
      : /\\.json(\\?|$)|\\/api\\//.test(name) ? 'data'
      : /\\.css(\\?|$)/.test(name) ? 'css' : 'other';
    kinds[kind] += entry.transferSize;
  };
  performance.getEntriesByType('navigation').forEach(add);
  performance.getEntriesByType('resource').forEach(add);
  return kinds;
}"""


def measure(base):
    from playwright.sync_api import sync_playwright

    results = {"map": [], "about": [], "blank": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(RUNS + 1):  # the first run warms the server and the OS cache; not counted
            for name, path in (("map", "/"), ("about", "/about/"), ("blank", None)):
                context = browser.new_context(viewport={"width": 1350, "height": 940})
                outside = []

                def guard(route, outside=outside):
                    if route.request.url.startswith(("http://127.0.0.1", "data:", "about:")):
                        route.continue_()
                    else:
                        outside.append(route.request.url)
                        route.abort()

                context.route("**/*", guard)
                page = context.new_page()
                if path is None:
                    page.goto("data:text/html,<!doctype html><title>blank</title><p>blank")
                    timing = page.evaluate("() => performance.now()")
                    sample = {"load": timing, "first_chart": None, "bytes": {}}
                else:
                    page.goto(base + path, wait_until="load")
                    first_chart = None
                    if name == "map":
                        page.wait_for_selector("#map[data-drawn]", timeout=30_000)
                        first_chart = page.evaluate(
                            "() => performance.getEntriesByName('map-drawn')[0].startTime"
                        )
                    load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
                    ttfb = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStart")
                    sample = {
                        "load": load,
                        "ttfb": ttfb,
                        "first_chart": first_chart,
                        "bytes": page.evaluate(TRANSFERS),
                    }
                if outside:
                    raise RuntimeError(f"the {name} page tried to reach other hosts: {outside}")
                context.close()
                if run:
                    results[name].append(sample)
        browser.close()
    return results


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def report(results, server_ms):
    maps, about, blank = results["map"], results["about"], results["blank"]
    chart = median([s["first_chart"] for s in maps])
    js = median([s["bytes"]["js"] for s in maps])
    data = median([s["bytes"]["data"] for s in maps])
    html = median([s["bytes"]["html"] for s in maps])
    css = median([s["bytes"]["css"] for s in maps])
    server_cache = "Redis, totals cached by the warm-up run" if REDIS_URL else "no server cache"
    print(
        f"## Map page at {ROWS:,} investments (headless Chromium, loopback, cold browser cache, "
        f"{server_cache}, {RUNS} runs)\n"
    )
    print("| measure | map page | About page (peer) | blank page (peer) |")
    print("|---|---|---|---|")
    print(
        f"| server time for the HTML (time to first byte), median | {median([s['ttfb'] for s in maps]):.0f} ms "
        f"| {median([s['ttfb'] for s in about]):.0f} ms | – |"
    )
    print(f"| first chart drawn (navigation start to `map-drawn`), median | **{chart:.0f} ms** | – | – |")
    print(f"| first chart, slowest run | {max(s['first_chart'] for s in maps):.0f} ms | – | – |")
    print(
        f"| load event, median | {median([s['load'] for s in maps]):.0f} ms "
        f"| {median([s['load'] for s in about]):.0f} ms | {median([s['load'] for s in blank]):.0f} ms |"
    )
    print(
        f"| JavaScript transferred (compressed) | {js / 1024:.0f} KB | {median([s['bytes']['js'] for s in about]) / 1024:.0f} KB | 0 KB |"
    )
    print(
        f"| data transferred (topojson, JSON) | {data / 1024:.0f} KB | {median([s['bytes']['data'] for s in about]) / 1024:.0f} KB | 0 KB |"
    )
    print(
        f"| HTML + CSS transferred | {(html + css) / 1024:.0f} KB | "
        f"{(median([s['bytes']['html'] for s in about]) + median([s['bytes']['css'] for s in about])) / 1024:.0f} KB | 0 KB |"
    )
    print(
        f"| by-country stats, `/api/v1/stats/?by=country` (server, median of 5"
        f"{', cached after the first' if REDIS_URL else ''}) | {server_ms:.0f} ms | – | – |"
    )
    print()
    within_time = chart <= BUDGET_SECONDS * 1000
    within_bytes = js + data <= BUDGET_BYTES
    print(
        f"Budget: first chart within {BUDGET_SECONDS:.1f} s: {'met' if within_time else 'MISSED'} "
        f"({chart:.0f} ms); JavaScript and data at most {BUDGET_BYTES // 1024} KB: "
        f"{'met' if within_bytes else 'MISSED'} ({(js + data) / 1024:.0f} KB)."
    )
    print(
        "Loopback counts as a secure origin, so Chromium accepts Brotli and these are WhiteNoise's .br sizes."
    )
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}.")


def stats_latency(base):
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        with urllib.request.urlopen(base + "/api/v1/stats/?by=country", timeout=60) as response:  # noqa: S310
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    if not Path(CHROMIUM).exists():
        print(f"<!-- skipped: {CHROMIUM} is missing -->")
        return
    global SQLITE_PATH, DATABASE_URL
    if not DATABASE_URL:
        SQLITE_PATH = sqlite_path()
        DATABASE_URL = f"sqlite:///{SQLITE_PATH}"
    started = time.monotonic()
    manage("migrate", "--noinput", "-v0")
    subprocess.run(
        [PYTHON, "-m", "benchmarks.bench_pages", "generate", str(ROWS)],
        cwd=ROOT,
        env=server_env(),
        check=True,
    )
    manage("collectstatic", "--noinput", "-v0")
    print(f"<!-- {ROWS:,} investments ready in {time.monotonic() - started:.0f} s -->", flush=True)

    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # BENCH_PAGES_REDIS_URL is a database of its own
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(gunicorn_command(port), server_env(), base + "/about/")
    try:
        server_ms = stats_latency(base)
        report(measure(base), server_ms)
    finally:
        stop(server, timeout=30)
        if SQLITE_PATH and not KEEP:
            shutil.rmtree(SQLITE_PATH.parent, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["generate"]:
        generate(int(sys.argv[2]))
    else:
        main()
