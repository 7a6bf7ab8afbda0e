"""On the editor's page, rows are added in place (htmx), rows typed in the same sitting can be
named by other rows before saving, and a save that needs corrections lists them at the top."""

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.browser.test_editor_journey import sign_in
from tests.factories import MembershipFactory

TITLE = "Seed banks across the Atlantic"


def open_editor(new_page):
    membership = MembershipFactory(organisation__name="Seed coalition of Brazil")
    page = new_page()
    sign_in(page, membership.user.username)
    page.goto("/my/initiatives/new/")
    return page


@pytest.mark.django_db(transaction=True)
def test_rows_added_in_place_and_named_before_saving(new_page):
    page = open_editor(new_page)
    address = page.url
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Family farmers exchange native seeds.")
    page.locator("#id_cooperation_type").select_option("bilateral")
    # Survives only if the page is not loaded again.
    page.evaluate("window.stillTheSamePage = true")

    page.locator("#id_outcomes-0-title").fill("Seed banks in twelve villages")
    page.get_by_role("button", name="Add an outcome", exact=True).click()
    expect(page.locator("#id_outcomes-1-title")).to_be_focused()
    page.keyboard.type("Varieties kept by women's groups")
    page.get_by_role("button", name="Add a source", exact=True).click()
    expect(page.locator("#id_sources-1-citation")).to_be_focused()

    assert page.url == address
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_outcomes-0-title")).to_have_value("Seed banks in twelve villages")

    # The second outcome was named after its row was added: the indicators' menus offer it
    # once the change is sent.
    page.locator("#id_outcomes-1-title").blur()
    indicator_outcome = page.locator("#id_indicators-0-outcome")
    expect(
        indicator_outcome.locator("option", has_text="Varieties kept by women's groups")
    ).to_have_count(1)
    indicator_outcome.select_option(label="Varieties kept by women's groups (new, not saved yet)")
    page.locator("#id_indicators-0-name").fill("Varieties kept")

    page.locator("#id_sources-0-citation").fill("Field evaluation, 2019")
    page.locator("#id_sources-0-citation").blur()
    evidence_source = page.locator("#id_evidence-0-source")
    expect(evidence_source.locator("option", has_text="Field evaluation, 2019")).to_have_count(1)
    page.locator("#id_evidence-0-principle").select_option(
        label="Ownership of development priorities"
    )
    page.locator("#id_evidence-0-strength").select_option("2")
    page.locator("#id_evidence-0-narrative").fill("Farmers' groups chose the varieties.")
    evidence_source.select_option(label="Field evaluation, 2019 (new, not saved yet)")
    # A change elsewhere redraws the menus, and keeps what was chosen.
    page.locator("#id_outcomes-0-narrative").fill("Twelve villages keep a seed bank.")
    page.locator("#id_outcomes-0-narrative").blur()
    page.get_by_role("button", name="Add an indicator", exact=True).click()
    expect(page.locator("#id_indicators-1-outcome")).to_be_focused()
    expect(indicator_outcome).to_have_value("new:outcomes-1")
    expect(evidence_source).to_have_value("new:sources-0")

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(f"Saved “{TITLE}”.")).to_be_visible()
    initiative = Initiative.objects.get(title=TITLE)
    indicator = initiative.outcomes.get(title="Varieties kept by women's groups").indicators.get()
    assert indicator.name == "Varieties kept"
    evidence = initiative.principle_evidence.get()
    assert evidence.source.citation == "Field evaluation, 2019"


@pytest.mark.django_db(transaction=True)
def test_the_list_of_problems_takes_the_focus_and_leads_to_each_field(new_page):
    page = open_editor(new_page)
    page.locator("#id_countries-0-country").select_option("BR")
    page.locator("#id_countries-0-role").select_option("provider")
    page.locator("#id_countries-0-share").fill("140")

    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Title: This field is required.").click()
    expect(page.locator("#id_title")).to_be_focused()
    summary.get_by_role("link", name="Country 1: Share").click()
    expect(page.locator("#id_countries-0-share")).to_be_focused()
    expect(page.locator('label[for="id_title"]')).to_have_text("Title (required):")
