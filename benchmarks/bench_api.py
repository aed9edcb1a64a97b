"""The API at 1,000,000 investments: gunicorn + PostgreSQL against Datasette + SQLite on the same rows.

    make bench                      # every benchmark
    .venv/bin/python -m benchmarks api

Builds a throwaway PostgreSQL database (BENCH_API_DATABASE, dropped at the end) with generated
investments, sources and relations, and an SQLite copy of the same investments (one flat table, indexed
like the PostgreSQL one) for Datasette: benchmarks/synthetic.py makes both. Serves each on 127.0.0.1 and measures with wrk (8 connections): the
filtered list by country, by country and company, and the by-country totals. The API runs three ways:
cold (nothing cached: every request queries the database), counts cached (page counts kept in Redis
per data version) and warm (rendered responses kept too). All four servers run at once and the wrk
runs alternate between them for several rounds; the median round stands for each.

Throttling stays on at the production rate: wrk sends each request from one of 1,000 client addresses
(X-Forwarded-For, picked at random; the servers run as behind one proxy, API_NUM_PROXIES=1), so the throttle counts every request in Redis as usual without
refusing the benchmark (1,600 requests a second over 1,000 clients is 96 a minute each, under 600).
A new address for every request would instead create and expire a Redis key per request: at 1,600 a
second, Redis's expiry cycle then stalls every request that reads the cache, and some runs lose half
their throughput, which says something about Redis under key churn rather than about the API.

Environment: BENCH_API_ROWS (default 1000000), BENCH_API_DURATION (seconds per wrk run, 5),
BENCH_API_ROUNDS (3), BENCH_API_ENDPOINTS (some of the endpoints' names, separated by semicolons,
e.g. "list, country=ES;stats by=country"; all by default), BENCH_API_CONNECTIONS (8), BENCH_API_CPU_REQUESTS (requests sent one at a time to
measure the CPU each costs, 300, for at most 10 s per server), BENCH_API_WORKERS (gunicorn workers; by default as
in production, config/gunicorn.py),
BENCH_API_POSTGRES (server URL, postgres://postgres@127.0.0.1:5432), BENCH_API_DATABASE (the database's
name, bench_tracker; the SQLite copy is <temporary directory>/<name>.db), BENCH_API_REDIS_URL
(redis://127.0.0.1:6379/13: a database of its own), BENCH_API_KEEP=1 keeps the databases
for the next run, which then reuses them.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

from benchmarks import synthetic
from benchmarks.serving import BIN, ROOT, free_port, gunicorn_command, gunicorn_workers, start, stop

PYTHON = sys.executable
ROWS = int(os.environ.get("BENCH_API_ROWS", 1_000_000))
DURATION = int(os.environ.get("BENCH_API_DURATION", 5))
ROUNDS = int(os.environ.get("BENCH_API_ROUNDS", 3))
CONNECTIONS = int(os.environ.get("BENCH_API_CONNECTIONS", 8))
WORKERS = gunicorn_workers("BENCH_API_WORKERS")
POSTGRES = os.environ.get("BENCH_API_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_API_REDIS_URL", "redis://127.0.0.1:6379/13")
KEEP = os.environ.get("BENCH_API_KEEP") == "1"
CPU_REQUESTS = int(os.environ.get("BENCH_API_CPU_REQUESTS", 300))
# The PostgreSQL database and the SQLite file (Datasette names its database after the file's stem).
DATABASE = os.environ.get("BENCH_API_DATABASE", "bench_tracker")
SQLITE_PATH = Path(tempfile.gettempdir()) / f"{DATABASE}.db"


# Ports picked free at start: other servers may be running on this machine.
DATASETTE_PORT = free_port()

# The three equivalent queries: (name, API path, Datasette path).
SQL_BY_COUNTRY = (
    "select country, sum(amount_eur) as total, count(*) as count from investments "
    "where counted = 1 group by country order by total desc"
)
ENDPOINTS = [
    (
        "list, country=ES",
        "/api/v1/investments/?country=ES",
        f"/{DATABASE}/investments.json?country=ES&_sort_desc=announced_on&_size=50",
    ),
    (
        "list, country=ES & company=microsoft",
        "/api/v1/investments/?country=ES&company=microsoft",
        f"/{DATABASE}/investments.json?country=ES&company=microsoft&_sort_desc=announced_on&_size=50",
    ),
    (
        "stats by=country",
        "/api/v1/stats/?by=country",
        f"/{DATABASE}.json?" + urllib.parse.urlencode({"sql": SQL_BY_COUNTRY, "_shape": "array"}),
    ),
]
# BENCH_API_ENDPOINTS: some of the names above, separated by semicolons (all by default).
if os.environ.get("BENCH_API_ENDPOINTS"):
    wanted = [name.strip() for name in os.environ["BENCH_API_ENDPOINTS"].split(";")]
    ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint[0] in wanted]
    if len(ENDPOINTS) != len(wanted):
        raise SystemExit(f"BENCH_API_ENDPOINTS: unknown name among {wanted}")
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


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def build_postgres(env, investments, supersedes, covers):
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    log("migrate")
    manage("migrate", "--noinput", env=env)
    synthetic.copy_into_postgres(f"{POSTGRES}/{DATABASE}", investments, supersedes, covers, progress=log)


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
    # As behind one reverse proxy: the client is the X-Forwarded-For address, one of WRK_SCRIPT's (with
    # no proxy declared every request would come from 127.0.0.1, and be refused past 600 a minute).
    env["API_NUM_PROXIES"] = "1"
    return env


def gunicorn(env, port):
    command = gunicorn_command(port, "--workers", str(WORKERS), "--log-level", "warning")
    # Up once the health check answers: the map page adds up every investment on a cold start.
    return start(command, env, f"http://127.0.0.1:{port}/healthz/")


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
                warm(url, 3 if mode == "datasette" else 5 * WORKERS)
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
    Path(tempfile.gettempdir(), f"{DATABASE}_runs.json").write_text(
        json.dumps({f"{k[0]} | {k[1]}": v for k, v in runs.items()}, indent=1)
    )
    return {key: sorted(values, key=lambda r: r["rps"])[len(values) // 2] for key, values in runs.items()}


def report(results):
    print(
        f"\n## API at {ROWS:,} investments (PostgreSQL, gunicorn {WORKERS} sync workers) vs Datasette (SQLite)\n"
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
        investments, supersedes, covers = synthetic.investment_rows(ROWS)
        build_postgres(env, investments, supersedes, covers)
        log("SQLite copy")
        synthetic.flat_sqlite(SQLITE_PATH, investments, supersedes)
        del investments
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        results = measure(script.name)
        report(results)
        Path(tempfile.gettempdir(), f"{DATABASE}.json").write_text(
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
