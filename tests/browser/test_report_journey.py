"""A researcher narrows the list, exports what it shows, watches the report and downloads it."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_editor_journey import PASSWORD, sign_in
from tests.factories import InitiativeFactory, UserFactory, country


@pytest.mark.django_db(transaction=True)
def test_export_the_filtered_list_and_download_it(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    InitiativeFactory(title="Reconstruction with farmers", recipient__country=country("HT"))
    InitiativeFactory(title="Seed banks in Mozambique")
    researcher = UserFactory()
    researcher.set_password(PASSWORD)
    researcher.save()

    page = new_page("/")
    sign_in(page, researcher.username)
    page.goto("/initiatives/")
    page.get_by_role("checkbox", name=re.compile("^Haiti")).first.check()
    expect(page).to_have_url(re.compile(r"[?&]recipient=HT"))

    page.get_by_role("group", name="Or prepare a report in My reports:").get_by_role(
        "button", name="JSON"
    ).click()
    expect(page).to_have_url(re.compile(r"/reports/[0-9a-f-]{36}/$"))
    expect(page.get_by_text("Ready")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download")).click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert [row["title"] for row in data["initiatives"]] == ["Reconstruction with farmers"]

    page.get_by_role("link", name="My reports", exact=True).click()
    expect(page.get_by_role("cell", name=re.compile("recipient=HT"))).to_be_visible()
