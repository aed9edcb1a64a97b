"""Hostile input at every door: query strings and paths of the API and the pages, dataset files, feeds.

Every case ends in a clear 4xx or a normal answer, never a 500, never a change to the data, and text
that arrived with markup in it is shown as text. docs/reliability.md tabulates the cases.
"""

import contextlib
import csv
import gzip
import logging
import re
import time
from urllib.parse import quote

import pytest

from ingest.dataset_pipeline import DatasetRefused, ingest_dataset
from ingest.parsers.feeds import FeedError, parse_feed
from investments.models import Announcement, Company, Investment

pytestmark = pytest.mark.django_db

SQL = [
    "' OR '1'='1",
    "1; DROP TABLE investments_investment; --",
    "ES' UNION SELECT username, password FROM auth_user --",
    "%' AND pg_sleep(5) IS NULL AND '%'='",
    "\\'; SELECT 1; --",
]
HTML = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "</script><svg onload=alert(1)>"]
UNICODE = [
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u2066\u2069",  # direction marks and isolates
    "\U0001f1ea\U0001f1f8\U0001f4b6\U0001f916",  # flags, emoji
    "z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358",  # stacked combining marks
    "\ufeff\u200b\u2028\u2029",  # BOM, zero width space, line and paragraph separators
    "\uff21\uff22\uff23",  # full-width letters
]
# Percent-escapes that are not UTF-8: bytes UTF-8 never uses, an overlong '/', a truncated sequence, a lone
# continuation byte, an encoded surrogate.
BAD_ESCAPES = ["%ff%fe", "%c0%af", "%e2%82", "%80", "%ed%a0%80"]
API_LISTS = ["/api/v1/investments/", "/api/v1/announcements/", "/api/v1/companies/", "/api/v1/stats/"]
PAGES = ["/", "/timeline/", "/countries/ES/", "/companies/microsoft/"]
TEXT_PARAMETERS = ["q", "country", "company", "ordering", "category", "announced_after", "min_amount_eur"]


def snapshot():
    return (Investment.objects.count(), Announcement.objects.count(), Company.objects.count())


def get(client, url):
    """GET, failing the test on a server error; returns the response."""
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    return response


