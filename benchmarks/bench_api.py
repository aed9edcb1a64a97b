"""The API at 1,000,000 investments: gunicorn + PostgreSQL against Datasette + SQLite on the same rows.

    make bench                      # every benchmark
    .venv/bin/python -m benchmarks api

Builds a throwaway PostgreSQL database (bench_tracker, dropped at the end) with generated investments,
sources and relations, and an SQLite copy of the same investments (one flat table, indexed like the
PostgreSQL one) for Datasette. Serves each on 127.0.0.1 and measures with wrk (8 connections): the
filtered list by country, by country and company, and the by-country totals. The API runs three ways:
cold (nothing cached: every request queries the database), counts cached (page counts kept in Redis
per data version) and warm (rendered responses kept too). All four servers run at once and the wrk
runs alternate between them for several rounds; the median round stands for each.

Throttling stays on at the production rate: wrk sends each request from one of 1,000 client addresses
(X-Forwarded-For, picked at random), so the throttle counts every request in Redis as usual without
refusing the benchmark (1,600 requests a second over 1,000 clients is 96 a minute each, under 600).
A new address for every request would instead create and expire a Redis key per request: at 1,600 a
second, Redis's expiry cycle then stalls every request that reads the cache, and some runs lose half
their throughput, which says something about Redis under key churn rather than about the API.

Environment: BENCH_API_ROWS (default 1000000), BENCH_API_DURATION (seconds per wrk run, 5),
BENCH_API_ROUNDS (3), BENCH_API_CONNECTIONS (8), BENCH_API_CPU_REQUESTS (requests sent one at a time to
measure the CPU each costs, 300, for at most 10 s per server), BENCH_API_WORKERS (gunicorn workers, one per core; each runs the threads
of config/gunicorn.py, as in production),
BENCH_API_POSTGRES (server URL, postgres://postgres@127.0.0.1:5432), BENCH_API_REDIS_URL
(redis://127.0.0.1:6379/13: a database of its own), BENCH_API_KEEP=1 keeps the databases
for the next run, which then reuses them.
"""

import http.client
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import psycopg

from benchmarks.serving import BIN, ROOT, free_port, gunicorn_command, start, stop

PYTHON = sys.executable
ROWS = int(os.environ.get("BENCH_API_ROWS", 1_000_000))
DURATION = int(os.environ.get("BENCH_API_DURATION", 5))
ROUNDS = int(os.environ.get("BENCH_API_ROUNDS", 3))
CONNECTIONS = int(os.environ.get("BENCH_API_CONNECTIONS", 8))
WORKERS = int(os.environ.get("BENCH_API_WORKERS", os.cpu_count() or 2))
POSTGRES = os.environ.get("BENCH_API_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_API_REDIS_URL", "redis://127.0.0.1:6379/13")
KEEP = os.environ.get("BENCH_API_KEEP") == "1"
CPU_REQUESTS = int(os.environ.get("BENCH_API_CPU_REQUESTS", 300))
DATABASE = "bench_tracker"
SQLITE_PATH = Path(tempfile.gettempdir()) / "bench_tracker.db"


# Ports picked free at start: other servers may be running on this machine.
DATASETTE_PORT = free_port()
SEED = 20240521

# Companies: (slug, name, parent slug), and their share of the generated investments.
COMPANIES = [
    ("alphabet", "Alphabet", None),
    ("google", "Google", "alphabet"),
    ("amazon", "Amazon", None),
    ("aws", "Amazon Web Services", "amazon"),
    ("microsoft", "Microsoft", None),
    ("meta", "Meta", None),
    ("apple", "Apple", None),
    ("nvidia", "Nvidia", None),
    ("oracle", "Oracle", None),
    ("ibm", "IBM", None),
    ("openai", "OpenAI", None),
    ("salesforce", "Salesforce", None),
]
CATEGORIES = ["datacentre", "compute", "research", "skills", "fund", "mixed"]
STATUSES = ["announced", "construction", "operational", "stalled", "cancelled"]
CONFIDENCES = ["high", "medium", "low"]
FIGURE_SOURCES = ["company", "government", "third_party"]
PLACES = ["Madrid", "Aragon", "Frankfurt", "Dublin", "Milan", "Paris", "Warsaw", "Stockholm", "Lisbon"]
PUBLISHERS = ["Reuters", "El País", "Handelsblatt", "Le Monde", "Irish Times", "Il Sole 24 Ore"]

