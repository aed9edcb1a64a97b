"""Reconciliation: a matching candidate becomes an announcement, a differing figure a flagged discrepancy,
anything else a pending candidate; rejected figures never come back."""

from datetime import date
from decimal import Decimal

import pytest

from ingest.extract import Finding
from ingest.models import Candidate
from ingest.reconcile import Outcome, fingerprint, reconcile, reject
from investments.models import Announcement
from tests.factories import ArticleFactory, InvestmentFactory, country

pytestmark = pytest.mark.django_db


def found(company="microsoft", iso2="ES", amount=2_000_000_000, currency="EUR", day=date(2024, 2, 19), **kw):
    return Finding(
        company=company,
        country=iso2,
        amount=amount,
        currency=currency,
        announced_on=day,
        announced_precision="day" if day else None,
        evidence=kw.pop("evidence", "Microsoft will invest 2 billion euros in Spain."),
        confidence=kw.pop("confidence", 0.9),
        **kw,
    )


@pytest.fixture
def spain(companies):
    """Microsoft's EUR 1.95bn in Spain, announced 19 February 2024."""
    return InvestmentFactory(
        ref="MS-ES-01",
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("1950000000"),
        currency="EUR",
        announced_on=date(2024, 2, 19),
    )


def test_candidate_matching_an_investment_becomes_another_announcement_of_it(spain):
    news = ArticleFactory(language="en")
    decision = reconcile(found(), news)
    assert decision.outcome == Outcome.MATCHED and decision.investment == spain
    announcement = Announcement.objects.get(url=news.url)
    assert list(announcement.investments.all()) == [spain]
    assert (announcement.amount, announcement.currency) == (Decimal("2000000000.00"), "EUR")
    assert announcement.amount_eur == Decimal("2000000000.00")
    assert (announcement.title, announcement.language, announcement.published_on) == (
        news.title,
        "en",
        news.published_on,
    )
    assert announcement.evidence == "Microsoft will invest 2 billion euros in Spain."
    candidate = decision.candidate
    assert candidate.status == Candidate.Status.MERGED and candidate.matched_investment == spain
    assert not candidate.discrepancy


def test_subsidiary_and_parent_match_each_other(companies):
    amazon_fr = InvestmentFactory(
        company=companies["amazon"],
        country=country("FR"),
        amount=Decimal("1200000000"),
        announced_on=date(2024, 5, 13),
    )
    decision = reconcile(
        found("aws", "FR", 1_200_000_000, day=date(2024, 5, 13)),
        ArticleFactory(published_on=date(2024, 5, 14)),
    )
    assert (decision.outcome, decision.investment) == (Outcome.MATCHED, amazon_fr)
    aws_fr = InvestmentFactory(
        company=companies["aws"],
        country=country("FR"),
        amount=Decimal("300000000"),
        announced_on=date(2024, 9, 1),
    )
    decision = reconcile(
        found("amazon", "FR", 300_000_000, day=date(2024, 9, 2)),
        ArticleFactory(published_on=date(2024, 9, 2)),
    )
    assert (decision.outcome, decision.investment) == (Outcome.MATCHED, aws_fr)


def test_another_company_does_not_match(spain):
    decision = reconcile(found("google"), ArticleFactory())
    assert decision.outcome == Outcome.PENDING and decision.investment is None


def test_amount_in_another_currency_matches_after_conversion(spain):
    # USD 2.1bn on 19 February 2024 is about EUR 1.95bn at the ECB rate.
    decision = reconcile(found(amount=2_100_000_000, currency="USD"), ArticleFactory())
    assert decision.outcome == Outcome.MATCHED
    assert Decimal("1900000000") < decision.candidate.amount_eur < Decimal("2000000000")


def test_figure_outside_the_tolerance_is_attached_and_flagged_as_a_discrepancy(spain):
    news = ArticleFactory()
    decision = reconcile(found(amount=6_690_000_000), news)
    assert decision.outcome == Outcome.DISCREPANCY
    candidate = decision.candidate
    assert candidate.status == Candidate.Status.PENDING and candidate.discrepancy
    assert candidate.matched_investment == spain
    # Readers see the source with its own figure next to the record's.
    announcement = spain.announcements.get(url=news.url)
    assert announcement.amount == Decimal("6690000000.00")


def test_tolerance_comes_from_the_settings(spain, settings):
    settings.NEWS_MATCH_TOLERANCE = 0.01
    assert reconcile(found(amount=2_000_000_000), ArticleFactory()).outcome == Outcome.DISCREPANCY
    settings.NEWS_MATCH_TOLERANCE = 0.10
    assert reconcile(found(amount=2_100_000_000), ArticleFactory()).outcome == Outcome.MATCHED  # 7% off
    assert reconcile(found(amount=2_200_000_000), ArticleFactory()).outcome == Outcome.DISCREPANCY  # 11% off


