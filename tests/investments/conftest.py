import uuid

import pytest


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """A key prefix of its own for each test: with Redis (CI), pages keep their totals under the data
    version, which a test that adds rows without an ingest does not change."""
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-pages-{uuid.uuid4().hex}"
    settings.CACHES = caches