# --- API parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["501", "1000000", str(10**30)])
def test_huge_page_size_is_capped_at_500(client, loaded, no_throttle, size):
    response = get(client, f"/api/v1/investments/?page_size={size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 500


def test_page_size_of_thousands_of_digits_is_400_without_parsing_it(client, loaded, no_throttle):
    # Python refuses to parse an int of over 4,300 digits (a quadratic-time parse): a quick 400.
    assert get(client, f"/api/v1/investments/?page_size={'9' * 5000}").status_code == 400
    assert get(client, f"/?page_size={'9' * 5000}").status_code == 200


@pytest.mark.parametrize("value", ["0", "-1", "1e3", "0x10", "\u0661\u0662", "NaN", "Infinity"])
def test_page_size_that_is_not_a_positive_integer_is_400(client, loaded, no_throttle, value):
    response = get(client, f"/api/v1/investments/?page_size={quote(value)}")
    assert response.status_code in (200, 400)  # Arabic-Indic digits are digits to int(); 12 is a size
    if response.status_code == 400:
        assert "page_size" in response.json()


def test_page_far_past_the_end_is_404(client, loaded, no_throttle):
    assert get(client, f"/api/v1/investments/?page={10**30}").status_code == 404


def test_sql_in_any_parameter_is_data_not_code(client, loaded, no_throttle):
    before = snapshot()
    for url in API_LISTS:
        for name in TEXT_PARAMETERS:
            for value in SQL:
                response = get(client, f"{url}?{name}={quote(value)}")
                assert response.status_code in (200, 400), (url, name, value)
                if response.status_code == 200 and name == "q":
                    assert response.json().get("count", 0) == 0
    assert get(client, f"/api/v1/investments/{quote(SQL[0], safe='')}/").status_code == 404
    assert snapshot() == before


def test_sql_in_search_cannot_stall_the_database(client, loaded, no_throttle):
    start = time.monotonic()
    get(client, "/api/v1/investments/?q=" + quote("%' AND pg_sleep(5) IS NULL AND '%'='"))
    assert time.monotonic() - start < 4


def test_html_in_parameters_comes_back_as_json_data_only(client, loaded, no_throttle):
    for value in HTML:
        response = get(client, f"/api/v1/investments/?country={quote(value)}")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_html_in_parameters_is_escaped_by_the_browsable_api(client, loaded, no_throttle):
    for value in HTML:
        response = get(client, f"/api/v1/investments/?format=api&q={quote(value)}&country={quote(value)}")
        body = response.content.decode()
        assert value not in body
        assert "<script>alert" not in body and "<img src=x" not in body and "<svg onload" not in body


@pytest.mark.parametrize("url", API_LISTS)
def test_nul_byte_in_a_parameter_is_400_before_the_database_sees_it(client, loaded, no_throttle, url):
    for name in ("q", "country", "company", "publisher", "investment", "language", "a\x00b"):
        response = get(client, f"{url}?{quote(name)}=a%00b")
        assert response.status_code == 400, (url, name)
        assert response["Content-Type"] == "application/json"


def test_nul_byte_in_a_path_is_400_before_the_database_sees_it(client, loaded, no_throttle):
    for url in ("/api/v1/investments/a%00b/", "/api/v1/companies/a%00b/", "/api/v1/announcements/1%00/"):
        assert get(client, url).status_code == 400, url
    for url in ("/countries/%00/", "/investments/a%00b/", "/fr/companies/a%00/", "/?q=%00"):
        response = get(client, url)
        assert response.status_code == 400, url
        assert response["Content-Security-Policy"]


@pytest.mark.parametrize("length", [10_000, 100_000])
def test_very_long_search_is_answered_quickly(client, loaded, no_throttle, length):
    start = time.monotonic()
    for url in ("/api/v1/investments/", "/api/v1/announcements/", "/api/v1/companies/", "/api/v1/stats/"):
        assert get(client, f"{url}?q={'a' * length}").status_code in (200, 400)
    for url in ("/", "/countries/ES/"):
        assert get(client, f"{url}?q={'a' * length}").status_code == 200
    assert get(client, f"/api/v1/announcements/?publisher={'a' * length}").status_code in (200, 400)
    assert time.monotonic() - start < 20


def test_odd_unicode_is_searched_like_any_text(client, loaded, no_throttle):
    for value in UNICODE:
        for url in API_LISTS:
            response = get(client, f"{url}?q={quote(value)}")
            assert response.status_code == 200, (url, value)
        assert get(client, f"/api/v1/investments/?country={quote(value)}").status_code == 400


def test_invalid_utf8_percent_escapes_are_not_server_errors(client, loaded, no_throttle):
    for escape in BAD_ESCAPES:
        for url in API_LISTS:
            assert get(client, f"{url}?q={escape}").status_code in (200, 400)
        for url in ("/api/v1/investments/", "/api/v1/announcements/", "/api/v1/stats/"):
            assert get(client, f"{url}?country={escape}").status_code == 400
        assert get(client, f"/api/v1/investments/{escape}/").status_code == 404
        assert get(client, f"/api/v1/companies/{escape}/").status_code == 404


def test_thousands_of_repeated_parameters_are_refused(client, loaded, no_throttle):
    response = get(client, "/api/v1/investments/?" + "&".join(["country=ES"] * 5000))
    assert response.status_code == 400


def test_unknown_host_header_is_refused(client, loaded, no_throttle):
    assert client.get("/api/v1/investments/", HTTP_HOST="evil.example.com").status_code == 400


def test_unacceptable_accept_header_is_406(client, loaded, no_throttle):
    assert get(client, "/api/v1/investments/").status_code == 200
    response = client.get("/api/v1/investments/", HTTP_ACCEPT="application/x-evil")
    assert response.status_code == 406


# --- What a request can make the cache keep ------------------------------------------------------

PUBLIC_ENDPOINTS = [
    *API_LISTS,
    "/api/v1/countries/",
    "/api/v1/investments/MS-ES-01/",
    "/api/v1/countries/ES/",
]


@pytest.fixture
def response_cache(settings):
    """The API's response cache on, as in production (it is off without Redis)."""
    settings.API_CACHE_SECONDS = 3600
    settings.API_COUNT_CACHE_SECONDS = 3600


def cached_entries() -> int:
    """Entries under this test's key prefix (tests/hardening/conftest.py), in locmem or Redis."""
    from django.core.cache import cache

    store = cache._cache
    if isinstance(store, dict):  # LocMemCache
        return len(store)
    return len(store.get_client(None).keys(f"{cache.key_prefix}:*"))


@pytest.mark.parametrize("url", PUBLIC_ENDPOINTS)
def test_unknown_query_parameters_are_400_naming_them(client, loaded, no_throttle, url):
    response = client.get(f"{url}?cb=1&utm_source=x&format=json")
    assert response.status_code == 400, url
    assert set(response.json()) == {"cb", "utm_source"}
    assert "Unknown query parameter" in response.json()["cb"][0]


def test_documented_parameters_of_each_endpoint_are_known(client, loaded, no_throttle):
    for url in [
        "/api/v1/investments/?country=ES&ordering=-amount_eur&page=1&page_size=5&format=json&q=cloud",
        "/api/v1/investments/?format=csv&company=microsoft",
        "/api/v1/stats/?by=year&currency=usd&country=ES&counted=true",
        "/api/v1/countries/?eu_member=true&company=microsoft&announced_after=2020-01-01&format=geojson",
        "/api/v1/countries/ES/?company=microsoft",
        "/api/v1/announcements/?investment=MS-ES-01&language=en&page=1",
        "/api/v1/companies/?parent=alphabet&q=goo",
    ]:
        assert client.get(url).status_code == 200, url


def test_throwaway_parameters_do_not_grow_the_cache(client, loaded, no_throttle, response_cache):
    """200 requests with `?cb=N` grew Redis by 134 MB in 11 s: each answer was kept under its own key."""
    assert client.get("/api/v1/investments/").status_code == 200
    before = cached_entries()
    statuses = {client.get(f"/api/v1/investments/?cb={n}").status_code for n in range(200)}
    assert statuses == {400}
    assert cached_entries() == before


def test_parameter_order_repeats_and_spelling_make_no_new_cache_entry(
    client, loaded, no_throttle, response_cache, django_assert_num_queries
):
    first = client.get("/api/v1/investments/?country=ES,DE&category=datacentre&page_size=2")
    assert first.status_code == 200
    entries = cached_entries()
    for same in [
        "/api/v1/investments/?page_size=2&category=datacentre&country=DE,ES",
        "/api/v1/investments/?country=de&country=ES&country=ES&category=DataCentre&page_size=2",
        "/api/v1/investments/?country=ES,,DE&category=datacentre&page_size=2&q=",
    ]:
        with django_assert_num_queries(0):  # served from the entry the first request left
            response = client.get(same)
        assert response.status_code == 200
        assert response["ETag"] == first["ETag"], same
    assert cached_entries() == entries


def test_an_accept_header_of_its_own_makes_no_new_cache_entry(client, loaded, no_throttle, response_cache):
    assert client.get("/api/v1/companies/").status_code == 200
    before = cached_entries()
    for n in range(20):
        assert client.get("/api/v1/companies/", HTTP_ACCEPT=f"application/json; x={n}").status_code == 200
    assert cached_entries() == before


def links(response) -> list[str]:
    body = response.json()
    return [body["next"], *(row["url"] for row in body["results"])]


def test_a_host_with_another_port_does_not_poison_the_links_others_get(
    client, loaded, no_throttle, response_cache
):
    url = "/api/v1/investments/?page_size=2"
    poisoned = client.get(url, HTTP_HOST="localhost:1234")
    assert all(link.startswith("http://localhost:1234/") for link in links(poisoned))
    for _ in range(2):  # the first makes its own entry, the second is served from it
        answer = client.get(url, HTTP_HOST="localhost")
        assert all(link.startswith("http://localhost/") for link in links(answer)), links(answer)


def test_forwarded_proto_is_ignored_without_a_declared_proxy(
    client, loaded, no_throttle, response_cache, settings
):
    assert not settings.REST_FRAMEWORK.get("NUM_PROXIES")
    url = "/api/v1/investments/?page_size=2"
    forged = client.get(url, HTTP_X_FORWARDED_PROTO="https")
    assert all(link.startswith("http://testserver/") for link in links(forged)), links(forged)
    assert all(link.startswith("http://testserver/") for link in links(client.get(url)))


# --- Page parameters -----------------------------------------------------------------------------


def test_pages_answer_every_hostile_parameter_without_a_server_error(client, loaded):
    values = [SQL[0], SQL[2], HTML[0], UNICODE[0], UNICODE[2], "a" * 20_000, "-1", str(10**30)]
    for page in PAGES:
        for name in ("q", "country", "company", "page", "page_size", "currency"):
            # All at once (each value in another parameter), then each alone.
            get(client, page + "?" + "&".join(f"{name}={quote(value)}" for value in values))
            for value in values:
                get(client, f"{page}?{name}={quote(value)}")
        for escape in BAD_ESCAPES:
            get(client, f"{page}?q={escape}&country={escape}")


def test_pages_echo_hostile_parameters_escaped(client, loaded):
    for page in PAGES:
        for value in HTML:
            body = get(
                client, f"{page}?q={quote(value)}&country={quote(value)}&page_size={quote(value)}"
            ).content
            assert value.encode() not in body, (page, value)
            assert b"<script>alert" not in body and b"<svg onload" not in body and b"<img src=x" not in body


def test_hostile_paths_of_the_pages_are_404(client, loaded):
    for escape in BAD_ESCAPES + [quote(HTML[0], safe="")]:
        for prefix in ("/countries/", "/companies/", "/investments/", "/fr/investments/"):
            assert get(client, f"{prefix}{escape}/").status_code == 404, (prefix, escape)


# --- Stored text on output -----------------------------------------------------------------------


MARKUP = {
    "title": '<script>alert("title")</script>Hostile pledge',
    "place": '"><img src=x onerror=alert("place")>',
    "notes": "</script><script>alert('notes')</script>",
    "publisher": '<iframe src="//evil.example">',
    "evidence": "<b onmouseover=alert('evidence')>quoted</b>",
    "announced_by": "<script>alert('who')</script>",
    "company": "Micro<script>alert('company')</script>soft",
}
# What would run: the tags themselves. Their text, escaped (&lt;img src=x onerror=...), is harmless.
TRACES = [b"<script>alert", b"<img src=x", b"<iframe", b"<b onmouseover", b"</script><script>"]


def rewrite(path, edit):
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0])
    for row in rows:
        edit(row)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def hostile(dataset_dir):
    """The test dataset with markup in every free-text field, ingested through the real pipeline."""

    def investment(row):
        if row["id"] == "T-MS-ES-01":
            row.update(title=MARKUP["title"], place=MARKUP["place"], notes=MARKUP["notes"])
        if row["id"] == "T-GO-EU-01":
            row.update(title='=HYPERLINK("http://evil.example","click")')

    def announcement(row):
        if row["investment"] == "T-MS-ES-01":
            row.update(
                publisher=MARKUP["publisher"],
                evidence=MARKUP["evidence"],
                announced_by=MARKUP["announced_by"],
                title=MARKUP["title"],
            )

    def company(row):
        if row["slug"] == "microsoft":
            row.update(name=MARKUP["company"])

    rewrite(dataset_dir / "investments.csv", investment)
    rewrite(dataset_dir / "announcements.csv", announcement)
    rewrite(dataset_dir / "companies.csv", company)
    assert ingest_dataset(dataset_dir).status == "succeeded"
    return dataset_dir


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/timeline/",
        "/countries/ES/",
        "/companies/microsoft/",
        "/investments/T-MS-ES-01/",
        "/investments/T-MS-ES-02/",
        "/fr/investments/T-MS-ES-01/",
        "/about/",
    ],
)
def test_stored_markup_is_shown_as_text_on_every_page(client, hostile, path):
    body = get(client, path).content
    for trace in TRACES:
        assert trace not in body, (path, trace)


