"""The initiative's change page in the admin, in a real browser, with rows in every part of
the record: it fits a laptop's window, and every field in it can be told apart by a screen
reader user."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from initiatives.history import INITIATIVE_PARTS
from initiatives.models import Initiative, InitiativeTranslation
from tests.factories import (
    InitiativeFactory,
    ModeratorFactory,
    OrganisationFactory,
    PracticeFactory,
    Rows,
)

PASSWORD = "a-long-test-password"
LAPTOP = {"width": 1366, "height": 900}

# The visible form controls without an accessible name: no <label> (by its "for" or around
# the control) with a text, no aria-label and no aria-labelledby pointing at a text. A text is
# an element's own text or an aria-label inside it (Django's filter boxes label their search
# field with an icon that has one).
UNNAMED_CONTROLS = """
() => {
  const text = (node) => node && (node.textContent.trim()
    || [...node.querySelectorAll("[aria-label]")].some((el) => el.ariaLabel.trim()));
  const named = (el) => (el.getAttribute("aria-label") || "").trim()
    || (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .some((id) => text(document.getElementById(id)))
    || [...(el.labels || [])].some(text);
  const buttons = ["submit", "button", "reset", "image", "hidden"];
  return [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => !buttons.includes(el.type) && el.getClientRects().length > 0)
    .filter((el) => getComputedStyle(el).visibility !== "hidden" && !named(el))
    .map((el) => `${el.tagName.toLowerCase()} ${el.name || el.id || el.outerHTML}`);
}
"""


def initiative_with_every_part() -> Initiative:
    initiative = InitiativeFactory(
        title="Seed banks in the semi-arid: farmers keep native varieties",
        summary="Family farmers from Brazil and Mozambique swap seeds and skills.",
    )
    rows = Rows(initiative)
    rows.country("ZA")  # beside the factory's provider and recipient
    rows.participant(OrganisationFactory(name="União Nacional de Camponeses"))
    rows.funding(amount=Decimal("25000.00"), currency="USD", note="Two harvest seasons")
    evaluation = rows.source(
        citation="Seed bank evaluation, independent review of the first three seasons, 2016",
        url="https://example.org/evaluations/seed-banks-2016.pdf",
    )
    rows.evidence(source=evaluation, narrative="Farmers' groups chose the varieties.")
    rows.outcome("Community seed banks run by farmers' associations", narrative="Twelve banks.")
    rows.non_monetary("person_days", 120, note="Exchange visits between seed banks")
    practice = PracticeFactory(name="Community native seed banks")
    initiative.practice_uses.create(practice=practice, adaptation="Run by women's groups.")
    initiative.lessons.create(
        text="Trust built over years sped up the work.", for_civil_society=True, practice=practice
    )
    InitiativeTranslation.objects.create(
        initiative=initiative,
        language="pt",
        title="Bancos de sementes no semiárido",
        summary="Agricultores familiares trocam sementes e saberes.",
    )
    return initiative


@pytest.fixture
def change_form(new_page):
    """The change page of an initiative with rows in every inline, open at a 1366×900
    window as a moderator."""
    initiative = initiative_with_every_part()
    moderator = ModeratorFactory()
    page = new_page()
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(moderator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/initiatives/initiative/{initiative.pk}/change/")
    expect(page.locator("#initiative_form")).to_be_visible()
    page.wait_for_load_state("load")
    return page


@pytest.mark.django_db(transaction=True)
def test_change_form_with_every_part_fits_a_laptop_window(change_form):
    for prefix in INITIATIVE_PARTS:
        assert change_form.locator(f'[name="{prefix}-TOTAL_FORMS"]').input_value() != "0"

    width = change_form.evaluate("document.documentElement.scrollWidth")
    # Nor does a part of the record fit only by scrolling sideways in its own box.
    scrolling = change_form.evaluate(
        """[...document.querySelectorAll(".inline-group, .inline-group div.tabular")]
          .filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.id || el.className)"""
    )

    assert width <= LAPTOP["width"]
    assert scrolling == []


@pytest.mark.django_db(transaction=True)
def test_every_field_of_the_change_form_has_an_accessible_name(change_form):
    assert change_form.evaluate(UNNAMED_CONTROLS) == []
