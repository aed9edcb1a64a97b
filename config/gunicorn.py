"""gunicorn's settings, shared by every way the site is served: docker-compose, the Dockerfile,
`make serve` and the benchmarks (`gunicorn config.wsgi -c config/gunicorn.py --bind ...`).

Threaded workers: a request mostly waits on PostgreSQL or Redis, during which another thread of the
same worker runs. gunicorn's own WEB_CONCURRENCY sets the number of worker processes (default: one per
core).
"""

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
threads = 4
# A worker takes only as many connections as it has threads, so that a new connection goes to a worker
# with a thread free. With gunicorn's default (1,000 a worker), connections kept alive piled up on one
# worker while the other idled, its GIL doing the work of two: six runs of the same 8-connection
# benchmark gave 74-109 requests a second, against 109-120 with this (docs/benchmarks.md). gthread keeps
# worker_connections - threads idle connections open, so it keeps none: each response closes its
# connection. On loopback the map page's first chart comes about 4% later, since the browser connects
# anew for each request; behind a proxy (TLS in production) the browser keeps its connections.
worker_connections = threads
# A client that sends nothing for this long is dropped; a slow export keeps streaming.
timeout = 60
graceful_timeout = 20


def post_worker_init(worker):
    # Everything loaded so far (Django, the URL conf, the apps) lives as long as the worker: moved out of
    # the garbage collector's view, so that a full collection does not scan it in the middle of a request.
    gc.freeze()
