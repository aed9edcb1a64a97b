"""Upsert validated dataset records into the database, in one transaction, keyed on stable ids.

A record whose digest matches the stored one is left alone, so a re-run of an unchanged file writes
nothing. Records missing from the file are reported, never deleted; `withdrawn=yes` keeps the record,
marked withdrawn: listed and searchable, never counted. Every source is linked to its outlet
(investments.outlets), and the documented overlaps are replaced by the file's.
Rows are handled as plain tuples and new ones inserted with ingest.bulk.insert_rows (COPY on
PostgreSQL): building a model instance per row would cost more than the database does.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from more_itertools import chunked

from ingest.bulk import insert_rows, update_rows
from investments import versioned_cache
from investments.choices import DatePrecision, Origin
from investments.models import Announcement, Company, Country, Investment, Outlet, Overlap
from investments.money import CENT, RATE_PLACES, rate_table, reference_day
from investments.outlets import match

# The database columns a load writes, in the order of its row tuples (the files' columns are
# ingest.parsers.dataset's INVESTMENT_COLUMNS and ANNOUNCEMENT_COLUMNS).
INVESTMENT_DB_COLUMNS = (
    "ref", "company_id", "country_id", "place", "title", "category", "status", "amount", "currency",
    "amount_eur", "amount_usd", "fx_rate_eur", "fx_rate_usd", "fx_date", "period_start", "period_end",
    "announced_on", "announced_precision", "figure_source", "not_counted_reason", "confidence", "withdrawn",
    "notes", "origin", "record_hash",
)  # fmt: skip
ANNOUNCEMENT_DB_COLUMNS = (
    "url", "publisher", "language", "published_on", "title", "evidence", "announced_by", "amount", "currency",
    "amount_eur", "record_hash",
)  # fmt: skip
NO_CONVERSION = (None, None, None, None, None)

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
    outlets_created: int = 0
    outlets_updated: int = 0
    outlets_deleted: int = 0
    sources_relinked: int = 0
    overlaps_replaced: int = 0

    @property
    def changed(self) -> bool:
        return any(
            v
            for k, v in self.as_counts().items()
            if k not in ("unchanged", "announcements_unchanged", "missing")
        )

    def as_counts(self) -> dict:
        counts = {k: v for k, v in self.__dict__.items() if k != "missing"}
        counts["missing"] = len(self.missing)
        return counts


def noop(stage: str, done: int, total: int) -> None:
    pass


def load_dataset(
    companies, investments, announcements, progress: Progress = noop, *, outlets=(), overlaps=()
) -> LoadReport:
    report = LoadReport()
    with transaction.atomic():
        company_ids = upsert_companies(companies, report)
        ids = upsert_investments(investments, company_ids, report, progress)
        upsert_announcements(announcements, ids, report, progress)
        link_outlets(upsert_outlets(outlets, report), report)
        replace_overlaps(overlaps, investments, ids, report)
        in_file = {i.ref for i in investments}
        report.missing = sorted(
            set(Investment.objects.filter(origin=Origin.DATASET).order_by().values_list("ref", flat=True))
            - in_file
        )
        if report.changed:
            transaction.on_commit(versioned_cache.bump)
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


class Converter:
    """ECB conversion for many rows: one rate lookup per (currency, day, precision), then arithmetic.

    `token` identifies the rate a row is converted at, so a row's change digest can cover its conversion
    without converting every unchanged row.
    """

    def __init__(self):
        self.table, self.rates = rate_table(), {}

    def rate(self, currency: str, day, precision: str):
        """(rate_eur, rate_usd, rate_date, token), or None when there is nothing to convert."""
        if not currency or day is None:
            return None
        key = (currency, day, precision)
        found = self.rates.get(key)
        if found is None:
            rate_eur, rate_usd, rate_date = self.table.rates(currency, reference_day(day, precision))
            found = self.rates[key] = (rate_eur, rate_usd, rate_date, f"{rate_eur}@{rate_date}")
        return found

    @staticmethod
    def apply(amount, rate) -> tuple:
        """(amount_eur, amount_usd, rate_eur, rate_usd, rate_date) of `amount` at `rate`."""
        if amount is None or rate is None:
            return NO_CONVERSION
        rate_eur, rate_usd, rate_date, _ = rate
        return (
            (amount * rate_eur).quantize(CENT),
            (amount * rate_usd).quantize(CENT),
            rate_eur.quantize(RATE_PLACES),
            rate_usd.quantize(RATE_PLACES),
            rate_date,
        )


def row_digest(raw: str, rate) -> str:
    token = rate[3] if rate else ""
    return hashlib.blake2b(f"{raw}\x1e{token}".encode(), digest_size=16).hexdigest()


def upsert_investments(records, company_ids, report: LoadReport, progress: Progress) -> dict[str, int]:
    live = records  # withdrawn records included: they stay listed, marked withdrawn
    country_ids = dict(Country.objects.values_list("iso2", "id"))
    stored = {
        ref: (pk, h) for ref, pk, h in Investment.objects.order_by().values_list("ref", "id", "record_hash")
    }
    converter = Converter()
    new_rows, changed_rows, touched = [], [], []
    for n, r in enumerate(live, 1):
        rate = converter.rate(r.currency, r.announced_on, r.announced_precision)
        record_hash = row_digest(r.raw, rate)
        known = stored.get(r.ref)
        if known and known[1] == record_hash:
            report.unchanged += 1
        else:
            eur, usd, rate_eur, rate_usd, rate_date = converter.apply(r.amount, rate)
            row = (
                r.ref, company_ids[r.company], country_ids.get(r.country), r.place, r.title, r.category, r.status,
                r.amount, r.currency, eur, usd, rate_eur, rate_usd, rate_date, r.period_start, r.period_end,
                r.announced_on, r.announced_precision, r.figure_source, r.not_counted_reason, r.confidence,
                r.withdrawn, r.notes, Origin.DATASET.value, record_hash,
            )  # fmt: skip
            (changed_rows if known else new_rows).append(row)
            touched.append(r)
            report.withdrawn += r.withdrawn
        if n % 5000 == 0:
            progress("investments", n, len(live))
    progress("investments", len(live), len(live))

    now = timezone.now()
    insert_rows(
        Investment, (*INVESTMENT_DB_COLUMNS, "created", "updated"), [(*row, now, now) for row in new_rows]
    )
    update_rows(
        Investment,
        (*INVESTMENT_DB_COLUMNS[1:], "updated"),
        [(stored[row[0]][0], *row[1:], now) for row in changed_rows],
    )
    ids = {ref: pk for ref, (pk, _) in stored.items()}
    if new_rows:
        # Reading every id back is cheaper than a 100,000-value IN list.
        ids = dict(Investment.objects.order_by().values_list("ref", "id"))

    set_relations(touched, ids, {row[0] for row in new_rows})
    replace_links(
        Investment.countries.through,
        "investment_id",
        "country_id",
        {ids[r.ref]: [country_ids[c] for c in r.countries] for r in touched},
        fresh={ids[row[0]] for row in new_rows},
    )
    replace_links(
        Investment.supersedes.through,
        "from_investment_id",
        "to_investment_id",
        {ids[r.ref]: [ids[s] for s in r.supersedes] for r in touched},
        fresh={ids[row[0]] for row in new_rows},
    )
    report.created, report.updated = len(new_rows), len(changed_rows)
    return ids


def set_relations(touched, ids: dict[str, int], new_refs: set[str]) -> None:
    """Point part_of and expands at their targets (known only once every row has an id)."""
    update_rows(
        Investment,
        ("part_of_id", "expands_id"),
        [
            (ids[r.ref], ids[r.part_of] if r.part_of else None, ids[r.expands] if r.expands else None)
            for r in touched
            if r.ref not in new_refs or r.part_of or r.expands
        ],
    )


def upsert_announcements(records, investment_ids, report: LoadReport, progress: Progress) -> None:
    stored = {
        url: (pk, h) for url, pk, h in Announcement.objects.order_by().values_list("url", "id", "record_hash")
    }
    converter = Converter()
    new_rows, changed_rows, links = [], [], {}
    for n, r in enumerate(records, 1):
        rate = converter.rate(r.currency, r.published_on, DatePrecision.DAY.value)
        record_hash = row_digest(r.raw, rate)
        known = stored.get(r.url)
        if known and known[1] == record_hash:
            report.announcements_unchanged += 1
        else:
            eur = converter.apply(r.amount, rate)[0]
            row = (
                r.url, r.publisher, r.language, r.published_on, r.title, r.evidence, r.announced_by, r.amount,
                r.currency, eur, record_hash,
            )  # fmt: skip
            (changed_rows if known else new_rows).append(row)
            links[r.url] = [investment_ids[ref] for ref in r.investments if ref in investment_ids]
        if n % 5000 == 0:
            progress("sources", n, len(records))
    progress("sources", len(records), len(records))

    insert_rows(
        Announcement, (*ANNOUNCEMENT_DB_COLUMNS, "created"), [(*row, timezone.now()) for row in new_rows]
    )
    update_rows(
        Announcement, ANNOUNCEMENT_DB_COLUMNS[1:], [(stored[row[0]][0], *row[1:]) for row in changed_rows]
    )
    ids = {url: pk for url, (pk, _) in stored.items()}
    if new_rows:
        ids = dict(Announcement.objects.order_by().values_list("url", "id"))
    replace_links(
        Announcement.investments.through,
        "announcement_id",
        "investment_id",
        {ids[url]: targets for url, targets in links.items()},
        fresh={ids[row[0]] for row in new_rows},
    )
    report.announcements_created, report.announcements_updated = len(new_rows), len(changed_rows)


def replace_links(through, owner: str, target: str, links: dict[int, list[int]], fresh: set[int]) -> None:
    """Make the many-to-many rows of each owner in `links` exactly its list (fresh owners have none yet)."""
    stale = [pk for pk in links if pk not in fresh]
    for chunk in chunked(stale, 2000):
        through.objects.filter(**{f"{owner}__in": chunk}).delete()
    insert_rows(
        through, (owner, target), [(pk, t) for pk, targets in links.items() for t in dict.fromkeys(targets)]
    )


def upsert_outlets(records, report: LoadReport) -> dict[str, int]:
    """Make the outlets exactly the file's; returns their ids by domain."""
    stored = {o.domain: o for o in Outlet.objects.all()}
    for r in records:
        values = {"name": r.name, "tier": r.tier, "country": r.country, "language": r.language}
        outlet = stored.get(r.domain)
        if outlet is None:
            stored[r.domain] = Outlet.objects.create(domain=r.domain, **values)
            report.outlets_created += 1
        elif any(getattr(outlet, k) != v for k, v in values.items()):
            Outlet.objects.filter(pk=outlet.pk).update(**values)
            report.outlets_updated += 1
    gone = set(stored) - {r.domain for r in records}
    if gone:
        # Their sources are linked anew below (to a shorter domain that still covers them, or to none).
        report.outlets_deleted = Outlet.objects.filter(domain__in=gone).delete()[0]
    return {domain: stored[domain].pk for domain in stored.keys() - gone}


