"""counted(): each euro once. Components and superseded records stay out of totals."""

from decimal import Decimal

import pytest

from investments.models import Investment
from tests.factories import CompanyFactory, InvestmentFactory, country

pytestmark = pytest.mark.django_db
BN = Decimal("1000000000")


@pytest.fixture
def microsoft_spain():
    microsoft = CompanyFactory(slug="microsoft", name="Microsoft")
    aragon = InvestmentFactory(ref="MS-ES-02", company=microsoft, amount=Decimal("6.69") * BN)
    campus = InvestmentFactory(ref="MS-ES-03", company=microsoft, amount=Decimal("2.2") * BN, part_of=aragon)
    return aragon, campus


def test_component_is_not_counted(microsoft_spain):
    aragon, campus = microsoft_spain
    counted = set(Investment.objects.counted())
    assert aragon in counted
    assert campus not in counted
    assert Investment.objects.grand_total("EUR")["total"] == Decimal("6.69") * BN


def test_superseded_record_is_not_counted():
    aws = CompanyFactory(slug="aws", name="AWS")
    first = InvestmentFactory(ref="AWS-ES-01", company=aws, amount=Decimal("2.5") * BN)
    revised = InvestmentFactory(ref="AWS-ES-02", company=aws, amount=Decimal("15.7") * BN)
    revised.supersedes.add(first)
    more = InvestmentFactory(ref="AWS-ES-03", company=aws, amount=18 * BN, expands=revised)
    assert set(Investment.objects.counted()) == {revised, more}
    assert Investment.objects.grand_total("EUR")["total"] == Decimal("33.7") * BN


def test_not_new_money_is_not_counted():
    cumulative = InvestmentFactory(not_counted_reason="cumulative")
    assert cumulative not in Investment.objects.counted()


def test_totals_group_by_country_company_and_year(microsoft_spain):
    InvestmentFactory(country=country("DE"), amount=3 * BN)
    by_country = {row["key"]: row["total"] for row in Investment.objects.totals("country")}
    assert by_country == {"ES": Decimal("6.69") * BN, "DE": 3 * BN}
    by_company = {row["key"]: row["count"] for row in Investment.objects.totals("company")}
    assert by_company["microsoft"] == 1
    by_year = {row["key"]: row["total"] for row in Investment.objects.totals("year")}
    assert by_year == {2024: Decimal("9.69") * BN}