# The three equivalent queries: (name, API path, Datasette path).
SQL_BY_COUNTRY = (
    "select country, sum(amount_eur) as total, count(*) as count from investments "
    "where counted = 1 group by country order by total desc"
)
ENDPOINTS = [
    (
        "list, country=ES",
        "/api/v1/investments/?country=ES",
        "/bench_tracker/investments.json?country=ES&_sort_desc=announced_on&_size=50",
    ),
    (
        "list, country=ES & company=microsoft",
        "/api/v1/investments/?country=ES&company=microsoft",
        "/bench_tracker/investments.json?country=ES&company=microsoft&_sort_desc=announced_on&_size=50",
    ),
    (
        "stats by=country",
        "/api/v1/stats/?by=country",
        "/bench_tracker.json?" + urllib.parse.urlencode({"sql": SQL_BY_COUNTRY, "_shape": "array"}),
    ),
]
# (mode, API_CACHE_SECONDS, API_COUNT_CACHE_SECONDS): nothing cached; page counts cached; responses too.
MODES = [("cold", 0, 0), ("cold, counts cached", 0, 3600), ("warm", 3600, 3600)]
WRK_SCRIPT = """
-- Requests from 1,000 client addresses: the anonymous throttle keeps one counter per address.
math.randomseed(os.time())
request = function()
  wrk.headers["X-Forwarded-For"] = "10.0." .. math.random(0, 3) .. "." .. math.random(1, 250)
  return wrk.format(nil)
end
"""


def log(message):
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Data ---------------------------------------------------------------------------------------


def generate(rows):
    """Deterministic investments: (id, ref, company index, country iso2 or None, ...) and relations."""
    rng = random.Random(SEED)
    iso2 = [line.split()[0] for line in COUNTRY_WEIGHTS.strip().splitlines()]
    weights = [float(line.split()[1]) for line in COUNTRY_WEIGHTS.strip().splitlines()]
    company_weights = [1, 6, 1, 8, 10, 5, 2, 4, 3, 2, 3, 2]
    start = date(2015, 1, 1)
    investments, supersedes, covers = [], [], []
    for pk in range(1, rows + 1):
        country = None if rng.random() < 0.02 else rng.choices(iso2, weights)[0]
        company = rng.choices(range(len(COMPANIES)), company_weights)[0]
        eur = round(rng.lognormvariate(19, 1.5), 2)
        part_of = rng.randint(1, pk - 1) if pk > 10 and rng.random() < 0.03 else None
        reason = "cumulative" if rng.random() < 0.01 else ""
        if pk > 10 and rng.random() < 0.01:
            supersedes.append((pk, rng.randint(1, pk - 1)))
        if country is None:
            covers.append((pk, rng.sample(iso2[:10], 3)))
        investments.append(
            (
                pk,
                f"B-{pk:07d}",
                company,
                country,
                rng.choice(PLACES),
                f"{COMPANIES[company][1]} investment {pk}",
                rng.choice(CATEGORIES),
                rng.choice(STATUSES),
                eur,
                round(eur * 1.08, 2),
                start + timedelta(days=rng.randint(0, 3900)),
                rng.choice(FIGURE_SOURCES),
                reason,
                rng.choice(CONFIDENCES),
                part_of,
            )
        )
    return investments, supersedes, covers


