"""The whole chain on a real Celery worker with Redis: poll -> fetch -> extract -> reconcile -> rows."""

from datetime import date
from decimal import Decimal

import pytest

from ingest.models import Article, Candidate, IngestRun, Source
from ingest.tasks import poll_source
from investments.models import Announcement
from tests.factories import InvestmentFactory, SourceFactory, country
from tests.ingest.news.conftest import make_companies
from tests.ingest.news.test_news import serve_sample_feed
from tests.worker import celery_worker, skip_unless_worker_possible


@pytest.mark.worker
# Committed rows (the worker is another process); the seeded countries and sources come back afterwards,
# so the transactional tests that follow still find them.
@pytest.mark.django_db(transaction=True)
def test_poll_task_on_a_real_worker_fills_the_review_queue(server):
    skip_unless_worker_possible()
    companies = make_companies()
    spain = InvestmentFactory(
        ref="MS-ES-01",
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        currency="EUR",
        announced_on=date(2024, 2, 19),
    )
    Source.objects.all().delete()
    source = SourceFactory(name="Local Wire", url=server.url("/feed.xml"), language="en")
    serve_sample_feed(server)

    # The worker is a process of its own: it must be told that the feed's loopback server may be read.
    env = {"NEWS_FETCH_TIMEOUT": "5", "NEWS_FETCH_RETRIES": "1", "NEWS_ALLOW_PRIVATE_ADDRESSES": "1"}
    with celery_worker(env=env) as worker:
        result = poll_source.apply_async(args=[source.pk], queue=worker.queue, ignore_result=False)
        outcome = result.get(timeout=120)

    assert outcome["status"] == IngestRun.Status.SUCCEEDED, outcome
    run = IngestRun.objects.get(source="Local Wire")
    assert run.task_id == result.id and run.counts["fetched"] == 3
    assert Article.objects.count() == 3
    # Microsoft's EUR 2bn in Spain is the known EUR 1.95bn: another source of it.
    assert spain.announcements.filter(url=server.url("/articles/microsoft-spain")).exists()
    assert Candidate.objects.get(company__slug="microsoft").status == Candidate.Status.MERGED
    # AWS's EUR 1.2bn in France is new: it waits for a curator.
    aws = Candidate.objects.get(company__slug="aws")
    assert (aws.status, aws.country.iso2, aws.amount) == (
        Candidate.Status.PENDING,
        "FR",
        Decimal("1200000000.00"),
    )
    assert not Announcement.objects.filter(url=server.url("/articles/aws-france")).exists()
    source.refresh_from_db()
    assert source.last_status.startswith("OK: 4 items, 3 new articles")
