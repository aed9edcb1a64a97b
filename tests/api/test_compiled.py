"""The list's statements, compiled once per filter (investments.api.compiled): the same answers as the
queryset path, read fresh from the database on every request, never kept for a filter that is refused."""

from collections import OrderedDict
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict

from investments import versioned_cache as data_cache
from investments.api import compiled
from investments.filtersets import InvestmentFilterSet
from investments.models import Investment
from tests.api.conftest import invest
from tests.api.helpers import refs
from tests.factories import CompanyFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compiled lists run on PostgreSQL (array columns)"
)


@pytest.fixture(autouse=True)
def empty_memo(settings, monkeypatch):
    settings.API_CACHE_SECONDS = 0  # every request below reaches the database
    settings.API_COUNT_CACHE_SECONDS = 0
    # A memo of its own: rows added by factories leave the data version as it was, so the lists another
    # test compiled under the same filters would otherwise be served here.
    monkeypatch.setattr(compiled, "_memo", OrderedDict())


LISTS = [
    "",
    "?country=ES",
    "?country=ES&company=microsoft",
    "?company=alphabet",  # a group: its brands' records too
    "?country=ES&ordering=-amount_eur&page_size=2",
    "?country=ES&ordering=-amount_eur&page_size=2&page=2",
    "?country=ES&page_size=2&page=last",
    "?ordering=amount_eur&page_size=3&page=2",  # ascending, empty amounts last, ties broken by ref
    "?ordering=-announced_on&page_size=4&page=last",
    "?q=aragon&min_amount_eur=2000000000",
    "?europe_wide=true",
    "?company=amazon&country=DE",  # matches nothing
]


@postgresql_only
@pytest.mark.parametrize("query", LISTS)
def test_compiled_list_answers_as_the_queryset_path(client, data, monkeypatch, query):
    url = f"/api/v1/investments/{query}"
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    assert len(compiled._memo) == 1

    monkeypatch.setattr(compiled, "available", lambda: False)
    expected = client.get(url)
    assert answer.json() == expected.json()


@postgresql_only
def test_pages_of_one_filter_share_one_compilation(client, data, monkeypatch):
    applied = []
    original = InvestmentFilterSet.filter_queryset
    # The filterset applies its filters only when a list is compiled.
    monkeypatch.setattr(
        InvestmentFilterSet,
        "filter_queryset",
        lambda self, qs: applied.append(qs.model) or original(self, qs),
    )
    first = refs(client.get("/api/v1/investments/?country=ES&page_size=2"))
    second = refs(client.get("/api/v1/investments/?country=ES&page_size=2&page=2"))
    assert len(first) == len(second) == 2 and not set(first) & set(second)
    assert len(compiled._memo) == 1
    assert sorted(model.__name__ for model in applied) == ["Investment", "InvestmentCount"]  # rows, count


@postgresql_only
def test_rows_and_count_are_read_afresh_each_time(client, data):
    before = client.get("/api/v1/investments/?country=ES").json()
    microsoft = data["MS-ES-01"].company
    invest("MS-ES-99", microsoft, "ES", Decimal("9"), announced_on=date(2025, 1, 1))  # no new data version
    after = client.get("/api/v1/investments/?country=ES&page_size=49").json()
    assert len(compiled._memo) == 1  # the same statements served both
    assert after["count"] == before["count"] + 1
    assert after["results"][0]["ref"] == "MS-ES-99"


@postgresql_only
def test_a_refused_filter_is_never_kept(client, data):
    for _ in range(2):
        response = client.get("/api/v1/investments/?country=XX")
        assert response.status_code == 400
        assert "country" in response.json()
    assert not compiled._memo


@postgresql_only
def test_a_new_data_version_compiles_again(client, data):
    assert client.get("/api/v1/investments/?company=alphabet").status_code == 200
    # An ingest adds a brand to the group and bumps the version: the group's filter must include it.
    brand = CompanyFactory(slug="deepmind", name="DeepMind", parent=data["GOOG-DE-01"].company.parent)
    invest("DM-GB-01", brand, "GB", Decimal("1"), announced_on=date(2025, 2, 1))
    data_cache.bump()
    assert "DM-GB-01" in refs(client.get("/api/v1/investments/?company=alphabet&page_size=100"))
    assert len(compiled._memo) == 2


