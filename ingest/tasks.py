"""Celery tasks: each one call to a pipeline function; the decorator carries retries and limits."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from ingest import fx, pipeline
from ingest.fetch import FetchError

# Only errors that a later attempt can cure are retried; invalid input is refused once.
TRANSIENT_DB = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_DB,
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=1500,
    time_limit=1800,
    acks_late=True,
)
def ingest_dataset(self, path: str | None = None) -> dict:
    try:
        run = pipeline.ingest_dataset(path, task_id=self.request.id or "")
    except pipeline.DatasetRefused as refused:
        return {"status": "refused", "errors": refused.errors}
    return {"run": run.pk, "status": run.status, "counts": run.counts}


@shared_task(
    bind=True,
    autoretry_for=(*TRANSIENT_DB, FetchError),
    retry_backoff=60,
    max_retries=3,
    time_limit=300,
    expires=6 * 3600,
)
def refresh_fx(self) -> dict:
    run = fx.refresh_fx_history(task_id=self.request.id or "")
    return {"run": run.pk, "status": run.status, "counts": run.counts}
