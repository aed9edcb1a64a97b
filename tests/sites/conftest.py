"""The test dataset with site files written beside it: four sites, two of them at one point."""

import pytest

SITES = """ref,name,place,country,latitude,longitude,precision,source_url,notes
t-villamayor,Microsoft Villamayor de Gallego,Villamayor de Gállego,ES,41.68584,-0.77230,town,https://www.geonames.org/11994483,
t-zaragoza-ms,Microsoft Zaragoza,Zaragoza,ES,41.65606,-0.87734,town,https://www.geonames.org/3104324,
t-zaragoza-aws,AWS Zaragoza,Zaragoza,ES,41.65606,-0.87734,town,https://www.geonames.org/3104324,Same point as t-zaragoza-ms.
t-hamina,Google Hamina,Hamina,FI,60.56974,27.19794,town,https://www.geonames.org/659101,Coastal town.
"""
LINKS = """investment,site
T-MS-ES-02,t-villamayor
T-MS-ES-03,t-villamayor
T-MS-ES-02,t-zaragoza-ms
T-AWS-ES-01,t-zaragoza-aws
T-AWS-ES-02,t-zaragoza-aws
T-GO-FI-01,t-hamina
"""
CAPACITIES = """investment,capacity_mw,capacity_as_given,gpus,gpus_as_given,source_url
T-GO-FI-01,100,100 megawatts,,,https://example.org/hamina
T-AWS-ES-02,,,5000,"5,000 GPUs",https://example.org/aws-gpus
T-AWS-ES-02,300,300 MW,,,https://example.org/aws-mw
T-MS-ES-02,,,1000,"1 000 GPU",https://example.org/ms-gpus
"""


def write_site_files(folder, sites=SITES, links=LINKS, capacities=CAPACITIES):
    (folder / "sites.csv").write_text(sites, encoding="utf-8")
    (folder / "investment_sites.csv").write_text(links, encoding="utf-8")
    (folder / "capacities.csv").write_text(capacities, encoding="utf-8")
    return folder


@pytest.fixture
def site_dataset(dataset_dir):
    return write_site_files(dataset_dir)


@pytest.fixture
def loaded_sites(db, site_dataset):
    from ingest.dataset_pipeline import ingest_dataset

    run = ingest_dataset(site_dataset)
    assert run.status == "succeeded", run.errors
    return site_dataset
