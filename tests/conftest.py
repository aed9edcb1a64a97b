import shutil
import uuid
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def dataset_dir(tmp_path) -> Path:
    """A writable copy of the small test dataset (tests/fixtures/dataset)."""
    target = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "dataset", target)
    return target


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """A cache key prefix of its own for each test: in CI the cache is a Redis shared with other runs,
    and pages keep their totals under the data version, which rows added without an ingest do not change."""
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    caches["default"]["TIMEOUT"] = 120
    settings.CACHES = caches


@pytest.fixture
def loaded(db, dataset_dir) -> Path:
    """The test dataset ingested through the real pipeline; its (writable) folder, to edit and re-run."""
    from ingest.dataset_pipeline import ingest_dataset

    run = ingest_dataset(dataset_dir)
    assert run.status == "succeeded", run.errors
    return dataset_dir


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def seed_countries() -> None:
    """Put back the countries the data migration seeds when a transactional test's flush removed them."""
    import importlib

    from django.apps import apps

    from investments.models import Country

    if not Country.objects.exists():
        importlib.import_module("investments.migrations.0002_seed_countries").seed(apps, None)


@pytest.fixture(autouse=True)
def _countries_after_flush(request):
    """Transactional tests (real workers, live servers) start from a flushed database: re-seed countries."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("serialized_rollback"):
        return  # pytest-django restores the seeded rows itself
    transactional = (
        marker and marker.kwargs.get("transaction")
    ) or "transactional_db" in request.fixturenames
    if transactional or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        seed_countries()
