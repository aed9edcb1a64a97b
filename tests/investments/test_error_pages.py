"""The site's own 404 and 500 pages: its header, navigation and language, a way back to the map; the API
answers its errors in JSON."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import path

from config import errors
from config.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def broken_page(request):
    raise RuntimeError("a bug in a page")


# This module is also the URLconf of the 500 tests: the site's patterns plus two views that fail.
urlpatterns = [
    path("broken/", broken_page),
    path("api/broken/", broken_page),
    *site_urlpatterns,
]
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"


def test_unknown_page_gets_the_sites_404_with_navigation_and_a_link_to_the_map(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="site-nav"' in html
    assert 'class="language"' in html
    assert 'href="/"' in html and "Back to the map" in html
    assert "/no-such-page/" in html


def test_404_speaks_the_language_of_the_path(client):
    response = client.get("/fr/pas-de-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html and "Retour à la carte" in html


def test_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.urls(__name__)
def test_a_failing_page_gets_the_sites_500_page():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="site-header"' in html and "Server error" in html and "Back to the map" in html


@pytest.mark.urls(__name__)
def test_a_failing_api_view_answers_json_500():
    response = Client(raise_request_exception=False).get("/api/broken/")
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}


@pytest.mark.urls(__name__)
def test_500_page_falls_back_to_a_bare_page_when_its_template_fails(caplog):
    with mock.patch.object(errors, "render_to_string", side_effect=ValueError("no manifest entry")):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Server error" in response.content.decode() and 'href="/"' in response.content.decode()
    assert "500 page could not be rendered" in caplog.text
