"""Reconciliation: what becomes of each investment an article reports, and the curators' decisions.

A candidate matches an investment when the company is the same or one is the other's parent (AWS and
Amazon), the country is the same (both empty for a Europe-wide programme), and the investment was
announced within NEWS_MATCH_WINDOW_DAYS of the candidate's date (the article's publication date when
the candidate gives none). Then:
- amounts compatible (within NEWS_MATCH_TOLERANCE of each other in EUR at the ECB rate, or the
  candidate gives none): the article becomes another Announcement of the investment;
- amounts not compatible: the article is attached with its own figure, so that readers see the sources
  disagree, and the candidate waits in the queue flagged as a discrepancy;
- no match: the candidate waits in the queue.
A candidate whose fingerprint (company, country, amount, currency, date) a curator rejected is dropped.
Every candidate is recorded, matched ones as merged, so the queue also shows what happened on its own.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ingest.extract import Finding
from ingest.models import Article, Candidate
from investments import versioned_cache
from investments.choices import Category, Confidence, DatePrecision, Origin
from investments.models import Announcement, Company, Country, Investment
from investments.money import (
    CENT,
    NoRate,
    RateTable,
    UnknownCurrency,
    apply_conversion,
    rate_table,
    reference_day,
)
from investments.outlets import outlet_for


class Outcome:
    MATCHED = "matched"
    DISCREPANCY = "discrepancy"
    PENDING = "pending"
    REJECTED_BEFORE = "rejected_before"
    SKIPPED = "skipped"


class ReviewError(ValueError):
    """A curator's decision that cannot apply (the candidate was already settled)."""


@dataclass(frozen=True)
class Decision:
    outcome: str
    candidate: Candidate | None = None
    investment: Investment | None = None
    note: str = ""


def reconcile(found: Finding, article: Article, table: RateTable | None = None) -> Decision:
    """Settle one extracted candidate of a saved article (call inside the article's transaction)."""
    company = Company.objects.filter(slug=found.company).first() if found.company else None
    if company is None:
        return Decision(Outcome.SKIPPED, note=f"company {found.company!r} is not in the catalogue")
    country = Country.objects.filter(iso2=found.country).first() if found.country else None
    if found.country and country is None:
        return Decision(Outcome.SKIPPED, note=f"country {found.country!r} is not tracked")
    amount = to_decimal(found.amount)
    currency = (found.currency or "").upper() if amount is not None else ""
    if amount is not None and not (len(currency) == 3 and currency.isalpha()):
        return Decision(Outcome.SKIPPED, note=f"currency {found.currency!r} is not an ISO 4217 code")
    day = found.announced_on or article.published_on
    precision = (found.announced_precision or DatePrecision.DAY) if found.announced_on else DatePrecision.DAY
    table = table or rate_table()
    amount_eur = to_eur(amount, currency, day, precision, table)
    key = fingerprint(company.slug, found.country, amount, currency, found.announced_on)
    if Candidate.objects.filter(fingerprint=key, status=Candidate.Status.REJECTED).exists():
        return Decision(Outcome.REJECTED_BEFORE, note=f"{company.slug} {found.country}: rejected before")

    figures = [amount_eur] + [to_eur(to_decimal(a), c, day, precision, table) for a, c in found.alternatives]
    investment, compatible = best_match(company, country, day, amount, currency, figures)
    if investment is None:
        outcome, status = Outcome.PENDING, Candidate.Status.PENDING
    elif compatible:
        outcome, status = Outcome.MATCHED, Candidate.Status.MERGED
    else:
        outcome, status = Outcome.DISCREPANCY, Candidate.Status.PENDING
    candidate, _ = Candidate.objects.get_or_create(
        article=article,
        fingerprint=key,
        defaults={
            "company": company,
            "country": country,
            "place": (found.place or "")[:200],
            "amount": amount,
            "currency": currency,
            "amount_eur": amount_eur,
            "announced_on": found.announced_on,
            "announced_precision": precision,
            "period_start": found.period_start,
            "period_end": found.period_end,
            "category": found.category if found.category in Category.values else Category.MIXED,
            "evidence": found.evidence,
            "capacity_mw": None if found.capacity_mw is None else Decimal(str(round(found.capacity_mw, 1))),
            "capacity_as_given": found.capacity_as_given[:200],
            "gpus": found.gpus,
            "gpus_as_given": found.gpus_as_given[:200],
            "confidence": confidence_level(found.confidence),
            "score": found.confidence if isinstance(found.confidence, (int, float)) else None,
            "date_source": (getattr(found, "date_source", None) or "")[:10],
            "status": status,
            "discrepancy": outcome == Outcome.DISCREPANCY,
            "matched_investment": investment,
        },
    )
    if investment is not None:
        attach_announcement(candidate, investment, table)
    return Decision(outcome, candidate, investment)