# Host-country weights: the big economies get most of the money, every seeded country some.
COUNTRY_WEIGHTS = """
DE 12
FR 11
ES 10
IT 8
GB 9
NL 7
IE 6
SE 5
PL 5
BE 3
AT 3
DK 3
FI 3
PT 3
NO 3
CH 3
CZ 2
GR 2
RO 2
HU 1
BG 1
HR 1
SK 1
SI 1
LT 1
LV 1
EE 1
LU 1
CY 0.5
MT 0.5
IS 0.5
TR 2
UA 1
RS 0.5
AL 0.3
BA 0.3
ME 0.2
MK 0.2
MD 0.2
XK 0.1
LI 0.1
AD 0.1
MC 0.1
SM 0.1
VA 0.05
"""


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def build_postgres(env, investments, supersedes, covers):
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    log("migrate")
    manage("migrate", "--noinput", env=env)
    with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
        countries = dict(conn.execute("SELECT iso2, id FROM investments_country").fetchall())
        # Load as a restore does: no per-row foreign-key triggers, secondary indexes rebuilt at the end.
        conn.execute("SET session_replication_role = replica")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'investments_%%' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        with conn.cursor() as cur:
            for pk, (slug, name, parent) in enumerate(COMPANIES, start=1):
                parent_id = (
                    next(i for i, c in enumerate(COMPANIES, start=1) if c[0] == parent) if parent else None
                )
                cur.execute(
                    "INSERT INTO investments_company (id, name, slug, parent_id, aliases, website, "
                    "headquarters_country) VALUES (%s, %s, %s, %s, '[]', '', 'US')",
                    (pk, name, slug, parent_id),
                )
            log(f"COPY {len(investments):,} investments")
            columns = (
                "id, ref, company_id, country_id, place, title, category, status, amount, currency, amount_eur, "
                "amount_usd, fx_rate_eur, fx_rate_usd, fx_date, announced_on, announced_precision, figure_source, "
                "not_counted_reason, confidence, notes, origin, record_hash, part_of_id, created, updated"
            )
            now = "2025-01-01T00:00:00+00:00"
            with cur.copy(f"COPY investments_investment ({columns}) FROM STDIN") as copy:
                for (
                    pk,
                    ref,
                    company,
                    country,
                    place,
                    title,
                    cat,
                    status,
                    eur,
                    usd,
                    day,
                    fig,
                    reason,
                    conf,
                    part,
                ) in investments:
                    copy.write_row(
                        (
                            pk,
                            ref,
                            company + 1,
                            countries[country] if country else None,
                            place,
                            title,
                            cat,
                            status,
                            eur,
                            "EUR",
                            eur,
                            usd,
                            1,
                            1.08,
                            day,
                            day,
                            "day",
                            fig,
                            reason,
                            conf,
                            "",
                            "dataset",
                            "",
                            part,
                            now,
                            now,
                        )
                    )
            log("COPY sources")
            with cur.copy(
                "COPY investments_announcement (id, url, publisher, language, published_on, title, evidence, "
                "announced_by, amount, currency, amount_eur, record_hash, created) FROM STDIN"
            ) as copy:
                for pk, ref, _, _, _, title, _, _, eur, _, day, *_ in investments:
                    copy.write_row(
                        (
                            pk,
                            f"https://news.example.org/{ref}",
                            PUBLISHERS[pk % len(PUBLISHERS)],
                            "en",
                            day,
                            title,
                            f"{title}: EUR {eur:,.0f}.",
                            "",
                            eur,
                            "EUR",
                            eur,
                            "",
                            now,
                        )
                    )
            with cur.copy(
                "COPY investments_announcement_investments (announcement_id, investment_id) FROM STDIN"
            ) as copy:
                for row in investments:
                    copy.write_row((row[0], row[0]))
            with cur.copy(
                "COPY investments_investment_supersedes (from_investment_id, to_investment_id) FROM STDIN"
            ) as copy:
                for pair in supersedes:
                    copy.write_row(pair)
            with cur.copy(
                "COPY investments_investment_countries (investment_id, country_id) FROM STDIN"
            ) as copy:
                for pk, codes in covers:
                    for code in codes:
                        copy.write_row((pk, countries[code]))
            for table in ("company", "investment", "announcement"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('investments_{table}', 'id'), "
                    f"(SELECT max(id) FROM investments_{table}))"
                )
            log(f"rebuild {len(indexes)} indexes")
            cur.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cur.execute(definition)
    with psycopg.connect(f"{POSTGRES}/{DATABASE}", autocommit=True) as conn:
        log("VACUUM ANALYZE")
        conn.execute("VACUUM ANALYZE")


