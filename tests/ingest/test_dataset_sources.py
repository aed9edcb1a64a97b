"""The dataset's sources and overlaps: every URL resolves to an outlet with a tier, a counted record stands
on a primary or major source, documented overlaps lower the firm figure only. Checked on the test
dataset (tests/fixtures/dataset), whose sources all come from example.org."""

from decimal import Decimal

import pytest

from ingest.dataset_pipeline import ingest_dataset
from investments.models import Announcement, Investment, Overlap
from tests.ingest.test_dataset_ingest import edit, refuse

pytestmark = pytest.mark.django_db
BN = Decimal("1000000000")
OUTLETS_HEADER = "domain,name,tier,country,language\n"
OVERLAPS_HEADER = "investment,overlaps,amount,currency,basis\n"


def outlets(path, *rows):
    (path / "outlets.csv").write_text(OUTLETS_HEADER + "".join(f"{row}\n" for row in rows))


def overlaps(path, *rows):
    (path / "overlaps.csv").write_text(OVERLAPS_HEADER + "".join(f"{row}\n" for row in rows))


def totals():
    found = Investment.objects.grand_total("EUR")
    return found["total"], found["total_firm"]


@pytest.fixture
def loaded(dataset_dir):
    ingest_dataset(dataset_dir)
    return dataset_dir


def test_every_source_gets_the_tier_of_its_outlet(loaded):
    assert set(Announcement.objects.values_list("outlet__domain", "outlet__tier")) == {
        ("example.org", "major")
    }


def test_unknown_domain_is_refused_naming_file_row_and_field(loaded):
    edit(
        loaded / "announcements.csv", "https://example.org/aws-2026", "https://www.news.unknown-outlet.net/a"
    )
    refuse(loaded, "announcements.csv:7: url: no outlet in outlets.csv covers 'news.unknown-outlet.net'")


def test_counted_record_resting_on_an_aggregator_alone_is_refused(loaded):
    outlets(loaded, "example.org,Example Wire,major,,en", "example.org/aws-2026,Copycat,aggregator,,en")
    refuse(
        loaded,
        "investments.csv:7: id: 'T-AWS-ES-03' counts toward totals but has no primary or major source",
    )


def test_counted_record_resting_on_trade_press_alone_is_refused(loaded):
    outlets(loaded, "example.org,Example Trade,trade,,en")
    errors = refuse(loaded)
    assert len([e for e in errors if "has no primary or major source" in e]) == 5  # the five counted records


def test_aggregator_may_add_a_figure_beside_a_major_source(dataset_dir):
    outlets(
        dataset_dir,
        "example.org,Example Wire,major,,en",
        "example.org/ms-es-pledge-fr,Copycat,aggregator,FR,fr",
    )
    ingest_dataset(dataset_dir)
    tiers = dict(Investment.objects.get(ref="T-MS-ES-01").announcements.values_list("url", "outlet__tier"))
    assert tiers == {
        "https://example.org/ms-es-pledge": "major",
        "https://example.org/ms-es-pledge-fr": "aggregator",  # the longest matching entry wins
    }


def test_record_that_does_not_count_may_rest_on_an_aggregator(dataset_dir):
    outlets(dataset_dir, "example.org,Example Wire,major,,en", "example.org/google-fi,Copycat,aggregator,,en")
    assert ingest_dataset(dataset_dir).status == "succeeded"  # T-GO-FI-01 is a cumulative total


def test_outlets_file_is_required(loaded):
    (loaded / "outlets.csv").unlink()
    refuse(loaded, "outlets.csv: missing")


def test_bad_outlet_rows_are_refused_with_file_line_and_field(loaded):
    outlets(
        loaded,
        "example.org,Example Wire,blog,,en",
        "www.example.net,Example Net,major,,en",
        "example.com,X,major,Spain,en",
    )
    refuse(
        loaded,
        "outlets.csv:2: tier: 'blog' is not one of: primary, major, trade, aggregator",
        "outlets.csv:3: domain: 'www.example.net' is not an outlet domain",
        "outlets.csv:4: country: 'Spain' is not an ISO 3166 alpha-2 code",
    )


def test_duplicate_outlet_domain_is_refused(loaded):
    outlets(loaded, "example.org,Example Wire,major,,en", "EXAMPLE.org,Example Wire again,trade,,en")
    refuse(loaded, "outlets.csv:3: domain: duplicate domain 'example.org'")


def test_a_changed_list_of_outlets_relinks_the_sources_and_makes_a_record_firm(loaded):
    assert not Investment.objects.with_counted().filter(ref="T-AWS-ES-02", is_firm=True).exists()
    outlets(loaded, "example.org,Example Wire,major,,en", "example.org/aws-2024,Amazon (test),primary,US,en")
    run = ingest_dataset(loaded)
    assert run.counts["sources_relinked"] == 1
    assert Announcement.objects.get(url="https://example.org/aws-2024").outlet.tier == "primary"
    firm = Investment.objects.with_counted().filter(is_firm=True)
    assert set(firm.values_list("ref", flat=True)) == {"T-AWS-ES-02"}
    assert ingest_dataset(loaded).counts["sources_relinked"] == 0


