"""The bundled dataset (data/): it validates, every record is sourced, and the overlap cases count once.

The expected totals are the hand-checked ones in data/README.md ("The overlap cases").
"""

import csv
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.conf import settings

from ingest.dataset_pipeline import ingest_dataset
from ingest.models import IngestRun
from ingest.parsers.dataset import parse_investments
from ingest.validate import counted_refs
from investments.models import Announcement, Investment, Overlap
from investments.querysets import STANDING_TIERS

pytestmark = pytest.mark.django_db
BN = Decimal("1000000000")
M = Decimal("1000000")


@pytest.fixture
def dataset():
    run = ingest_dataset(settings.DATASET_DIR)
    assert run.status == IngestRun.Status.SUCCEEDED
    return run


def counted_totals(company: str, country: str) -> dict[str, Decimal]:
    """Sum of the counted records' announced amounts, per announced currency."""
    totals = defaultdict(Decimal)
    rows = Investment.objects.counted().filter(
        company__slug=company, country__iso2=country, amount__isnull=False
    )
    for investment in rows:
        totals[investment.currency] += investment.amount
    return dict(totals)


def is_counted(ref: str) -> bool:
    return Investment.objects.counted().filter(ref=ref).exists()


def test_dataset_validates_and_loads_every_record(dataset):
    with open(settings.DATASET_DIR / "investments.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert dataset.counts["created"] == len(rows) == Investment.objects.count()


def test_ids_and_urls_are_unique():
    with open(settings.DATASET_DIR / "investments.csv", encoding="utf-8") as f:
        ids = Counter(row["id"] for row in csv.DictReader(f))
    with open(settings.DATASET_DIR / "announcements.csv", encoding="utf-8") as f:
        urls = Counter(row["url"] for row in csv.DictReader(f))
    assert [i for i, n in ids.items() if n > 1] == []
    assert [u for u, n in urls.items() if n > 1] == []


def test_every_investment_has_a_source_url(dataset):
    unsourced = Investment.objects.filter(announcements__isnull=True)
    assert list(unsourced.values_list("ref", flat=True)) == []
    for investment in Investment.objects.prefetch_related("announcements"):
        assert all(a.url.startswith(("http://", "https://")) for a in investment.announcements.all())


def test_coverage_companies_countries_years(dataset):
    investments = Investment.objects.all()
    # Issue 15 brought the dataset to the present: at least 160 records, 18 companies, 26 countries.
    assert investments.count() >= 160
    companies = set(investments.values_list("company__slug", flat=True))
    assert len(companies) >= 18
    assert {
        "microsoft",
        "google",
        "aws",
        "meta",
        "apple",
        "nvidia",
        "oracle",
        "ibm",
        "openai",
        "coreweave",
        "salesforce",
        "anthropic",
        "nebius",
        "fluidstack",
    } <= companies
    assert investments.exclude(country=None).values("country").distinct().count() >= 26
    years = {d.year for d in investments.exclude(announced_on=None).values_list("announced_on", flat=True)}
    assert set(range(2019, 2027)) <= years


def test_microsoft_spain_counts_the_pledge_and_the_consolidated_aragon_plan(dataset):
    assert counted_totals("microsoft", "ES") == {"USD": Decimal("2.1") * BN, "EUR": Decimal("7.26") * BN}
    assert not is_counted("MS-ES-02")  # EUR 6.69bn, superseded by the consolidated figure
    assert not is_counted("MS-ES-03")  # the EUR 2.2bn Villamayor campus is a component
    assert Investment.objects.get(ref="MS-ES-03").part_of.ref == "MS-ES-02"
    assert not is_counted("MS-ES-04")  # EUR 2.8bn Puerto Venecia, folded into MS-ES-05


def test_aws_spain_counts_the_revision_and_the_expansion(dataset):
    assert counted_totals("aws", "ES") == {"EUR": Decimal("33.7") * BN}
    assert not is_counted("A-ES-01")
    assert Investment.objects.get(ref="A-ES-03").expands.ref == "A-ES-02"


def test_nvidia_uk_headline_of_partners_money_is_not_counted(dataset):
    headline = Investment.objects.get(ref="NV-UK-04")
    assert (headline.amount, headline.currency, headline.not_counted_reason) == (
        11 * BN,
        "GBP",
        "third_party_money",
    )
    assert not is_counted("NV-UK-04")
    assert counted_totals("nvidia", "GB") == {"GBP": 2 * BN, "USD": 100 * M}


def test_google_finland_cumulative_total_is_not_new_money(dataset):
    assert Investment.objects.get(ref="G-FI-05").not_counted_reason == "cumulative"
    assert not is_counted("G-FI-05")
    assert counted_totals("google", "FI") == {"EUR": Decimal("1.627") * BN}


def test_softbank_france_counts_the_committed_first_phase_not_the_full_ambition(dataset):
    # EUR 45bn is committed for the first 3.1 GW; "up to EUR 75bn" stays in the sources only.
    assert counted_totals("softbank", "FR") == {"EUR": 45 * BN}
    assert Investment.objects.get(ref="SB-FR-02").part_of.ref == "SB-FR-01"
    assert not is_counted("SB-FR-02")


def test_a_funding_round_led_by_softbank_is_not_counted_as_softbank_money(dataset):
    round_ = Investment.objects.get(ref="SB-GB-01")
    assert (round_.amount, round_.not_counted_reason) == (Decimal("1.05") * BN, "third_party_money")
    assert not is_counted("SB-GB-01")


def test_nebius_components_count_once_through_the_european_plan(dataset):
    for component in ("NEB-FI-01", "NEB-FR-01"):
        assert Investment.objects.get(ref=component).part_of.ref == "NEB-EU-01"
        assert not is_counted(component)
    # The plan itself waits for a primary source or a major outlet: listed, not counted.
    assert not is_counted("NEB-EU-01")
    assert Investment.objects.get(ref="NEB-EU-01").not_counted_reason == "unconfirmed"
    assert Investment.objects.get(ref="NEB-GB-02").expands.ref == "NEB-GB-01"


def test_a_cancelled_pledge_is_listed_but_never_counted(dataset):
    fluidstack = Investment.objects.get(ref="FS-FR-01")
    assert fluidstack.status == "cancelled"
    assert not is_counted("FS-FR-01")
    assert counted_totals("fluidstack", "FR") == {}


def test_microsoft_uk_pledges_both_count_with_documented_overlap(dataset):
    # USD 15bn: the capital-spending half of the USD 30bn pledge; the operations half is out of scope.
    assert counted_totals("microsoft", "GB") == {"GBP": Decimal("2.5") * BN, "USD": 15 * BN}
    earlier, later = Investment.objects.get(ref="MS-UK-01"), Investment.objects.get(ref="MS-UK-02")
    assert later.expands == earlier
    assert "overlap" in earlier.notes.lower() and "overlap" in later.notes.lower()
    overlap = Overlap.objects.get(investment=earlier, overlaps=later)
    # A possible overlap: no source says how much of the GBP 2.5bn the later pledge absorbs.
    assert overlap.amount is None


def test_out_of_scope_money_is_marked_and_never_counted(dataset):
    out = set(Investment.objects.filter(not_counted_reason="out_of_scope").values_list("ref", flat=True))
    # Chip-design R&D and quantum computing: not AI.
    assert {"APPLE-DE-01", "APPLE-DE-02", "IBM-DE-01", "IBM-FR-01", "IBM-ES-01"} <= out
    assert not Investment.objects.counted().filter(ref__in=out).exists()


def test_documented_overlaps_join_counted_records_and_lower_only_the_firm_figure(dataset):
    overlaps = Overlap.objects.select_related("investment", "overlaps")
    assert overlaps.count() >= 3
    counted = set(Investment.objects.counted().values_list("pk", flat=True))
    assert all(o.investment_id in counted and o.overlaps_id in counted for o in overlaps)
    stake = overlaps.get(investment__ref="NV-UK-03", overlaps__ref="NSC-GB-01")
    assert (stake.amount, stake.currency) == (500 * M, "GBP")
    totals = Investment.objects.grand_total("EUR")
    assert totals["total_firm"] < totals["total"]


def test_cancelled_records_are_listed_and_never_counted(dataset):
    cancelled = Investment.objects.filter(status="cancelled")
    assert cancelled.exists()
    assert not cancelled.counted().exists()
    assert set(Investment.objects.search("rack").values_list("ref", flat=True)) & set(
        cancelled.values_list("ref", flat=True)
    )


def test_every_source_has_an_outlet_and_every_counted_record_a_primary_or_major_one(dataset):
    assert not Announcement.objects.filter(outlet=None).exists()
    weak = (
        Investment.objects.counted()
        .exclude(announcements__outlet__tier__in=STANDING_TIERS)
        .values_list("ref", flat=True)
    )
    assert list(weak) == []


def test_the_ingest_counts_what_the_database_counts(dataset):
    """querysets.counts() (the ingest's checks, on the file) and counted() (SQL) are one rule."""
    with open(settings.DATASET_DIR / "investments.csv", "rb") as f:
        records = parse_investments(f.read()).records
    assert counted_refs(records) == set(Investment.objects.counted().values_list("ref", flat=True))


def test_source_quality_is_recorded_for_filtering(dataset):
    assert Investment.objects.filter(figure_source="government").exists()
    assert Investment.objects.filter(confidence="low").exists()
    assert Investment.objects.get(ref="MS-ES-02").figure_source == "government"


def test_every_amount_is_converted_to_eur_and_usd(dataset):
    with_amount = Investment.objects.exclude(amount=None)
    assert not with_amount.filter(amount_eur=None).exists()
    assert not with_amount.filter(amount_usd=None).exists()
    assert not with_amount.filter(fx_date=None).exists()


def test_bundled_dataset_rerun_changes_nothing(dataset):
    again = ingest_dataset(settings.DATASET_DIR)
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == Investment.objects.count()


def test_unconfirmed_records_are_exactly_those_no_primary_source_or_major_outlet_backs(dataset):
    from investments.querysets import STANDING_TIERS

    unconfirmed = Investment.objects.filter(not_counted_reason="unconfirmed")
    assert unconfirmed.exists()
    for investment in unconfirmed:
        assert not investment.announcements.filter(outlet__tier__in=STANDING_TIERS).exists(), investment.ref


def test_a_pledge_split_by_its_source_counts_its_ai_half_only(dataset):
    capex, operations = Investment.objects.get(ref="MS-UK-02"), Investment.objects.get(ref="MS-UK-05")
    assert is_counted("MS-UK-02") and not is_counted("MS-UK-05")
    assert operations.not_counted_reason == "out_of_scope"
    assert capex.amount == operations.amount == 15 * BN
    whole_pledge = set(operations.announcements.values_list("url", flat=True))
    assert whole_pledge and whole_pledge <= set(capex.announcements.values_list("url", flat=True))