def test_stored_markup_is_escaped_where_it_is_shown(client, hostile):
    body = client.get("/investments/T-MS-ES-01/").content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;Hostile pledge" in body
    assert "&lt;b onmouseover=alert(&#x27;evidence&#x27;)&gt;quoted&lt;/b&gt;" in body
    assert "Micro&lt;script&gt;" in body


def test_data_embedded_for_the_scripts_cannot_close_its_script_element(client, hostile):
    """json_script escapes < > & as \\u003C...: whatever the data holds, its element ends where it should."""
    for path in ("/", "/timeline/", "/countries/ES/", "/companies/microsoft/"):
        body = client.get(path).content.decode()
        embedded = re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', body, re.S)
        assert embedded, path
        for data in embedded:
            assert "<" not in data and ">" not in data, (path, data[:200])


def test_api_returns_stored_markup_as_json_strings(client, hostile, no_throttle):
    record = client.get("/api/v1/investments/T-MS-ES-01/").json()
    assert record["title"] == MARKUP["title"]
    assert client.get("/api/v1/investments/T-MS-ES-01/")["Content-Type"] == "application/json"


def test_csv_export_defuses_formulas_and_keeps_markup_as_text(client, hostile, no_throttle):
    text = b"".join(client.get("/api/v1/investments/?format=csv").streaming_content).decode("utf-8-sig")
    rows = {row["ref"]: row for row in csv.DictReader(text.splitlines())}
    assert rows["T-GO-EU-01"]["title"].startswith("'=HYPERLINK")
    assert rows["T-MS-ES-01"]["title"] == MARKUP["title"]


