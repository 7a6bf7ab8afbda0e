import pytest
from django.urls import reverse

from accounts.models import ApiToken
from tests.factories import UserFactory

API = "/api/v1/countries/MZ/"


def create_token(client, name="thesis downloads"):
    response = client.post(reverse("api-tokens"), {"name": name})
    assert response.status_code == 200
    return response.context["created_key"]


@pytest.mark.django_db
def test_a_token_is_shown_once_stored_hashed_and_works(client, researcher):
    client.force_login(researcher)
    key = create_token(client)
    token = ApiToken.objects.get()
    assert key.startswith(f"ssdc_{token.prefix}_")
    assert key.split("_", 2)[2] not in token.secret_hash
    assert key not in client.get(reverse("api-tokens")).content.decode(), "shown only once"

    client.logout()
    response = client.get(API, headers={"authorization": f"Token {key}"})
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_revoked_or_wrong_tokens_are_refused_with_the_error_body(client, researcher):
    client.force_login(researcher)
    key = create_token(client)
    token = ApiToken.objects.get()
    client.post(reverse("api-token-revoke", args=[token.pk]))
    client.logout()
    for bad in [key, key[:-3] + "xyz", "nonsense"]:
        response = client.get(API, headers={"authorization": f"Token {bad}"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_users_cannot_revoke_each_others_tokens(client, researcher):
    client.force_login(UserFactory())
    create_token(client)
    client.force_login(researcher)
    other = ApiToken.objects.get()
    assert client.post(reverse("api-token-revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


@pytest.mark.django_db
def test_a_token_needs_a_name(client, researcher):
    client.force_login(researcher)
    response = client.post(reverse("api-tokens"), {"name": ""})
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_page_query_count_does_not_grow(client, researcher, count_queries):
    client.force_login(researcher)
    for index in range(2):
        create_token(client, f"token {index}")
    few = count_queries(lambda: client.get(reverse("api-tokens")))
    for index in range(10):
        create_token(client, f"more {index}")
    assert count_queries(lambda: client.get(reverse("api-tokens"))) == few
