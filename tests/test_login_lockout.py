"""Guessing passwords: after LOGIN_FAILURE_LIMIT failures for one account from one address,
signing in to that account from there is paused for the cool-off, on the public sign-in
page and on the admin's alike."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.factories import ModeratorFactory, UserFactory

PASSWORD = "a-long-test-password"  # the factories' password
WRONG = "not-the-password"
SIGN_IN_PAGES = {"public": reverse("login"), "admin": reverse("admin:login")}


@pytest.fixture
def limit(settings) -> int:
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def ana(db):
    """A moderator, so that she may use the admin's sign-in as well."""
    return ModeratorFactory(username="ana", email="ana@example.org")


def sign_in(client, page: str, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        SIGN_IN_PAGES[page], {"username": username, "password": password}, REMOTE_ADDR=address
    )


def is_signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def time_passes(delta: timedelta) -> None:
    """Move every recorded failure back by ``delta``, as if that much time had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


def assert_locked_out(response) -> None:
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page
    assert "Try again in 15\xa0minutes" in page
    assert int(response["Retry-After"]) == 15 * 60


def test_the_defaults_are_five_failures_and_fifteen_minutes(settings):
    configured = (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)
    assert configured == (5, timedelta(minutes=15))


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_one_failure_short_of_the_limit_the_right_password_still_works(client, ana, limit, page):
    for _ in range(limit - 1):
        assert sign_in(client, page, "ana", WRONG).status_code == 200

    response = sign_in(client, page, "ana", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client, ana)


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_at_the_limit_even_the_right_password_is_refused_with_a_clear_page(
    client, ana, limit, page
):
    for _ in range(limit - 1):
        sign_in(client, page, "ana", WRONG)
    assert_locked_out(sign_in(client, page, "ana", WRONG))

    response = sign_in(client, page, "ana", PASSWORD)

    assert_locked_out(response)
    assert not is_signed_in(client, ana)


def test_the_lockout_covers_both_sign_in_pages(client, ana, limit):
    for _ in range(limit):
        sign_in(client, "public", "ana", WRONG)

    assert_locked_out(sign_in(client, "admin", "ana", PASSWORD))


def test_username_and_email_count_against_the_same_account(client, ana, limit):
    identifiers = ["ana", "ANA@example.org"]
    for attempt in range(limit - 1):
        sign_in(client, "public", identifiers[attempt % 2], WRONG)

    assert_locked_out(sign_in(client, "public", "ana@example.org", WRONG))
    assert_locked_out(sign_in(client, "public", "ana", PASSWORD))


def test_a_lockout_is_for_one_address_and_one_account(client, ana, limit):
    bo = UserFactory(username="bo")
    for _ in range(limit):
        sign_in(client, "public", "ana", WRONG, address="198.51.100.7")

    assert sign_in(client, "public", "bo", PASSWORD, address="198.51.100.7").status_code == 302
    assert is_signed_in(client, bo)
    client.logout()
    assert sign_in(client, "public", "ana", PASSWORD, address="203.0.113.9").status_code == 302
    assert is_signed_in(client, ana)


def test_a_forged_forwarded_for_header_does_not_open_a_new_count(client, ana, limit):
    for attempt in range(limit):
        client.post(
            reverse("login"),
            {"username": "ana", "password": WRONG},
            headers={"x-forwarded-for": f"192.0.2.{attempt}"},
        )

    assert_locked_out(sign_in(client, "public", "ana", PASSWORD))


def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(client, ana, limit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(limit):
        client.post(
            reverse("login"),
            {"username": "ana", "password": WRONG},
            headers={"x-forwarded-for": "forged-by-client, 198.51.100.7"},
            REMOTE_ADDR="10.0.0.2",
        )

    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    elsewhere = client.post(
        reverse("login"),
        {"username": "ana", "password": PASSWORD},
        headers={"x-forwarded-for": "203.0.113.9"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert elsewhere.status_code == 302


def test_signing_in_is_possible_again_after_the_cool_off(client, ana, limit, settings):
    for _ in range(limit):
        sign_in(client, "public", "ana", WRONG)

    time_passes(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert_locked_out(sign_in(client, "public", "ana", PASSWORD))

    time_passes(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert sign_in(client, "public", "ana", PASSWORD).status_code == 302
    assert is_signed_in(client, ana)


def test_a_successful_sign_in_starts_the_count_again(client, ana, limit):
    for _ in range(limit - 1):
        sign_in(client, "public", "ana", WRONG)
    sign_in(client, "public", "ana", PASSWORD)
    client.logout()

    for _ in range(limit - 1):
        assert sign_in(client, "public", "ana", WRONG).status_code == 200
    assert sign_in(client, "public", "ana", PASSWORD).status_code == 302


def test_the_limit_and_the_cool_off_follow_the_settings(client, ana, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=45)
    sign_in(client, "public", "ana", WRONG)
    response = sign_in(client, "public", "ana", WRONG)

    assert response.status_code == 429
    assert "Try again in 45\xa0minutes" in response.content.decode()
    assert int(response["Retry-After"]) == 45 * 60


def test_a_moderator_lifts_a_pause_by_deleting_its_access_attempt(client, ana, limit):
    bo = UserFactory(username="bo")
    for _ in range(limit - 1):
        sign_in(client, "public", "bo", WRONG)
    assert_locked_out(sign_in(client, "public", "bo", WRONG))
    moderator = Client()
    moderator.force_login(ana)  # in the Moderators group, not a superuser
    attempts = reverse("admin:axes_accessattempt_changelist")

    listed = moderator.get(attempts, {"locked_out": "yes"})
    assert listed.status_code == 200
    [attempt] = listed.context["cl"].result_list
    assert (attempt.username, attempt.failures_since_start) == ("bo", limit)
    chosen = {"action": "delete_selected", "_selected_action": [attempt.pk]}
    confirmation = moderator.post(attempts, chosen)
    assert confirmation.status_code == 200
    assert "Are you sure you want to delete the selected access attempt?" in (
        confirmation.content.decode()
    )
    assert moderator.post(attempts, {**chosen, "post": "yes"}).status_code == 302

    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "public", "bo", PASSWORD).status_code == 302
    assert is_signed_in(client, bo)
