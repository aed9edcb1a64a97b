"""The Atom feed of new and changed investments: filtered as the pages are, linked from every page."""

import html
import re
import xml.etree.ElementTree as ET

import pytest

from investments.models import Investment

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_feed_lists_investments_newest_change_first_with_links_to_their_pages(client, loaded):
    root, items = entries(client.get("/feeds/investments.atom"))
    assert len(items) == Investment.objects.count()
    updated = [item.find(f"{ATOM}updated").text for item in items]
    assert updated == sorted(updated, reverse=True)
    first = items[0]
    ref = first.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[1]
    record = Investment.objects.get(ref=ref)
    assert first.find(f"{ATOM}title").text == f"{record.company.name}: {record.title}"


def test_feed_takes_the_page_filters(client, loaded):
    _, items = entries(client.get("/feeds/investments.atom?country=ES&company=microsoft"))
    expected = Investment.objects.filter(country__iso2="ES", company__slug="microsoft").count()
    assert 0 < len(items) == expected
    assert all("/investments/" in item.find(f"{ATOM}link").get("href") for item in items)


def test_changed_investment_moves_to_the_top(client, loaded):
    oldest = Investment.objects.order_by("updated").first()
    oldest.notes += " Revised."
    oldest.save()
    _, items = entries(client.get("/feeds/investments.atom"))
    assert items[0].find(f"{ATOM}link").get("href").endswith(f"/investments/{oldest.ref}/")


def test_invalid_filter_is_a_400_naming_it(client, loaded):
    response = client.get("/feeds/investments.atom?country=ZZ")
    assert response.status_code == 400
    assert "country" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/feeds/investments.atom"),
        ("/?company=aws&page=2", "/feeds/investments.atom?company=aws"),
        ("/countries/ES/", "/feeds/investments.atom?country=ES"),
        (
            "/companies/microsoft/?category=datacentre",
            "/feeds/investments.atom?category=datacentre&company=microsoft",
        ),
        ("/timeline/?spread=1", "/feeds/investments.atom"),
    ],
)
def test_every_page_links_the_feed_of_what_it_lists(client, loaded, path, expected):
    page = client.get(path).content.decode()
    alternate = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
    assert html.unescape(alternate.group(1)) == expected
    visible = re.search(r'<a href="([^"]+)" data-feed-link>', page)
    assert html.unescape(visible.group(1)) == expected
