"""A Celery worker killed (SIGKILL) in the middle of a dataset load: nothing of the load is visible, and
the same task, redelivered to the next worker, runs again to completion.

The load is one transaction (ingest.load.load_dataset), the task acknowledges late, and a message taken
by a worker that died unacknowledged goes back to its queue after the broker's visibility timeout
(CELERY_VISIBILITY_TIMEOUT, shortened here so that the test need not wait an hour).
"""

import signal
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from benchmarks.synthetic import dataset_files
from ingest import tasks
from ingest.models import IngestRun
from investments.models import Announcement, Company, Investment
from tests.worker import celery_worker

# Enough rows that the load's transaction stays open well past the moment it is seen writing, on an idle
# machine too (at 15,000 an idle CI machine once finished the load within half a second of that).
ROWS = 30_000
VISIBILITY_TIMEOUT = 5


def counts():
    return (Investment.objects.count(), Announcement.objects.count(), Company.objects.count())


def writing_transactions() -> int:
    """Other sessions on this database inside a transaction that has written to the investment tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query ILIKE '%investments\\_%'"
        )
        return cursor.fetchone()[0]


def wait_for(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_load_leaves_no_partial_data_and_the_task_completes_on_the_next_worker():
    env = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    with tempfile.TemporaryDirectory() as folder:
        dataset_files(Path(folder), ROWS)
        before = counts()
        with celery_worker(env) as first:
            result = tasks.ingest_dataset.apply_async(args=[folder], queue=first.queue)
            wait_for(lambda: writing_transactions() > 0, 120, f"the load never started:\n{first.output()}")
            # Killed as soon as it is seen writing: inside the load, whatever the machine's speed.
            assert writing_transactions() > 0, "the load finished before the kill; raise ROWS"
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(timeout=10)
            queue = first.queue
        # The database drops the dead session's transaction: nothing of it is visible, then or later.
        wait_for(lambda: writing_transactions() == 0, 30, "the killed worker's transaction is still open")
        assert counts() == before
        killed_run = IngestRun.objects.get(task_id=result.id)
        assert killed_run.status == IngestRun.Status.RUNNING  # recorded before the load; the process died
        time.sleep(VISIBILITY_TIMEOUT + 1)  # the message is due back to the queue
        with celery_worker(env, queue=queue) as second:
            wait_for(
                lambda: IngestRun.objects.filter(
                    task_id=result.id, status=IngestRun.Status.SUCCEEDED
                ).exists(),
                240,
                f"the task was not redelivered or did not complete:\n{second.output()}",
            )
    assert counts() == (ROWS, ROWS, before[2] + 40)
    finished = IngestRun.objects.get(task_id=result.id, status=IngestRun.Status.SUCCEEDED)
    assert finished.counts["created"] == ROWS
