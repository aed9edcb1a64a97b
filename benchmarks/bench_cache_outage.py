"""Cache reads while Redis is a black hole: config.cache_backend against django-redis's IGNORE_EXCEPTIONS.

    .venv/bin/python -m benchmarks cache_outage
    .venv/bin/pip install django-redis   # to compare (not a dependency of the project)

A Redis that drops packets (a network partition, a paused VM) is the costly outage: each call waits for
the socket timeout before it fails. The black hole here is a loopback socket that listens and never
reads, so connections open and every command waits. Each backend, in a fresh process, answers
BENCH_CACHE_READS (20) cache.get() calls with a socket timeout of BENCH_CACHE_TIMEOUT (1.0 s, the default
of settings.CACHE_SOCKET_TIMEOUT); the figure is the wall time of those reads, the median of
BENCH_ROUNDS (3). Both must answer every read as a miss.
"""

import importlib.util
import json
import os
import statistics
import subprocess
import sys

from benchmarks.serving import ROOT

READS = int(os.environ.get("BENCH_CACHE_READS", 20))
TIMEOUT = float(os.environ.get("BENCH_CACHE_TIMEOUT", 1.0))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))

BACKENDS = {
    "config.cache_backend (fail-soft, RETRY_AFTER pause)": {
        "BACKEND": "config.cache_backend.FailSoftRedisCache",
        "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT},
    },
    "django-redis, IGNORE_EXCEPTIONS": {
        "BACKEND": "django_redis.cache.RedisCache",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": TIMEOUT, "SOCKET_TIMEOUT": TIMEOUT, "IGNORE_EXCEPTIONS": True},
    },
}

READ = """
import json, logging, socket, sys, time
import django
from django.conf import settings
hole = socket.socket()
hole.bind(("127.0.0.1", 0))
hole.listen(1024)  # the kernel completes the handshake; nothing ever reads or answers
config = json.loads(sys.argv[1])
config["LOCATION"] = f"redis://127.0.0.1:{hole.getsockname()[1]}/0"
settings.configure(CACHES={"default": config})
django.setup()
logging.disable(logging.WARNING)
from django.core.cache import cache
reads = int(sys.argv[2])
start = time.monotonic()
answers = [cache.get(f"key-{i}", "miss") for i in range(reads)]
print(json.dumps({"seconds": time.monotonic() - start, "misses": answers.count("miss")}))
"""


def measure(config):
    runs = []
    for _ in range(ROUNDS):
        done = subprocess.run(
            [sys.executable, "-c", READ, json.dumps(config), str(READS)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60 + READS * TIMEOUT * 4,
        )
        result = json.loads(done.stdout)
        if result["misses"] != READS:
            raise SystemExit(f"{config['BACKEND']}: {result['misses']} of {READS} reads answered as a miss")
        runs.append(result["seconds"])
    return statistics.median(runs), min(runs), max(runs)


def main():
    print("## Cache reads with Redis black-holed\n")
    print(f"{READS} `cache.get()` calls, socket timeout {TIMEOUT:g} s, median of {ROUNDS} fresh processes.\n")
    print("| backend | wall time (median) | min | max |")
    print("|---|---|---|---|")
    for name, config in BACKENDS.items():
        if config["BACKEND"].startswith("django_redis") and importlib.util.find_spec("django_redis") is None:
            print(f"| {name} | not installed (`pip install django-redis`) | | |")
            continue
        median, low, high = measure(config)
        print(f"| {name} | {median:.2f} s | {low:.2f} s | {high:.2f} s |")
