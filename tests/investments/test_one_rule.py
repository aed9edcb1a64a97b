"""One home for each rule: on every record of the bundled dataset, the record page and the API give the
same answer, because both call the rule's one home."""

import re

import pytest
from django.conf import settings

from ingest.dataset_pipeline import ingest_dataset
from investments.models import Investment

pytestmark = pytest.mark.django_db

FLAG = 'class="badge badge-warn"'


@pytest.fixture
def bundled():
    ingest_dataset(settings.DATASET_DIR)


def test_page_and_api_flag_the_same_differing_sources_on_every_bundled_record(client, bundled):
    refs = list(Investment.objects.values_list("ref", flat=True))
    assert len(refs) > 100
    flagged_somewhere = 0
    for ref in refs:
        api = client.get(f"/api/v1/investments/{ref}/").json()
        page = client.get(f"/investments/{ref}/").content.decode()
        listed = re.search(r"<ol class=\"source-list\" data-sources>(.*?)</ol>", page, re.S).group(1)
        page_flags = {
            re.search(r'href="([^"]+)"', item).group(1).replace("&amp;", "&"): FLAG in item
            for item in listed.split("<li")[1:]
        }
        api_flags = {source["url"]: source["discrepancy"] is True for source in api["sources"]}
        assert page_flags == api_flags, ref
        flagged_somewhere += any(api_flags.values())
    assert flagged_somewhere > 0  # the comparison is not vacuous
