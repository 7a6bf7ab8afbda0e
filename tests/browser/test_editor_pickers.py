"""The editor's long menus are searchable pickers: a Spanish-speaking editor finds a sector by
typing part of its Spanish name, chooses it, saves, and the record has it."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, MembershipFactory


def signed_in_page(new_page, live_server, user):
    page = new_page("/")
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    return page


@pytest.mark.django_db(transaction=True)
def test_a_sector_is_found_by_part_of_its_spanish_name_and_saved(new_page, live_server):
    editor = MembershipFactory().user
    initiative = InitiativeFactory(
        owner=editor.memberships.get().organisation, state=Initiative.State.DRAFT
    )
    page = signed_in_page(new_page, live_server, editor)
    page.goto(f"/es/my/initiatives/{initiative.slug}/edit/")

    # The picker's search box carries the field's label.
    sectors = page.get_by_role("combobox", name="Sectores")
    sectors.click()
    sectors.press_sequentially("agrar")
    option = page.get_by_role("option", name="Desarrollo agrario (31120)")
    expect(option).to_be_visible()
    # Only what matches is offered.
    expect(page.get_by_role("option", name=re.compile("Abastecimiento"))).to_have_count(0)
    option.click()
    page.get_by_role("button", name="Guardar", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Se guardó")
    assert list(initiative.sectors.values_list("code", flat=True)) == ["31120"]
    # Back on the page, the picker shows the chosen sector.
    expect(page.locator("#themes .ts-control .item")).to_have_text(
        re.compile(r"Desarrollo agrario \(31120\)")
    )