# --- Overlaps ------------------------------------------------------------------------------------


@pytest.fixture
def firm_dir(dataset_dir):
    """The test dataset with every source primary: every counted record at medium confidence or better is
    firm, so the headline and firm figures differ by the overlaps alone."""
    outlets(dataset_dir, "example.org,Example Government,primary,,en")
    return dataset_dir


def test_stated_overlap_lowers_the_firm_figure_by_its_amount(firm_dir):
    ingest_dataset(firm_dir)
    before = totals()
    assert before[0] == before[1]
    overlaps(
        firm_dir, 'T-AWS-ES-03,T-AWS-ES-02,1000000000,EUR,"The 2026 plan restates EUR 1bn of the 2024 one."'
    )
    run = ingest_dataset(firm_dir)
    assert run.counts["overlaps_replaced"] == 1
    assert totals() == (before[0], before[1] - BN)
    overlap = Overlap.objects.get()
    assert (overlap.investment.ref, overlap.overlaps.ref, overlap.amount_eur) == (
        "T-AWS-ES-03",
        "T-AWS-ES-02",
        BN,
    )


def test_possible_overlap_leaves_the_record_out_of_the_firm_figure(firm_dir):
    overlaps(firm_dir, 'T-AWS-ES-03,T-AWS-ES-02,,,"No source says how much of the 2026 plan is new."')
    ingest_dataset(firm_dir)
    total, firm = totals()
    assert total - firm == 18 * BN
    assert Overlap.objects.get().amount is None  # a possible overlap: no source states the money


def test_overlaps_file_is_optional_and_its_rows_are_replaced(firm_dir):
    overlaps(firm_dir, 'T-AWS-ES-03,T-AWS-ES-02,,,"Possible."')
    ingest_dataset(firm_dir)
    assert ingest_dataset(firm_dir).counts["overlaps_replaced"] == 0  # unchanged file, nothing written
    (firm_dir / "overlaps.csv").unlink()
    ingest_dataset(firm_dir)
    assert not Overlap.objects.exists()


def test_bad_overlaps_are_refused_naming_file_row_and_field(loaded):
    overlaps(
        loaded,
        'T-MS-ES-03,T-MS-ES-02,,,"A component never counts."',
        'T-NOPE,T-MS-ES-02,,,"Unknown."',
        'T-AWS-ES-03,T-AWS-ES-02,100,,"No currency."',
        'T-AWS-ES-03,T-AWS-ES-03,,,"Itself."',
        'T-AWS-ES-03,T-AWS-ES-02,100,XXX,"No rate."',
        'T-AWS-ES-02,T-AWS-ES-03,,,"Both ways."',
        "T-MS-ES-01,T-AWS-ES-02,,,",
    )
    refuse(
        loaded,
        "overlaps.csv:2: investment: 'T-MS-ES-03' does not count toward totals",
        "overlaps.csv:3: investment: unknown id 'T-NOPE'",
        "overlaps.csv:4: currency: give both amount and currency",
        "overlaps.csv:5: overlaps: a record cannot overlap itself",
        "overlaps.csv:6: currency: no ECB reference rate for 'XXX'",
        "overlaps.csv:7: overlaps: the pair is listed both ways",
        "overlaps.csv:8: basis: required, but empty",
    )


# --- Scope, cancellation ------------------------------------------------------------------------


def test_out_of_scope_record_is_kept_and_not_counted(client, loaded):
    edit(
        loaded / "investments.csv",
        "2024,2025,,,,company,,high,,Test record.",
        "2024,2025,,,,company,out_of_scope,high,,Test record.",
    )
    ingest_dataset(loaded)
    assert not Investment.objects.counted().filter(ref="T-MS-ES-01").exists()
    body = client.get("/api/v1/investments/T-MS-ES-01/").json()
    assert (body["counted"], body["not_counted_reason"]) == (False, "out_of_scope")


def test_cancelled_record_is_listed_searchable_and_never_counted(client, loaded):
    total = totals()[0]
    edit(
        loaded / "investments.csv",
        "Further Aragon expansion,datacentre,announced",
        "Further Aragon expansion,datacentre,cancelled",
    )
    ingest_dataset(loaded)
    assert totals()[0] == total - 18 * BN
    found = client.get("/api/v1/investments/", {"q": "Further Aragon"}).json()["results"]
    assert [(r["ref"], r["counted"], r["status"]) for r in found] == [("T-AWS-ES-03", False, "cancelled")]
    uncounted = client.get("/api/v1/investments/", {"counted": "false"}).json()["results"]
    assert "T-AWS-ES-03" in {r["ref"] for r in uncounted}
    page = client.get("/investments/T-AWS-ES-03/").content.decode()
    assert "The project was cancelled" in page
