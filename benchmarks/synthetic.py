"""Synthetic data for the benchmarks, apart from what they measure: deterministic rows and the writers
that load them.

- investment_rows(): a million-row-scale set of investments with their components, supersessions and
  Europe-wide programmes, as plain tuples; copy_into_postgres() loads it into a migrated database as a
  restore does (COPY, indexes rebuilt after), flat_sqlite() writes the same rows as one flat SQLite
  table for Datasette (bench_api);
- orm_investments(): investments written through the models into whatever database Django is set up
  with (bench_pages, SQLite by default);
- dataset_files(): a valid dataset folder of CSV files, the input of the ingest (bench_ingest,
  bench_load).
"""

import csv
import random
import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import psycopg

from ingest.parsers.dataset import ANNOUNCEMENT_COLUMNS, COMPANY_COLUMNS, INVESTMENT_COLUMNS
from investments.europe import EUROPEAN_COUNTRIES
from investments.querysets import counts

SEED = 20240521


# Companies: (slug, name, parent slug), and their share of the generated investments.
COMPANIES = [
    ("alphabet", "Alphabet", None),
    ("google", "Google", "alphabet"),
    ("amazon", "Amazon", None),
    ("aws", "Amazon Web Services", "amazon"),
    ("microsoft", "Microsoft", None),
    ("meta", "Meta", None),
    ("apple", "Apple", None),
    ("nvidia", "Nvidia", None),
    ("oracle", "Oracle", None),
    ("ibm", "IBM", None),
    ("openai", "OpenAI", None),
    ("salesforce", "Salesforce", None),
]
CATEGORIES = ["datacentre", "compute", "research", "skills", "fund", "mixed"]
STATUSES = ["announced", "construction", "operational", "stalled", "cancelled"]
CONFIDENCES = ["high", "medium", "low"]
FIGURE_SOURCES = ["company", "government", "third_party"]
PLACES = ["Madrid", "Aragon", "Frankfurt", "Dublin", "Milan", "Paris", "Warsaw", "Stockholm", "Lisbon"]
# The currencies of dataset_files(): the ingest converts each with the ECB rates.
DATASET_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF"]
PUBLISHERS = ["Reuters", "El País", "Handelsblatt", "Le Monde", "Irish Times", "Il Sole 24 Ore"]


class Row(NamedTuple):
    """One generated investment, as both copies (PostgreSQL, SQLite) are written from it."""

    pk: int
    ref: str
    company: int  # index into COMPANIES
    country: str | None  # ISO alpha-2; None for a Europe-wide programme
    place: str
    title: str
    category: str
    status: str
    eur: float
    usd: float
    day: date
    figure_source: str
    reason: str  # not_counted_reason
    confidence: str
    part_of: int | None


def investment_rows(rows):
    """Deterministic investments (Row) and their relations: (new, old) supersessions, (id, iso2s) covers."""
    rng = random.Random(SEED)
    iso2 = [line.split()[0] for line in COUNTRY_WEIGHTS.strip().splitlines()]
    weights = [float(line.split()[1]) for line in COUNTRY_WEIGHTS.strip().splitlines()]
    company_weights = [1, 6, 1, 8, 10, 5, 2, 4, 3, 2, 3, 2]
    start = date(2015, 1, 1)
    investments, supersedes, covers = [], [], []
    for pk in range(1, rows + 1):
        country = None if rng.random() < 0.02 else rng.choices(iso2, weights)[0]
        company = rng.choices(range(len(COMPANIES)), company_weights)[0]
        eur = round(rng.lognormvariate(19, 1.5), 2)
        part_of = rng.randint(1, pk - 1) if pk > 10 and rng.random() < 0.03 else None
        reason = "cumulative" if rng.random() < 0.01 else ""
        if pk > 10 and rng.random() < 0.01:
            supersedes.append((pk, rng.randint(1, pk - 1)))
        if country is None:
            covers.append((pk, rng.sample(iso2[:10], 3)))
        investments.append(
            Row(
                pk,
                f"B-{pk:07d}",
                company,
                country,
                rng.choice(PLACES),
                f"{COMPANIES[company][1]} investment {pk}",
                rng.choice(CATEGORIES),
                rng.choice(STATUSES),
                eur,
                round(eur * 1.08, 2),
                start + timedelta(days=rng.randint(0, 3900)),
                rng.choice(FIGURE_SOURCES),
                reason,
                rng.choice(CONFIDENCES),
                part_of,
            )
        )
    return investments, supersedes, covers