def build_sqlite(investments, supersedes):
    """The same investments as one flat table, `counted` precomputed, indexed like PostgreSQL."""
    SQLITE_PATH.unlink(missing_ok=True)
    superseded = {old for _, old in supersedes}
    db = sqlite3.connect(SQLITE_PATH)
    db.execute(
        "CREATE TABLE investments (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, company TEXT, country TEXT, "
        "place TEXT, title TEXT, category TEXT, status TEXT, amount_eur REAL, amount_usd REAL, "
        "announced_on TEXT, figure_source TEXT, not_counted_reason TEXT, confidence TEXT, part_of INTEGER, "
        "counted INTEGER)"
    )
    db.executemany(
        "INSERT INTO investments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                pk,
                ref,
                COMPANIES[company][0],
                country,
                place,
                title,
                cat,
                status,
                eur,
                usd,
                day.isoformat(),
                fig,
                reason,
                conf,
                part,
                int(part is None and not reason and pk not in superseded),
            )
            for pk, ref, company, country, place, title, cat, status, eur, usd, day, fig, reason, conf, part in investments
        ),
    )
    db.execute("CREATE INDEX inv_country_date ON investments (country, announced_on DESC)")
    db.execute("CREATE INDEX inv_country_company_date ON investments (country, company, announced_on DESC)")
    db.execute("CREATE INDEX inv_date ON investments (announced_on DESC)")
    db.commit()
    db.execute("ANALYZE")
    db.close()


def databases_exist(env):
    try:
        with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
            count = conn.execute("SELECT count(*) FROM investments_investment").fetchone()[0]
    except psycopg.OperationalError:
        return False
    return count == ROWS and SQLITE_PATH.exists()


# --- Serving and measuring ----------------------------------------------------------------------


def warm(url, times=10):
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
            response.read()


def alone(url, times=3):
    """Median milliseconds of one request at a time: what a single client waits, load aside."""
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        warm(url, 1)
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)[len(timings) // 2]


def cpu_seconds(servers):
    """CPU time (user and system) spent so far by each kind of process: "server" (the process groups
    of `servers`, their leaders' pids), "PostgreSQL" and "Redis" (every process of theirs). Linux /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent = dict.fromkeys(["server", "PostgreSQL", "Redis"], 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        kind = (
            "server" if int(fields[2]) in servers
            else "PostgreSQL" if command.startswith(b"postgres")
            else "Redis" if command.startswith(b"redis-server")
            else None
        )  # fmt: skip
        if kind:
            spent[kind] += (int(fields[11]) + int(fields[12])) / ticks
    return spent


def cpu_per_request(url, server_pid, seconds=10):
    """Milliseconds of CPU one request costs each kind of process, requests sent one at a time over one
    client connection, reopened when the server closes it (up to CPU_REQUESTS, or `seconds`). Unlike throughput, this hardly depends on
    what else the machine does: it says where the work goes."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    path = f"{parts.path}?{parts.query}"
    before, sent, started = cpu_seconds({server_pid}), 0, time.monotonic()
    while sent < CPU_REQUESTS and (sent < 3 or time.monotonic() - started < seconds):
        # A client address of its own per request, as wrk's, so the throttle never refuses one.
        connection.request(
            "GET", path, headers={"X-Forwarded-For": f"10.1.{sent // 250 % 250}.{sent % 250 + 1}"}
        )
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        sent += 1
    connection.close()
    after = cpu_seconds({server_pid})
    spent = {kind: (after[kind] - before[kind]) * 1000 / sent for kind in before}
    return {**spent, "total": sum(spent.values()), "requests": sent}


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url, script, seconds):
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        script,
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    load = os.getloadavg()[0]  # the last minute's, mostly this run's: a busy machine shows here
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = int(errors.group(1)) if errors else 0
    if socket_errors := re.search(r"Socket errors: (.*)", output):
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "load": load, "seconds": seconds}


