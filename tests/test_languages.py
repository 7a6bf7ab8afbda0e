"""The language is in the address: /es/…, /pt-br/…, /fr/…, English unprefixed. Unprefixed
pages follow the visitor's preference (the language cookie, else Accept-Language); the
switcher on every page remembers a choice, for a signed-in person in their account, and
their e-mails and reports are written in it. The API follows Accept-Language or ``lang``."""

import csv
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from lxml import html as lxml_html

from accounts.models import Membership
from initiatives.models import Initiative
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
FILTERS = "recipient=MZ&q=seed%20banks&page=1"
LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value}


def page_language(response) -> str:
    return lxml_html.fromstring(response.content).get("lang")


def switcher_links(response) -> list:
    page = lxml_html.fromstring(response.content)
    (nav,) = page.xpath('//nav[@id="language-switcher"]')
    return nav.xpath(".//a")


# Languages and prefixes ----------------------------------------------------------------------


def test_the_portal_speaks_english_spanish_brazilian_portuguese_and_french():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es", "pt-br", "fr"]
    assert settings.LANGUAGE_CODE == "en"
    assert translation.to_locale("pt-br") == "pt_BR"
    assert (ROOT / "locale" / "pt_BR" / "LC_MESSAGES" / "django.po").is_file()


@pytest.mark.parametrize(
    ("accept_language", "prefix"),
    [
        ("es", "/es"),
        ("es-MX,en;q=0.5", "/es"),
        ("pt", "/pt-br"),
        ("pt-PT", "/pt-br"),
        ("fr", "/fr"),
    ],
)
def test_an_unprefixed_page_sends_other_languages_to_their_prefix(client, accept_language, prefix):
    response = client.get("/", headers={"accept-language": accept_language})

    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/"
    assert {"accept-language", "cookie"} <= vary(response)


def test_a_filtered_list_keeps_its_query_on_the_way_to_the_language(client):
    response = client.get(f"/initiatives/?{FILTERS}", headers={"accept-language": "pt-PT"})

    assert response.status_code == 302
    assert response["Location"] == f"/pt-br/initiatives/?{FILTERS}"


def test_following_the_redirect_ends_on_the_page_in_that_language(client):
    response = client.get("/", headers={"accept-language": "es"}, follow=True)

    assert response.redirect_chain == [("/es/", 302)]
    assert page_language(response) == "es"


@pytest.mark.parametrize("accept_language", ["", "en", "en-GB,es;q=0.8", "de, *;q=0.1"])
def test_english_or_no_preference_is_served_at_the_root_in_english(client, accept_language):
    headers = {"accept-language": accept_language} if accept_language else {}

    response = client.get(f"/initiatives/?{FILTERS}", headers=headers)

    assert response.status_code == 200
    assert page_language(response) == "en"
    assert response["Content-Language"] == "en"
    assert {"accept-language", "cookie"} <= vary(response)


def test_the_language_cookie_comes_before_accept_language(client):
    client.cookies[LANGUAGE_COOKIE] = "fr"
    assert client.get("/", headers={"accept-language": "es"})["Location"] == "/fr/"

    client.cookies[LANGUAGE_COOKIE] = "en"
    response = client.get("/", headers={"accept-language": "es"})
    assert response.status_code == 200 and page_language(response) == "en"


def test_a_prefixed_address_is_in_its_language_whatever_the_visitor_prefers(client):
    client.cookies[LANGUAGE_COOKIE] = "fr"

    response = client.get(f"/es/initiatives/?{FILTERS}", headers={"accept-language": "pt-BR"})

    assert response.status_code == 200
    assert page_language(response) == "es"
    assert response["Content-Language"] == "es"


def test_brazilian_portuguese_pages_say_so_in_bcp_47(client):
    assert page_language(client.get("/pt-br/")) == "pt-BR"


def test_django_s_own_strings_follow_the_address(client):
    response = client.get("/es/admin/login/")

    assert page_language(response) == "es"
    assert "Iniciar sesión" in response.content.decode()


@pytest.mark.parametrize(
    ("address", "target"),
    [
        ("/en/", "/"),
        (f"/en/initiatives/?{FILTERS}", f"/initiatives/?{FILTERS}"),
        ("/en/my/", "/my/"),
        ("/pt/initiatives/", "/pt-br/initiatives/"),
        ("/pt-PT/dashboard/?x=1", "/pt-br/dashboard/?x=1"),
        ("/PT-BR/", "/pt-br/"),
        ("/es-MX/principles/", "/es/principles/"),
        ("/en//attacker.example/", "/attacker.example/"),
    ],
)
def test_a_prefix_that_stands_for_a_language_is_sent_permanently_to_its_own(
    client, address, target
):
    response = client.get(address, headers={"accept-language": "fr"})

    assert response.status_code == 301
    assert response["Location"] == target


