"""Serving under load while the dataset is re-ingested: gunicorn + PostgreSQL + Redis on loopback.

    make bench                       # every benchmark
    .venv/bin/python -m benchmarks load

Builds a scratch database (bench_load, dropped at the end) holding a generated dataset, serves it with
gunicorn, and for BENCH_LOAD_SECONDS (60) runs BENCH_LOAD_CLIENTS (8) client threads, each requesting
in turn the investment list, the by-country stats and a CSV export, while a loop re-runs
`manage.py ingest dataset` on two versions of the dataset that differ in every record's amount,
country and date (so every run rewrites every row, in one transaction, and bumps the data version).

A round lasts BENCH_LOAD_SECONDS, or longer when no ingest has committed under load by then (on a busy
machine one run can outlast the window), so that readers always meet a commit. Reports, per endpoint,
requests, p50 and p99 latency (the median over BENCH_ROUNDS rounds) and errors: any answer other than
200, any connection error, and any list whose count is not the full dataset (a reader seeing a
half-loaded dataset). Every ingest run must succeed.

Environment: BENCH_LOAD_ROWS (investments, 2000: small enough for several ingests to commit in a
round), BENCH_LOAD_SECONDS (60), BENCH_LOAD_CLIENTS (8), BENCH_ROUNDS (3), BENCH_WORKERS (gunicorn
workers; by default as in production, config/gunicorn.py), BENCH_POSTGRES (server URL, postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL
(redis://127.0.0.1:6379/14: a database of its own, flushed at the start).
"""

import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.serving import ROOT, free_port, gunicorn_command, gunicorn_workers, start, stop

ROWS = int(os.environ.get("BENCH_LOAD_ROWS", 2_000))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", 60))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", 8))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
WORKERS = gunicorn_workers("BENCH_WORKERS")
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DATABASE = "bench_load"
ENDPOINTS = {
    "list": "/api/v1/investments/?page_size=50",
    "stats": "/api/v1/stats/?by=country",
    "csv": "/api/v1/investments/?format=csv&country=ES",
}


def log(message):
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def server_env():
    return {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-a-secret-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "CONN_MAX_AGE": "60",
        # Every client comes from 127.0.0.1: keep the throttle's work, not its refusals.
        "API_ANON_RATE": "10000000/minute",
        "LOG_LEVEL": "WARNING",
    }


def admin_sql(sql):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
    )


# --- Serving ------------------------------------------------------------------------------------


def start_gunicorn(env, port):
    command = gunicorn_command(port, "--workers", str(WORKERS), "--timeout", "120", "--log-level", "warning")
    return start(command, env, f"http://127.0.0.1:{port}/api/v1/", seconds=120)


def request(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- Load ---------------------------------------------------------------------------------------


class Ingests(threading.Thread):
    """Re-ingests the dataset versions `folders` yields in turn until stopped; records each run."""

    def __init__(self, env, folders):
        super().__init__(daemon=True)
        self.env, self.folders, self.stopped = env, folders, threading.Event()
        self.runs = []  # (seconds, returncode, summary line, finished at)

    def run(self):
        while not self.stopped.is_set():
            start = time.monotonic()
            result = manage(self.env, "ingest", "dataset", str(next(self.folders)))
            lines = (result.stdout + result.stderr).strip().splitlines()
            summary = next(
                (line for line in lines if line.startswith("investments:")), lines[-1] if lines else ""
            )
            self.runs.append((time.monotonic() - start, result.returncode, summary, time.monotonic()))


def client(port, stop, results, errors, lock):
    names = list(ENDPOINTS)
    turn = 0
    while not stop.is_set():
        name = names[turn % len(names)]
        turn += 1
        start = time.perf_counter()
        try:
            status, body = request(port, ENDPOINTS[name])
        except OSError as exc:
            status, body = 0, str(exc).encode()
        elapsed = time.perf_counter() - start
        problem = None
        if status != 200:
            problem = f"HTTP {status}: {body[:200]!r}"
        elif name == "list" and json.loads(body)["count"] != ROWS:
            problem = f"partial data: count {json.loads(body)['count']} of {ROWS}"
        with lock:
            results[name].append(elapsed)
            if problem:
                errors[name].append(problem)


def one_round(env, port, folders):
    """SECONDS of load with the ingest looping; longer if no ingest has committed under load by then
    (on a busy machine one run can outlast the window), so that readers always meet a commit."""
    results, errors, lock, stop = defaultdict(list), defaultdict(list), threading.Lock(), threading.Event()
    ingests = Ingests(env, folders)
    ingests.start()
    start = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(port, stop, results, errors, lock)) for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    while time.monotonic() < start + SECONDS or (
        not any(run[1] == 0 for run in ingests.runs) and time.monotonic() < start + 10 * SECONDS
    ):
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    end = time.monotonic()
    ingests.stopped.set()
    ingests.join()
    runs = [(*run, run[3] <= end) for run in ingests.runs]  # + committed while the clients ran
    return results, errors, runs, end - start


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