def wait_idle(server_pids, timeout=60):
    """Wait until no query runs in the benchmark database and the servers have stopped working: wrk
    stops sending when its time is up, but requests it left in flight (a cold aggregate takes seconds;
    Datasette goes on running the SQL of a request whose client has gone) would still run into the next
    measurement and be charged to another server."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(f"{POSTGRES}/{DATABASE}", autocommit=True) as conn:
        while time.monotonic() < deadline:
            (active,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                (DATABASE,),
            ).fetchone()
            if not active:
                break
            time.sleep(0.2)
    while time.monotonic() < deadline:
        before = cpu_seconds(server_pids)["server"]
        time.sleep(0.5)
        if cpu_seconds(server_pids)["server"] - before < 0.05:  # under 10% of one core
            return


def duration(single_ms):
    """Seconds of a wrk run: DURATION, or long enough for about 20 requests of a slow endpoint (a cold
    aggregate), at most a minute."""
    return max(DURATION, min(60, round(20 * single_ms / 1000)))


def api_env(cache_seconds, count_cache_seconds=0):
    env = {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-a-secret",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "API_CACHE_SECONDS": str(cache_seconds),
        "API_COUNT_CACHE_SECONDS": str(count_cache_seconds),
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("API_ANON_RATE", None)  # the production default
    env.pop("API_NUM_PROXIES", None)  # X-Forwarded-For read whole: the random addresses of WRK_SCRIPT
    return env


def gunicorn(env, port):
    command = gunicorn_command(port, "--workers", str(WORKERS), "--log-level", "warning")
    return start(command, env, f"http://127.0.0.1:{port}/")


def datasette():
    command = [
        str(BIN / "datasette"), "serve", "-i", str(SQLITE_PATH), "-h", "127.0.0.1", "-p", str(DATASETTE_PORT),
        "--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "20000",
    ]  # fmt: skip
    return start(command, {**os.environ}, f"http://127.0.0.1:{DATASETTE_PORT}/")


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # BENCH_API_REDIS_URL is a database of its own


def measure(script):
    """Every server up at once, wrk runs alternating between them round after round, so that each
    sees the same machine: on a shared machine the load changes by the minute."""
    flush_redis()
    servers = {"datasette": (datasette(), DATASETTE_PORT)}
    try:
        for mode, seconds, count_seconds in MODES:
            port = free_port()
            servers[mode] = (gunicorn(api_env(seconds, count_seconds), port), port)
        runs = {}
        for name, api_path, datasette_path in ENDPOINTS:
            single, cpu = {}, {}
            for mode, (process, port) in servers.items():
                url = f"http://127.0.0.1:{port}{datasette_path if mode == 'datasette' else api_path}"
                warm(url, 3 if mode == "datasette" else 3 * WORKERS)
                single[mode] = alone(url)
                cpu[mode] = cpu_per_request(url, process.pid)
            for round_ in range(ROUNDS):
                log(f"{name}: round {round_ + 1} of {ROUNDS}")
                for mode, (_, port) in servers.items():
                    url = f"http://127.0.0.1:{port}{datasette_path if mode == 'datasette' else api_path}"
                    runs.setdefault((name, mode), []).append(
                        {
                            **wrk(url, script, duration(single[mode])),
                            "url": url,
                            "alone": single[mode],
                            "cpu": cpu[mode],
                        }
                    )
                    wait_idle({process.pid for process, _ in servers.values()})
    finally:
        for process, _ in servers.values():
            stop(process)
    # The median run by requests per second stands for the server; every run is kept for the record.
    Path(tempfile.gettempdir(), "bench_api_runs.json").write_text(
        json.dumps({f"{k[0]} | {k[1]}": v for k, v in runs.items()}, indent=1)
    )
    return {key: sorted(values, key=lambda r: r["rps"])[len(values) // 2] for key, values in runs.items()}


def report(results):
    print(
        f"\n## API at {ROWS:,} investments (PostgreSQL, gunicorn {WORKERS} workers x 4 threads) vs Datasette (SQLite)\n"
    )
    print(
        f"wrk -t2 -c{CONNECTIONS} -d{DURATION}s (longer for a slow endpoint: about 20 requests' time, up to 60 s) --timeout 30s --latency, loopback, {os.cpu_count()} cores; "
        f"the four servers up together, {ROUNDS} alternating rounds, the median round shown; "
        "load: the 1-minute load average after that run. Cold: nothing cached (API_CACHE_SECONDS=0, "
        "API_COUNT_CACHE_SECONDS=0); counts cached: the page counts kept in Redis per data version; "
        "warm: the rendered responses too. One request: the median time of a request sent alone.\n"
    )
    print(
        "| endpoint | server | command | req/s | p50 ms | p99 ms | x Datasette | one request ms | errors | load |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    failures = []
    for name, _, _ in ENDPOINTS:
        base = results[(name, "datasette")]["rps"]
        for mode in ["datasette"] + [m for m, _, _ in MODES]:
            r = results[(name, mode)]
            ratio = r["rps"] / base if base else float("inf")
            command = f"`wrk -c{CONNECTIONS} -d{r['seconds']}s {r['url'].split(':', 2)[2].split('/', 1)[1]}`"
            print(
                f"| {name} | {mode if mode != 'datasette' else 'Datasette'} | {command} | {r['rps']:,.0f} | "
                f"{r['p50']:.1f} | {r['p99']:.1f} | {ratio:.1f} | {r['alone']:.0f} | {r['errors']} | {r['load']:.1f} |"
            )
            if mode == "warm" and (ratio < 5 or r["p99"] > 50):
                failures.append(f"{name} warm: {ratio:.1f}x, p99 {r['p99']:.1f} ms")
            if mode.startswith("cold") and ratio < 1:
                failures.append(f"{name} cold: {ratio:.1f}x Datasette")
    print(
        "\nCPU per request: requests sent one at a time, the CPU time (ms) each costs the server's processes, "
        "PostgreSQL's and Redis' (Datasette reads SQLite in its own process).\n"
    )
    print("| endpoint | server | requests | server ms | PostgreSQL ms | Redis ms | total ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, _, _ in ENDPOINTS:
        for mode in ["datasette"] + [m for m, _, _ in MODES]:
            c = results[(name, mode)]["cpu"]
            print(
                f"| {name} | {mode if mode != 'datasette' else 'Datasette'} | {c['requests']} | {c['server']:.2f} | "
                f"{c['PostgreSQL']:.2f} | {c['Redis']:.2f} | {c['total']:.2f} |"
            )
    print("\nTargets: warm >= 5x Datasette with p99 <= 50 ms; cold never behind Datasette.")
    print("Result: " + ("all met." if not failures else "NOT MET: " + "; ".join(failures)))
    return results


def main():
    if not shutil.which("wrk"):
        print("bench_api: wrk is not installed (apt-get install -y wrk); skipped.")
        return
    env = api_env(0)
    if KEEP and databases_exist(env):
        log("reusing the databases of the last run")
    else:
        log(f"generating {ROWS:,} investments")
        investments, supersedes, covers = generate(ROWS)
        build_postgres(env, investments, supersedes, covers)
        log("SQLite copy")
        build_sqlite(investments, supersedes)
        del investments
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        results = measure(script.name)
        report(results)
        Path(tempfile.gettempdir(), "bench_api.json").write_text(
            json.dumps({f"{k[0]} | {k[1]}": v for k, v in results.items()}, indent=1)
        )
    finally:
        os.unlink(script.name)
        if not KEEP:
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            SQLITE_PATH.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
