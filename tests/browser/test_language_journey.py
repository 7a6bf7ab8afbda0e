"""A visitor on a filtered list of initiatives switches to Spanish from the keyboard, stays
on the same filters, and is sent to Spanish pages afterwards."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import InitiativeFactory


@pytest.mark.django_db(transaction=True)
def test_switching_to_spanish_keeps_the_filters_and_is_remembered(new_page):
    InitiativeFactory(title="Seed banks for family farmers")
    InitiativeFactory(title="Housing savings groups")

    page = new_page("/initiatives/?q=seed")
    page.get_by_role("checkbox", name=re.compile("^Mozambique")).first.check()
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]recipient=MZ(&|$)"))
    filtered = urlsplit(page.url)

    spanish = page.get_by_role("navigation", name="Language").get_by_role("link", name="Español")
    # The list's partial reload brings a new switcher for the new filters: wait for it.
    expect(spanish).to_have_attribute("href", re.compile(r"recipient%3DMZ"))
    spanish.focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/es/initiatives/\?"))
    arrived = urlsplit(page.url)
    assert (arrived.path, arrived.query) == ("/es/initiatives/", filtered.query)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#search-q")).to_have_value("seed")
    current = page.locator('#language-switcher a[aria-current="true"]')
    expect(current).to_have_attribute("hreflang", "es")

    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/es/dashboard/$"))
