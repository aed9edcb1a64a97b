"""CSV of investments and GeoJSON of countries: the same filtered sets as the JSON, in other formats."""

import csv
import io
import json
from pathlib import Path

import pytest

from investments.europe import EUROPEAN_COUNTRIES as ISO2
from investments.geo import shapes
from investments.models import Investment
from tests.api.helpers import refs
from tests.factories import InvestmentFactory

pytestmark = pytest.mark.django_db
CSV_URL = "/api/v1/investments/?format=csv"
GEOJSON_URL = "/api/v1/countries/?format=geojson"


def csv_bytes(response):
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(csv_bytes(response).decode("utf-8-sig"))))


def test_csv_is_streamed_as_an_attachment(client, data):
    response = client.get(CSV_URL)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    as_of = Investment.objects.latest("updated").updated.date().isoformat()
    assert f'filename="investments-as-of-{as_of}.csv"' in response["Content-Disposition"]


def test_csv_starts_with_a_byte_order_mark_for_spreadsheets(client, data):
    assert csv_bytes(client.get(CSV_URL)).startswith("\ufeffref,".encode())


def test_csv_has_the_same_rows_as_the_json(client, data):
    for query in ("", "&country=ES", "&company=amazon&ordering=-amount_eur", "&counted=false"):
        rows = csv_rows(client.get(CSV_URL + query))
        json_rows = client.get(f"/api/v1/investments/?page_size=500{query}").json()["results"]
        assert [row["ref"] for row in rows] == [row["ref"] for row in json_rows]
        for row, expected in zip(rows, json_rows, strict=True):
            assert float(row["amount_eur"]) == expected["amount_eur"]
            assert float(row["amount_usd"]) == expected["amount_usd"]
            assert row["counted"] == str(expected["counted"]).lower()
            assert row["source_urls"].split(" | ") == [s["url"] for s in expected["sources"]] or (
                row["source_urls"] == "" and expected["sources"] == []
            )


def test_csv_joins_sources_and_relations_in_one_row(client, data):
    rows = {row["ref"]: row for row in csv_rows(client.get(CSV_URL))}
    assert rows["MS-ES-01"]["source_count"] == "2"
    assert rows["MS-ES-01"]["source_publishers"] == "Example Wire | Exemple"
    assert rows["MS-ES-03"]["part_of"] == "MS-ES-02"
    assert rows["AWS-ES-02"]["supersedes"] == "AWS-ES-01"
    assert rows["AWS-ES-01"]["superseded_by"] == "AWS-ES-02"
    assert rows["MS-EU-01"]["countries"] == "DE | ES | FR"
    assert rows["MS-EU-01"]["europe_wide"] == "true"
    assert rows["AWS-ES-02"]["group"] == "amazon"


def test_csv_keeps_commas_quotes_and_accents(client, data):
    rows = {row["ref"]: row for row in csv_rows(client.get(CSV_URL))}
    assert rows["GOOG-DE-01"]["title"] == 'Frankfurt cloud region, with a comma, and "quotes"'
    assert rows["MS-ES-03"]["place"] == "Villamayor de Gállego"


def test_csv_defuses_spreadsheet_formulas_in_text(client, data):
    InvestmentFactory(ref="F-1", title='=HYPERLINK("http://evil")')
    rows = {row["ref"]: row for row in csv_rows(client.get(CSV_URL))}
    assert rows["F-1"]["title"].startswith("'=")


def test_csv_of_one_investment(client, data):
    rows = csv_rows(client.get("/api/v1/investments/MS-ES-01/?format=csv"))
    assert [row["ref"] for row in rows] == ["MS-ES-01"]


def test_csv_reads_back_with_pandas(client, data):
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.BytesIO(csv_bytes(client.get(CSV_URL))))
    assert list(frame.columns)[0] == "ref"  # the byte-order mark is not part of the name
    assert set(frame["ref"]) == set(data)
    assert frame["amount_eur"].dtype.kind == "f"
    assert frame["counted"].dtype == bool


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    return {feature["id"]: feature for feature in collection["features"]}, collection


def assert_ring(ring):
    assert len(ring) >= 4
    assert ring[0] == ring[-1]
    for lon, lat in ring:
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_is_a_feature_collection_of_every_country_with_shape_and_totals(client, data):
    by_code, collection = features(client.get(GEOJSON_URL))
    assert set(by_code) == set(ISO2)
    for feature in by_code.values():
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                assert_ring(ring)
        # Flat scalar properties, as GIS tools read them.
        assert all(not isinstance(v, dict | list) for v in feature["properties"].values())
    spain = by_code["ES"]["properties"]
    assert spain["name"] == "Spain"
    assert spain["count"] == 3
    assert spain["total_eur"] == pytest.approx((1.95 + 6.69 + 15.7) * 1e9)
    assert spain["top_companies"] == "Amazon Web Services, Microsoft"
    assert by_code["PL"]["properties"]["count"] == 0
    assert collection["europe_wide"]["count"] == 1


def test_geojson_honours_the_investment_filters(client, data):
    by_code, collection = features(client.get(GEOJSON_URL + "&company=alphabet"))
    assert by_code["ES"]["properties"]["count"] == 0
    assert by_code["DE"]["properties"]["count"] == 1
    assert collection["europe_wide"]["count"] == 0


def test_geojson_of_one_country_is_a_feature(client, data):
    response = client.get("/api/v1/countries/ES/?format=geojson")
    feature = json.loads(response.content)
    assert feature["type"] == "Feature"
    assert feature["properties"]["iso2"] == "ES"


def test_committed_shapes_cover_every_seeded_country_and_stay_small():
    path = Path(__file__).resolve().parents[2] / "static" / "geo" / "europe.geojson"
    assert path.stat().st_size < 500 * 1024
    assert set(shapes()) == set(ISO2)


def test_json_list_and_exports_agree_on_the_filtered_set(client, data):
    assert set(refs(client.get("/api/v1/investments/?country=ES"))) == {
        row["ref"] for row in csv_rows(client.get(CSV_URL + "&country=ES"))
    }


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_defuses_formulas_after_any_delimiter_a_spreadsheet_may_split_on(client, data, delimiter):
    """European locales split CSV on semicolons: `Campus;=2+5;x` became a live formula in its second cell."""
    InvestmentFactory(ref="F-2", title="Campus;=2+5;x", place="Lyon,=1+1\t@SUM(A1)")
    InvestmentFactory(ref="F-3", title="Hub; -3+4, +5;\t=6", place="Nice")
    text = csv_bytes(client.get(CSV_URL)).decode("utf-8-sig")
    cells = [cell.strip(" ") for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    live = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert live == [], live
    rows = {row["ref"]: row for row in csv_rows(client.get(CSV_URL))}
    assert rows["F-2"]["title"] == "Campus;'=2+5;x"  # defused, and still readable


def test_csv_gives_each_sources_own_figure_beside_its_url(client, data):
    rows = csv_rows(client.get(CSV_URL + "&page_size=500"))
    json_rows = {
        row["ref"]: row for row in client.get("/api/v1/investments/?page_size=500").json()["results"]
    }
    checked = 0
    for row in rows:
        sources = json_rows[row["ref"]]["sources"]
        if not sources:
            continue
        amounts = row["source_amounts"].split(" | ")
        currencies = row["source_currencies"].split(" | ")
        assert len(amounts) == len(currencies) == len(sources)
        for amount, currency, source in zip(amounts, currencies, sources, strict=True):
            assert (float(amount) if amount else None) == source["amount"]
            assert currency == source["currency"]
        checked += 1
    assert checked > 0
