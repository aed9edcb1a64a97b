"""The dataset pipeline: refuses bad files whole with file:line: field: reason, loads good ones idempotently."""

import os
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingest.dataset_pipeline import DatasetRefused, ingest_dataset
from ingest.models import IngestRun
from investments.models import Announcement, Company, Investment
from investments.money import rate_table

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Investment.objects.values_list("ref", "amount", "title", "record_hash")),
        sorted(Announcement.objects.values_list("url", "amount")),
        sorted(Company.objects.values_list("slug", "name")),
    )


def edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def refuse(path, *expected_fragments):
    """Ingest `path`, expecting refusal with every fragment among the errors and the database unchanged."""
    before = snapshot()
    with pytest.raises(DatasetRefused) as refused:
        ingest_dataset(path)
    assert snapshot() == before
    joined = "\n".join(refused.value.errors)
    for fragment in expected_fragments:
        assert fragment in joined, joined
    run = IngestRun.objects.latest("started")
    assert run.status == IngestRun.Status.REFUSED
    assert run.errors == refused.value.errors
    return refused.value.errors


def test_dataset_loads_with_sources_and_relations(loaded):
    assert Investment.objects.count() == 8
    campus = Investment.objects.get(ref="T-MS-ES-03")
    assert campus.part_of.ref == "T-MS-ES-02"
    assert list(Investment.objects.get(ref="T-AWS-ES-02").supersedes.values_list("ref", flat=True)) == [
        "T-AWS-ES-01"
    ]
    assert Investment.objects.get(ref="T-MS-ES-01").announcements.count() == 2
    assert set(Investment.objects.get(ref="T-GO-EU-01").countries.values_list("iso2", flat=True)) == {
        "DE",
        "FR",
    }
    assert Company.objects.get(slug="aws").parent.slug == "amazon"


def test_rerun_changes_nothing(loaded):
    before = snapshot()
    run = ingest_dataset(loaded)
    assert snapshot() == before
    assert run.counts["created"] == run.counts["updated"] == 0
    assert run.counts["unchanged"] == 8
    assert run.counts["announcements_unchanged"] == 8


def test_changed_row_is_updated_in_place(loaded):
    edit(loaded / "investments.csv", "Villamayor campus", "Villamayor de Gallego campus")
    run = ingest_dataset(loaded)
    assert (run.counts["created"], run.counts["updated"], run.counts["unchanged"]) == (0, 1, 7)
    assert Investment.objects.get(ref="T-MS-ES-03").title == "Villamayor de Gallego campus"


def test_changed_amount_and_source_are_reconverted_and_relations_kept(loaded):
    """A changed row goes through the bulk update path: every converted column and the relations."""
    before = Investment.objects.get(ref="T-MS-ES-03")
    edit(loaded / "investments.csv", "2200000000,EUR,2024-07-02", "2000000000,USD,2024-07-02")
    edit(loaded / "announcements.csv", "6690000000,EUR,Permit", "6700000000,EUR,Permit")
    run = ingest_dataset(loaded)
    assert (run.counts["updated"], run.counts["announcements_updated"]) == (1, 1)
    after = Investment.objects.get(ref="T-MS-ES-03")
    assert (after.amount, after.currency, after.amount_usd) == (2_000_000_000, "USD", 2_000_000_000)
    expected = rate_table().convert(Decimal(2_000_000_000), "USD", date(2024, 7, 2))
    assert (after.amount_eur, after.fx_date) == (expected.amount_eur, date(2024, 7, 2))
    assert after.part_of.ref == "T-MS-ES-02" and after.updated > before.updated
    source = Announcement.objects.get(url="https://example.org/aragon")
    assert (source.amount, source.amount_eur) == (6_700_000_000, 6_700_000_000)
    assert set(source.investments.values_list("ref", flat=True)) == {"T-MS-ES-02", "T-MS-ES-03"}


def test_command_reports_nothing_changed_on_rerun(loaded, capsys):
    call_command("ingest", "dataset", str(loaded))
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 8 unchanged" in out
    assert "nothing changed" in out


