"""The review queue in admin: approve, merge, reject; staff only; text shown as text."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ingest import reconcile
from ingest.models import Article, Candidate, Source
from investments.choices import Origin
from investments.models import Announcement, Investment
from tests.factories import ArticleFactory, InvestmentFactory, SourceFactory, country
from tests.ingest.news.test_reconcile import found

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:ingest_candidate_changelist")


def pending(company="microsoft", iso2="ES", amount=2_000_000_000, *, news=None, **kw):
    """A candidate as the reconciler proposes it, read in `news` (by default an article of its own)."""
    decision = reconcile.reconcile(found(company, iso2, amount, **kw), news or ArticleFactory())
    assert decision.outcome in (reconcile.Outcome.PENDING, reconcile.Outcome.DISCREPANCY)
    return decision.candidate


def action(client, name, *candidates, **extra):
    data = {"action": name, "_selected_action": [c.pk for c in candidates], **extra}
    return client.post(QUEUE, data, follow=True)


def test_approve_creates_a_news_investment_with_the_article_as_its_announcement(companies):
    candidate = pending(amount=2_100_000_000, currency="USD", place="Aragon")
    investment = reconcile.approve(candidate)
    assert investment.ref == "NEWS-MICROSOFT-ES-1"
    assert investment.origin == Origin.NEWS
    assert (investment.company.slug, investment.country.iso2, investment.place) == (
        "microsoft",
        "ES",
        "Aragon",
    )
    assert (investment.amount, investment.currency) == (Decimal("2100000000.00"), "USD")
    assert investment.announced_on == date(2024, 2, 19) and investment.fx_date == date(2024, 2, 19)
    assert Decimal("1900000000") < investment.amount_eur < Decimal("2000000000")
    assert investment.amount_usd == Decimal("2100000000.00")
    assert list(investment.announcements.values_list("url", flat=True)) == [candidate.article.url]
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.APPROVED and candidate.matched_investment == investment
    assert candidate.reviewed is not None


def test_approved_refs_count_up_per_company_and_country(companies):
    first = reconcile.approve(pending(amount=1_000_000_000))
    second = reconcile.approve(pending(amount=3_000_000_000, day=date(2024, 9, 1)))
    europe = reconcile.approve(pending(iso2=None, amount=5_000_000))
    assert (first.ref, second.ref, europe.ref) == (
        "NEWS-MICROSOFT-ES-1",
        "NEWS-MICROSOFT-ES-2",
        "NEWS-MICROSOFT-EU-1",
    )


def test_undated_candidate_is_approved_with_the_article_date(companies):
    investment = reconcile.approve(pending(day=None, news=ArticleFactory(published_on=date(2024, 2, 20))))
    assert investment.announced_on == date(2024, 2, 20)


def test_approving_makes_the_same_fact_from_other_articles_its_sources(companies):
    one, two = pending(), pending()
    investment = reconcile.approve(one)
    two.refresh_from_db()
    assert two.status == Candidate.Status.MERGED and two.matched_investment == investment
    assert investment.announcements.count() == 2


def test_settled_candidate_cannot_be_decided_again(companies):
    candidate = pending()
    reconcile.reject(candidate)
    with pytest.raises(reconcile.ReviewError, match="already rejected"):
        reconcile.approve(candidate)
    assert not Investment.objects.exists()


def test_merge_attaches_the_article_with_its_own_figure(companies):
    target = InvestmentFactory(
        company=companies["microsoft"], country=country("ES"), announced_on=date(2023, 1, 1)
    )
    candidate = pending()
    reconcile.merge(candidate, target)
    announcement = Announcement.objects.get(url=candidate.article.url)
    assert list(announcement.investments.all()) == [target]
    assert announcement.amount == Decimal("2000000000.00")
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.MERGED and candidate.matched_investment == target


def test_discrepancy_approved_as_new_leaves_the_investment_it_was_compared_with(companies):
    spain = InvestmentFactory(
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        announced_on=date(2024, 2, 19),
    )
    candidate = pending(amount=6_690_000_000)
    assert candidate.discrepancy and spain.announcements.count() == 1
    new = reconcile.approve(candidate)
    assert spain.announcements.count() == 0
    assert new.announcements.get().url == candidate.article.url


def test_discrepancy_merged_into_its_match_keeps_its_own_figure(companies):
    spain = InvestmentFactory(
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        announced_on=date(2024, 2, 19),
    )
    candidate = pending(amount=6_690_000_000)
    reconcile.merge(candidate, spain)
    assert spain.announcements.get().amount == Decimal("6690000000.00")


def test_rejected_discrepancy_is_no_longer_shown_as_a_source(companies):
    spain = InvestmentFactory(
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        announced_on=date(2024, 2, 19),
    )
    candidate = pending(amount=6_690_000_000)
    reconcile.reject(candidate)
    assert spain.announcements.count() == 0


# --- Admin ---------------------------------------------------------------------------------------


def test_queue_opens_on_pending_candidates(admin_client, companies):
    pending(evidence="Waiting for a curator.")
    reconcile.reject(pending(company="google", iso2="FR", evidence="Rejected by a curator."))
    page = admin_client.get(QUEUE).content.decode()
    assert "Waiting for a curator." in page and "Rejected by a curator." not in page
    everything = admin_client.get(QUEUE + "?queue=all").content.decode()
    assert "Waiting for a curator." in everything and "Rejected by a curator." in everything


def test_queue_pages_load(admin_client, companies):
    candidate = pending()
    for url in (
        QUEUE,
        QUEUE + "?queue=discrepancy",
        reverse("admin:ingest_candidate_change", args=[candidate.pk]),
        reverse("admin:ingest_article_changelist"),
        reverse("admin:ingest_article_change", args=[candidate.article.pk]),
        reverse("admin:ingest_source_changelist"),
        reverse("admin:ingest_source_add"),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_queue_is_staff_only(client, django_user_model, companies):
    candidate = pending()
    change = reverse("admin:ingest_candidate_change", args=[candidate.pk])
    assert client.get(QUEUE).status_code == 302
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    client.force_login(user)
    assert client.get(QUEUE).status_code == 302
    assert client.get(change).status_code == 302
    assert (
        client.post(QUEUE, {"action": "approve_selected", "_selected_action": [candidate.pk]}).status_code
        == 302
    )
    assert not Investment.objects.exists()


def test_approve_action_creates_the_investment(admin_client, companies):
    candidate = pending()
    page = action(admin_client, "approve_selected", candidate).content.decode()
    investment = Investment.objects.get(origin=Origin.NEWS)
    assert investment.ref in page
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.APPROVED


def test_merge_action_asks_for_the_investment_then_merges(admin_client, companies):
    target = InvestmentFactory(
        ref="MS-ES-01", company=companies["microsoft"], country=country("ES"), announced_on=date(2023, 1, 1)
    )
    InvestmentFactory(ref="GOOGLE-FR-01", company=companies["google"], country=country("FR"))
    candidate = pending()
    page = action(admin_client, "merge_selected", candidate)
    body = page.content.decode()
    assert page.status_code == 200 and "Merge into" in body
    assert "MS-ES-01" in body and "GOOGLE-FR-01" not in body  # only the company's family
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING
    action(admin_client, "merge_selected", candidate, apply="Merge", investment=target.pk)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.MERGED and candidate.matched_investment == target
    assert target.announcements.get().url == candidate.article.url


def test_reject_action_remembers_the_fingerprint(admin_client, companies):
    candidate = pending(company="google", iso2="FR")
    action(admin_client, "reject_selected", candidate)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REJECTED
    again = reconcile.reconcile(found("google", "FR", 2_000_000_000), ArticleFactory())
    assert again.outcome == reconcile.Outcome.REJECTED_BEFORE


def test_markup_in_evidence_is_shown_as_text(admin_client, companies):
    candidate = pending(evidence='Microsoft <script>alert("x")</script> invests.')
    for url in (QUEUE, reverse("admin:ingest_candidate_change", args=[candidate.pk])):
        body = admin_client.get(url).content.decode()
        assert '<script>alert("x")' not in body
        assert "&lt;script&gt;" in body


def test_poll_now_enqueues_a_poll_of_each_selected_source(admin_client, monkeypatch):
    from ingest import tasks

    Source.objects.all().delete()
    source = SourceFactory()
    polled = []
    monkeypatch.setattr(tasks.poll_source, "delay", lambda pk: polled.append(pk))
    admin_client.post(
        reverse("admin:ingest_source_changelist"), {"action": "poll_now", "_selected_action": [source.pk]}
    )
    assert polled == [source.pk]


def test_articles_and_candidates_cannot_be_deleted_in_admin(admin_client, companies):
    candidate = pending()
    assert admin_client.get(reverse("admin:ingest_candidate_delete", args=[candidate.pk])).status_code == 403
    assert (
        admin_client.get(reverse("admin:ingest_article_delete", args=[candidate.article.pk])).status_code
        == 403
    )
    assert Article.objects.exists()


def test_poll_now_reports_an_unreachable_broker(admin_client, monkeypatch):
    from kombu.exceptions import OperationalError

    from ingest import tasks

    Source.objects.all().delete()
    source = SourceFactory()

    def refuse(pk):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.poll_source, "delay", refuse)
    page = admin_client.post(
        reverse("admin:ingest_source_changelist"),
        {"action": "poll_now", "_selected_action": [source.pk]},
        follow=True,
    )
    assert page.status_code == 200 and "task broker is unreachable" in page.content.decode()


def test_discrepancy_is_visible_on_the_investment_page(client, companies):
    spain = InvestmentFactory(
        ref="MS-ES-01",
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        announced_on=date(2024, 2, 19),
    )
    pending(amount=6_690_000_000, news=ArticleFactory(url="https://press.example/aragon"))
    page = client.get(spain.get_absolute_url()).content.decode()
    assert "press.example" in page  # the article, as a source
    assert "differs from the record" in page


# --- One click per decision, most confident first -------------------------------------------------


def review_url(candidate, decision):
    return reverse("admin:ingest_candidate_review", args=[candidate.pk, decision])


def test_queue_lists_the_most_confident_candidates_first(admin_client, companies):
    pending(amount=1_000_000_000, confidence=0.45, evidence="Doubtful figure.")
    pending(amount=2_000_000_000, confidence=0.92, evidence="Certain figure.")
    pending(amount=3_000_000_000, confidence=0.7, evidence="Likely figure.")
    page = admin_client.get(QUEUE).content.decode()
    assert page.index("Certain figure.") < page.index("Likely figure.") < page.index("Doubtful figure.")
    assert "0.92" in page and "0.45" in page


def test_queue_row_shows_article_title_and_date_evidence_and_matched_investment(admin_client, companies):
    spain = InvestmentFactory(
        ref="MS-ES-01",
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        currency="EUR",
        announced_on=date(2024, 2, 19),
    )
    news = ArticleFactory(title="Aragón plan grows", published_on=date(2024, 2, 20))
    decision = reconcile.reconcile(
        found(amount=6_690_000_000, evidence="Microsoft raises its Aragon plan."), news
    )
    assert decision.candidate.discrepancy
    page = admin_client.get(QUEUE).content.decode()
    for shown in (
        "Aragón plan grows",
        "2024-02-20",
        "Microsoft raises its Aragon plan.",
        spain.ref,
        "1,950,000,000 EUR",
    ):
        assert shown in page, shown
    for decision_name in ("approve", "merge", "reject"):
        assert review_url(decision.candidate, decision_name) in page


def test_one_click_approve_and_reject(admin_client, companies):
    approved, rejected = pending(amount=1_000_000_000), pending(company="google", iso2="FR")
    assert admin_client.post(review_url(approved, "approve")).status_code == 302
    assert admin_client.post(review_url(rejected, "reject")).status_code == 302
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.status == Candidate.Status.APPROVED and approved.matched_investment.origin == Origin.NEWS
    assert rejected.status == Candidate.Status.REJECTED


def test_one_click_merge_goes_into_the_matched_investment(admin_client, companies):
    spain = InvestmentFactory(
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        announced_on=date(2024, 2, 19),
    )
    candidate = pending(amount=6_690_000_000)
    assert candidate.matched_investment == spain
    admin_client.post(review_url(candidate, "merge"))
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.MERGED and spain.announcements.get().amount == Decimal(
        "6690000000.00"
    )


def test_merge_without_a_match_asks_which_investment_then_merges(admin_client, companies):
    target = InvestmentFactory(
        ref="MS-ES-01", company=companies["microsoft"], country=country("ES"), announced_on=date(2022, 1, 1)
    )
    candidate = pending()
    page = admin_client.post(review_url(candidate, "merge"))
    assert page.status_code == 200 and "Merge into" in page.content.decode()
    admin_client.post(review_url(candidate, "merge"), {"apply": "Merge", "investment": target.pk})
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.MERGED and candidate.matched_investment == target


def test_one_click_review_refuses_get_unknown_decisions_and_missing_permission(
    admin_client, client, django_user_model, companies
):
    from django.contrib.auth.models import Permission

    candidate = pending()
    assert admin_client.get(review_url(candidate, "approve")).status_code == 405
    assert admin_client.post(review_url(candidate, "publish")).status_code == 404
    curator = django_user_model.objects.create_user("curator", password="a-long-test-password", is_staff=True)
    curator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_candidate", "change_candidate"])
    )
    client.force_login(curator)
    assert client.post(review_url(candidate, "approve")).status_code == 403  # approving needs add_investment
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING and not Investment.objects.exists()