# Host-country weights: the big economies get most of the money, every seeded country some.
COUNTRY_WEIGHTS = """
DE 12
FR 11
ES 10
IT 8
GB 9
NL 7
IE 6
SE 5
PL 5
BE 3
AT 3
DK 3
FI 3
PT 3
NO 3
CH 3
CZ 2
GR 2
RO 2
HU 1
BG 1
HR 1
SK 1
SI 1
LT 1
LV 1
EE 1
LU 1
CY 0.5
MT 0.5
IS 0.5
TR 2
UA 1
RS 0.5
AL 0.3
BA 0.3
ME 0.2
MK 0.2
MD 0.2
XK 0.1
LI 0.1
AD 0.1
MC 0.1
SM 0.1
VA 0.05
"""


def copy_into_postgres(url, investments, supersedes, covers, progress=print):
    """Load investment_rows() into the migrated, empty database at `url` as a restore does, then VACUUM
    (ANALYZE): the planner's statistics and the visibility map (index-only scans) as after a load, and the
    investment counts (investments.models.InvestmentCount) rebuilt, as the model says a restore does."""
    with psycopg.connect(url) as conn:
        countries = dict(conn.execute("SELECT iso2, id FROM investments_country").fetchall())
        # Load as a restore does: no per-row foreign-key triggers, secondary indexes rebuilt at the end.
        conn.execute("SET session_replication_role = replica")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'investments_%%' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        with conn.cursor() as cur:
            for pk, (slug, name, parent) in enumerate(COMPANIES, start=1):
                parent_id = (
                    next(i for i, c in enumerate(COMPANIES, start=1) if c[0] == parent) if parent else None
                )
                cur.execute(
                    "INSERT INTO investments_company (id, name, slug, parent_id, aliases, website, "
                    "headquarters_country) VALUES (%s, %s, %s, %s, '[]', '', 'US')",
                    (pk, name, slug, parent_id),
                )
            progress(f"COPY {len(investments):,} investments")
            columns = (
                "id, ref, company_id, country_id, place, title, category, status, amount, currency, amount_eur, "
                "amount_usd, fx_rate_eur, fx_rate_usd, fx_date, announced_on, announced_precision, figure_source, "
                "not_counted_reason, confidence, notes, origin, record_hash, part_of_id, withdrawn, created, updated"
            )
            now = "2025-01-01T00:00:00+00:00"
            with cur.copy(f"COPY investments_investment ({columns}) FROM STDIN") as copy:
                for row in investments:
                    copy.write_row(
                        (
                            row.pk,
                            row.ref,
                            row.company + 1,
                            countries[row.country] if row.country else None,
                            row.place,
                            row.title,
                            row.category,
                            row.status,
                            row.eur,
                            "EUR",
                            row.eur,
                            row.usd,
                            1,
                            1.08,
                            row.day,
                            row.day,
                            "day",
                            row.figure_source,
                            row.reason,
                            row.confidence,
                            "",
                            "dataset",
                            "",
                            row.part_of,
                            False,
                            now,
                            now,
                        )
                    )
            progress("COPY sources")
            with cur.copy(
                "COPY investments_announcement (id, url, publisher, language, published_on, title, evidence, "
                "announced_by, amount, currency, amount_eur, record_hash, created) FROM STDIN"
            ) as copy:
                for row in investments:
                    copy.write_row(
                        (
                            row.pk,
                            f"https://news.example.org/{row.ref}",
                            PUBLISHERS[row.pk % len(PUBLISHERS)],
                            "en",
                            row.day,
                            row.title,
                            f"{row.title}: EUR {row.eur:,.0f}.",
                            "",
                            row.eur,
                            "EUR",
                            row.eur,
                            "",
                            now,
                        )
                    )
            with cur.copy(
                "COPY investments_announcement_investments (announcement_id, investment_id) FROM STDIN"
            ) as copy:
                for row in investments:
                    copy.write_row((row.pk, row.pk))  # one source each, of the same id
            with cur.copy(
                "COPY investments_investment_supersedes (from_investment_id, to_investment_id) FROM STDIN"
            ) as copy:
                for pair in supersedes:
                    copy.write_row(pair)
            with cur.copy(
                "COPY investments_investment_countries (investment_id, country_id) FROM STDIN"
            ) as copy:
                for pk, codes in covers:
                    for code in codes:
                        copy.write_row((pk, countries[code]))
            for table in ("company", "investment", "announcement"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('investments_{table}', 'id'), "
                    f"(SELECT max(id) FROM investments_{table}))"
                )
            progress(f"rebuild {len(indexes)} indexes")
            cur.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cur.execute(definition)
            # The triggers that keep the counts per country and company were off, as in a restore.
            progress("count investments per country and company")
            cur.execute("SELECT investments_investmentcount_rebuild()")
    with psycopg.connect(url, autocommit=True) as conn:
        progress("VACUUM ANALYZE")
        conn.execute("VACUUM ANALYZE")


