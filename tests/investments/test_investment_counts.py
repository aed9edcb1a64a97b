"""The investment counts per country and company (investments.models.InvestmentCount) that PostgreSQL
keeps by triggers: after every kind of write they are the rows counted again, in the writing
transaction, and an API list filtered by country and company reads them instead of counting its rows."""

from collections import OrderedDict
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from investments.api import compiled
from investments.models import Investment, InvestmentCount
from tests.factories import CompanyFactory, InvestmentFactory, country

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps the counts; SQLite counts its rows"
)


def kept():
    return {(c.country_id, c.company_id): c.investments for c in InvestmentCount.objects.all()}


def recounted():
    rows = Investment.objects.values("country_id", "company_id").annotate(n=Count("id")).order_by()
    return {(row["country_id"], row["company_id"]): row["n"] for row in rows}


@pytest.fixture(autouse=True)
def uncached(settings, monkeypatch):
    # Rows added here leave the data version as it was (no ingest): nothing may be served from before
    # them, neither a response, nor a count, nor another test's compiled list with its company ids.
    settings.API_CACHE_SECONDS = settings.API_COUNT_CACHE_SECONDS = 0
    monkeypatch.setattr(compiled, "_memo", OrderedDict())


@pytest.fixture
def companies(db):
    return CompanyFactory(slug="microsoft"), CompanyFactory(slug="aws")


def test_every_kind_of_write_keeps_the_counts(companies):
    microsoft, aws = companies
    spain, germany = country("ES"), country("DE")
    one = InvestmentFactory(company=microsoft, country=spain)  # save(): an INSERT
    Investment.objects.bulk_create(
        [InvestmentFactory.build(company=aws, country=germany, ref=f"B-{n}") for n in range(5)]
        + [InvestmentFactory.build(company=aws, country=None, ref="B-EU")]  # a Europe-wide programme
    )
    assert kept() == recounted() == {(spain.pk, microsoft.pk): 1, (germany.pk, aws.pk): 5, (None, aws.pk): 1}

    one.country = None  # an UPDATE moving a record to Europe-wide
    one.save()
    Investment.objects.filter(ref__in=["B-0", "B-1"]).update(company=microsoft, country=spain)
    Investment.objects.filter(ref="B-2").update(title="Renamed")  # moves nothing
    assert kept() == recounted()
    assert kept()[(spain.pk, microsoft.pk)] == 2

    Investment.objects.filter(ref__in=["B-0", "B-1"]).delete()  # the last of a count: its row goes
    assert kept() == recounted()
    assert (spain.pk, microsoft.pk) not in kept()
    assert not InvestmentCount.objects.filter(investments__lte=0).exists()


def test_the_counts_follow_the_writing_transaction(companies):
    microsoft, _ = companies
    InvestmentFactory(company=microsoft, ref="KEPT")
    before = kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        InvestmentFactory(company=microsoft, ref="ROLLED-BACK")
        assert kept()[(country("ES").pk, microsoft.pk)] == 2  # seen inside the transaction
        raise RuntimeError
    assert kept() == before == recounted()


def test_a_truncate_empties_the_counts(companies):
    InvestmentFactory(company=companies[0])
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks
        cursor.execute("TRUNCATE investments_investment CASCADE")
    assert kept() == {}


def test_counts_that_were_not_kept_refuse_the_write_rather_than_go_wrong(companies):
    record = InvestmentFactory(company=companies[0])
    # As after a load with the triggers off, not followed by investments_investmentcount_rebuild().
    InvestmentCount.objects.all().delete()
    with pytest.raises(DatabaseError, match="fell below zero"), transaction.atomic():
        record.delete()
    assert Investment.objects.filter(pk=record.pk).exists()

    with connection.cursor() as cursor:
        cursor.execute("SELECT investments_investmentcount_rebuild()")
    assert kept() == recounted() != {}


def test_the_dataset_pipeline_keeps_the_counts(loaded):
    assert kept() == recounted() != {}
    assert sum(kept().values()) == Investment.objects.count()


@pytest.mark.parametrize(
    "query, expected, from_kept_counts",
    [
        ("", 4, True),
        ("?country=ES", 2, True),
        ("?country=es,DE&company=microsoft,aws&ordering=-amount_eur&page_size=1", 3, True),
        ("?country=ES&category=datacentre", 2, False),  # a filter the counts do not hold: rows counted
        ("?company=aws&q=madrid", 1, False),
    ],
)
def test_a_list_filtered_by_country_and_company_reads_the_kept_counts(
    client, companies, query, expected, from_kept_counts
):
    microsoft, aws = companies
    places = [
        (microsoft, "ES", "Madrid"),
        (microsoft, "ES", "Aragón"),
        (aws, "DE", "Frankfurt"),
        (aws, "FR", "Madrid"),
    ]
    for n, (company, iso2, place) in enumerate(places):
        InvestmentFactory(company=company, country=country(iso2), ref=f"L-{n}", place=place)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/investments/{query}")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == expected
    summed = [q["sql"] for q in queries if "investments_investmentcount" in q["sql"]]
    counted = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert (len(summed), len(counted)) == ((1, 0) if from_kept_counts else (0, 1))


def test_a_new_record_is_counted_at_the_next_request(client, companies):
    microsoft, _ = companies
    InvestmentFactory(company=microsoft, ref="N-1")
    assert client.get("/api/v1/investments/?company=microsoft").json()["count"] == 1
    InvestmentFactory(company=microsoft, ref="N-2", announced_on=date(2025, 1, 1), amount=Decimal("5"))
    assert client.get("/api/v1/investments/?company=microsoft").json()["count"] == 2
