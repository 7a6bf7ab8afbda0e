"""An editor who chose Brazilian Portuguese hears from a moderator in Portuguese, follows the
e-mail's link, signs in, and meets the initiative editor and its error notes in Portuguese.

The words asserted are those of locale/pt_BR/LC_MESSAGES/django.po."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from initiatives import services
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, MembershipFactory, ModeratorFactory

PASSWORD = "a-long-test-password"
TITLE = "Guardiões de sementes"
NOTE = "Acrescentem as datas previstas."


@pytest.mark.django_db(transaction=True)
def test_a_portuguese_speaking_editor_works_in_portuguese(new_page, mailoutbox):
    editor = MembershipFactory(user__language="pt-br").user
    organisation = editor.memberships.get().organisation
    initiative = InitiativeFactory(
        title=TITLE, owner=organisation, state=Initiative.State.SUBMITTED
    )

    # A moderator, who reads English, returns the record; the editor's e-mail is Portuguese.
    services.initiative_return(initiative=initiative, by=ModeratorFactory(), note=NOTE)

    (message,) = mailoutbox
    assert message.to == [editor.email]
    assert message.subject == f"Devolvida com uma nota: {TITLE}"
    assert f"A iniciativa “{TITLE}” foi devolvida à sua organização. A nota da moderação:" in (
        message.body
    )
    assert NOTE in message.body
    assert "Faça as alterações e envie-a novamente." in message.body
    (link,) = re.findall(r"https?://\S+", message.body)
    editor_path = urlsplit(link).path
    assert editor_path == f"/pt-br/my/initiatives/{initiative.slug}/edit/"

    # The link leads to the sign-in page, in Portuguese, and from there to the editor.
    page = new_page(editor_path)
    expect(page.locator("html")).to_have_attribute("lang", "pt-BR")
    page.get_by_label("Usuário").fill(editor.username)
    page.get_by_label("Senha").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(re.escape(editor_path) + "$"))

    expect(page.get_by_role("heading", name="A nota da moderação")).to_be_visible()
    expect(page.get_by_role("heading", name="Informações básicas")).to_be_visible()
    expect(page.get_by_role("heading", name="Setores e ODS")).to_be_visible()
    basics = page.locator("#basics")
    title = basics.get_by_label("Título (obrigatório):", exact=True)
    expect(title).to_have_value(TITLE)

    # An empty title and an end before the start: the notes say what to fix, in Portuguese.
    title.fill("")
    basics.get_by_label("Início previsto:", exact=True).fill("2026-12-06")
    basics.get_by_label("Término previsto:", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Salvar", exact=True).click()

    expect(page.get_by_role("alert").filter(has_text="Há um problema")).to_be_focused()
    expect(page.locator(".field").filter(has=page.locator("#id_title"))).to_contain_text(
        "Este campo é obrigatório."
    )
    expect(page.locator(".field").filter(has=page.locator("#id_planned_end"))).to_contain_text(
        "O término não pode ser anterior ao início."
    )
    initiative.refresh_from_db()
    assert initiative.title == TITLE and initiative.planned_end is None


@pytest.mark.django_db(transaction=True)
def test_signing_in_on_an_english_page_goes_on_in_portuguese(new_page):
    editor = MembershipFactory(user__language="pt-br").user

    page = new_page("/my/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/my/$"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/pt-br/my/$"))
    expect(page.get_by_role("heading", name="Minhas organizações")).to_be_visible()
    page.goto("/initiatives/")
    expect(page).to_have_url(re.compile(r"/pt-br/initiatives/$"))