def test_stored_markup_is_shown_as_text_in_admin(admin_client, hostile):
    pk = Investment.objects.get(ref="T-MS-ES-01").pk
    for path in (
        "/admin/investments/investment/",
        f"/admin/investments/investment/{pk}/change/",
        "/admin/investments/announcement/",
        "/admin/investments/company/",
    ):
        body = admin_client.get(path).content
        for trace in TRACES:
            assert trace not in body, (path, trace)


# --- Dataset files -------------------------------------------------------------------------------


def refused(path, *fragments):
    before = snapshot()
    with pytest.raises(DatasetRefused) as refusal:
        ingest_dataset(path)
    assert snapshot() == before
    errors = "\n".join(refusal.value.errors)
    for fragment in fragments:
        assert fragment in errors, errors


def test_utf16_dataset_is_refused_as_not_utf8(loaded, dataset_dir):
    investments = dataset_dir / "investments.csv"
    investments.write_bytes(investments.read_text().encode("utf-16"))
    refused(dataset_dir, "investments.csv", "NUL")


def test_latin1_dataset_is_refused_naming_the_line(loaded, dataset_dir):
    investments = dataset_dir / "investments.csv"
    investments.write_bytes(investments.read_text().replace("Aragon", "Aragón", 1).encode("latin-1"))
    refused(dataset_dir, "investments.csv:2", "not UTF-8")