def flat_sqlite(path, investments, supersedes):
    """The same investments as one flat SQLite table at `path` (replaced), `counted` precomputed by the
    project's own rule, indexed like PostgreSQL: the peer's copy for Datasette."""
    path.unlink(missing_ok=True)
    superseded = {old for _, old in supersedes}
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE investments (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, company TEXT, country TEXT, "
        "place TEXT, title TEXT, category TEXT, status TEXT, amount_eur REAL, amount_usd REAL, "
        "announced_on TEXT, figure_source TEXT, not_counted_reason TEXT, confidence TEXT, part_of INTEGER, "
        "counted INTEGER)"
    )
    db.executemany(
        "INSERT INTO investments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                row.pk,
                row.ref,
                COMPANIES[row.company][0],
                row.country,
                row.place,
                row.title,
                row.category,
                row.status,
                row.eur,
                row.usd,
                row.day.isoformat(),
                row.figure_source,
                row.reason,
                row.confidence,
                row.part_of,
                int(
                    counts(
                        part_of=row.part_of,
                        not_counted_reason=row.reason,
                        superseded=row.pk in superseded,
                        withdrawn=False,
                        status=row.status,
                    )
                ),
            )
            for row in investments
        ),
    )
    db.execute("CREATE INDEX inv_country_date ON investments (country, announced_on DESC)")
    db.execute("CREATE INDEX inv_country_company_date ON investments (country, company, announced_on DESC)")
    db.execute("CREATE INDEX inv_date ON investments (announced_on DESC)")
    db.commit()
    db.execute("ANALYZE")
    db.close()


