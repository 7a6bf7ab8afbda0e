import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

PASSWORD = "a-long-test-password"


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", ["ana", "ana@example.org", "Ana@Example.ORG"])
def test_sign_in_with_username_or_email(client, identifier):
    UserFactory(username="ana", email="ana@example.org")
    response = client.post(reverse("login"), {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("editor-dashboard")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_or_inactive_account_is_refused(client):
    UserFactory(username="ana", email="ana@example.org")
    UserFactory(username="bo", email="bo@example.org", is_active=False)
    for username, password in [("ana", "wrong-password-123"), ("bo", PASSWORD)]:
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_a_username_that_looks_like_an_address_does_not_open_that_address_account(client):
    UserFactory(username="victim", email="victim@example.org", password="victims-own-password")
    UserFactory(username="victim@example.org", email="other@example.org")
    client.post(reverse("login"), {"username": "victim@example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] != str(
        UserFactory._meta.model.objects.get(username="victim").pk
    )


@pytest.mark.django_db
def test_not_found_page_is_friendly(client):
    response = client.get("/initiatives/no-such-record/")
    assert response.status_code == 404
    assert "Records appear here only once a moderator has published them." in (
        response.content.decode()
    )


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how many passwords it hashes."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "identifier",
    ["ana", "ana@example.org", "ANA@example.ORG", "nobody", "nobody@example.org", "invited"],
)
def test_a_refused_sign_in_hashes_the_password_once_whether_or_not_the_account_exists(
    client, settings, identifier
):
    """The time a refusal takes must not tell which accounts exist. An account invited but
    without a password yet counts as existing."""
    settings.PASSWORD_HASHERS = ["tests.test_sign_in.CountingHasher"]
    UserFactory(username="ana", email="ana@example.org")
    UserFactory(username="invited", email="invited@example.org", password=None)
    CountingHasher.hashed = 0

    response = client.post(reverse("login"), {"username": identifier, "password": "wrong-123"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert CountingHasher.hashed == 1


@pytest.mark.django_db
def test_a_successful_sign_in_hashes_the_password_once(client, settings):
    settings.PASSWORD_HASHERS = ["tests.test_sign_in.CountingHasher"]
    UserFactory(username="ana", email="ana@example.org")
    CountingHasher.hashed = 0

    response = client.post(reverse("login"), {"username": "ana@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert CountingHasher.hashed == 1


# Signing in puts a person in the language of their account ---------------------------------


def sign_in_from(client, login_path: str, next_address: str | None = None):
    fields = {"username": "ana", "password": PASSWORD}
    if next_address is not None:
        fields["next"] = next_address
    return client.post(login_path, fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login_path", "next_address", "lands_on"),
    [
        # From an unprefixed page: the same page, query kept, in the account's language.
        ("/accounts/login/", "/initiatives/?q=seed&page=2", "/pt-br/initiatives/?q=seed&page=2"),
        ("/accounts/login/", None, "/pt-br/"),
        # From a page in another language.
        ("/fr/accounts/login/", "/fr/my/", "/pt-br/my/"),
        ("/es/accounts/login/", None, "/pt-br/"),
        # Already in the account's language: nothing to change.
        ("/pt-br/accounts/login/", "/pt-br/my/", "/pt-br/my/"),
    ],
)
def test_signing_in_opens_the_page_in_the_account_s_language(
    client, login_path, next_address, lands_on
):
    UserFactory(username="ana", language="pt-br")

    response = sign_in_from(client, login_path, next_address)

    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt-br"
    later = client.get("/dashboard/", headers={"accept-language": "en"})
    assert later["Location"] == "/pt-br/dashboard/"


@pytest.mark.django_db
def test_an_account_in_english_signs_in_to_unprefixed_pages(client):
    UserFactory(username="ana", language="en")

    response = sign_in_from(client, "/es/accounts/login/", "/es/my/?tab=1")

    assert response["Location"] == "/my/?tab=1"


@pytest.mark.django_db
def test_without_a_chosen_language_the_page_s_own_language_is_kept(client):
    UserFactory(username="ana")

    assert sign_in_from(client, "/es/accounts/login/", "/es/my/")["Location"] == "/es/my/"
    client.logout()
    response = sign_in_from(client, "/fr/accounts/login/")
    assert response["Location"] == "/fr/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_address", ["https://attacker.example/", "//attacker.example/", "/\\attacker.example"]
)
def test_signing_in_never_leads_off_the_portal(client, next_address):
    UserFactory(username="ana", language="fr")

    assert sign_in_from(client, "/accounts/login/", next_address)["Location"] == "/fr/"


@pytest.mark.django_db
def test_an_address_that_is_not_a_page_is_left_as_it_is(client):
    UserFactory(username="ana", language="es")

    response = sign_in_from(client, "/accounts/login/", "/api/initiatives/?format=json")

    assert response["Location"] == "/api/initiatives/?format=json"


@pytest.mark.django_db
def test_a_language_chosen_while_signed_in_is_the_one_the_next_sign_in_opens(client):
    user = UserFactory(username="ana", language="es")
    sign_in_from(client, "/accounts/login/")

    client.get("/language/fr/", {"next": "/es/my/"})
    user.refresh_from_db()
    assert user.language == "fr"
    client.logout()
    client.cookies.clear()

    assert sign_in_from(client, "/accounts/login/", "/my/")["Location"] == "/fr/my/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("account_language", "login_path", "lands_on"),
    [
        ("pt-br", "/accounts/login/", "/pt-br/my/"),
        ("", "/fr/accounts/login/", "/fr/my/"),
        ("en", "/es/accounts/login/", "/my/"),
    ],
)
def test_an_editor_without_a_next_page_lands_on_their_dashboard_in_their_language(
    client, account_language, login_path, lands_on
):
    MembershipFactory(user=UserFactory(username="ana", language=account_language))

    assert sign_in_from(client, login_path)["Location"] == lands_on


@pytest.mark.django_db
def test_an_editor_with_a_next_page_goes_there(client):
    MembershipFactory(user=UserFactory(username="ana", language="es"))

    response = sign_in_from(client, "/accounts/login/", "/initiatives/?q=seed")

    assert response["Location"] == "/es/initiatives/?q=seed"
