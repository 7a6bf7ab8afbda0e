"""A researcher finds the API documentation, creates an account, confirms the address from
the e-mail, creates a token and uses it; anyone downloads the filtered list as CSV."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import InitiativeFactory, country

PASSWORD = "harvest-seeds-together-2025"
PHONE = {"width": 390, "height": 844}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_a_researcher_signs_up_confirms_and_creates_a_token(new_page, mailoutbox):
    page = new_page("/api/docs/")
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("heading", name="Open data API", level=1)).to_be_visible()
    # Swagger UI draws the reference from the portal's own files, grouped by subject;
    # reading needs no token, so public reads have no padlock.
    expect(page.locator(".opblock-tag", has_text="Reference data")).to_be_visible()
    countries = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/countries/']"))
    expect(countries.first).to_be_visible()
    expect(countries.first.locator(".authorization__btn")).to_have_count(0)
    reports = page.locator(".opblock-post", has=page.locator("[data-path='/api/v1/reports/']"))
    expect(reports.first.locator(".authorization__btn")).to_have_count(1)
    assert fits_the_screen(page)

    page.get_by_role("link", name="Create a researcher account").click()
    expect(page.get_by_role("heading", name="Create a researcher account")).to_be_visible()
    assert fits_the_screen(page)

    # Sent empty, the form lists what to fix; each item leads to its field.
    page.get_by_role("button", name="Create my account").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose a username.")
    summary.get_by_role("link", name="Enter your e-mail address.").click()
    expect(page.get_by_label("E-mail address")).to_be_focused()

    page.get_by_label("Username").fill("lucia.r")
    page.get_by_label("E-mail address").fill("lucia@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_label("The same password again").press("Enter")
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    (message,) = mailoutbox
    (link,) = re.findall(r"https?://\S+/accounts/signup/confirm/\S+", message.body)
    page.goto(urlsplit(link).path)

    expect(page).to_have_url(re.compile(r"/my/tokens/$"))
    expect(page.get_by_role("status").first).to_contain_text("Welcome, lucia.r!")
    page.get_by_label("What is the token for?").fill("thesis download")
    page.get_by_role("button", name="Create a token").click()
    key = page.get_by_test_id("new-token").inner_text()
    assert key.startswith("ssdc_")

    answer = page.request.get("/api/v1/funding-models/", headers={"Authorization": f"Token {key}"})
    assert answer.status == 200

    page.get_by_role("button", name="Revoke thesis download").click()
    expect(page.get_by_role("cell", name=re.compile("^Revoked"))).to_be_visible()
    revoked = page.request.get("/api/v1/funding-models/", headers={"Authorization": f"Token {key}"})
    assert revoked.status == 401


@pytest.mark.django_db(transaction=True)
def test_anyone_downloads_the_filtered_list_as_csv(new_page):
    InitiativeFactory(title="Reconstruction with farmers", recipient__country=country("HT"))
    InitiativeFactory(title="Seed banks in Mozambique")
    InitiativeFactory(title="Draft in Haiti", recipient__country=country("HT"), state="draft")

    page = new_page("/initiatives/")
    page.get_by_role("checkbox", name=re.compile("^Haiti")).first.check()
    expect(page).to_have_url(re.compile(r"[?&]recipient=HT"))
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()

    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert [row["title"] for row in rows] == ["Reconstruction with farmers"]
