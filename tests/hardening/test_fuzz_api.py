"""Schemathesis against /api/schema/: every operation, valid and invalid input, no 5xx, responses as described.

The run is deterministic (derandomized, no example database), so CI sees the same 1,080 requests every
time. Undocumented status codes (400 for an invalid filter, 404) are not counted as failures: the
description lists the successful answers only; every documented answer is checked in full.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

pytestmark = pytest.mark.django_db
# Per operation and mode: 9 operations x (70 valid + 50 invalid) = 1,080 requests.
EXAMPLES = {GenerationMode.POSITIVE: 70, GenerationMode.NEGATIVE: 50}
MINIMUM_REQUESTS = 1000
# Schemathesis sends requests' default Accept-Encoding (gzip), and its WSGI transport, unlike an HTTP
# client, hands the checks the body as sent: ask for it uncompressed, the same JSON either way.
IDENTITY = {"Accept-Encoding": "identity"}
CHECK_NAMES = {
    "not_a_server_error",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
}


@pytest.fixture
def test_transaction_kept(db):
    """Serve through the real WSGI handler inside the test's transaction.

    The handler closes "old" connections at the start and end of each request, and to it the test's
    open transaction looks like one to close; Django's test client unhooks that, so do the same.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def described():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_fuzzed_api_never_answers_5xx_and_every_response_conforms(loaded, no_throttle, test_transaction_kept):
    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    checks = [check for check in CHECKS.get_all() if check.__name__ in CHECK_NAMES]
    assert len(checks) == len(CHECK_NAMES)
    operations = [result.ok() for result in schema.get_all_operations()]
    sent = {}
    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @settings(
                max_examples=examples,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                key = (operation.label, mode.value)  # run() is called within this iteration
                sent[key] = sent.get(key, 0) + 1
                case.call_and_validate(checks=checks, headers=IDENTITY)

            run()
    # Every operation, each with valid and with invalid input.
    assert len(operations) >= 9
    assert set(sent) == {(op.label, mode.value) for op in operations for mode in EXAMPLES}, sent
    assert sum(sent.values()) >= MINIMUM_REQUESTS, sent


# What the fuzzing found, one test each, so that a regression names itself.


def test_schema_describes_a_missing_group_or_relation_as_null(described):
    components = described["components"]["schemas"]
    for component, field in [
        ("Company", "parent"),
        ("CompanyRef", "parent"),
        ("Investment", "part_of"),
        ("Investment", "expands"),
    ]:
        assert components[component]["properties"][field].get("nullable") is True, (component, field)


def test_schema_describes_the_geojson_of_countries_as_geojson_not_as_the_json_list(described):
    for path in ("/api/v1/countries/", "/api/v1/countries/{iso2}/"):
        content = described["paths"][path]["get"]["responses"]["200"]["content"]
        assert content["application/geo+json"]["schema"] != content["application/json"]["schema"], path


def test_schema_allows_the_number_that_stats_by_year_gives_as_key(described, client, loaded, no_throttle):
    key = described["components"]["schemas"]["StatsRow"]["properties"]["key"]
    assert isinstance(client.get("/api/v1/stats/?by=year").json()["results"][0]["key"], int)
    allowed = {key.get("type")} | {option.get("type") for option in key.get("oneOf", key.get("anyOf", []))}
    assert {"integer", "number"} & allowed, key


def test_schema_operation_ids_are_unique(described):
    ids = [operation["operationId"] for item in described["paths"].values() for operation in item.values()]
    assert len(ids) == len(set(ids))


def test_schema_describes_a_source_discrepancy_as_nullable_as_it_often_is(
    described, client, loaded, no_throttle
):
    from investments.models import Investment
    from tests.factories import AnnouncementFactory

    AnnouncementFactory(amount=None, currency="").investments.add(Investment.objects.get(ref="T-MS-ES-01"))
    sources = client.get("/api/v1/investments/T-MS-ES-01/").json()["sources"]
    assert None in [source["discrepancy"] for source in sources]  # a source that gave no figure
    assert described["components"]["schemas"]["Source"]["properties"]["discrepancy"].get("nullable") is True


def test_schema_requires_no_session_cookie_on_the_public_api(described):
    for path, item in described["paths"].items():
        for method, operation in item.items():
            security = operation.get("security", [{}])
            assert {} in security, (method, path, security)  # anonymous access allowed
