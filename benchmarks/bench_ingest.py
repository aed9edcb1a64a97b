"""Dataset ingest into PostgreSQL: 100,000 generated investments, then an unchanged re-run.

Targets (issue 3): first load <= 20 s, unchanged re-run <= 5 s. The peer measured in the same run is
PostgreSQL's own COPY of the same investment rows into a bare table: the floor any loader could reach.
Runs in a scratch database (bench_ingest) created and dropped here; needs PostgreSQL on DATABASE_URL's
server (default postgres://postgres@127.0.0.1:5432/test).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.synthetic import dataset_files

ROWS = int(os.environ.get("BENCH_INGEST_ROWS", 100_000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
ROOT = Path(__file__).resolve().parent.parent


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/test"


CHILD = r"""
import json, os, sys, time, django
django.setup()
from django.core.management import call_command
from django.db import connection
from ingest.dataset_pipeline import ingest_dataset
call_command("migrate", verbosity=0)
folder = sys.argv[1]
t, c = time.perf_counter(), time.process_time(); run = ingest_dataset(folder); first, first_cpu = time.perf_counter() - t, time.process_time() - c
assert run.counts["created"] == int(sys.argv[2]), run.counts
t, c = time.perf_counter(), time.process_time(); run = ingest_dataset(folder); second, second_cpu = time.perf_counter() - t, time.process_time() - c
assert run.counts["unchanged"] == int(sys.argv[2]) and run.counts["created"] == 0, run.counts
with connection.cursor() as cur:
    cur.execute("CREATE TEMP TABLE copy_peer (LIKE investments_investment INCLUDING DEFAULTS)")
    cols = "id, ref, company_id, country_id, place, title, category, status, amount, currency, announced_on, announced_precision, figure_source, not_counted_reason, confidence, notes, origin, record_hash, created, updated"
    cur.execute("SELECT " + cols + " FROM investments_investment")
    rows = cur.fetchall()
    t = time.perf_counter()
    with cur.copy("COPY copy_peer (" + cols + ") FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    peer = time.perf_counter() - t
print(json.dumps({"first": first, "rerun": second, "copy": peer, "first_cpu": first_cpu, "rerun_cpu": second_cpu, "load": os.getloadavg()[0]}))
"""


def psql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def one_round(folder: Path) -> dict:
    base = server_url().rsplit("/", 1)[0]
    psql(server_url(), "DROP DATABASE IF EXISTS bench_ingest")
    psql(server_url(), "CREATE DATABASE bench_ingest")
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"{base}/bench_ingest",
            "REDIS_URL": "",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.setdefault("SECRET_KEY", "bench-only")
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(folder), str(ROWS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            raise SystemExit(f"bench child failed:\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        psql(server_url(), "DROP DATABASE IF EXISTS bench_ingest")


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dataset_files(folder, ROWS)
        size = sum(f.stat().st_size for f in folder.iterdir())
        results = [one_round(folder) for _ in range(ROUNDS)]
    first = statistics.median(r["first"] for r in results)
    rerun = statistics.median(r["rerun"] for r in results)
    copy = statistics.median(r["copy"] for r in results)
    first_cpu = statistics.median(r["first_cpu"] for r in results)
    rerun_cpu = statistics.median(r["rerun_cpu"] for r in results)
    load = statistics.median(r["load"] for r in results)
    print(
        f"### Dataset ingest, {ROWS:,} investments + {ROWS:,} sources ({size / 1e6:.1f} MB of CSV), PostgreSQL\n"
    )
    print("Command: `make bench` (or `python -m benchmarks ingest`); median of", ROUNDS, "rounds.\n")
    print(
        f"Load average during the run: {load:.1f} on {os.cpu_count()} cores (wall time suffers from it; the"
    )
    print("loader process's own CPU time much less).\n")
    print("| measurement | median wall s | loader CPU s | target | wall vs COPY peer |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| first load (parse, validate, convert, insert) | {first:.2f} | {first_cpu:.2f} | <= 20 | {first / copy:.1f}x |"
    )
    print(f"| unchanged re-run | {rerun:.2f} | {rerun_cpu:.2f} | <= 5 | {rerun / copy:.1f}x |")
    print(f"| peer: COPY of the same investment rows into a bare table | {copy:.2f} | | | 1.0x |")
    print(f"\nAll rounds: {json.dumps(results)}")


if __name__ == "__main__":
    main()
