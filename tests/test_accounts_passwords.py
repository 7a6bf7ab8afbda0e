"""Password flows on Django's built-in auth views with the portal's templates."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from tests.factories import UserFactory
from tests.html_forms import without_csrf_tokens

OLD_PASSWORD = "a-long-test-password"
NEW_PASSWORD = "harvest-seeds-together-2025"


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", body)
    assert match, body
    return match.group(1)


@pytest.mark.django_db
def test_password_reset_end_to_end(client, mailoutbox):
    user = UserFactory(email="ana.silva@example.org")

    response = client.post(reverse("password_reset"), {"email": "ANA.SILVA@example.org"})

    assertRedirects(response, reverse("password_reset_done"))
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana.silva@example.org"]
    assert message.subject == "Set a new password for the SSDC Portal"
    assert f"Your username is: {user.username}" in message.body
    link = _link_path(message.body)

    response = client.get(link, follow=True)
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    assertContains(response, 'autocomplete="new-password"')
    assertContains(response, "at least 12 characters")

    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assertRedirects(response, reverse("password_reset_complete"))

    response = client.post(reverse("login"), {"username": user.username, "password": NEW_PASSWORD})
    assertRedirects(response, reverse("home"))
    client.logout()
    # The link works once only.
    response = client.get(link, follow=True)
    assert response.context["validlink"] is False
    assertContains(response, "This link no longer works")


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assertRedirects(response, reverse("password_reset_done"))
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_reset_refuses_a_short_password_and_explains_why(client, mailoutbox):
    user = UserFactory()
    client.post(reverse("password_reset"), {"email": user.email})
    response = client.get(_link_path(mailoutbox[0].body), follow=True)
    set_password_url = response.redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_new_password2_error"' in page
    assert "This password is too short. It must contain at least 12 characters." in page
    assert re.search(
        r'<input[^>]+aria-invalid="true" aria-describedby="[^"]*id_new_password2_error"', page
    )
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)


def change_password(client, *, old_password: str):
    """Send the password-change form: ``old_password``, and NEW_PASSWORD twice."""
    return client.post(
        reverse("password_change"),
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


@pytest.mark.django_db
def test_password_change_requires_the_current_password(client):
    user = UserFactory()
    client.force_login(user)

    response = change_password(client, old_password="not-my-password")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_old_password_error"' in page
    assert 'aria-describedby="id_old_password_error"' in page
    assert "Your old password was entered incorrectly." in page
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)


@pytest.mark.django_db
def test_password_change_with_the_current_password(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert 'autocomplete="current-password"' in page
    assert 'autocomplete="new-password"' in page
    assert 'for="id_old_password"' in page

    response = change_password(client, old_password=OLD_PASSWORD)

    assertRedirects(response, reverse("password_change_done"))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_needs_a_signed_in_user(client):
    response = client.get(reverse("password_change"))

    assertRedirects(
        response,
        f"{reverse('login')}?next={reverse('password_change')}",
        fetch_redirect_response=False,
    )


@pytest.mark.django_db
def test_login_page_links_to_password_reset_and_labels_fields(client):
    page = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in page
    assert 'for="id_username"' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page


@pytest.mark.django_db
def test_wrong_login_shows_a_plain_message(client):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})

    assert response.status_code == 200
    assertContains(response, "Please enter a correct username and password")
    assertContains(response, 'role="alert"')


def reset_request(client, email: str, address: str = "192.0.2.1"):
    """Ask for a reset link and return the page the visitor ends on."""
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    assertRedirects(response, reverse("password_reset_done"))
    return without_csrf_tokens(client.get(response["Location"]).content.decode())


@pytest.mark.django_db
def test_reset_links_for_one_address_stop_after_the_hourly_rate(client, settings, mailoutbox):
    assert settings.PASSWORD_RESET_RATE == "5/hour"
    user = UserFactory(email="ana.silva@example.org")
    other = UserFactory(email="bo@example.org")
    pages = [
        reset_request(client, "ana.silva@example.org", address=f"192.0.2.{number}")
        for number in range(5)
    ]
    assert [message.to for message in mailoutbox] == [[user.email]] * 5

    sixth = reset_request(client, "ANA.SILVA@example.org", address="198.51.100.7")

    assert len(mailoutbox) == 5, "no sixth e-mail"
    assert sixth == pages[0], "the page says the same as before"
    reset_request(client, other.email, address="198.51.100.7")
    assert mailoutbox[-1].to == [other.email], "other addresses are not held back"


@pytest.mark.django_db
def test_reset_links_from_one_client_stop_after_its_rate(client, settings, mailoutbox):
    settings.PASSWORD_RESET_CLIENT_RATE = "3/hour"
    users = UserFactory.create_batch(4)
    pages = [reset_request(client, user.email) for user in users]

    assert [message.to for message in mailoutbox] == [[user.email] for user in users[:3]]
    assert pages[3] == pages[0]
    reset_request(client, users[3].email, address="198.51.100.7")
    assert mailoutbox[-1].to == [users[3].email], "other clients are not held back"
