import pytest
from django.urls import reverse

from tests.factories import AnnouncementFactory, InvestmentFactory, OverlapFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["investment", "announcement", "company", "country"])
def test_admin_list_and_add_pages_load_for_a_superuser(admin_client, model):
    InvestmentFactory()
    assert admin_client.get(reverse(f"admin:investments_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:investments_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", ["outlet", "overlap"])
def test_outlets_and_overlaps_are_shown_but_edited_in_the_data_files_only(admin_client, model):
    OverlapFactory()
    AnnouncementFactory()
    assert admin_client.get(reverse(f"admin:investments_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:investments_{model}_add")).status_code == 403


def test_admin_change_page_shows_sources_and_relations(admin_client):
    whole = InvestmentFactory(ref="WHOLE-1")
    part = InvestmentFactory(ref="PART-1", part_of=whole)
    AnnouncementFactory(investments=[part], publisher="Heraldo")
    page = admin_client.get(reverse("admin:investments_investment_change", args=[part.pk]))
    assert page.status_code == 200
    assert "WHOLE-1" in page.content.decode()


def test_admin_counted_filter(admin_client):
    whole = InvestmentFactory(ref="WHOLE-2")
    InvestmentFactory(ref="PART-2", part_of=whole)
    page = admin_client.get(reverse("admin:investments_investment_changelist") + "?counted=no")
    assert "PART-2" in page.content.decode()
    assert "WHOLE-2" not in page.content.decode()


def test_admin_is_closed_to_anonymous_users(client):
    response = client.get(reverse("admin:investments_investment_changelist"))
    assert response.status_code == 302