def test_forms_posted_to_an_unprefixed_address_are_not_redirected(client):
    response = client.post(
        reverse("login"), {"username": "x", "password": "y"}, headers={"accept-language": "es"}
    )

    assert response.status_code == 200
    assert page_language(response) == "en"


# Every stable address still answers without a prefix (DESIGN §11) ------------------------------


@pytest.fixture
def published(db):
    return InitiativeFactory(slug="seed-banks")


def stable_addresses(initiative: Initiative) -> dict[str, tuple[int, str | None]]:
    """Address → (status, Location) for an anonymous visitor with no language preference."""
    organisation = initiative.owner.slug
    return {
        "/": (200, None),
        "/initiatives/": (200, None),
        f"/initiatives/{initiative.slug}/": (200, None),
        "/countries/MZ/": (200, None),
        f"/organisations/{organisation}/": (200, None),
        "/principles/": (200, None),
        "/dashboard/": (200, None),
        "/my/": (302, "/accounts/login/?next=/my/"),
        "/reports/": (302, "/accounts/login/?next=/reports/"),
        "/accounts/login/": (200, None),
        "/accounts/logout/": (405, None),  # signing out is a POST
        "/accounts/password_reset/": (200, None),
        "/admin/": (302, "/admin/login/?next=/admin/"),
        "/api/v1/": (200, None),
        "/api/v1/initiatives/": (200, None),
        "/api/schema/": (200, None),
        "/api/docs/": (200, None),
        "/healthz": (200, None),
    }


def answer(response) -> tuple[int, str | None]:
    return response.status_code, response.get("Location")


def test_every_stable_address_answers_unprefixed(client, published):
    for address, expected in stable_addresses(published).items():
        assert answer(client.get(address)) == expected, address


def test_every_stable_page_answers_in_spanish_under_es(client, published):
    for address, (status, location) in stable_addresses(published).items():
        if address.startswith(("/api/", "/healthz")):
            continue
        response = client.get(f"/es{address}")
        expected_location = f"/es{location.replace('=/', '=/es/')}" if location else None
        assert answer(response) == (status, expected_location), address
        if status == 200:
            assert page_language(response) == "es", address


def test_only_pages_are_sent_to_a_language_prefix(client, published):
    for address, (status, _location) in stable_addresses(published).items():
        response = client.get(address, headers={"accept-language": "es"})
        if address.startswith(("/api/", "/healthz")):
            assert response.status_code == status, address
        else:
            assert answer(response) == (302, f"/es{address}"), address


# Alternates and the switcher ----------------------------------------------------------------


def test_every_page_lists_itself_in_each_language_as_alternates(client):
    response = client.get(f"/fr/initiatives/?{FILTERS}")

    page = lxml_html.fromstring(response.content)
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in page.xpath('//head/link[@rel="alternate"]')
    }
    assert alternates == {
        "en": f"http://testserver/initiatives/?{FILTERS}",
        "es": f"http://testserver/es/initiatives/?{FILTERS}",
        "pt-BR": f"http://testserver/pt-br/initiatives/?{FILTERS}",
        "fr": f"http://testserver/fr/initiatives/?{FILTERS}",
        "x-default": f"http://testserver/initiatives/?{FILTERS}",
    }


def test_the_switcher_links_to_this_page_in_each_language_with_its_filters(client):
    response = client.get(f"/fr/initiatives/?{FILTERS}")

    found = [
        (
            link.text_content(),
            link.get("lang"),
            link.get("hreflang"),
            link.get("aria-current"),
            urlsplit(link.get("href")).path,
            parse_qs(urlsplit(link.get("href")).query)["next"],
        )
        for link in switcher_links(response)
    ]
    assert found == [
        ("English", "en", "en", None, "/language/en/", [f"/initiatives/?{FILTERS}"]),
        ("Español", "es", "es", None, "/language/es/", [f"/es/initiatives/?{FILTERS}"]),
        (
            "Português Brasileiro",
            "pt-BR",
            "pt-BR",
            None,
            "/language/pt-br/",
            [f"/pt-br/initiatives/?{FILTERS}"],
        ),
        ("Français", "fr", "fr", "true", "/language/fr/", [f"/fr/initiatives/?{FILTERS}"]),
    ]


