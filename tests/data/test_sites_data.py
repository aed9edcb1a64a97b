"""The bundled site files: enough sites, every data-centre and compute record placed, capacity sourced."""

import csv

import pytest
from django.conf import settings

from ingest.dataset_pipeline import ingest_dataset
from ingest.extract.capacity import find_capacity
from ingest.models import IngestRun
from investments.models import Investment, Site

# Records with no site named in their sources (see data/README.md, the site files).
UNPLACED = {"MS-EU-01", "OA-DE-01"}


def rows(name):
    with open(settings.DATASET_DIR / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.django_db
def test_the_bundled_sites_load_inside_their_countries():
    run = ingest_dataset(settings.DATASET_DIR)
    assert run.status == IngestRun.Status.SUCCEEDED, run.errors
    assert Site.objects.count() == len(rows("sites.csv")) >= 60
    assert Investment.objects.exclude(capacity_mw=None).count() >= 5
    assert Investment.objects.exclude(gpus=None).count() >= 10


def test_every_data_centre_and_compute_record_has_a_site():
    placed = {row["investment"] for row in rows("investment_sites.csv")}
    infrastructure = {
        row["id"] for row in rows("investments.csv") if row["category"] in ("datacentre", "compute")
    }
    assert infrastructure - placed == UNPLACED


def test_every_capacity_figure_reads_as_its_words_say():
    # The extractor of the review queue and the curated file agree on every figure.
    for row in rows("capacities.csv"):
        found = find_capacity(row["capacity_as_given"] + " " + row["gpus_as_given"])
        if row["capacity_mw"]:
            assert found.mw == float(row["capacity_mw"]), row
        if row["gpus"]:
            assert found.gpus == int(row["gpus"]), row


def test_every_point_says_where_it_comes_from():
    for row in rows("sites.csv"):
        if row["precision"] in ("town", "region"):
            assert row["source_url"].startswith("https://www.geonames.org/"), row["ref"]
        if row["precision"] == "region":
            assert row["notes"], f"{row['ref']}: a region's point needs a note naming its town"
