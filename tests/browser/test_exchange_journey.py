"""An editor of a Mozambican organisation finds the practice of native seed banks, then the
Brazilian offer to share it on the exchange, writes to the Brazilian organisation through the
portal, and the Brazilian editor receives the message in Portuguese, without either side
seeing the other's address."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import Listing, Theme
from tests.browser.test_editor_journey import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, PracticeFactory, country


@pytest.mark.django_db(transaction=True)
def test_a_mozambican_editor_writes_to_the_brazilian_seed_coalition(new_page, mailoutbox):
    brazil = OrganisationFactory(name="Brazilian native seed coalition")
    mozambique = OrganisationFactory(name="Mozambican peasant movement", home_country=country("MZ"))
    brazilian = MembershipFactory(
        organisation=brazil, user__language="pt-br", user__email="guardia@coalition.example"
    ).user
    mozambican = MembershipFactory(organisation=mozambique).user
    seeds = Theme.objects.get(slug="seeds-agroecology")
    seed_banks = PracticeFactory(name="Community native seed banks", slug="seed-banks")
    seed_banks.themes.set([seeds])
    PracticeFactory(name="Community scorecards", slug="scorecards")
    offer = Listing.objects.create(
        kind="offer",
        organisation=brazil,
        title="Community native seed banks",
        description="How we keep native seeds.",
        practice=seed_banks,
        languages=["pt", "es"],
        open_until=timezone.localdate() + timedelta(days=100),
        state=Listing.State.PUBLISHED,
    )
    offer.countries.set(["MZ", "ZA"])
    Listing.objects.create(
        kind="offer",
        organisation=OrganisationFactory(),
        title="Daily savings groups",
        description="Savings.",
        theme=Theme.objects.get(slug="savings-finance"),
        languages=["en"],
        open_until=timezone.localdate() + timedelta(days=100),
        state=Listing.State.PUBLISHED,
    )

    page = new_page("/")
    sign_in(page, mozambican.username)
    page.goto("/exchange/")
    page.get_by_label("Theme").select_option(label="Seeds and agroecology")
    page.get_by_role("button", name="Show listings").click()
    expect(page).to_have_url(re.compile(r"theme=seeds-agroecology"))
    expect(page.get_by_role("link", name="Daily savings groups")).to_have_count(0)
    page.get_by_role("link", name="Community native seed banks").click()

    expect(page.get_by_role("heading", name="Community native seed banks")).to_be_visible()
    page.get_by_role("link", name="Contact this organisation").click()
    expect(
        page.get_by_role("heading", name="Write to Brazilian native seed coalition")
    ).to_be_visible()
    page.get_by_label("Subject").fill("Visiting your seed banks")
    page.get_by_label("Message").fill("Could three of our members visit a seed bank in May?")
    page.get_by_role("button", name="Send the message").click()

    expect(
        page.get_by_text("Your message was sent to Brazilian native seed coalition")
    ).to_be_visible()
    assert "guardia@coalition.example" not in page.content()

    (message,) = mailoutbox
    assert message.to == ["guardia@coalition.example"]
    assert message.subject == (
        "Mensagem de Mozambican peasant movement pelo Portal SSDC: Visiting your seed banks"
    )
    assert "Could three of our members visit a seed bank in May?" in message.body
    assert mozambican.email not in message.body
    assert not message.reply_to
    assert brazilian.email == "guardia@coalition.example"