def link_outlets(outlet_ids: dict[str, int], report: LoadReport) -> None:
    """Point every source (those of the news queue too) at the outlet its URL belongs to."""
    domains = outlet_ids.keys()
    changed = []
    for pk, url, current in Announcement.objects.order_by().values_list("pk", "url", "outlet_id").iterator():
        domain = match(url, domains)
        outlet = outlet_ids[domain] if domain else None
        if outlet != current:
            changed.append((pk, outlet))
    update_rows(Announcement, ("outlet_id",), changed)
    report.sources_relinked = len(changed)


def replace_overlaps(records, investments, ids: dict[str, int], report: LoadReport) -> None:
    """Make the documented overlaps exactly the file's. Each amount converts at the rate its record
    (`investment`) converts at, so that it comes off that record's money like for like."""
    by_ref = {i.ref: i for i in investments}
    converter = Converter()
    wanted = set()
    for r in records:
        record = by_ref[r.investment]
        rate = converter.rate(r.currency, record.announced_on, record.announced_precision)
        eur, usd, *_ = converter.apply(r.amount, rate)
        wanted.add((ids[r.investment], ids[r.overlaps], r.amount, r.currency, eur, usd, r.basis))
    columns = ("investment_id", "overlaps_id", "amount", "currency", "amount_eur", "amount_usd", "basis")
    stored = set(Overlap.objects.values_list(*columns))
    if stored == wanted:
        return
    Overlap.objects.all().delete()
    insert_rows(Overlap, columns, sorted(wanted, key=lambda row: row[:2]))
    report.overlaps_replaced = len(wanted)