@postgresql_only
def test_a_page_past_the_end_is_still_404(client, data):
    assert client.get("/api/v1/investments/?country=ES&page=99").status_code == 404


@postgresql_only
def test_postgresql_plans_each_statement_once_per_connection(client, data):
    for page in (1, 2, 1, 2):
        assert client.get(f"/api/v1/investments/?page_size=2&page={page}").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    # The connection may hold other tests' statements: these are the unfiltered list's (counted by adding
    # up the counts kept per country and company).
    counts = [
        row for row in prepared if row[0].startswith(compiled.SUM_OF_KEPT_COUNTS) and "WHERE" not in row[0]
    ]
    pages = [row for row in prepared if row[0].startswith("SELECT page.*") and "LIMIT 2 OFFSET $" in row[0]]
    # The two pages: one statement, the page size written in (for the planner), the offset a parameter.
    assert len(counts) == 1 and len(pages) == 1
    assert all(custom == 0 and generic >= 1 for _, generic, custom in counts + pages)


@postgresql_only
def test_a_list_whose_best_plan_depends_on_a_value_is_planned_for_it_each_time(client, data):
    # A range or a text search matches ten rows or all of them depending on its value: one generic plan
    # would fit some values badly, so those lists are sent with their values, never prepared.
    for query in ("?min_amount_eur=2000000000", "?q=aragon", "?country=ES&ordering=-amount_eur"):
        assert client.get(f"/api/v1/investments/{query}").status_code == 200
    assert client.get("/api/v1/investments/?country=ES&company=microsoft").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert not any("ILIKE" in text.upper() or '"amount_eur" >=' in text for text in prepared)
    assert not any("ORDER BY" in text and '"amount_eur" DESC' in text for text in prepared)
    assert any(
        '"company_id" IN' in text and text.startswith(compiled.SUM_OF_KEPT_COUNTS) for text in prepared
    )
    lists = {key[2]: found for key, found in compiled._memo.items()}
    assert not lists[(("min_amount_eur", ("2000000000",)),)].prepared
    assert lists[(("company", ("microsoft",)), ("country", ("ES",)))].prepared


def test_the_page_is_chosen_before_its_flags_are_computed(db):
    # The ids of the page (filter, order, LIMIT, OFFSET) come from a subquery without the correlated
    # flags: computed beside the filter, PostgreSQL costs them for every matching row and hashes the
    # whole table (a second a request at 1,000,000 records).
    sql, params = compiled.paging(Investment.objects.with_counted().filter(country_id__in=[1]))
    ids = sql[sql.index("IN (SELECT") :]
    ids = ids[: ids.index("OFFSET %s)") + len("OFFSET %s)")]
    assert "EXISTS" not in ids and f"LIMIT {compiled.LIMIT}" in ids
    assert "EXISTS" in sql.replace(ids, "")  # the flags, over the page's rows
    assert [p for p in params if isinstance(p, compiled.Window)] == [compiled.OFFSET]
    assert "LIMIT 50 OFFSET" in compiled.sized(sql, 50)


class View:
    filterset_class = InvestmentFilterSet

    def __init__(self, query):
        self.request = type("Request", (), {"query_params": QueryDict(query)})()


def test_the_memo_keeps_the_latest_filters_and_ignores_the_page(db, monkeypatch):
    monkeypatch.setattr(compiled, "MEMO_SIZE", 2)
    every = Investment.objects.all()
    first = compiled.filtered_list(View("country=ES&page=2&format=json"), lambda: every)
    assert (
        compiled.filtered_list(View("country=ES&page_size=7"), lambda: pytest.fail("compiled again")) is first
    )
    compiled.filtered_list(View("country=DE"), lambda: every)
    compiled.filtered_list(View("country=FR"), lambda: every)
    assert len(compiled._memo) == 2  # country=ES, the least recently used, is gone
    rebuilt = []
    compiled.filtered_list(View("country=ES"), lambda: rebuilt.append(1) or every)
    assert rebuilt


def test_a_filter_that_matches_nothing_compiles_to_an_empty_list(db):
    nothing = compiled.CompiledList.of(Investment.objects.filter(pk__in=[]))
    assert nothing.count() == 0 and len(nothing) == 0
    assert nothing[0:50].rows() == []
