import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def dataset_dir(tmp_path) -> Path:
    """A writable copy of the small test dataset (tests/fixtures/dataset)."""
    target = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "dataset", target)
    return target


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    client.force_login(user)
    return client