def test_removed_record_is_reported_not_deleted(loaded):
    lines = (loaded / "investments.csv").read_text().splitlines()
    (loaded / "investments.csv").write_text(
        "\n".join(line for line in lines if "T-GO-EU-01" not in line) + "\n"
    )
    lines = (loaded / "announcements.csv").read_text().splitlines()
    (loaded / "announcements.csv").write_text(
        "\n".join(line for line in lines if "T-GO-EU-01" not in line) + "\n"
    )
    run = ingest_dataset(loaded)
    assert Investment.objects.filter(ref="T-GO-EU-01").exists()
    assert run.counts["missing"] == 1
    assert any("T-GO-EU-01" in note for note in run.errors)


def test_withdrawn_record_stays_listed_and_never_counts(loaded):
    hamina = ",2009,2024,,,,company,,high,,Not new money."
    edit(loaded / "investments.csv", ",2009,2024,,,,company,cumulative,high,,Not new money.", hamina)
    ingest_dataset(loaded)
    assert Investment.objects.counted().filter(ref="T-GO-FI-01").exists()
    edit(loaded / "investments.csv", hamina, ",2009,2024,,,,company,,high,yes,Not new money.")
    run = ingest_dataset(loaded)
    assert run.counts["withdrawn"] == 1
    record = Investment.objects.get(ref="T-GO-FI-01")
    assert record.withdrawn
    assert not Investment.objects.counted().filter(ref="T-GO-FI-01").exists()
    assert list(record.announcements.values_list("url", flat=True)) == ["https://example.org/google-fi"]
    assert Investment.objects.search("Hamina").filter(ref="T-GO-FI-01").exists()


def test_sunday_announcement_gets_fridays_rate(dataset_dir):
    # 2024-02-18 is a Sunday: the ECB's last rate before it is Friday 2024-02-16.
    edit(dataset_dir / "investments.csv", "USD,2024-02-19", "USD,2024-02-18")
    ingest_dataset(dataset_dir)
    pledge = Investment.objects.get(ref="T-MS-ES-01")
    assert pledge.fx_date == date(2024, 2, 16)
    assert pledge.amount_usd == Decimal("2100000000.00")
    # ECB 2024-02-16: 1 EUR = 1.0768 USD.
    assert pledge.amount_eur == (Decimal("2100000000") / Decimal("1.0768")).quantize(Decimal("0.01"))


def test_month_precision_uses_the_fifteenth(loaded):
    aws = Investment.objects.get(ref="T-AWS-ES-01")  # announced 2021-03
    assert aws.announced_precision == "month"
    assert aws.fx_date == date(2021, 3, 15)


# --- Refusals: each leaves the database exactly as it was. ---------------------------------------


def test_missing_column_is_refused(loaded):
    edit(loaded / "investments.csv", "id,company,country,", "id,company,")
    refuse(loaded, "investments.csv:1: header: missing column(s) country")


def test_unknown_column_is_refused(loaded):
    edit(loaded / "announcements.csv", ",evidence\n", ",evidence,colour\n")
    refuse(loaded, "announcements.csv:1: header: unknown column(s) colour")


def test_unknown_currency_is_refused(loaded):
    edit(loaded / "investments.csv", "2500000000,EUR,2021-03", "2500000000,XYZ,2021-03")
    refuse(loaded, "investments.csv:5: currency: no ECB reference rate for 'XYZ'")


def test_malformed_currency_is_refused(loaded):
    edit(loaded / "investments.csv", "2500000000,EUR,2021-03", "2500000000,euro,2021-03")
    refuse(loaded, "investments.csv:5: currency: 'euro' is not an ISO 4217 currency code")


def test_negative_amount_is_refused(loaded):
    edit(loaded / "investments.csv", ",2500000000,EUR", ",-2500000000,EUR")
    refuse(loaded, "investments.csv:5: amount: -2500000000 is negative")


def test_non_numeric_amount_is_refused(loaded):
    edit(loaded / "investments.csv", ",2500000000,EUR", ",2.5bn,EUR")
    refuse(loaded, "investments.csv:5: amount: '2.5bn' is not a number")


def test_impossible_date_is_refused(loaded):
    edit(loaded / "investments.csv", "2024-06-14", "2024-02-30")
    refuse(loaded, "investments.csv:3: announced_on: '2024-02-30' is not a real date")


