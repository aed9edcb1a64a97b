"""Capacity read in the news: kept on the candidate, shown in the review queue, copied on approval."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ingest import reconcile
from tests.factories import ArticleFactory
from tests.ingest.news.test_reconcile import found

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:ingest_candidate_changelist")


def pending_with_capacity():
    decision = reconcile.reconcile(
        found(capacity_mw=1400.0, capacity_as_given="1,4 GW", gpus=18000, gpus_as_given="18 000 puces"),
        ArticleFactory(),
    )
    return decision.candidate


def test_candidate_keeps_the_capacity_read_in_the_article(companies):
    candidate = pending_with_capacity()
    assert (candidate.capacity_mw, candidate.capacity_as_given) == (Decimal("1400.0"), "1,4 GW")
    assert (candidate.gpus, candidate.gpus_as_given) == (18000, "18 000 puces")


def test_review_queue_shows_mw_and_gpus(admin_client, companies):
    candidate = pending_with_capacity()
    page = admin_client.get(QUEUE).content.decode()
    assert "1400 MW · 18,000 GPUs" in page
    form = admin_client.get(reverse("admin:ingest_candidate_change", args=[candidate.pk])).content.decode()
    assert 'name="capacity_mw"' in form and 'name="gpus_as_given"' in form


def test_approval_copies_the_capacity_with_the_article_as_its_source(companies):
    candidate = pending_with_capacity()
    investment = reconcile.approve(candidate)
    assert (investment.capacity_mw, investment.capacity_mw_as_given) == (Decimal("1400.0"), "1,4 GW")
    assert investment.capacity_mw_source == investment.gpus_source == candidate.article.url
    assert (investment.gpus, investment.gpus_as_given) == (18000, "18 000 puces")


def test_a_candidate_without_capacity_leaves_the_investment_without(companies):
    investment = reconcile.approve(reconcile.reconcile(found(), ArticleFactory()).candidate)
    assert (investment.capacity_mw, investment.capacity_mw_source, investment.gpus) == (None, "", None)
