"""The dataset Celery task: retried after a transient database error, run on a real worker in CI."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.db import OperationalError

from ingest import dataset_pipeline, tasks
from ingest.models import IngestRun
from investments.models import Announcement, Investment
from tests.factories import IngestRunFactory
from tests.worker import celery_worker


@pytest.mark.django_db
def test_task_retried_after_transient_database_error_completes_once(dataset_dir):
    real_load = dataset_pipeline.load_dataset
    calls = []

    def flaky_load(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_load(*args, **kwargs)

    with mock.patch.object(dataset_pipeline, "load_dataset", flaky_load):
        # throw=False: let apply() run the retry in-process, as a worker would run it again.
        result = tasks.ingest_dataset.apply(args=[str(dataset_dir)], throw=False)

    assert result.successful(), result.traceback
    assert len(calls) == 2
    assert Investment.objects.count() == 8
    assert Announcement.objects.count() == 8
    statuses = list(IngestRun.objects.order_by("started").values_list("status", flat=True))
    assert statuses == [IngestRun.Status.FAILED, IngestRun.Status.SUCCEEDED]


@pytest.mark.django_db
def test_run_left_running_by_a_killed_worker_is_closed_when_the_task_is_delivered_again(dataset_dir):
    # What a worker killed mid-load leaves behind: its run, still `running`, under the task's id.
    lost = IngestRun.objects.start("dataset", str(dataset_dir), "task-1")
    other = IngestRun.objects.start("dataset", str(dataset_dir), "task-2")
    run = dataset_pipeline.ingest_dataset(dataset_dir, task_id="task-1")
    lost.refresh_from_db()
    other.refresh_from_db()
    assert run.status == IngestRun.Status.SUCCEEDED
    assert lost.status == IngestRun.Status.FAILED and lost.finished is not None
    assert "worker lost" in lost.errors[0]
    assert other.status == IngestRun.Status.RUNNING  # another task's run is not this one's to close


@pytest.mark.django_db
def test_task_reports_refusal_without_retrying(dataset_dir):
    (dataset_dir / "investments.csv").write_text("not,a,dataset\n")
    result = tasks.ingest_dataset.apply(args=[str(dataset_dir)])
    assert result.successful()
    assert result.result["status"] == "refused"
    assert any("header" in error for error in result.result["errors"])
    assert IngestRun.objects.get().status == IngestRun.Status.REFUSED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_dataset_task_runs_on_a_real_worker(dataset_dir):
    with celery_worker() as worker:
        result = tasks.ingest_dataset.apply_async(args=[str(dataset_dir)], queue=worker.queue)
        summary = result.get(timeout=120)
    assert summary["status"] == "succeeded"
    assert summary["counts"]["created"] == 8
    assert Investment.objects.count() == 8
    assert Investment.objects.get(ref="T-AWS-ES-02").supersedes.get().ref == "T-AWS-ES-01"
    run = IngestRun.objects.get()
    assert run.task_id == result.id


def test_dataset_ingest_runs_under_the_configured_time_limits():
    probe = (
        "import django; django.setup(); from config.celery import app; from ingest.tasks import ingest_dataset; "
        "print(ingest_dataset.time_limit, ingest_dataset.soft_time_limit)"
    )
    env = {**os.environ, "CELERY_TASK_TIME_LIMIT": "99", "CELERY_TASK_SOFT_TIME_LIMIT": "88"}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["99", "88"], result.stderr


@pytest.mark.django_db
def test_runs_left_running_past_every_time_limit_are_closed_by_the_periodic_task():
    """A run whose worker died stayed `running` until its message came again, forever if it was lost."""
    from datetime import timedelta

    from django.utils import timezone

    from ingest.schedule import BEAT_SCHEDULE

    now = timezone.now()
    abandoned = IngestRunFactory(task_id="t-1", started=now - timedelta(hours=2))
    recent = IngestRunFactory(task_id="t-2", started=now - timedelta(minutes=10))
    by_command = IngestRunFactory(task_id="", started=now - timedelta(hours=2))  # no time limit
    done = IngestRunFactory(
        task_id="t-3", started=now - timedelta(hours=3), status=IngestRun.Status.SUCCEEDED
    )
    assert tasks.close_abandoned_runs.apply().get() == {"closed": 1}
    abandoned.refresh_from_db()
    assert abandoned.status == IngestRun.Status.FAILED and abandoned.finished is not None
    assert "abandoned" in abandoned.errors[0]
    for run, status in ((recent, "running"), (by_command, "running"), (done, "succeeded")):
        run.refresh_from_db()
        assert run.status == status
    assert any(entry["task"] == "ingest.tasks.close_abandoned_runs" for entry in BEAT_SCHEDULE.values())