def test_unknown_company_is_refused(loaded):
    edit(loaded / "investments.csv", "T-GO-EU-01,google", "T-GO-EU-01,googol")
    refuse(loaded, "investments.csv:9: company: unknown company 'googol'")


def test_unknown_country_is_refused(loaded):
    edit(loaded / "investments.csv", "T-GO-FI-01,google,FI", "T-GO-FI-01,google,US")
    refuse(loaded, "investments.csv:8: country: 'US' is not a European country")


def test_duplicate_ids_are_refused(loaded):
    edit(loaded / "investments.csv", "T-GO-EU-01,google", "T-GO-FI-01,google")
    errors = refuse(
        loaded, "investments.csv:8: id: duplicate id 'T-GO-FI-01'", "investments.csv:9: id: duplicate id"
    )
    assert len([e for e in errors if "duplicate id" in e]) == 2


def test_unknown_relation_is_refused(loaded):
    edit(loaded / "investments.csv", ",T-MS-ES-02,,,government", ",T-MS-ES-99,,,government")
    refuse(loaded, "investments.csv:4: part_of: unknown id 'T-MS-ES-99'")


def test_a_rejected_row_does_not_cascade_into_reference_errors(loaded):
    edit(loaded / "investments.csv", ",2500000000,EUR", ",-1,EUR")  # T-AWS-ES-01, superseded by T-AWS-ES-02
    errors = refuse(loaded, "investments.csv:5: amount: -1 is negative")
    assert len(errors) == 1


def test_every_error_is_listed_not_just_the_first(loaded):
    edit(loaded / "investments.csv", ",2500000000,EUR", ",-1,EUR")
    edit(loaded / "investments.csv", "2024-06-14", "2024-13-01")
    edit(loaded / "announcements.csv", "https://example.org/aws-2026", "not a url")
    errors = refuse(
        loaded, "investments.csv:3: announced_on", "investments.csv:5: amount", "announcements.csv:7: url"
    )
    assert len(errors) >= 3


def test_non_utf8_bytes_are_refused(loaded):
    path = loaded / "investments.csv"
    path.write_bytes(path.read_bytes().replace(b"Aragon ten-year", "Arag\xf3n ten-year".encode("latin-1")))
    refuse(loaded, "investments.csv:3: -: not UTF-8 text (byte 0xf3)")


def test_empty_file_is_refused(loaded):
    (loaded / "investments.csv").write_bytes(b"")
    refuse(loaded, "investments.csv:1: -: the file is empty")


def test_header_only_file_is_refused(loaded):
    path = loaded / "investments.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    refuse(loaded)


def test_huge_file_is_refused_before_reading(loaded, settings):
    path = loaded / "investments.csv"
    with path.open("ab") as out:
        out.truncate(50 * 1024 * 1024)  # a 50 MB file (sparse)
    refuse(loaded, "investments.csv: 52,428,800 bytes, over the")


def test_random_bytes_are_refused(loaded):
    (loaded / "investments.csv").write_bytes(os.urandom(4096))
    refuse(loaded, "investments.csv:")


def test_missing_file_is_refused(loaded):
    (loaded / "announcements.csv").unlink()
    refuse(loaded, "announcements.csv: missing")


def test_investment_without_source_is_refused(loaded):
    lines = (loaded / "announcements.csv").read_text().splitlines()
    (loaded / "announcements.csv").write_text(
        "\n".join(line for line in lines if "aws-2026" not in line) + "\n"
    )
    refuse(loaded, "investments.csv:7: id: 'T-AWS-ES-03' has no source")


def test_command_exits_non_zero_with_every_error(loaded, capsys):
    edit(loaded / "investments.csv", ",2500000000,EUR", ",-1,EUR")
    with pytest.raises(CommandError, match="dataset refused, nothing changed: 1 error"):
        call_command("ingest", "dataset", str(loaded))
    assert "investments.csv:5: amount: -1 is negative" in capsys.readouterr().err


