"""Upsert validated dataset records into the database, in one transaction, keyed on stable ids.

A record whose digest matches the stored one is left alone, so a re-run of an unchanged file writes
nothing. Records missing from the file are reported, never deleted; `withdrawn=yes` deletes.
"""

import hashlib
from collections.abc import Callable
from dataclasses import astuple, dataclass, field

from django.db import transaction

from investments import cache
from investments.choices import Origin
from investments.models import Announcement, Company, Country, Investment
from investments.money import apply_conversion, rate_table, reference_day

BATCH = 2000
INVESTMENT_FIELDS = [
    "company_id",
    "country_id",
    "place",
    "title",
    "category",
    "status",
    "amount",
    "currency",
    "amount_eur",
    "amount_usd",
    "fx_rate_eur",
    "fx_rate_usd",
    "fx_date",
    "period_start",
    "period_end",
    "announced_on",
    "announced_precision",
    "figure_source",
    "not_counted_reason",
    "confidence",
    "notes",
    "origin",
    "record_hash",
    "part_of_id",
    "expands_id",
]
ANNOUNCEMENT_FIELDS = [
    "publisher",
    "language",
    "published_on",
    "title",
    "evidence",
    "announced_by",
    "amount",
    "currency",
    "amount_eur",
    "record_hash",
]

Progress = Callable[[str, int, int], None]


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    missing: list[str] = field(default_factory=list)
    companies_created: int = 0
    companies_updated: int = 0
    announcements_created: int = 0
    announcements_updated: int = 0
    announcements_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.created,
                self.updated,
                self.withdrawn,
                self.companies_created,
                self.companies_updated,
                self.announcements_created,
                self.announcements_updated,
            )
        )

    def as_counts(self) -> dict:
        counts = {k: v for k, v in self.__dict__.items() if k != "missing"}
        counts["missing"] = len(self.missing)
        return counts


def digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def noop(stage: str, done: int, total: int) -> None:
    pass


def load_dataset(companies, investments, announcements, progress: Progress = noop) -> LoadReport:
    report = LoadReport()
    with transaction.atomic():
        company_ids = upsert_companies(companies, report)
        ids = upsert_investments(investments, company_ids, report, progress)
        upsert_announcements(announcements, ids, report, progress)
        withdraw([i.ref for i in investments if i.withdrawn], report)
        in_file = {i.ref for i in investments}
        report.missing = sorted(
            set(Investment.objects.filter(origin=Origin.DATASET).values_list("ref", flat=True)) - in_file
        )
        if report.changed:
            transaction.on_commit(cache.bump)
    return report


def upsert_companies(records, report: LoadReport) -> dict[str, int]:
    existing = {c.slug: c for c in Company.objects.all()}
    for record in records:
        values = {
            "name": record.name,
            "aliases": list(record.aliases),
            "website": record.website,
            "headquarters_country": record.hq_country,
        }
        company = existing.get(record.slug)
        if company is None:
            existing[record.slug] = Company.objects.create(slug=record.slug, **values)
            report.companies_created += 1
        elif any(getattr(company, k) != v for k, v in values.items()):
            Company.objects.filter(pk=company.pk).update(**values)
            report.companies_updated += 1
    ids = {slug: c.pk for slug, c in existing.items()}
    for record in records:
        parent_id = ids.get(record.parent) if record.parent else None
        if existing[record.slug].parent_id != parent_id:
            Company.objects.filter(pk=ids[record.slug]).update(parent_id=parent_id)
    return ids


