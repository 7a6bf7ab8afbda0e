"""The filters in use, above the initiative list: one chip per value, each removing only its
own value; "Clear all"; names in the page's language."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from tests.test_initiative_list import data  # noqa: F401 - the fixture

URL = reverse("initiative-list")


def chips(html: str) -> dict[str, str]:
    """Each chip's accessible name and the query string of its link."""
    match = re.search(r'<ul class="filter-chips"[^>]*>(.*?)</ul>', html, re.S)
    if not match:
        return {}
    found = {}
    links = re.findall(r'<a class="chip" href="([^"]*)"[^>]*>(.*?)</a>', match.group(1), re.S)
    for href, content in links:
        content = re.sub(r'<span class="chip-remove"[^>]*>.*?</span>|<[^>]+>', " ", content)
        name = " ".join(content.split())
        found[name] = href.replace("&amp;", "&")
    return found


def pairs(address: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(address).query))


@pytest.mark.django_db
def test_no_chips_without_filters(client, data):  # noqa: F811
    assert chips(client.get(URL).content.decode()) == {}
    assert 'class="filter-chips"' not in client.get(URL + "?ordering=title").content.decode()


@pytest.mark.django_db
def test_each_chip_removes_only_its_value_and_keeps_the_rest(client, data):  # noqa: F811
    query = "?q=seed&provider=BR&provider=IN&modality=exchange-visits&ordering=title&page=2"
    found = chips(client.get(URL + query).content.decode())

    assert set(found) == {
        "Remove filter Search: “seed”",
        "Remove filter Provider country: Brazil",
        "Remove filter Provider country: India",
        "Remove filter Modality: Learning exchange visits",
    }
    everything = [
        ("modality", "exchange-visits"),
        ("ordering", "title"),
        ("provider", "BR"),
        ("provider", "IN"),
        ("q", "seed"),
    ]
    for name, removed in {
        "Remove filter Provider country: Brazil": ("provider", "BR"),
        "Remove filter Provider country: India": ("provider", "IN"),
        "Remove filter Modality: Learning exchange visits": ("modality", "exchange-visits"),
        "Remove filter Search: “seed”": ("q", "seed"),
    }.items():
        assert found[name].startswith(URL + "?")
        assert pairs(found[name]) == [pair for pair in everything if pair != removed]


@pytest.mark.django_db
def test_following_a_chip_drops_that_filter(client, data):  # noqa: F811
    found = chips(client.get(URL + "?provider=BR&provider=IN").content.decode())
    page = client.get(found["Remove filter Provider country: Brazil"]).content.decode()
    assert "Beta accountability training" in page and "Alpha seed exchange" not in page
    assert set(chips(page)) == {"Remove filter Provider country: India"}


@pytest.mark.django_db
def test_clear_all_and_the_qualifier_of_a_facet(client, data):  # noqa: F811
    html = client.get(URL + "?principle=ownership&stance=supports").content.decode()
    found = chips(html)
    assert set(found) == {
        "Remove filter Principle with evidence: Ownership",
        "Remove filter Evidence stance: Supports: the principle was practised",
    }
    stance = found["Remove filter Evidence stance: Supports: the principle was practised"]
    assert pairs(stance) == [("principle", "ownership")]
    listing = html[html.index('class="filter-chips"') :]
    assert re.search(rf'<a href="{URL}"[^>]*>Clear all</a>', listing[: listing.index("</ul>")])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("/es", "Quitar filtro País oferente: Brasil"),
        ("/pt-br", "Remover filtro País ofertante: Brasil"),
        ("/fr", "Retirer le filtre Pays fournisseur : Brésil"),
    ],
)
def test_chips_speak_the_page_language(client, data, prefix, expected):  # noqa: F811
    found = chips(client.get(prefix + URL + "?provider=BR").content.decode())
    assert list(found) == [expected]
    assert found[expected] == prefix + URL


@pytest.mark.django_db
def test_invalid_values_get_no_chip(client, data):  # noqa: F811
    found = chips(client.get(URL + "?provider=XX&provider=BR&recipient=MZ").content.decode())
    assert list(found) == ["Remove filter Recipient country: Mozambique"]