def test_unchanged_dataset_after_refusal_still_loads(loaded):
    edit(loaded / "investments.csv", ",2500000000,EUR", ",-1,EUR")
    with pytest.raises(DatasetRefused):
        ingest_dataset(loaded)
    edit(loaded / "investments.csv", ",-1,EUR", ",2500000000,EUR")
    assert ingest_dataset(loaded).status == IngestRun.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_bulk_update_works_outside_a_transaction(loaded):
    """update_rows' temporary table lives until commit: called in autocommit, it opens its own."""
    from ingest.bulk import update_rows

    record = Investment.objects.get(ref="T-MS-ES-03")
    update_rows(Investment, ("title", "place"), [(record.pk, "Renamed campus", "Zaragoza")])
    record.refresh_from_db()
    assert (record.title, record.place) == ("Renamed campus", "Zaragoza")


# --- Holes an outside test found: each refused naming file, row and field, changing nothing. --------


def test_a_supersedes_cycle_is_refused_naming_each_row(loaded):
    """T-AWS-ES-02 supersedes T-AWS-ES-01; the other way round as well dropped both from the totals."""
    edit(loaded / "investments.csv", "2021,2031,,,,company", "2021,2031,,T-AWS-ES-02,,company")
    refuse(
        loaded,
        "investments.csv:5: supersedes: supersedes relations form a cycle: T-AWS-ES-01 -> T-AWS-ES-02 -> T-AWS-ES-01",
        "investments.csv:6: supersedes: supersedes relations form a cycle",
    )


def test_an_expands_cycle_is_refused(loaded):
    edit(
        loaded / "investments.csv",
        "2024,2033,,T-AWS-ES-01,,company",
        "2024,2033,,T-AWS-ES-01,T-AWS-ES-03,company",
    )
    refuse(
        loaded, "investments.csv:6: expands: expands relations form a cycle", "investments.csv:7: expands:"
    )


def test_a_part_of_cycle_is_refused(loaded):
    edit(loaded / "investments.csv", "2024,2033,,,,government", "2024,2033,T-MS-ES-03,,,government")
    refuse(loaded, "investments.csv:3: part_of: part_of relations form a cycle")


def test_a_company_parent_cycle_is_refused_even_through_a_company_only_in_the_database(loaded):
    edit(loaded / "companies.csv", "amazon,Amazon,,", "amazon,Amazon,aws,")
    refuse(loaded, "companies.csv:2: parent: company parents form a cycle: amazon -> aws -> amazon")
    # aws (parent amazon) is in the database; a file listing amazon alone closes the loop through it.
    (loaded / "companies.csv").write_text(
        "slug,name,parent,aliases,website,hq_country\namazon,Amazon,aws,,https://www.amazon.com,US\n"
    )
    refuse(loaded, "companies.csv:2: parent: company parents form a cycle: amazon -> aws -> amazon")


def test_an_amount_dated_before_the_ecb_history_is_refused_not_a_crash(loaded):
    first = min(rate_table().days)
    edit(loaded / "investments.csv", "2500000000,EUR,2021-03", "2500000000,EUR,1995-03")
    refuse(
        loaded,
        f"investments.csv:5: announced_on: 1995-03-01 is before the ECB reference rates for EUR begin ({first})",
    )
    edit(loaded / "investments.csv", "2500000000,EUR,1995-03", "2500000000,EUR,2021-03")
    edit(loaded / "announcements.csv", "en,2024-02-19", "en,1998-12-31")
    refuse(
        loaded,
        "announcements.csv:2: published_on: 1998-12-31 is before the ECB reference rates for USD begin",
    )


def test_zero_amounts_are_refused(loaded):
    edit(loaded / "investments.csv", ",2500000000,EUR", ",0,EUR")
    edit(loaded / "announcements.csv", ",2100000000,USD", ",0.00,USD")
    refuse(
        loaded,
        "investments.csv:5: amount: zero: leave amount and currency empty",
        "announcements.csv:2: amount: zero",
    )


def test_dates_in_the_future_are_refused(loaded):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    edit(loaded / "investments.csv", "EUR,2024-06-14", f"EUR,{tomorrow}")
    edit(loaded / "announcements.csv", "en,2024-02-19", f"en,{tomorrow}")
    refuse(
        loaded,
        f"investments.csv:3: announced_on: {tomorrow} is in the future",
        f"announcements.csv:2: published_on: {tomorrow} is in the future",
    )