def upsert_investments(records, company_ids, report: LoadReport, progress: Progress) -> dict[str, int]:
    live = [r for r in records if not r.withdrawn]
    country_ids = dict(Country.objects.values_list("iso2", "id"))
    stored = {ref: (pk, h) for ref, pk, h in Investment.objects.values_list("ref", "id", "record_hash")}
    table = rate_table()
    to_create, to_update, relations = [], [], {}
    for n, record in enumerate(live, 1):
        investment = Investment(
            ref=record.ref,
            company_id=company_ids[record.company],
            country_id=country_ids.get(record.country),
            place=record.place,
            title=record.title,
            category=record.category,
            status=record.status,
            amount=record.amount,
            currency=record.currency,
            period_start=record.period_start,
            period_end=record.period_end,
            announced_on=record.announced_on,
            announced_precision=record.announced_precision,
            figure_source=record.figure_source,
            not_counted_reason=record.not_counted_reason,
            confidence=record.confidence,
            notes=record.notes,
            origin=Origin.DATASET,
        )
        apply_conversion(investment, table)
        investment.record_hash = digest(astuple(record)[1:], investment.amount_eur, investment.fx_date)
        relations[record.ref] = record
        if record.ref not in stored:
            to_create.append(investment)
        elif stored[record.ref][1] != investment.record_hash:
            investment.pk = stored[record.ref][0]
            to_update.append(investment)
        else:
            report.unchanged += 1
        if n % BATCH == 0:
            progress("investments", n, len(live))
    progress("investments", len(live), len(live))

    Investment.objects.bulk_create(to_create, batch_size=BATCH)
    ids = {ref: pk for ref, (pk, _) in stored.items()}
    ids.update({i.ref: i.pk for i in to_create})

    touched = to_create + to_update
    for investment in touched:
        record = relations[investment.ref]
        investment.part_of_id = ids[record.part_of] if record.part_of else None
        investment.expands_id = ids[record.expands] if record.expands else None
    Investment.objects.bulk_update(to_update, INVESTMENT_FIELDS, batch_size=500)
    Investment.objects.bulk_update(
        [i for i in to_create if i.part_of_id or i.expands_id], ["part_of_id", "expands_id"], batch_size=500
    )
    replace_links(
        Investment.countries.through,
        "investment_id",
        "country_id",
        {i.pk: [country_ids[c] for c in relations[i.ref].countries] for i in touched},
        fresh={i.pk for i in to_create},
    )
    replace_links(
        Investment.supersedes.through,
        "from_investment_id",
        "to_investment_id",
        {i.pk: [ids[r] for r in relations[i.ref].supersedes] for i in touched},
        fresh={i.pk for i in to_create},
    )
    report.created, report.updated = len(to_create), len(to_update)
    return ids


def upsert_announcements(records, investment_ids, report: LoadReport, progress: Progress) -> None:
    stored = {url: (pk, h) for url, pk, h in Announcement.objects.values_list("url", "id", "record_hash")}
    table = rate_table()
    to_create, to_update, links = [], [], {}
    for n, record in enumerate(records, 1):
        announcement = Announcement(
            url=record.url,
            publisher=record.publisher,
            language=record.language,
            published_on=record.published_on,
            title=record.title,
            evidence=record.evidence,
            announced_by=record.announced_by,
            amount=record.amount,
            currency=record.currency,
        )
        if record.amount is not None and record.published_on:
            day = reference_day(record.published_on, "day")
            announcement.amount_eur = table.convert(record.amount, record.currency, day).amount_eur
        announcement.record_hash = digest(astuple(record)[1:], announcement.amount_eur)
        links[record.url] = [investment_ids[ref] for ref in record.investments if ref in investment_ids]
        if record.url not in stored:
            to_create.append(announcement)
        elif stored[record.url][1] != announcement.record_hash:
            announcement.pk = stored[record.url][0]
            to_update.append(announcement)
        else:
            report.announcements_unchanged += 1
        if n % BATCH == 0:
            progress("announcements", n, len(records))
    progress("announcements", len(records), len(records))
    Announcement.objects.bulk_create(to_create, batch_size=BATCH)
    Announcement.objects.bulk_update(to_update, ANNOUNCEMENT_FIELDS, batch_size=500)
    touched = to_create + to_update
    replace_links(
        Announcement.investments.through,
        "announcement_id",
        "investment_id",
        {a.pk: links[a.url] for a in touched},
        fresh={a.pk for a in to_create},
    )
    report.announcements_created, report.announcements_updated = len(to_create), len(to_update)


def replace_links(through, owner: str, target: str, links: dict[int, list[int]], fresh: set[int]) -> None:
    """Make the many-to-many rows of each owner in `links` exactly its list (fresh owners have none yet)."""
    stale = [pk for pk in links if pk not in fresh]
    for start in range(0, len(stale), BATCH):
        through.objects.filter(**{f"{owner}__in": stale[start : start + BATCH]}).delete()
    rows = [
        through(**{owner: pk, target: t}) for pk, targets in links.items() for t in dict.fromkeys(targets)
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)


def withdraw(refs: list[str], report: LoadReport) -> None:
    if not refs:
        return
    doomed = Investment.objects.filter(ref__in=refs)
    report.withdrawn = doomed.count()
    doomed.delete()
    # A source that reported only withdrawn records has nothing left to report.
    Announcement.objects.filter(investments__isnull=True).delete()
