"""gunicorn's settings, shared by every way the site is served: docker-compose, the Dockerfile,
`make serve` and the benchmarks (`gunicorn config.wsgi -c config/gunicorn.py --bind ...`).

Synchronous workers, (2 x cores) + 1 of them as gunicorn's documentation advises, because nginx stands
in front (config/nginx/tracker.conf.template): it reads each request whole before passing it on and
buffers each response, so a worker is only ever busy with the work of a request, never with a slow
client, which is what sync workers need. Threaded workers (2 x 4 threads, from November 2026) were for
API clients' keep-alive, which nginx now serves (it speaks HTTP/1.0 to gunicorn), and their hand-offs
between the polling thread and the request threads cost 0.5 ms of CPU a request more: a sixth of a
cold API list and 15% less throughput (docs/benchmarks.md, "Cold API lists"). A worker waiting on
PostgreSQL or Redis leaves its core to the others. gunicorn's own WEB_CONCURRENCY sets the number of
worker processes.

A request still running after `timeout` ends with its worker (a sync worker reports alive between
requests only). Long enough for the longest request that still answers: a CSV export of every record
streams for about 85 s at 1,000,000 records (60 s cut it short at 632,000 lines). A page computing
for more than 60 s without a byte has had its 504 from nginx by then (proxy_read_timeout).
"""

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"
timeout = 300
graceful_timeout = 20


def post_worker_init(worker):
    # Everything loaded so far (Django, the URL conf, the apps) lives as long as the worker: moved out of
    # the garbage collector's view, so that a full collection does not scan it in the middle of a request.
    gc.freeze()