def best_match(company, country, day, amount, currency, figures_eur) -> tuple[Investment | None, bool]:
    """The investment the candidate reports, if any, and whether their amounts agree.

    Among the investments of the company's family, in the country, within the window: one whose amount
    agrees, the closest in amount then in date; else the closest in date (a discrepancy).
    """
    if day is None:
        return None, False
    window = timedelta(days=settings.NEWS_MATCH_WINDOW_DAYS)
    family = Q(company=company) | Q(company__parent=company)
    if company.parent_id:
        family |= Q(company_id=company.parent_id)
    nearby = list(
        Investment.objects.filter(family, announced_on__range=(day - window, day + window)).filter(
            Q(country=country) if country else Q(country__isnull=True)
        )
    )
    if not nearby:
        return None, False
    agreeing = [
        (gap, abs((i.announced_on - day).days), i.pk, i)
        for i in nearby
        if (gap := amount_gap(i, amount, currency, figures_eur)) is not None
    ]
    if agreeing:
        return min(agreeing, key=lambda t: t[:3])[3], True
    return min(nearby, key=lambda i: (abs((i.announced_on - day).days), i.pk)), False


def amount_gap(investment: Investment, amount, currency, figures_eur) -> Decimal | None:
    """How far apart the amounts are (a fraction of the larger), or None when beyond the tolerance.

    A candidate without a figure contradicts nothing; an investment without one is contradicted by any.
    """
    if amount is None:
        return Decimal(0)
    if investment.amount is None:
        return None
    pairs = [(f, investment.amount_eur) for f in figures_eur if f is not None and investment.amount_eur]
    if currency == investment.currency:
        pairs.append((amount, investment.amount))
    gaps = [abs(a - b) / max(a, b) for a, b in pairs if max(a, b) > 0]
    gap = min(gaps, default=None)
    return gap if gap is not None and gap <= Decimal(str(settings.NEWS_MATCH_TOLERANCE)) else None


# --- The curators' decisions ---------------------------------------------------------------------


def approve(candidate: Candidate, user=None, table: RateTable | None = None) -> Investment:
    """Make a pending candidate a new investment (origin "news") with its article as a source."""
    with transaction.atomic():
        candidate = pending(candidate)
        article = candidate.article
        investment = Investment(
            ref=next_news_ref(candidate.company, candidate.country),
            company=candidate.company,
            country=candidate.country,
            place=candidate.place,
            title=title_for(candidate)[:300],
            category=candidate.category,
            amount=candidate.amount,
            currency=candidate.currency,
            announced_on=candidate.announced_on or article.published_on,
            announced_precision=candidate.announced_precision,
            period_start=candidate.period_start,
            period_end=candidate.period_end,
            confidence=candidate.confidence,
            origin=Origin.NEWS,
            notes=f"From the news review queue: {article.url}",
            capacity_mw=candidate.capacity_mw,
            capacity_mw_as_given=candidate.capacity_as_given if candidate.capacity_mw is not None else "",
            capacity_mw_source=article.url if candidate.capacity_mw is not None else "",
            gpus=candidate.gpus,
            gpus_as_given=candidate.gpus_as_given if candidate.gpus is not None else "",
            gpus_source=article.url if candidate.gpus is not None else "",
        )
        apply_conversion(investment, table)
        investment.save()
        settle(candidate, Candidate.Status.APPROVED, investment, user, table)
        for twin in twins(candidate):
            settle(twin, Candidate.Status.MERGED, investment, user, table)
    return investment


def merge(candidate: Candidate, investment: Investment, user=None, table: RateTable | None = None) -> None:
    """Make a pending candidate's article another source of `investment`, with the figure it gave."""
    with transaction.atomic():
        candidate = pending(candidate)
        for each in (candidate, *twins(candidate)):
            settle(each, Candidate.Status.MERGED, investment, user, table)


def reject(candidate: Candidate, user=None) -> None:
    """Drop a pending candidate; its fingerprint is never proposed again, from any article."""
    with transaction.atomic():
        candidate = pending(candidate)
        for each in (candidate, *twins(candidate)):
            settle(each, Candidate.Status.REJECTED, None, user)


def pending(candidate: Candidate) -> Candidate:
    locked = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("article__source", "company", "country", "matched_investment")
        .get(pk=candidate.pk)
    )
    if locked.status != Candidate.Status.PENDING:
        raise ReviewError(f"{locked} is already {locked.get_status_display().lower()}")
    return locked