def test_utf8_dataset_with_a_byte_order_mark_loads(dataset_dir, db):
    investments = dataset_dir / "investments.csv"
    investments.write_bytes(b"\xef\xbb\xbf" + investments.read_bytes())
    assert ingest_dataset(dataset_dir).status == "succeeded"


def test_field_larger_than_the_csv_module_reads_is_refused(loaded, dataset_dir):
    rewrite(dataset_dir / "investments.csv", lambda row: row.update(notes="x" * 200_000))
    refused(dataset_dir, "investments.csv")


def test_field_longer_than_the_limit_is_refused(loaded, dataset_dir):
    rewrite(dataset_dir / "investments.csv", lambda row: row.update(notes="x" * 30_000))
    refused(dataset_dir, "notes", "longer than")


def test_nul_byte_inside_a_field_is_refused_before_the_database_sees_it(loaded, dataset_dir):
    rewrite(dataset_dir / "investments.csv", lambda row: row.update(title=row["title"] + "\x00"))
    refused(dataset_dir, "NUL")


def test_unbalanced_quotes_are_refused(loaded, dataset_dir):
    investments = dataset_dir / "investments.csv"
    investments.write_text(investments.read_text().replace("Test record.", '"Test record.', 1))
    refused(dataset_dir, "investments.csv")


def test_gzip_disguised_as_csv_is_refused(loaded, dataset_dir):
    investments = dataset_dir / "investments.csv"
    investments.write_bytes(gzip.compress(b"x" * 10_000_000))
    refused(dataset_dir, "investments.csv")


def test_javascript_url_as_a_source_is_refused(loaded, dataset_dir):
    rewrite(
        dataset_dir / "announcements.csv",
        lambda row: row.update(url="javascript:alert(1)") if row["investment"] == "T-GO-FI-01" else None,
    )
    refused(dataset_dir, "url", "not an http(s) URL")


# --- Feeds ---------------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>t</title>
<item><title>&lol9;</title><link>https://example.org/a/laughs</link></item>
</channel></rss>"""


def test_entity_expansion_bomb_in_a_feed_is_not_expanded(db):
    start = time.monotonic()
    try:
        parsed = parse_feed(BILLION_LAUGHS)
    except FeedError:
        parsed = None
    assert time.monotonic() - start < 5
    if parsed is not None:
        assert all(len(entry.title) < 10_000 for entry in parsed.entries)


def test_external_entity_in_a_feed_is_not_read(tmp_path, db):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>t</title>
<item><title>a &xxe; b</title><link>https://example.org/a/xxe</link><description>&xxe;</description></item>
</channel></rss>""".encode()
    try:
        parsed = parse_feed(body)
    except FeedError:
        return
    for entry in parsed.entries:
        assert "TOP-SECRET" not in entry.title + entry.summary


