"""gunicorn's settings, shared by every way the site is served: docker-compose, the Dockerfile,
`make serve` and the benchmarks (`gunicorn config.wsgi -c config/gunicorn.py --bind ...`).

Threaded workers with keep-alive: API clients (pandas, scripts, browsers) send several requests over
one connection, which the sync worker closes after each answer; a request mostly waits on PostgreSQL
or Redis, during which another thread of the same worker runs. gunicorn's own WEB_CONCURRENCY sets the
number of worker processes (default: one per core).
"""

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
threads = 4
keepalive = 5
# A client that sends nothing for this long is dropped; a slow export keeps streaming.
timeout = 60
graceful_timeout = 20


def post_worker_init(worker):
    # Everything loaded so far (Django, the URL conf, the apps) lives as long as the worker: moved out of
    # the garbage collector's view, so that a full collection does not scan it in the middle of a request.
    gc.freeze()
