"""Researchers create their own account: sign up, confirm the address by e-mail, create a
token. Addresses already in use are not revealed, links work once, and both forms are
rate-limited per client."""

import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from accounts.signup import signup_url_token
from tests.factories import MembershipFactory, UserFactory

# Real commits: the e-mails go out once the account is saved.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "harvest-seeds-together-2025"


def sign_up(client, *, username="lucia.r", email="lucia@example.org", password=PASSWORD, url=None):
    return client.post(
        url or reverse("signup"),
        {"username": username, "email": email, "password1": password, "password2": password},
    )


def signs_in(client, identifier: str) -> bool:
    response = client.post(reverse("login"), {"username": identifier, "password": PASSWORD})
    return response.status_code == 302


def link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/(?:\w\w(?:-\w\w)?/)?accounts/signup/confirm/\S+/)", body)
    assert match, body
    return match.group(1)


def test_sign_up_confirm_and_land_on_the_token_page(client, mailoutbox):
    response = sign_up(client)

    assertRedirects(response, reverse("signup-sent"))
    user = User.objects.get(username="lucia.r")
    assert (user.email, user.is_active, user.memberships.count()) == ("lucia@example.org", False, 0)
    # Until the address is confirmed, the account cannot sign in.
    assert not signs_in(client, "lucia.r")
    (message,) = mailoutbox
    assert message.to == ["lucia@example.org"]
    assert message.subject == "Confirm your e-mail address for the SSDC Portal"
    assert "lucia.r" in message.body

    page = client.get(link_path(message.body), follow=True)

    assert page.redirect_chain == [(reverse("api-tokens"), 302)]
    user.refresh_from_db()
    assert user.is_active
    assertContains(page, "Your e-mail address is confirmed and your account is ready.")
    assertContains(page, "Sign out (lucia.r)")
    response = client.post(reverse("api-tokens"), {"name": "thesis download"})
    key = re.search(r'data-testid="new-token">(ssdc_\w+_\S+?)<', response.content.decode())[1]
    api = client.get("/api/v1/funding-models/", headers={"authorization": f"Token {key}"})
    assert api.status_code == 200

    # The link works once; the account then signs in as any other.
    client.logout()
    used = client.get(link_path(message.body))
    assert used.status_code == 410
    assertContains(used, "This link was already used", status_code=410)
    assert signs_in(client, "lucia@example.org")


def test_the_e_mail_and_its_link_are_in_the_language_of_the_page(client, mailoutbox):
    with translation.override("pt-br"):
        url = reverse("signup")
    assert url == "/pt-br/accounts/signup/"

    sign_up(client, url=url)

    (message,) = mailoutbox
    assert message.subject == "Confirme seu endereço de e-mail no Portal SSDC"
    path = link_path(message.body)
    assert path.startswith("/pt-br/accounts/signup/confirm/")
    assert "/pt-br/accounts/signup/new-link/" in message.body
    response = client.get(path)
    assert response["Location"] == "/pt-br/my/tokens/"


def test_an_address_in_use_is_not_revealed_and_its_owner_is_told(client, mailoutbox):
    owner = UserFactory(email="ana@example.org", language="es")

    response = sign_up(client, username="someone.else", email="ANA@example.org")

    assertRedirects(response, reverse("signup-sent"))
    assert not User.objects.filter(username="someone.else").exists()
    (message,) = mailoutbox
    assert message.to == ["ana@example.org"]
    # In the owner's language, with their username and no link that opens anything.
    assert message.subject == "Ya tiene una cuenta en el Portal SSDC"
    assert owner.username in message.body
    assert "/accounts/signup/confirm/" not in message.body
    owner.refresh_from_db()
    assert owner.check_password("a-long-test-password")