def orm_investments(rows):
    """Fill the database Django is set up with with `rows` investments through the models (bulk), with
    a source each and every 29th a component of the record before it; nothing when it holds them
    already."""
    from django.db import transaction

    from investments.models import Announcement, Company, Country, Investment

    if Investment.objects.count() >= rows:
        return
    rng = random.Random(SEED)
    companies = {}
    for slug, name, parent in COMPANIES:
        companies[slug], _ = Company.objects.get_or_create(
            slug=slug, defaults={"name": name, "parent": companies.get(parent), "headquarters_country": "US"}
        )
    countries = list(Country.objects.all())
    # Large markets get more of the money, as in the real data.
    weights = [
        8 if c.iso2 in {"GB", "DE", "FR", "ES", "IE", "NL", "IT", "SE", "PL"} else 1 for c in countries
    ]
    start = date(2019, 1, 1)
    batch = []
    with transaction.atomic():
        for n in range(rows):
            eur = Decimal(int(rng.lognormvariate(19.5, 1.6))).quantize(Decimal("1"))
            in_usd = rng.random() < 0.4
            europe_wide = rng.random() < 0.05
            announced = start + timedelta(days=rng.randrange(0, 8 * 365))
            batch.append(
                Investment(
                    ref=f"B-{n:07d}",
                    company=rng.choice(list(companies.values())),
                    country=None if europe_wide else rng.choices(countries, weights)[0],
                    title=f"Generated investment {n}",
                    category=rng.choice(CATEGORIES),
                    status=rng.choice(STATUSES),
                    amount=(eur * Decimal("1.08")).quantize(Decimal("1")) if in_usd else eur,
                    currency="USD" if in_usd else "EUR",
                    amount_eur=eur,
                    amount_usd=(eur * Decimal("1.08")).quantize(Decimal("1")),
                    fx_date=announced,
                    announced_on=announced,
                    period_start=announced.year,
                    period_end=announced.year + rng.choice([0, 0, 1, 4, 9]),
                    not_counted_reason="cumulative" if rng.random() < 0.03 else "",
                )
            )
            if len(batch) == 5000:
                Investment.objects.bulk_create(batch)
                batch = []
        Investment.objects.bulk_create(batch)
        ids = list(Investment.objects.order_by("pk").values_list("pk", flat=True))
        # A few percent are components of the record before them.
        parts = [Investment(pk=pk, part_of_id=ids[i - 1]) for i, pk in enumerate(ids) if i and i % 29 == 0]
        Investment.objects.bulk_update(parts, ["part_of"], batch_size=5000)
        sources = [
            Announcement(
                url=f"https://news.example.org/bench/{n}", publisher=f"Publisher {n % 40}", language="en"
            )
            for n in range(len(ids))
        ]
        Announcement.objects.bulk_create(sources, batch_size=5000)
        through = Announcement.investments.through
        source_ids = Announcement.objects.order_by("pk").values_list("pk", flat=True)
        through.objects.bulk_create(
            [through(announcement_id=a, investment_id=i) for a, i in zip(source_ids, ids, strict=False)],
            batch_size=5000,
        )


def dataset_files(folder: Path, rows: int, seed: int = 7) -> None:
    """Write a valid dataset of `rows` investments, each with one source."""
    rng = random.Random(seed)
    with (folder / "companies.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COMPANY_COLUMNS)
        for n in range(40):
            w.writerow([f"bench-co-{n}", f"Bench Company {n}", "", f"Bench {n}|BC{n}", "", "US"])
    # Every source comes from one outlet, a wire: each counted record stands on a major source.
    (folder / "outlets.csv").write_text(
        "domain,name,tier,country,language\nbench.example.org,Bench Wire,major,,en\n"
    )
    with (
        (folder / "investments.csv").open("w", newline="") as inv,
        (folder / "announcements.csv").open("w", newline="") as ann,
    ):
        wi, wa = csv.writer(inv), csv.writer(ann)
        wi.writerow(INVESTMENT_COLUMNS)
        wa.writerow(ANNOUNCEMENT_COLUMNS)
        for n in range(rows):
            ref = f"B-{n:07d}"
            currency = rng.choice(DATASET_CURRENCIES)
            amount = rng.randrange(1, 20_000) * 1_000_000
            # Up to 2025: the ingest refuses dates in the future.
            day = f"{rng.randrange(2019, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            part_of = f"B-{n - 1:07d}" if n % 50 == 1 else ""
            wi.writerow(
                [
                    ref,
                    f"bench-co-{n % 40}",
                    rng.choice(EUROPEAN_COUNTRIES),
                    "",
                    f"City {n % 300}",
                    f"Generated investment {n}",
                    rng.choice(CATEGORIES),
                    "announced",
                    amount,
                    currency,
                    day,
                    "",
                    "",
                    part_of,
                    "",
                    "",
                    "company",
                    "",
                    "medium",
                    "",
                    "",
                ]
            )
            wa.writerow(
                [ref, f"https://bench.example.org/{n}", "Bench Wire", "en", day, "", "", amount, currency, ""]
            )
