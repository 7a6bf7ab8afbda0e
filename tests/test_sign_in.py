import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests.factories import UserFactory

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
