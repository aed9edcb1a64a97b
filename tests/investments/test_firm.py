"""The firm figure and the unknown: confirmed records less documented overlaps; undisclosed never 0."""

from decimal import Decimal

import pytest

from investments.models import Investment
from investments.querysets import counts
from investments.stats import stats
from tests.factories import (
    AnnouncementFactory,
    CompanyFactory,
    InvestmentFactory,
    OutletFactory,
    OverlapFactory,
    country,
)

pytestmark = pytest.mark.django_db
BN = Decimal("1000000000")


def sourced(investment, *tiers_and_domains):
    for n, (tier, domain) in enumerate(tiers_and_domains):
        AnnouncementFactory(
            url=f"https://{domain}/{investment.ref}-{n}",
            outlet=OutletFactory(domain=domain, tier=tier),
            investments=[investment],
        )
    return investment


def firm_refs():
    """The records the firm figure takes, as the API, the CSV and the feed read them (is_firm)."""
    return set(Investment.objects.with_counted().filter(is_firm=True).values_list("ref", flat=True))


def test_a_primary_source_confirms_a_counted_record():
    sourced(InvestmentFactory(ref="P"), ("primary", "news.company.example"))
    assert firm_refs() == {"P"}


def test_two_major_outlets_confirm_but_one_outlet_twice_does_not():
    sourced(InvestmentFactory(ref="TWO"), ("major", "wire.example"), ("major", "paper.example"))
    sourced(InvestmentFactory(ref="TWICE"), ("major", "wire.example"), ("major", "wire.example"))
    assert firm_refs() == {"TWO"}


def test_trade_press_and_aggregators_never_confirm():
    sourced(
        InvestmentFactory(ref="WEAK"),
        ("trade", "dcd.example"),
        ("aggregator", "copy.example"),
        ("major", "wire.example"),
    )
    assert firm_refs() == set()


def test_low_confidence_or_a_record_that_does_not_count_is_never_firm():
    sourced(InvestmentFactory(ref="LOW", confidence="low"), ("primary", "gov.example"))
    sourced(InvestmentFactory(ref="CUMULATIVE", not_counted_reason="cumulative"), ("primary", "gov.example"))
    sourced(InvestmentFactory(ref="CANCELLED", status="cancelled"), ("primary", "gov.example"))
    assert firm_refs() == set()


def test_firm_total_takes_a_stated_overlap_off_once_and_never_below_zero():
    whole = sourced(InvestmentFactory(ref="WHOLE", amount=10 * BN), ("primary", "gov.example"))
    part = sourced(InvestmentFactory(ref="PART", amount=2 * BN), ("primary", "gov.example"))
    OverlapFactory(investment=part, overlaps=whole, amount=BN, currency="EUR", amount_eur=BN)
    totals = Investment.objects.grand_total("EUR")
    assert (totals["total"], totals["total_firm"]) == (12 * BN, 11 * BN)
    Investment.objects.filter(pk=part.pk).update(amount=BN / 2, amount_eur=BN / 2)
    assert Investment.objects.grand_total("EUR")["total_firm"] == 10 * BN


def test_possible_overlap_drops_the_record_from_the_firm_total_only():
    whole = sourced(InvestmentFactory(ref="WHOLE", amount=10 * BN), ("primary", "gov.example"))
    part = sourced(InvestmentFactory(ref="PART", amount=2 * BN), ("primary", "gov.example"))
    OverlapFactory(investment=part, overlaps=whole)
    totals = Investment.objects.grand_total("EUR")
    assert (totals["total"], totals["total_firm"]) == (12 * BN, 10 * BN)


def test_overlap_with_a_record_outside_the_firm_figure_takes_nothing_off():
    weak = sourced(
        InvestmentFactory(ref="WEAK", amount=10 * BN), ("trade", "dcd.example"), ("major", "wire.example")
    )
    part = sourced(InvestmentFactory(ref="PART", amount=2 * BN), ("primary", "gov.example"))
    OverlapFactory(investment=part, overlaps=weak)
    totals = Investment.objects.grand_total("EUR")
    assert (totals["total"], totals["total_firm"]) == (12 * BN, 2 * BN)


def test_a_group_whose_records_are_all_undisclosed_has_no_total_never_zero():
    InvestmentFactory(country=country("IS"), amount=None, currency="", amount_eur=None)
    InvestmentFactory(country=country("IS"), amount=None, currency="", amount_eur=None)
    InvestmentFactory(country=country("ES"), amount=BN)
    InvestmentFactory(country=country("ES"), amount=None, currency="", amount_eur=None)
    rows = {row["key"]: row for row in stats(Investment.objects.all(), "country")["results"]}
    assert (rows["IS"]["total"], rows["IS"]["total_firm"], rows["IS"]["undisclosed"]) == (None, None, 2)
    assert (rows["ES"]["total"], rows["ES"]["undisclosed"]) == (BN, 1)
    assert list(rows) == ["ES", "IS"]  # undisclosed last, not ranked as 0