# --- Main ---------------------------------------------------------------------------------------


def main():
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import dataset_files

    env = server_env()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # BENCH_REDIS_URL is a database of its own
    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
    admin_sql(f"CREATE DATABASE {DATABASE}")
    gunicorn = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folders = [Path(tmp) / "a", Path(tmp) / "b"]
            for seed, folder in enumerate(folders, start=7):
                folder.mkdir()
                dataset_files(folder, ROWS, seed=seed)
            log(f"migrate and load {ROWS:,} investments")
            for args in (("migrate", "--noinput"), ("ingest", "dataset", str(folders[0]))):
                result = manage(env, *args)
                if result.returncode:
                    raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
            port = free_port()
            gunicorn = start_gunicorn(env, port)
            versions = itertools.cycle([folders[1], folders[0]])  # the first is loaded already
            rounds = []
            for number in range(1, ROUNDS + 1):
                log(f"round {number}/{ROUNDS}: {CLIENTS} clients for {SECONDS} s, ingest looping")
                rounds.append(one_round(env, port, versions))
    finally:
        if gunicorn:
            stop(gunicorn, timeout=30)
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
    report(rounds)


def report(rounds):
    print(
        f"\n## Load while ingesting: {CLIENTS} clients x {SECONDS} s, {ROWS:,} investments re-ingested in a loop\n"
    )
    windows = ", ".join(f"{seconds:.0f}" for _, _, _, seconds in rounds)
    print(
        f"gunicorn {WORKERS} sync workers (config/gunicorn.py) + PostgreSQL + Redis on loopback, {os.cpu_count()} cores; each client "
        f"requests the three endpoints in turn. Rounds of {windows} s (past {SECONDS} s only to wait for an "
        f"ingest to commit under load). Latencies: the median over {ROUNDS} rounds of each round's "
        "percentile.\n"
    )
    print("| endpoint | path | requests (all rounds) | p50 ms | p99 ms | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    failures = []
    for name, path in ENDPOINTS.items():
        p50 = statistics.median(percentile(r[name], 0.50) for r, _, _, _ in rounds)
        p99 = statistics.median(percentile(r[name], 0.99) for r, _, _, _ in rounds)
        count = sum(len(r[name]) for r, _, _, _ in rounds)
        errors = [e for _, errs, _, _ in rounds for e in errs[name]]
        print(f"| {name} | `{path}` | {count:,} | {p50:.0f} | {p99:.0f} | {len(errors)} |")
        failures += [f"{name}: {e}" for e in errors[:5]]
    runs = [run for _, _, runs, _ in rounds for run in runs]
    failed_runs = [run for run in runs if run[1] != 0]
    durations = [run[0] for run in runs if run[1] == 0]
    committed = sum(1 for run in runs if run[4] and run[1] == 0)
    print(
        f"\nIngest runs: {len(runs)} ({len(failed_runs)} failed), {committed} of them committed while the "
        f"clients ran; median {statistics.median(durations) if durations else 0:.0f} s each under load. "
        "Each run's report:\n"
    )
    for seconds, code, summary, _, during in runs:
        print(
            f"- {seconds:.0f} s, exit {code}{'' if during else ' (finished after the clients stopped)'}: {summary}"
        )
    failures += [f"ingest: {run[2]}" for run in failed_runs[:5]]
    print("\nResult: " + ("no error." if not failures else "ERRORS: " + "; ".join(failures)))


if __name__ == "__main__":
    main()