def test_the_form_explains_what_to_fix_with_a_summary_linking_to_the_fields(client, mailoutbox):
    UserFactory(username="taken")

    response = client.post(
        reverse("signup"),
        {"username": "Taken", "email": "not-an-address", "password1": "short", "password2": "x"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert '<div class="form-errors error-summary" role="alert">' in page
    assert '<a href="#id_username">This username is taken: choose another.</a>' in page
    assert '<a href="#id_email">Enter an e-mail address like name@example.org.</a>' in page
    assert '<a href="#id_password2">The two passwords differ.</a>' in page
    assert re.search(r'<input[^>]+aria-invalid="true"[^>]+id="id_username"', page) or re.search(
        r'<input[^>]+id="id_username"[^>]+aria-invalid="true"', page
    )
    response = sign_up(client, username="new.person", password="password1234")
    assertContains(response, "This password is too common.", status_code=400)
    response = sign_up(client, username="me@example.org")
    assertContains(response, "A username cannot contain @.", status_code=400)
    assertContains(client.post(reverse("signup")), "Choose a username.", status_code=400)
    assertContains(
        client.post(reverse("signup-resend")), "Enter your e-mail address.", status_code=400
    )
    assert mailoutbox == []
    assert not User.objects.filter(email="lucia@example.org").exists()


def test_an_expired_or_damaged_link_says_so_and_a_new_one_can_be_asked_for(client, mailoutbox):
    sign_up(client)
    user = User.objects.get(username="lucia.r")
    first = link_path(mailoutbox[0].body)
    damaged = client.get(first[:-6] + "xxxxx/")
    assertContains(damaged, "This link does not work", status_code=400)
    assertContains(damaged, reverse("signup-resend"), status_code=400)
    four_days_ago = signing.b62_encode(int(time.time()) - 4 * 24 * 3600)
    with mock.patch("accounts.signup.SIGNER.timestamp", return_value=four_days_ago):
        old = reverse("signup-confirm", args=[signup_url_token(user)])
    expired = client.get(old)
    assertContains(expired, "This link has expired", status_code=410)
    assertContains(expired, "A confirmation link works for 72 hours.", status_code=410)
    assertContains(expired, reverse("signup-resend"), status_code=410)

    response = client.post(reverse("signup-resend"), {"email": "LUCIA@example.org"})

    assertRedirects(response, reverse("signup-sent"))
    assert len(mailoutbox) == 2
    assertRedirects(client.get(link_path(mailoutbox[1].body)), reverse("api-tokens"))
    user.refresh_from_db()
    assert user.is_active


def test_a_new_link_is_sent_only_to_accounts_waiting_for_one(client, mailoutbox, reference_data):
    UserFactory(email="active@example.org")
    MembershipFactory(user__email="member@example.org", user__is_active=False)

    for address in ["active@example.org", "member@example.org", "nobody@example.org"]:
        response = client.post(reverse("signup-resend"), {"email": address})
        assertRedirects(response, reverse("signup-sent"))

    assert mailoutbox == []


def test_a_deactivated_account_cannot_be_switched_on_by_a_link(client):
    user = UserFactory(is_active=False, last_login="2025-01-01T00:00Z")
    response = client.get(reverse("signup-confirm", args=[signup_url_token(user)]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_signing_up_again_before_confirming_replaces_the_password_and_the_old_link(
    client, mailoutbox
):
    sign_up(client, password="first-choice-forgotten-1")
    sign_up(client, username="lucia.r2")

    user = User.objects.get(email="lucia@example.org")
    assert user.username == "lucia.r2" and user.check_password(PASSWORD)
    first, second = (link_path(message.body) for message in mailoutbox)
    assert client.get(first).status_code == 400
    assertRedirects(client.get(second), reverse("api-tokens"))


def test_sign_up_and_new_links_are_rate_limited_per_client(client, settings, mailoutbox):
    settings.SIGNUP_CLIENT_RATE = "3/hour"
    statuses = [
        sign_up(client, username=f"person{n}", email=f"p{n}@example.org").status_code
        for n in range(2)
    ]
    statuses.append(client.post(reverse("signup-resend"), {"email": "p0@example.org"}).status_code)
    refused = sign_up(client, username="person9", email="p9@example.org")

    assert statuses == [302, 302, 302]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 3600
    assertContains(refused, "Too many requests", status_code=429)
    assertContains(refused, "Please try again in 1\xa0hour at the latest.", status_code=429)
    assert not User.objects.filter(username="person9").exists()
    assert client.post(reverse("signup-resend"), {"email": "p0@example.org"}).status_code == 429
    assert len(mailoutbox) == 3
    # Another client is not held back.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_up(elsewhere, username="person9", email="p9@example.org").status_code == 302


def test_new_links_for_one_address_are_limited_quietly(client, settings, mailoutbox):
    settings.SIGNUP_EMAIL_RATE = "2/hour"
    sign_up(client)
    for _ in range(3):
        response = client.post(reverse("signup-resend"), {"email": "lucia@example.org"})
        assertRedirects(response, reverse("signup-sent"))
    assert len(mailoutbox) == 2


def test_sign_in_and_sign_up_link_to_each_other(client):
    login = client.get(reverse("login"))
    assertContains(login, "No account?")
    assertContains(login, f'<a href="{reverse("signup")}">Researchers can create one.</a>')
    signup = client.get(reverse("signup"))
    assertContains(signup, f'<a href="{reverse("login")}">Sign in</a>')
    assertContains(signup, 'autocomplete="new-password"')
    assertContains(signup, "at least 12 characters")


def test_signed_in_people_go_to_their_tokens_instead(client):
    client.force_login(UserFactory())
    assertRedirects(client.get(reverse("signup")), reverse("api-tokens"))
    assertNotContains(client.get(reverse("api-tokens")), "Create a researcher account")
