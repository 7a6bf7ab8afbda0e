"""An editor of a partner organisation confirms one evidence row of an initiative it takes
part in and disputes another, on a phone, in a real browser; the owner's record then shows
both answers."""

import pytest
from playwright.sync_api import expect

from initiatives.models import Participation
from principles.models import Principle, PrincipleEvidence
from tests.browser.test_editor_journey import sign_in
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ParticipationFactory,
    PrincipleEvidenceFactory,
)

PHONE = {"width": 390, "height": 844}
NOTE = "The ministry attended only the first planning meeting."


@pytest.mark.django_db(transaction=True)
def test_a_partner_confirms_one_row_and_disputes_another(new_page, mailoutbox):
    owner = MembershipFactory(organisation__name="Seed coalition of Brazil").organisation
    partner = MembershipFactory(
        organisation__name="Mozambican Peasant Union", user__username="amina"
    )
    initiative = InitiativeFactory(owner=owner, title="Community seed banks")
    ParticipationFactory(
        initiative=initiative, actor=partner.organisation, role=Participation.Role.PARTNER
    )
    kept = PrincipleEvidenceFactory(
        initiative=initiative, narrative="Farmers' unions chose the seed varieties."
    )
    doubted = PrincipleEvidenceFactory(
        initiative=initiative,
        principle=Principle.objects.get(slug="inclusive-partnerships"),
        narrative="The ministry took part in every planning meeting.",
    )

    page = new_page("/")
    page.set_viewport_size(PHONE)
    sign_in(page, "amina")
    page.goto("/my/")
    page.get_by_role("link", name="Confirm partners' evidence").click()
    expect(page.get_by_role("heading", name="Confirm partners' evidence", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Community seed banks", level=2)).to_be_visible()

    page.locator(f"#evidence-{kept.pk}").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status").first).to_contain_text("You confirmed the evidence")
    expect(page.locator(f"#evidence-{kept.pk}")).to_contain_text(
        "Confirmed by Mozambican Peasant Union on"
    )

    # Disputing without a note is refused with a message tied to the note's field.
    row = page.locator(f"#evidence-{doubted.pk}")
    row.get_by_role("button", name="Dispute").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Say what you dispute: a note is needed.")
    summary.get_by_role("link", name="Say what you dispute: a note is needed.").click()
    note = page.locator(f"#evidence-{doubted.pk}").get_by_label("What do you dispute?")
    expect(note).to_be_focused()
    note.fill(NOTE)
    page.locator(f"#evidence-{doubted.pk}").get_by_role("button", name="Dispute").click()
    expect(page.get_by_role("status").first).to_contain_text("You disputed the evidence")
    expect(page.locator(f"#evidence-{doubted.pk}")).to_contain_text(NOTE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    states = dict(
        PrincipleEvidence.objects.filter(initiative=initiative).values_list("pk", "confirmation")
    )
    assert states == {kept.pk: "confirmed", doubted.pk: "disputed"}

    visitor = new_page(initiative.get_absolute_url())
    expect(visitor.get_by_text("Confirmed by Mozambican Peasant Union on")).to_be_visible()
    expect(visitor.get_by_text(NOTE)).to_be_visible()
