"""The site files: loaded with the dataset, idempotent, and refused whole with file:line: field: reason."""

import pytest

from ingest.dataset_pipeline import DatasetRefused, ingest_dataset
from ingest.models import IngestRun
from investments.geo import outside_country
from investments.models import Investment, Site
from tests.sites.conftest import CAPACITIES, LINKS, SITES, write_site_files

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Site.objects.values_list("ref", "latitude", "longitude", "record_hash")),
        sorted(Site.investments.through.objects.values_list("site__ref", "investment__ref")),
        sorted(Investment.objects.values_list("ref", "capacity_mw", "gpus", "record_hash")),
    )


def refuse(folder, *fragments):
    before = snapshot()
    with pytest.raises(DatasetRefused) as refused:
        ingest_dataset(folder)
    assert snapshot() == before
    joined = "\n".join(refused.value.errors)
    for fragment in fragments:
        assert fragment in joined, joined
    assert IngestRun.objects.latest("started").status == IngestRun.Status.REFUSED
    return refused.value.errors


def test_sites_links_and_capacities_load_with_the_dataset(loaded_sites):
    assert Site.objects.count() == 4
    assert sorted(Site.objects.get(ref="t-villamayor").investments.values_list("ref", flat=True)) == [
        "T-MS-ES-02",
        "T-MS-ES-03",
    ]
    aws = Investment.objects.get(ref="T-AWS-ES-02")
    assert (aws.capacity_mw, aws.capacity_mw_as_given, aws.capacity_mw_source) == (
        300,
        "300 MW",
        "https://example.org/aws-mw",
    )
    assert (aws.gpus, aws.gpus_as_given, aws.gpus_source) == (
        5000,
        "5,000 GPUs",
        "https://example.org/aws-gpus",
    )
    counts = IngestRun.objects.latest("started").counts
    assert counts["sites_created"] == 4 and counts["capacities_changed"] == 3


def test_rerun_changes_nothing(loaded_sites):
    before = snapshot()
    run = ingest_dataset(loaded_sites)
    assert snapshot() == before
    assert run.counts["sites_unchanged"] == 4
    assert run.counts["sites_created"] == run.counts["sites_updated"] == run.counts["capacities_changed"] == 0
    assert run.counts["site_links_changed"] == 0


def test_edits_update_points_links_and_capacities(loaded_sites):
    write_site_files(
        loaded_sites,
        sites=SITES.replace("41.68584,-0.77230", "41.68000,-0.77000"),
        links=LINKS.replace("T-MS-ES-03,t-villamayor\n", ""),
        capacities=CAPACITIES.replace("T-GO-FI-01,100,100 megawatts", "T-GO-FI-01,120,120 megawatts"),
    )
    run = ingest_dataset(loaded_sites)
    assert run.counts["sites_updated"] == 1
    site = Site.objects.get(ref="t-villamayor")
    assert float(site.latitude) == 41.68
    assert list(site.investments.values_list("ref", flat=True)) == ["T-MS-ES-02"]
    assert Investment.objects.get(ref="T-GO-FI-01").capacity_mw == 120


def test_a_capacity_dropped_from_the_file_is_cleared(loaded_sites):
    write_site_files(
        loaded_sites,
        capacities=CAPACITIES.replace("T-GO-FI-01,100,100 megawatts,,,https://example.org/hamina\n", ""),
    )
    ingest_dataset(loaded_sites)
    hamina = Investment.objects.get(ref="T-GO-FI-01")
    assert (hamina.capacity_mw, hamina.capacity_mw_as_given, hamina.capacity_mw_source) == (None, "", "")


def test_a_dataset_without_site_files_leaves_the_sites_alone(loaded_sites):
    for name in ("sites.csv", "investment_sites.csv", "capacities.csv"):
        (loaded_sites / name).unlink()
    before = snapshot()
    ingest_dataset(loaded_sites)
    assert snapshot() == before