def test_the_switcher_is_on_every_kind_of_page(client, editor, published):
    client.force_login(editor)
    for address in ["/es/", "/es/my/", "/es/reports/", "/es/accounts/password_change/"]:
        links = switcher_links(client.get(address))
        assert [link.get("hreflang") for link in links] == ["en", "es", "pt-BR", "fr"], address


def test_the_admin_has_the_switcher_too(client, moderator):
    client.force_login(moderator)

    links = switcher_links(client.get("/pt-br/admin/"))

    assert parse_qs(urlsplit(links[0].get("href")).query)["next"] == ["/admin/"]


def test_a_partial_reload_of_the_list_brings_the_switcher_for_its_new_filters(client):
    response = client.get(f"/es/initiatives/?{FILTERS}", headers={"hx-request": "true"})

    page = lxml_html.fromstring(response.content)
    (nav,) = page.xpath('//nav[@id="language-switcher"][@hx-swap-oob="true"]')
    (english,) = nav.xpath('.//a[@hreflang="en"]')
    assert parse_qs(urlsplit(english.get("href")).query)["next"] == [f"/initiatives/?{FILTERS}"]


def test_switching_opens_the_page_in_that_language_and_remembers_it(client):
    switch = client.get("/language/es/", {"next": f"/fr/initiatives/?{FILTERS}"})

    assert switch.status_code == 302
    assert switch["Location"] == f"/es/initiatives/?{FILTERS}"
    cookie = switch.cookies[LANGUAGE_COOKIE]
    assert cookie.value == "es"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    later = client.get("/dashboard/", headers={"accept-language": "fr"})
    assert later["Location"] == "/es/dashboard/"


def test_switching_to_english_lets_the_root_answer_in_english(client):
    client.cookies[LANGUAGE_COOKIE] = "fr"

    switch = client.get("/language/en/", {"next": f"/fr/initiatives/?{FILTERS}"})

    assert switch["Location"] == f"/initiatives/?{FILTERS}"
    response = client.get(switch["Location"], headers={"accept-language": "fr"})
    assert response.status_code == 200 and page_language(response) == "en"


@pytest.mark.parametrize(
    "next_address", ["https://attacker.example/", "//attacker.example/", "", "/\\attacker.example"]
)
def test_switching_never_leads_off_the_portal(client, next_address):
    switch = client.get("/language/fr/", {"next": next_address})

    assert switch["Location"] == "/fr/"


def test_a_language_the_portal_does_not_have_is_not_found(client):
    assert client.get("/language/de/", {"next": "/"}).status_code == 404
    assert LANGUAGE_COOKIE not in client.cookies


def test_a_signed_in_person_s_choice_is_kept_in_their_account(client, editor):
    client.force_login(editor)

    client.get("/language/pt-br/", {"next": "/"})

    editor.refresh_from_db()
    assert editor.language == "pt-br"


def test_reading_a_shared_link_changes_no_one_s_choice(client, editor):
    client.force_login(editor)

    client.get("/fr/initiatives/")

    editor.refresh_from_db()
    assert editor.language == ""
    assert LANGUAGE_COOKIE not in client.cookies


# E-mails and reports in the recipient's language ---------------------------------------------


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_a_password_reset_link_is_in_the_account_s_language(client, mailoutbox):
    chosen = UserFactory(email="ana@example.org")
    client.force_login(chosen)
    client.get("/language/pt-br/", {"next": "/"})  # chosen on the switcher
    client.logout()

    client.post("/accounts/password_reset/", {"email": "ana@example.org"})  # an English page

    (message,) = mailoutbox
    (link,) = links_in(message.body)
    assert link.startswith("http://testserver/pt-br/accounts/reset/")


def test_without_a_choice_the_e_mail_is_in_english_whatever_page_asked(client, mailoutbox):
    UserFactory(email="ana@example.org")

    client.post("/es/accounts/password_reset/", {"email": "ana@example.org"})

    (message,) = mailoutbox
    (link,) = links_in(message.body)
    assert link.startswith("http://testserver/accounts/reset/")


def invite(client, team, email: str, *, language_prefix: str = ""):
    manager = MembershipFactory(organisation=team, role=Membership.Role.MANAGER).user
    client.force_login(manager)
    client.post(
        language_prefix + reverse("organisation-member-invite", kwargs={"slug": team.slug}),
        {"email": email, "role": Membership.Role.EDITOR},
    )


