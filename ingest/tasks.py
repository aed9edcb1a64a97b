"""Celery tasks: each one call to a pipeline function; the decorator carries retries and limits.

The dataset ingest runs under CELERY_TASK_TIME_LIMIT and CELERY_TASK_SOFT_TIME_LIMIT (settings); the
news and FX tasks set shorter limits of their own, since a poll that hangs must not hold a worker long.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ingest import dataset_pipeline, fx, news
from ingest.fetch import TransientFetchError
from ingest.models import IngestRun

# Only errors that a later attempt can cure are retried; invalid input is refused once.
TRANSIENT_DB = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_DB,
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=5,
    acks_late=True,
)
def ingest_dataset(self, path: str | None = None) -> dict:
    try:
        run = dataset_pipeline.ingest_dataset(path, task_id=self.request.id or "")
    except dataset_pipeline.DatasetRefused as refused:
        return {"status": "refused", "errors": refused.errors}
    return {"run": run.pk, "status": run.status, "counts": run.counts}


@shared_task(
    bind=True,
    autoretry_for=(*TRANSIENT_DB, TransientFetchError),
    retry_backoff=60,
    max_retries=3,
    time_limit=300,
    expires=6 * 3600,
)
def refresh_fx(self) -> dict:
    run = fx.refresh_fx_history(task_id=self.request.id or "")
    return {"run": run.pk, "status": run.status, "counts": run.counts}


# The news tasks record their outcome in IngestRun and Source; their return values are only for logs,
# so they store no result (and enqueueing one needs no result backend).
@shared_task(time_limit=60, expires=240, ignore_result=True)
def poll_due_sources() -> dict:
    """Enqueue a poll of each enabled source whose interval has elapsed."""
    claimed = news.claim_due_sources()
    for pk in claimed:
        poll_source.delay(pk)
    return {"enqueued": len(claimed)}


@shared_task(
    bind=True,
    autoretry_for=(*TRANSIENT_DB, TransientFetchError),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=3,
    soft_time_limit=540,
    time_limit=600,
    expires=3600,
    acks_late=True,
    ignore_result=True,
)
def poll_source(self, source_id: int) -> dict:
    run = news.poll_source(source_id, task_id=self.request.id or "")
    return {"run": run.pk, "status": run.status, "counts": run.counts, "errors": run.errors}


@shared_task(time_limit=60, expires=600, ignore_result=True)
def close_abandoned_runs() -> dict:
    """Close the runs of tasks that can no longer be running: started longer ago than the longest
    time limit of a task that records a run (a minute's margin for a worker's clock)."""
    longest = max(
        task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for task in (ingest_dataset, refresh_fx, poll_source)
    )
    return {"closed": IngestRun.objects.close_abandoned(timedelta(seconds=longest + 60))}
