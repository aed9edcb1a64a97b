"""Helpers shared by the API tests."""

# The records of the `data` fixture that count toward totals.
COUNTED = {"MS-ES-01", "MS-ES-02", "AWS-ES-02", "GOOG-DE-01", "MS-EU-01"}


def refs(response):
    """The record ids of a list response, in order."""
    assert response.status_code == 200, response.content
    return [row["ref"] for row in response.json()["results"]]