def test_links_without_sites_are_refused(site_dataset):
    (site_dataset / "sites.csv").unlink()
    refuse(site_dataset, "investment_sites.csv: needs sites.csv beside it")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # Latitude and longitude swapped: the point lands in the sea off Somalia, far from Spain.
        ("41.68584,-0.77230", "-0.77230,41.68584", "sites.csv:2: latitude:"),
        # A Spanish site placed in France.
        ("41.68584,-0.77230", "43.29695,5.38107", "lies in FR, not in ES"),
        ("41.68584,-0.77230", "141.68584,-0.77230", "sites.csv:2: latitude: 141.68584 is outside -90..90"),
        (
            ",town,https://www.geonames.org/11994483",
            ",village,https://www.geonames.org/11994483",
            "precision: 'village'",
        ),
        ("t-villamayor,Microsoft", "T Villamayor,Microsoft", "sites.csv:2: ref:"),
        ("Gállego,ES,", "Gállego,,", "sites.csv:2: country: required"),
        ("Gállego,ES,", "Gállego,QQ,", "sites.csv:2: country: 'QQ' is not a country the tracker knows"),
        ("https://www.geonames.org/11994483", "geonames 11994483", "sites.csv:2: source_url:"),
        ("t-zaragoza-aws,AWS", "t-zaragoza-ms,AWS", "sites.csv:4: ref: duplicate site id 't-zaragoza-ms'"),
    ],
)
def test_bad_site_rows_refuse_the_whole_dataset(site_dataset, old, new, expected):
    assert old in SITES
    write_site_files(site_dataset, sites=SITES.replace(old, new, 1))
    refuse(site_dataset, expected)


@pytest.mark.parametrize(
    "links, expected",
    [
        (LINKS + "T-NOPE-01,t-hamina\n", "investment_sites.csv:8: investment: unknown id 'T-NOPE-01'"),
        (LINKS + "T-GO-FI-01,t-nowhere\n", "investment_sites.csv:8: site: unknown site 't-nowhere'"),
        (LINKS + "T-GO-FI-01,t-villamayor\n", "'t-villamayor' lies in ES; 'T-GO-FI-01' is in FI"),
        (LINKS + "T-GO-FI-01,t-hamina\n", "investment_sites.csv:8: site: the same pair appears twice"),
    ],
)
def test_bad_links_refuse_the_whole_dataset(site_dataset, links, expected):
    write_site_files(site_dataset, links=links)
    refuse(site_dataset, expected)


@pytest.mark.parametrize(
    "row, expected",
    [
        ("T-GO-FI-01,,,,,https://example.org/x", "capacities.csv:6: capacity_mw: give capacity_mw or gpus"),
        ("T-GO-FI-01,1.4 GW,1.4 GW,,,https://example.org/x", "capacity_mw: '1.4 GW' is not a number of MW"),
        (
            "T-GO-FI-01,-5,minus five,,,https://example.org/x",
            "capacity_mw: -5 is not a positive number of MW",
        ),
        ("T-GO-FI-01,,,18k,18k GPUs,https://example.org/x", "gpus: '18k' is not a whole number of GPUs"),
        (
            "T-GO-FI-01,,,100,,https://example.org/x",
            "capacities.csv:6: gpus_as_given: required with its figure",
        ),
        (
            "T-GO-FI-01,250,250 MW,,,https://example.org/x",
            "capacities.csv:6: capacity_mw: 'T-GO-FI-01' already has one (line 2)",
        ),
        (
            "T-NOPE-01,10,10 MW,,,https://example.org/x",
            "capacities.csv:6: investment: unknown id 'T-NOPE-01'",
        ),
        ("T-GO-FI-01,,,100,100 GPUs,", "capacities.csv:6: source_url: required, but empty"),
    ],
)
def test_bad_capacity_rows_refuse_the_whole_dataset(site_dataset, row, expected):
    write_site_files(site_dataset, capacities=CAPACITIES + row + "\n")
    refuse(site_dataset, expected)


def test_a_bad_site_file_keeps_a_good_investment_edit_out_too(loaded_sites):
    investments = loaded_sites / "investments.csv"
    investments.write_text(investments.read_text().replace("Villamayor campus", "Villamayor campus (edited)"))
    write_site_files(loaded_sites, sites=SITES.replace("41.68584,-0.77230", "-0.77230,41.68584"))
    refuse(loaded_sites, "sites.csv:2: latitude:")
    assert Investment.objects.get(ref="T-MS-ES-03").title == "Villamayor campus"


@pytest.mark.parametrize(
    "iso2, lon, lat, inside",
    [
        ("ES", -0.87734, 41.65606, True),  # Zaragoza
        ("FI", 27.19794, 60.56974, True),  # Hamina, on the coast
        ("PT", -8.86979, 37.95622, True),  # Sines, on the coast
        ("ES", 41.65606, -0.87734, False),  # swapped
        ("FR", -0.87734, 41.65606, False),  # Zaragoza is not in France
        ("DE", 8.68417, 50.11552, True),  # Frankfurt
        ("CH", 8.68417, 50.11552, False),
    ],
)
def test_points_are_checked_against_their_country_shape(iso2, lon, lat, inside):
    assert (outside_country(iso2, lon, lat) == "") is inside
