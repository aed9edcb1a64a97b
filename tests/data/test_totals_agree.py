"""The page, the API and the CSV give the same totals, headline and firm, on the bundled dataset."""

import csv
import io
from decimal import Decimal

import pytest

from ingest.dataset_pipeline import ingest_dataset

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


@pytest.fixture(autouse=True)
def bundled(settings):
    settings.API_CACHE_SECONDS = 0
    ingest_dataset(settings.DATASET_DIR)


def money(value):
    return None if value in (None, "") else Decimal(str(value)).quantize(CENT)


def csv_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def api_stats(client, **params):
    return client.get("/api/v1/stats/", {"by": "country", **params}).json()


def test_europe_totals_agree_on_the_map_in_the_api_and_in_both_csvs(client):
    body = api_stats(client)
    page = client.get("/").context["summary"]
    totals_csv = csv_of(client.get("/api/v1/stats/", {"by": "country", "format": "csv"}))
    investments_csv = csv_of(client.get("/api/v1/investments/", {"format": "csv"}))
    assert money(page["total"]) == money(body["total"])
    assert money(page["total_firm"]) == money(body["total_firm"])
    assert sum(money(row["total"]) or 0 for row in totals_csv) == money(body["total"])
    assert sum(money(row["total_firm"]) or 0 for row in totals_csv) == money(body["total_firm"])
    counted = [row for row in investments_csv if row["counted"] == "true"]
    assert sum(money(row["amount_eur"]) or 0 for row in counted) == money(body["total"])
    assert len(counted) == body["count"] == page["count"]
    assert body["total_firm"] < body["total"]


def test_each_country_page_agrees_with_its_api_row_and_its_csv_row(client):
    body = api_stats(client, currency="USD")
    totals_csv = {
        row["key"]: row
        for row in csv_of(client.get("/api/v1/stats/", {"by": "country", "currency": "USD", "format": "csv"}))
    }
    for row in [r for r in body["results"] if r["key"]][:5]:
        page = client.get(f"/countries/{row['key']}/", {"currency": "USD"}).context["summary"]
        assert (money(page["total"]), money(page["total_firm"]), page["undisclosed"]) == (
            money(row["total"]),
            money(row["total_firm"]),
            row["undisclosed"],
        )
        line = totals_csv[row["key"]]
        assert (money(line["total"]), money(line["total_firm"])) == (
            money(row["total"]),
            money(row["total_firm"]),
        )


def test_each_company_page_agrees_with_the_api_filtered_to_it(client):
    body = client.get("/api/v1/stats/", {"by": "company"}).json()
    for row in body["results"][:5]:
        page = client.get(f"/companies/{row['key']}/").context["summary"]
        # The page includes the company's brands, as the API's company filter does.
        api = api_stats(client, company=row["key"])
        assert (money(page["total"]), money(page["total_firm"])) == (
            money(api["total"]),
            money(api["total_firm"]),
        )


def test_the_csv_files_are_named_with_the_data_date(client):
    day = client.get("/api/v1/stats/").json()["data_as_of"]
    assert day
    for url in ("/api/v1/stats/?format=csv", "/api/v1/investments/?format=csv"):
        assert f"-as-of-{day}.csv" in client.get(url)["Content-Disposition"]
    assert f"Data as of {day}" in client.get("/").content.decode()