def test_an_invitation_to_an_unknown_address_is_in_the_inviting_page_s_language(
    client, mailoutbox, run_on_commit
):
    team = OrganisationFactory()

    run_on_commit(lambda: invite(client, team, "new@example.org", language_prefix="/es"))

    (message,) = mailoutbox
    (link,) = links_in(message.body)
    assert link.startswith("http://testserver/es/accounts/invitations/")


def test_an_invitation_to_an_account_is_in_its_language(client, mailoutbox, run_on_commit):
    team = OrganisationFactory()
    UserFactory(email="known@example.org", language="fr")

    run_on_commit(lambda: invite(client, team, "Known@example.org", language_prefix="/es"))

    (message,) = mailoutbox
    (link,) = links_in(message.body)
    assert link.startswith("http://testserver/fr/accounts/invitations/")


def test_moderators_are_notified_each_in_their_language(
    client, editor, organisation, mailoutbox, run_on_commit
):
    spanish = ModeratorFactory(email="a-moderator@example.org", language="es")
    unchosen = ModeratorFactory(email="b-moderator@example.org")
    draft = InitiativeFactory(owner=organisation, state=Initiative.State.DRAFT)
    client.force_login(editor)

    run_on_commit(lambda: client.post(reverse("editor-initiative-submit", args=[draft.slug])))

    links = {message.to[0]: links_in(message.body) for message in mailoutbox}
    change = f"/admin/initiatives/initiative/{draft.pk}/change/"
    assert links == {
        spanish.email: [f"http://testserver/es{change}"],
        unchosen.email: [f"http://testserver{change}"],
    }


def test_a_report_is_written_in_its_requester_s_language(client, published, run_on_commit):
    researcher = UserFactory(language="fr")
    client.force_login(researcher)

    response = run_on_commit(
        lambda: client.post(
            "/api/v1/reports/",
            {"kind": "dataset", "format": "csv"},
            content_type="application/json",
        )
    )

    report = client.get(response["Location"]).json()
    assert report["state"] == "succeeded", report["error"]
    download = client.get(report["download"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    rows = csv.DictReader(io.StringIO(archive.read("initiatives.csv").decode("utf-8-sig")))
    assert [row["page"] for row in rows] == ["http://testserver/fr/initiatives/seed-banks/"]


# The API --------------------------------------------------------------------------------------


def country_name(response) -> str:
    assert response.status_code == 200, response.content
    return response.json()["name"]


def test_the_api_answers_in_the_accept_language_asked_for(client):
    response = client.get("/api/v1/countries/ZA/", headers={"accept-language": "es"})

    assert country_name(response) == "Sudáfrica"
    assert response["Content-Language"] == "es"
    assert "accept-language" in vary(response)


def test_the_api_s_lang_parameter_overrides_accept_language(client):
    response = client.get("/api/v1/countries/ZA/?lang=pt-br", headers={"accept-language": "es"})

    assert country_name(response) == "África do Sul"
    assert response["Content-Language"] == "pt-br"


def test_the_api_links_to_pages_in_its_answer_s_language(client, published):
    rows = client.get("/api/v1/initiatives/?lang=fr").json()["results"]

    assert [row["page"] for row in rows] == ["http://testserver/fr/initiatives/seed-banks/"]


def test_the_api_refuses_a_language_it_does_not_have(client):
    response = client.get("/api/v1/countries/ZA/?lang=de")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"lang": ["Choose one of: en, es, pt-br, fr."]}


def test_the_openapi_document_offers_lang_on_every_read_and_only_there(client):
    schema = client.get(
        "/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}
    ).json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = [p for p in operation.get("parameters", []) if p["name"] == "lang"]
            if method == "get":
                (parameter,) = documented
                assert parameter["in"] == "query" and not parameter.get("required"), path
                assert sorted(parameter["schema"]["enum"]) == ["en", "es", "fr", "pt-br"], path
                assert "400" in operation["responses"], path  # a language it does not have
            else:
                assert documented == [], f"{method} {path}"


# The portal's own catalogues -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "words"),
    [
        ("es", ["Buscar", "Panel"]),
        ("pt-BR", ["Pesquisar", "Painel"]),
        ("fr", ["Rechercher", "Tableau de bord"]),
    ],
)
def test_the_home_page_speaks_the_visitor_s_language(client, accept_language, words):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language, follow=True)

    text = response.content.decode()
    assert all(word in text for word in words), words
    assert ">Dashboard<" not in text


def test_the_sign_in_page_in_brazilian_portuguese_says_usuario_and_senha(client):
    text = client.get("/pt-br/accounts/login/").content.decode()

    assert "Usuário" in text
    assert "Senha" in text
    assert "Utilizador" not in text
    assert "Palavra-passe" not in text