def twins(candidate: Candidate):
    """The other pending candidates reporting the same fact, from other articles."""
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("article__source", "matched_investment")
        .filter(fingerprint=candidate.fingerprint, status=Candidate.Status.PENDING)
        .exclude(pk=candidate.pk)
    )


def settle(candidate: Candidate, status, investment, user, table=None) -> None:
    """Record the decision; move the article's link from a discrepancy's match to `investment`."""
    previous = candidate.matched_investment
    if candidate.discrepancy and previous is not None and previous != investment:
        detach_announcement(candidate, previous)
    if investment is not None:
        attach_announcement(candidate, investment, table)
    candidate.status = status
    candidate.matched_investment = investment if investment is not None else previous
    candidate.reviewed = timezone.now()
    candidate.reviewed_by = user if user is not None and user.pk else None
    candidate.save(update_fields=["status", "matched_investment", "reviewed", "reviewed_by"])


def attach_announcement(candidate: Candidate, investment: Investment, table: RateTable | None = None):
    """The candidate's article as a source of `investment`, with the figure the article gave."""
    article = candidate.article
    announcement, _ = Announcement.objects.get_or_create(
        url=article.url,
        defaults={
            "publisher": publisher_of(article),
            "language": article.language,
            "published_on": article.published_on,
            "title": article.title[:500],
            "outlet": outlet_for(article.url),
            "evidence": candidate.evidence,
            "amount": candidate.amount,
            "currency": candidate.currency,
            # Converted at the publication date, as the dataset's sources are.
            "amount_eur": to_eur(
                candidate.amount, candidate.currency, article.published_on, DatePrecision.DAY, table
            ),
        },
    )
    announcement.investments.add(investment)
    transaction.on_commit(versioned_cache.bump)
    return announcement


def detach_announcement(candidate: Candidate, investment: Investment) -> None:
    """Unlink the article from `investment`, unless another settled candidate of it reports that one."""
    others = Candidate.objects.filter(
        article=candidate.article,
        matched_investment=investment,
        status__in=[Candidate.Status.MERGED, Candidate.Status.APPROVED],
    ).exclude(pk=candidate.pk)
    if others.exists():
        return
    for announcement in Announcement.objects.filter(url=candidate.article.url):
        announcement.investments.remove(investment)
    transaction.on_commit(versioned_cache.bump)


# --- Small pieces --------------------------------------------------------------------------------


def fingerprint(
    company: str, country: str | None, amount: Decimal | None, currency: str, day: date | None
) -> str:
    """One fact, whichever article reports it: company, country, amount, currency, date."""
    figure = "" if amount is None else format(amount.normalize(), "f")
    key = "|".join([company, country or "", figure, currency, day.isoformat() if day else ""])
    return hashlib.sha256(key.encode()).hexdigest()


def to_decimal(amount) -> Decimal | None:
    if amount is None:
        return None
    try:
        value = Decimal(str(amount)).quantize(CENT)
    except InvalidOperation:
        return None
    return value if value >= 0 else None


def to_eur(amount, currency, day, precision, table: RateTable | None = None) -> Decimal | None:
    """`amount` in EUR at the ECB rate of `day` (known to `precision`), None when it cannot be."""
    if amount is None or not currency or day is None:
        return None
    table = table or rate_table()
    try:
        return table.convert(amount, currency, reference_day(day, precision)).amount_eur
    except (UnknownCurrency, NoRate):
        return None


def confidence_level(score) -> str:
    if isinstance(score, str):
        return score if score in Confidence.values else Confidence.MEDIUM
    if score is None:
        return Confidence.MEDIUM
    return Confidence.HIGH if score >= 0.8 else Confidence.MEDIUM if score >= 0.5 else Confidence.LOW


def next_news_ref(company: Company, country: Country | None) -> str:
    """NEWS-<COMPANY>-<COUNTRY>-<n>, the first n not taken ("EU" for a Europe-wide programme)."""
    prefix = f"NEWS-{company.slug.upper()[:20]}-{country.iso2 if country else 'EU'}-"
    taken = set(Investment.objects.filter(ref__startswith=prefix).values_list("ref", flat=True))
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def title_for(candidate: Candidate) -> str:
    where = candidate.place or (candidate.country.name if candidate.country else "Europe")
    return f"{candidate.company.name}: {Category(candidate.category).label} in {where}"


def publisher_of(article: Article) -> str:
    return article.source.name if article.source_id else (urlsplit(article.url).hostname or "")
