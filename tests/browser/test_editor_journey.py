"""An editor records an initiative in a real browser, a moderator publishes it in the admin,
and the public then finds it on the home page."""

import re

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, MembershipFactory, ModeratorFactory

PASSWORD = "a-long-test-password"
TITLE = "Seed guardians: Brazilian and Mozambican farmers keep native varieties"


def sign_in(
    page, username: str, *, path: str = "/accounts/login/", button: str = "Sign in"
) -> None:
    """Sign in on the portal's page (or, with ``path`` and ``button``, the admin's)."""
    page.goto(path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def add_row(page, button_name: str) -> None:
    """The form's "add" buttons bring a new row into their part in place: wait for it before
    filling in the part (the part is redrawn)."""
    button = page.get_by_role("button", name=button_name, exact=True)
    rows = page.locator("section.form-section", has=button).locator("fieldset.row-card")
    count = rows.count()
    button.click()
    expect(rows).to_have_count(count + 1)


@pytest.mark.django_db(transaction=True)
def test_editor_records_and_submits_then_moderator_publishes(new_page):
    membership = MembershipFactory(organisation__name="Seed coalition of Brazil")
    editor, organisation = membership.user, membership.organisation
    # A partner the portal already knows: it is named in a published record.
    InitiativeFactory(owner__name="Mozambican peasant union", owner__actor_type="social_movement")
    moderator = ModeratorFactory()

    page = new_page()
    sign_in(page, editor.username)
    page.goto("/my/")
    expect(page.get_by_role("heading", name="Seed coalition of Brazil")).to_be_visible()
    page.get_by_role("link", name="Record a new initiative").click()

    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Family farmers from both countries swap seeds and skills.")
    page.locator("#id_cooperation_type").select_option("bilateral")
    add_row(page, "Add a country")
    page.locator('[name="countries-0-country"]').select_option("BR")
    page.locator('[name="countries-0-role"]').select_option("provider")
    page.locator('[name="countries-1-country"]').select_option("MZ")
    page.locator('[name="countries-1-role"]').select_option("recipient")
    add_row(page, "Add an organisation")
    page.locator('[name="participants-0-actor"]').select_option(label=str(organisation))
    page.locator('[name="participants-0-role"]').select_option("lead")
    page.locator('[name="participants-1-actor"]').select_option(label="Mozambican peasant union")
    page.locator('[name="participants-1-role"]').select_option("partner")
    page.locator('[name="funding-0-funding_model"]').select_option(
        label="Provider-country government funds"
    )
    page.locator('[name="evidence-0-principle"]').select_option(
        label="Ownership of development priorities"
    )
    page.locator('[name="evidence-0-narrative"]').fill(
        "Farmers' groups chose which varieties to multiply."
    )
    page.get_by_role("button", name="Save and submit for review").click()

    expect(page.get_by_text("was submitted for review")).to_be_visible()
    initiative = Initiative.objects.get(title=TITLE)
    assert initiative.state == Initiative.State.SUBMITTED
    assert initiative.country_links.count() == 2 and initiative.participations.count() == 2
    assert initiative.funding_contributions.count() == 1
    assert initiative.principle_evidence.count() == 1

    moderation = new_page()
    sign_in(moderation, moderator.username, path="/admin/login/", button="Log in")
    approve_in_admin(moderation, initiative)
    initiative.refresh_from_db()
    assert initiative.state == Initiative.State.PUBLISHED

    visitor = new_page("/")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor).to_have_url(re.compile(f"/initiatives/{initiative.slug}/$"))


def approve_in_admin(page, initiative: Initiative) -> None:
    page.goto("/admin/initiatives/initiative/?state__exact=submitted")
    page.locator(f'input[name="_selected_action"][value="{initiative.pk}"]').check()
    page.locator('select[name="action"]').select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1")
