import pytest
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