def test_investment_outside_the_window_is_not_matched(spain, settings):
    assert (
        reconcile(found(day=date(2024, 4, 3)), ArticleFactory(published_on=date(2024, 4, 3))).outcome
        == Outcome.MATCHED
    )  # 44 days
    later = reconcile(found(day=date(2024, 4, 5)), ArticleFactory(published_on=date(2024, 4, 5)))  # 46 days
    assert later.outcome == Outcome.PENDING and later.investment is None
    settings.NEWS_MATCH_WINDOW_DAYS = 60
    assert (
        reconcile(found(day=date(2024, 4, 6)), ArticleFactory(published_on=date(2024, 4, 6))).outcome
        == Outcome.MATCHED
    )


def test_undated_candidate_is_matched_on_the_article_date(spain):
    assert (
        reconcile(found(day=None), ArticleFactory(published_on=date(2024, 3, 1))).outcome == Outcome.MATCHED
    )
    assert (
        reconcile(found(day=None), ArticleFactory(published_on=date(2024, 6, 1))).outcome == Outcome.PENDING
    )


def test_other_country_is_a_new_candidate(spain):
    decision = reconcile(found(iso2="PT"), ArticleFactory())
    assert decision.outcome == Outcome.PENDING
    assert decision.candidate.country.iso2 == "PT" and not decision.candidate.discrepancy


def test_europe_wide_candidate_matches_a_europe_wide_investment(companies):
    programme = InvestmentFactory(
        company=companies["microsoft"],
        country=None,
        amount=Decimal("20000000"),
        announced_on=date(2024, 3, 1),
    )
    decision = reconcile(found(iso2=None, amount=20_000_000, day=date(2024, 3, 2)), ArticleFactory())
    assert (decision.outcome, decision.investment) == (Outcome.MATCHED, programme)


def test_candidate_without_a_figure_matches_on_company_country_and_date(spain):
    decision = reconcile(found(amount=None), ArticleFactory())
    assert decision.outcome == Outcome.MATCHED
    assert Announcement.objects.get(url=decision.candidate.article.url).amount is None


def test_figure_for_an_undisclosed_investment_is_a_discrepancy(companies):
    InvestmentFactory(
        company=companies["microsoft"], country=country("ES"), amount=None, currency="", amount_eur=None
    )
    assert reconcile(found(day=date(2024, 5, 21)), ArticleFactory()).outcome == Outcome.DISCREPANCY


def test_closest_agreeing_investment_wins(companies):
    InvestmentFactory(
        ref="FAR",
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("6690000000"),
        announced_on=date(2024, 2, 19),
    )
    near = InvestmentFactory(
        ref="NEAR",
        company=companies["microsoft"],
        country=country("ES"),
        amount=Decimal("2000000000"),
        announced_on=date(2024, 3, 20),
    )
    assert reconcile(found(), ArticleFactory()).investment == near


def test_rejected_fingerprint_is_never_proposed_again_even_from_another_article(companies):
    first = reconcile(found("google", "FR", 500_000_000), ArticleFactory())
    reject(first.candidate)
    again = reconcile(found("google", "FR", 500_000_000, evidence="Other wording."), ArticleFactory())
    assert again.outcome == Outcome.REJECTED_BEFORE and again.candidate is None
    assert Candidate.objects.count() == 1
    other_figure = reconcile(found("google", "FR", 600_000_000), ArticleFactory())
    assert other_figure.outcome == Outcome.PENDING


def test_rejecting_one_candidate_rejects_the_same_fact_pending_from_other_articles(companies):
    one = reconcile(found("google", "FR", 500_000_000), ArticleFactory()).candidate
    two = reconcile(found("google", "FR", 500_000_000), ArticleFactory()).candidate
    reject(one)
    two.refresh_from_db()
    assert two.status == Candidate.Status.REJECTED


def test_unknown_company_or_country_is_skipped(companies):
    assert reconcile(found("no-such-company"), ArticleFactory()).outcome == Outcome.SKIPPED
    assert reconcile(found(iso2="US"), ArticleFactory()).outcome == Outcome.SKIPPED
    assert Candidate.objects.count() == 0


def test_same_candidate_twice_from_one_article_is_recorded_once(companies):
    news = ArticleFactory()
    reconcile(found("google", "FR", 500_000_000), news)
    reconcile(found("google", "FR", 500_000_000), news)
    assert Candidate.objects.count() == 1


def test_fingerprint_ignores_how_the_amount_is_written():
    one = fingerprint("google", "FR", Decimal("500000000"), "EUR", date(2024, 1, 2))
    assert one == fingerprint("google", "FR", Decimal("500000000.00"), "EUR", date(2024, 1, 2))
    assert one != fingerprint("google", "FR", Decimal("500000000"), "EUR", date(2024, 1, 3))
    assert one != fingerprint("google", "DE", Decimal("500000000"), "EUR", date(2024, 1, 2))


def test_candidate_fields_come_from_extraction(companies):
    candidate = reconcile(
        found(
            place="Aragon",
            category="compute",
            period_start=2024,
            period_end=2025,
            confidence=0.4,
            amount=2_000_000_000,
        ),
        ArticleFactory(),
    ).candidate
    assert (candidate.place, candidate.category, candidate.confidence) == ("Aragon", "compute", "low")
    assert (candidate.period_start, candidate.period_end) == (2024, 2025)
    assert candidate.amount_eur == Decimal("2000000000.00")