def test_pages_say_undisclosed_and_plus_n_undisclosed(client):
    InvestmentFactory(country=country("IS"), amount=None, currency="", amount_eur=None)
    InvestmentFactory(country=country("ES"), amount=BN)
    InvestmentFactory(country=country("ES"), amount=None, currency="", amount_eur=None)
    iceland = client.get("/countries/IS/").content.decode()
    assert "its amount undisclosed" in iceland
    europe = client.get("/").content.decode()
    totals = europe.split('data-breakdown="country"', 1)[1].split("</tbody>", 1)[0]
    iceland_row = totals.split("/countries/IS/", 1)[1].split("</tr>", 1)[0]
    assert "undisclosed" in iceland_row and ">0<" not in iceland_row
    assert "+ 1 undisclosed" in totals.split("/countries/ES/", 1)[1].split("</tr>", 1)[0]


def test_a_withdrawn_record_supersedes_nothing_and_never_counts():
    old = InvestmentFactory(ref="OLD")
    new = InvestmentFactory(ref="NEW", withdrawn=True)
    new.supersedes.add(old)
    assert set(Investment.objects.counted().values_list("ref", flat=True)) == {"OLD"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, True),
        ({"status": "cancelled"}, False),
        ({"status": "stalled"}, True),
        ({"withdrawn": True}, False),
        ({"not_counted_reason": "out_of_scope"}, False),
    ],
)
def test_the_python_rule_answers_as_the_sql_one(fields, expected):
    record = InvestmentFactory(**fields)
    in_sql = Investment.objects.counted().filter(pk=record.pk).exists()
    in_python = counts(
        part_of=None,
        not_counted_reason=record.not_counted_reason,
        superseded=False,
        withdrawn=record.withdrawn,
        status=record.status,
    )
    assert in_sql == in_python == expected


def test_country_and_company_totals_give_each_group_the_firm_figure_of_its_records():
    # totals_by_country_and_company() finds the confirmed records in a pass of its own (backed_ids());
    # each group's firm totals must be the per-record rule's (firm_amount() with backed_condition()).
    alphabet, amazon = CompanyFactory(slug="alphabet"), CompanyFactory(slug="amazon")
    whole = sourced(InvestmentFactory(company=alphabet, amount=10 * BN), ("primary", "gov.example"))
    part = sourced(
        InvestmentFactory(company=alphabet, amount=2 * BN), ("major", "a.example"), ("major", "b.example")
    )
    OverlapFactory(investment=part, overlaps=whole, amount=BN, currency="EUR", amount_eur=BN)
    sourced(
        InvestmentFactory(company=alphabet, amount=5 * BN), ("major", "a.example"), ("major", "a.example")
    )
    sourced(InvestmentFactory(company=alphabet, amount=7 * BN, confidence="low"), ("primary", "gov.example"))
    sourced(InvestmentFactory(company=amazon, amount=3 * BN, country=country("DE")), ("trade", "dcd.example"))
    sourced(
        InvestmentFactory(company=amazon, amount=4 * BN, country=country("DE")), ("primary", "gov.example")
    )
    OverlapFactory(investment=Investment.objects.get(amount=4 * BN), overlaps=whole)  # possible: drops it
    InvestmentFactory(company=amazon, country=country("IS"), amount=None, currency="", amount_eur=None)
    portugal = InvestmentFactory(
        company=amazon, amount=6 * BN, country=country("PT"), amount_usd=BN * Decimal("6.5")
    )
    sourced(portugal, ("primary", "p.example"))

    rows = Investment.objects.all().totals_by_country_and_company()
    assert len(rows) == 4
    for row in rows:
        group = Investment.objects.filter(country_id=row["country_id"], company_id=row["company_id"])
        assert row["firm_eur"] == group.grand_total("EUR")["total_firm"], row
        assert row["firm_usd"] == group.grand_total("USD")["total_firm"], row
    by_country = {row["country_id"]: row["firm_eur"] for row in rows}
    assert by_country[country("ES").pk] == 10 * BN + BN  # the whole, and the part less its stated overlap
    assert by_country[country("DE").pk] == 0 and isinstance(by_country[country("DE").pk], Decimal)
    assert by_country[country("IS").pk] is None  # nothing disclosed: unknown, not 0
    assert {row["country_id"]: row["firm_usd"] for row in rows}[country("PT").pk] == BN * Decimal("6.5")
