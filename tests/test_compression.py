"""Compression of the app's own responses (config/compression.py): pages and the public API are sent
gzipped, responses made for a session are not (BREACH), and ETags still validate once weakened."""

import gzip

import pytest

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.parametrize("path", ["/", "/timeline/", "/fr/", "/api/v1/investments/", "/api/v1/stats/"])
def test_pages_and_api_are_sent_gzipped_to_a_client_that_accepts_it(client, loaded, path):
    plain = client.get(path)
    compressed = client.get(path, **GZIP)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content


def test_a_page_shrinks_to_a_fraction(client, loaded):
    plain, compressed = client.get("/"), client.get("/", **GZIP)
    assert len(compressed.content) < len(plain.content) / 3


def test_a_client_that_does_not_accept_gzip_gets_the_plain_body(client, loaded):
    response = client.get("/", HTTP_ACCEPT_ENCODING="identity")
    assert not response.has_header("Content-Encoding")
    assert response.content.lstrip().startswith(b"<!doctype html>")


def test_responses_made_for_a_session_are_not_compressed(admin_client, loaded):
    # The admin renders a CSRF token and the session's user: left uncompressed against BREACH.
    for path in ["/admin/", "/admin/login/"]:
        response = admin_client.get(path, **GZIP)
        assert "Cookie" in response["Vary"]
        assert not response.has_header("Content-Encoding"), path


def test_a_weakened_etag_sent_back_still_gets_304(client, loaded):
    first = client.get("/api/v1/stats/?by=country", **GZIP)
    assert first["ETag"].startswith('W/"')
    again = client.get("/api/v1/stats/?by=country", HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304
