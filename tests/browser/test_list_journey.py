"""A visitor narrows the list with two facets and a search, opens a result, and finds the
same view again from the address bar."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.factories import InitiativeCountryFactory, InitiativeFactory, country


@pytest.mark.django_db(transaction=True)
def test_facets_and_search_are_kept_in_the_address(new_page):
    wanted = InitiativeFactory(title="Seed banks for family farmers")
    wanted.modalities.add(
        *Initiative.modalities.field.related_model.objects.filter(slug="exchange-visits")
    )
    other_modality = InitiativeFactory(title="Seed fairs in the north")
    elsewhere = InitiativeFactory(title="Seed guardians", recipient__country=country("HT"))
    elsewhere.modalities.add(*wanted.modalities.all())
    InitiativeCountryFactory(initiative=wanted, country=country("ZA"))
    InitiativeFactory(title="Housing savings groups")

    page = new_page("/initiatives/")
    page.get_by_role("checkbox", name=re.compile("^Mozambique")).first.check()
    page.get_by_role("checkbox", name=re.compile("^Learning exchange visits")).first.check()
    page.get_by_label("Search initiatives").fill("seed")
    page.get_by_role("button", name="Search").click()

    # With htmx the address is updated after each partial reload; wait for the last one.
    expect(page).to_have_url(re.compile(r"[?&]q=seed(&|$)"))
    results = page.locator("#results-region")
    expect(results.get_by_role("link", name=wanted.title)).to_be_visible()
    expect(results.get_by_role("link", name=other_modality.title)).to_have_count(0)
    expect(results.get_by_role("link", name=elsewhere.title)).to_have_count(0)

    state = parse_qs(urlsplit(page.url).query)
    assert state["recipient"] == ["MZ"] and state["modality"] == ["exchange-visits"]
    assert state["q"] == ["seed"]
    list_url = page.url

    results.get_by_role("link", name=wanted.title).click()
    expect(page).to_have_url(re.compile(f"/initiatives/{wanted.slug}/$"))

    page.goto(list_url)
    expect(page.get_by_label("Search initiatives")).to_have_value("seed")
    expect(page.get_by_role("checkbox", name=re.compile("^Mozambique")).first).to_be_checked()
    expect(page.locator("#results-region").get_by_role("link", name=wanted.title)).to_be_visible()
    expect(page.locator("#results-region").get_by_role("link", name=elsewhere.title)).to_have_count(
        0
    )
