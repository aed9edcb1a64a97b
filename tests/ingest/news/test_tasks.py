"""The Celery tasks: the periodic tick enqueues due sources; a poll retries transient errors only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from ingest import tasks
from ingest.fetch import PermanentFetchError, TransientFetchError
from ingest.models import Article, IngestRun, Source
from ingest.schedule import BEAT_SCHEDULE
from tests.factories import SourceFactory
from tests.ingest.news.conftest import Reply
from tests.ingest.news.test_news import RSS, rss, text_of

pytestmark = pytest.mark.django_db


def test_poll_due_sources_enqueues_each_due_source_once(source, monkeypatch):
    Source.objects.filter(pk=source.pk).update(
        last_polled=timezone.now() - timedelta(minutes=5), poll_minutes=60
    )
    due = SourceFactory(last_polled=None)
    SourceFactory(enabled=False)
    enqueued = []
    monkeypatch.setattr(tasks.poll_source, "delay", enqueued.append)
    assert tasks.poll_due_sources.apply().get() == {"enqueued": 1}
    assert enqueued == [due.pk]
    assert tasks.poll_due_sources.apply().get() == {"enqueued": 0}  # claimed: the next tick skips it


def test_poll_source_task_retries_a_transient_feed_error_then_succeeds(server, source, companies, settings):
    settings.NEWS_FETCH_RETRIES = 0  # leave the retry to Celery
    server.serve("/feed.xml", Reply(status=503), Reply(rss(server, "/articles/aws-france"), content_type=RSS))
    server.serve("/articles/aws-france", Reply(text_of("aws-france.html")))
    # throw=False: run as a worker would, where a retry is a new attempt rather than an exception.
    result = tasks.poll_source.apply(args=[source.pk], throw=False)
    assert result.successful(), result.traceback
    assert result.get()["status"] == IngestRun.Status.SUCCEEDED
    assert server.hits("/feed.xml") == 2
    assert list(IngestRun.objects.order_by("started").values_list("status", flat=True)) == [
        "failed",
        "succeeded",
    ]
    assert Article.objects.count() == 1


def test_poll_source_task_does_not_retry_a_permanent_error(server, source):
    result = tasks.poll_source.apply(args=[source.pk])  # 404
    assert result.successful()
    assert result.get()["status"] == IngestRun.Status.FAILED
    assert server.hits("/feed.xml") == 1


def test_tasks_carry_retries_for_transient_errors_only_and_limits():
    poll = tasks.poll_source
    assert TransientFetchError in poll.autoretry_for
    assert not any(issubclass(PermanentFetchError, kind) for kind in poll.autoretry_for)
    assert poll.retry_backoff and poll.max_retries
    assert poll.time_limit and poll.soft_time_limit < poll.time_limit
    assert poll.expires and tasks.poll_due_sources.expires
    assert not any(issubclass(PermanentFetchError, kind) for kind in tasks.refresh_fx.autoretry_for)


def test_beat_polls_due_sources_every_five_minutes():
    entry = BEAT_SCHEDULE["poll-due-news-sources"]
    assert entry["task"] == "ingest.tasks.poll_due_sources" and entry["task"] in app.tasks
    assert entry["schedule"].minute == set(range(0, 60, 5))
