"""Planner statistics after a dataset load (ingest.statistics): PostgreSQL plans the loaded rows as they
are, not as the statistics last saw them."""

import logging

import pytest
from django.db import connection

from ingest import statistics
from ingest.dataset_pipeline import ingest_dataset
from investments.models import Investment

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")


def estimated_rows(model):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


def test_a_load_leaves_the_planner_statistics_of_what_it_loaded(loaded):
    # Never analyzed, a table's estimate is -1 (or what the last ANALYZE saw): now, the rows loaded.
    assert estimated_rows(Investment) == Investment.objects.count() > 0


def test_a_load_that_changes_nothing_analyzes_nothing(loaded, monkeypatch):
    calls = []
    monkeypatch.setattr("ingest.dataset_pipeline.refresh_statistics", lambda: calls.append(1))
    ingest_dataset(loaded)
    assert calls == []


def test_a_failed_analyze_is_logged_and_the_run_still_succeeds(db, dataset_dir, monkeypatch, caplog):
    class Missing:
        class _meta:  # noqa: N801 - stands in for a model's options
            db_table = "no_such_table"

    monkeypatch.setattr(statistics, "LOADED", (*statistics.LOADED, Missing))
    with caplog.at_level(logging.WARNING, logger="ingest.statistics"):
        run = ingest_dataset(dataset_dir)
    assert run.status == "succeeded"
    assert Investment.objects.exists()  # the load stands
    assert "ANALYZE after the dataset load failed" in caplog.text