def test_feed_entries_carrying_scripts_come_out_as_plain_text(db):
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Google invests</title><link>https://example.org/a/one</link>
<description><![CDATA[<p onclick="x()">Text</p><script>steal()</script><img src=x onerror=alert(2)>]]></description></item>
<item><title><![CDATA[<b>Bold</b> &amp;lt;i&amp;gt;twice&amp;lt;/i&amp;gt;]]></title><link>javascript:alert(3)</link></item>
</channel></rss>"""
    parsed = parse_feed(body)
    assert [entry.url for entry in parsed.entries] == ["https://example.org/a/one"]  # no javascript: link
    entry = parsed.entries[0]
    assert "<" not in entry.title + entry.summary
    assert "alert" not in entry.summary and "steal" not in entry.summary


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00" * 1000,
        b"<rss><channel><item><title>unclosed",
        b"<?xml version='1.0' encoding='klingon'?><rss/>",
        gzip.compress(b"<rss>" + b"<item>" * 100_000),
        "<rss version='2.0'><channel><title>caf\u00e9</title></channel></rss>".encode("utf-16"),
        b"\xff\xfe\xfd" * 1000,
        b"<html><body><a href='/x'>" * 10_000,
    ],
    ids=["empty", "nul", "truncated", "unknown-encoding", "gzip", "utf16", "garbage", "deep-html"],
)
def test_malformed_feed_is_refused_or_read_never_crashes(db, body):
    start = time.monotonic()
    with contextlib.suppress(FeedError):
        parse_feed(body, base_url="https://example.org/")
    assert time.monotonic() - start < 10


def test_malformed_html_list_page_yields_only_its_own_links(db):
    body = b"<html><body><a href='/news/2024/a-story'>One<a href='javascript:alert(1)'>x<a href='https://evil.example/news/b-story'>"
    parsed = parse_feed(body, kind="html", base_url="https://example.org/news/")
    assert [entry.url for entry in parsed.entries] == ["https://example.org/news/2024/a-story"]


def test_page_scripts_never_turn_data_into_markup():
    """The scripts draw API data with textContent and setAttribute only, so stored text stays text."""
    from django.conf import settings

    for script in (settings.BASE_DIR / "static" / "js").glob("*.js"):
        source = script.read_text()
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in source, (script.name, sink)


# --- Methods, formats, headers, logs ---------------------------------------------------------------


@pytest.mark.parametrize("path", [*PAGES, "/about/", "/fr/", "/healthz/"])
def test_pages_refuse_methods_other_than_get_and_head(client, loaded, path):
    """They answered TRACE, PUT and DELETE with the page, 200."""
    assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200
    assert client.trace(path).status_code == 405
    for method in (client.put, client.delete, client.patch):
        assert method(path).status_code in (403, 405), (method, path)  # CSRF refuses first, or the view
    assert client.generic("POST", path).status_code in (403, 405)


def test_an_unknown_format_is_400_naming_the_formats_the_endpoint_gives(client, loaded, no_throttle):
    """It was a 404, as if the resource did not exist."""
    response = client.get("/api/v1/investments/?format=xml")
    assert response.status_code == 400
    message = response.json()["format"][0]
    assert "json" in message and "csv" in message
    countries = client.get("/api/v1/countries/?format=csv")
    assert countries.status_code == 400 and "geojson" in countries.json()["format"][0]
    assert client.get("/api/v1/investments/?format=csv").status_code == 200


def test_a_bad_host_header_is_logged_in_one_line_without_a_traceback(client, loaded, caplog):
    with caplog.at_level("WARNING"):
        assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400
    records = [r for r in caplog.records if r.name.startswith(("django.security", "django.request"))]
    assert records and any("evil.example.com" in r.getMessage() for r in records)
    for record in records:
        assert record.exc_info is None and record.exc_text is None, record.name
        assert "\n" not in logging.Formatter().format(record)


@pytest.mark.parametrize("path", ["/", "/api/v1/investments/", "/api/v1/", "/no-such-page/", "/healthz/"])
def test_every_response_carries_a_permissions_policy(client, loaded, no_throttle, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
