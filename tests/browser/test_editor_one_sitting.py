"""An editor records a whole initiative in one sitting: every row is added in place (no page
is loaded again until the save), rows name rows typed minutes before, the list of sections
shows how far the record has come, and the record is previewed and submitted."""

import re

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.browser.test_editor_journey import add_row, sign_in
from tests.factories import MembershipFactory

TITLE = "Seed keepers of the South Atlantic"
OUTCOME = "Seed banks run by women's groups in twenty villages"
SOURCE = "Joint field evaluation, 2021"
PARTNER = "Angolan association of seed keepers"


@pytest.mark.django_db(transaction=True)
def test_a_whole_initiative_recorded_in_one_sitting(new_page):
    membership = MembershipFactory(organisation__name="Seed coalition of Brazil")
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, membership.user.username)
    page.wait_for_load_state()
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto("/my/initiatives/new/")
    # Survives only if the page is not loaded again.
    page.evaluate("window.stillTheSamePage = true")

    nav = page.get_by_role("navigation", name="Sections of the form")
    expect(nav.get_by_role("link", name="Funding — to do")).to_be_visible()
    expect(nav.get_by_role("progressbar", name="0 of 10 sections complete")).to_be_visible()

    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Family farmers swap native seeds and the skills to keep.")
    page.locator("#id_description").fill("Exchange visits, seed fairs and a shared register.")
    page.locator("#id_actual_start").fill("2013-03-01")  # the work has begun: when
    page.locator("#id_cooperation_type").select_option("bilateral")

    # One provider and two recipient countries sharing the effort.
    page.locator('[name="countries-0-country"]').select_option("BR")
    page.locator('[name="countries-0-role"]').select_option("provider")
    add_row(page, "Add a country")
    page.locator('[name="countries-1-country"]').select_option("MZ")
    page.locator('[name="countries-1-role"]').select_option("recipient")
    page.locator('[name="countries-1-share"]').fill("60")
    add_row(page, "Add a country")
    page.locator('[name="countries-2-country"]').select_option("AO")
    page.locator('[name="countries-2-role"]').select_option("recipient")
    page.locator('[name="countries-2-share"]').fill("40")

    # The editor's own organisation leads; a partner new to the portal is proposed by name.
    page.locator('[name="participants-0-actor"]').select_option(label="Seed coalition of Brazil")
    page.locator('[name="participants-0-role"]').select_option("lead")
    add_row(page, "Add an organisation")
    page.locator('[name="participants-1-new_organisation_name"]').fill(PARTNER)
    page.locator('[name="participants-1-new_organisation_type"]').select_option("national_ngo")
    page.locator('[name="participants-1-new_organisation_country"]').select_option("AO")
    page.locator('[name="participants-1-role"]').select_option("partner")

    # A sector through its picker.
    sectors = page.get_by_role("combobox", name="Sectors")
    sectors.click()
    sectors.press_sequentially("agricultural dev")
    page.get_by_role("option", name="Agricultural development (31120)").click()
    page.keyboard.press("Escape")

    page.locator('[name="funding-0-funding_model"]').select_option(
        label="Provider-country government funds"
    )

    # An outcome, and an indicator naming it before it is saved.
    page.locator("#id_outcomes-0-title").fill(OUTCOME)
    page.locator("#id_outcomes-0-title").blur()
    indicator_outcome = page.locator("#id_indicators-0-outcome")
    expect(indicator_outcome.locator("option", has_text=OUTCOME)).to_have_count(1)
    indicator_outcome.select_option(label=f"{OUTCOME} (new, not saved yet)")
    page.locator("#id_indicators-0-name").fill("Villages with a seed bank")

    # A source, and evidence citing it before it is saved.
    page.locator("#id_sources-0-citation").fill(SOURCE)
    page.locator("#id_sources-0-citation").blur()
    evidence_source = page.locator("#id_evidence-0-source")
    expect(evidence_source.locator("option", has_text=SOURCE)).to_have_count(1)
    page.locator("#id_evidence-0-principle").select_option(
        label="Ownership of development priorities"
    )
    page.locator("#id_evidence-0-strength").select_option("2")
    page.locator("#id_evidence-0-narrative").fill("Farmers' groups chose the varieties.")
    evidence_source.select_option(label=f"{SOURCE} (new, not saved yet)")

    assert page.evaluate("window.stillTheSamePage") is True
    assert len(loads) == 1  # the empty form, and nothing since
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(f"Saved “{TITLE}”.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is None
    initiative = Initiative.objects.get(title=TITLE)
    assert sorted(initiative.country_links.values_list("country", "role", "share")) == [
        ("AO", "recipient", 40),
        ("BR", "provider", None),
        ("MZ", "recipient", 60),
    ]
    assert sorted(initiative.participations.values_list("actor__name", "role")) == [
        (PARTNER, "partner"),
        ("Seed coalition of Brazil", "lead"),
    ]
    assert list(initiative.sectors.values_list("code", flat=True)) == ["31120"]
    assert initiative.funding_contributions.count() == 1
    outcome = initiative.outcomes.get()
    assert outcome.title == OUTCOME
    assert list(outcome.indicators.values_list("name", flat=True)) == ["Villages with a seed bank"]
    evidence = initiative.principle_evidence.get()
    assert evidence.source.citation == SOURCE

    # The list of sections now says what is done.
    nav = page.get_by_role("navigation", name="Sections of the form")
    expect(nav.get_by_role("link", name="Funding — complete")).to_be_visible()
    expect(nav.get_by_role("link", name="Countries — complete")).to_be_visible()
    expect(nav.get_by_role("link", name="Translations — optional")).to_be_visible()
    expect(nav.get_by_role("progressbar", name="10 of 10 sections complete")).to_be_visible()

    page.goto(f"/my/initiatives/{initiative.slug}/preview/")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text(OUTCOME).first).to_be_visible()

    page.goto(f"/my/initiatives/{initiative.slug}/edit/")
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("was submitted for review")).to_be_visible()
    initiative.refresh_from_db()
    assert initiative.state == Initiative.State.SUBMITTED
    assert initiative.outcomes.count() == 1 and initiative.sources.count() == 1
    print(f"full page loads: {len(loads)}: {loads}")


@pytest.mark.django_db(transaction=True)
def test_sections_with_notes_after_a_save_need_attention(new_page):
    membership = MembershipFactory()
    page = new_page()
    sign_in(page, membership.user.username)
    page.goto("/my/initiatives/new/")
    page.locator('[name="countries-0-country"]').select_option("BR")
    page.locator('[name="countries-0-role"]').select_option("provider")
    page.locator('[name="countries-0-share"]').fill("140")
    page.get_by_role("button", name="Save", exact=True).click()

    nav = page.get_by_role("navigation", name="Sections of the form")
    expect(nav.get_by_role("link", name="Basics — needs attention")).to_be_visible()
    expect(nav.get_by_role("link", name="Countries — needs attention")).to_be_visible()
    expect(nav.get_by_role("link", name="Funding — to do")).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile("^Sectors and SDGs"))).to_have_accessible_name(
        "Sectors and SDGs — to do"
    )
    # What was typed is still there.
    expect(page.locator('[name="countries-0-share"]')).to_have_value("140")
