"""Invalid input answers 400 with a JSON body naming the parameter; nothing answers 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/investments/?country=ZZ", "country"),
        ("/api/v1/investments/?country=ES,ZZ", "country"),
        ("/api/v1/investments/?company=nobody", "company"),
        ("/api/v1/investments/?announced_after=2024-13-01", "announced_after"),
        ("/api/v1/investments/?announced_before=yesterday", "announced_before"),
        ("/api/v1/investments/?min_amount_eur=lots", "min_amount_eur"),
        ("/api/v1/investments/?max_amount_usd=1e", "max_amount_usd"),
        ("/api/v1/investments/?ordering=title", "ordering"),
        ("/api/v1/investments/?category=casino", "category"),
        ("/api/v1/investments/?status=done", "status"),
        ("/api/v1/investments/?confidence=certain", "confidence"),
        ("/api/v1/investments/?figure_source=rumour", "figure_source"),
        ("/api/v1/investments/?europe_wide=maybe", "europe_wide"),
        ("/api/v1/investments/?single_source=2", "single_source"),
        ("/api/v1/investments/?counted=perhaps", "counted"),
        ("/api/v1/investments/?page=abc", "page"),
        ("/api/v1/investments/?page=0", "page"),
        ("/api/v1/investments/?page_size=abc", "page_size"),
        ("/api/v1/stats/?by=planet", "by"),
        ("/api/v1/stats/?currency=GBP", "currency"),
        ("/api/v1/stats/?by=country&country=ZZ", "country"),
        ("/api/v1/countries/?min_amount_eur=lots", "min_amount_eur"),
        ("/api/v1/countries/?eu_member=sometimes", "eu_member"),
        ("/api/v1/announcements/?published_after=soon", "published_after"),
    ],
)
def test_invalid_value_is_400_naming_the_parameter(client, data, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()


@pytest.mark.parametrize(
    ("url", "parameter", "value"),
    [
        ("/api/v1/investments/?category=datacentre,casino", "category", "casino"),
        ("/api/v1/investments/?status=announced&status=done", "status", "done"),
        ("/api/v1/investments/?country=ES&country=zz", "country", "ZZ"),
        ("/api/v1/sites/?precision=campus,street", "precision", "street"),
    ],
)
def test_a_bad_value_in_a_list_is_400_naming_the_parameter_and_the_value(client, data, url, parameter, value):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json() == {
        parameter: [f"Select a valid choice. {value} is not one of the available choices."]
    }


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/investments/?format=csv&country=ZZ", "country"),
        ("/api/v1/countries/?format=geojson&announced_after=never", "announced_after"),
    ],
)
def test_export_errors_are_answered_in_json(client, data, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()


def test_page_past_the_end_is_404_json_not_500(client, data):
    response = client.get("/api/v1/investments/?page=99999")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_last_page_is_reachable_by_name(client, data):
    assert client.get("/api/v1/investments/?page=last&page_size=3").status_code == 200


def test_stats_parameters_are_case_insensitive_for_currency(client, data):
    assert client.get("/api/v1/stats/?currency=usd").json()["currency"] == "USD"
