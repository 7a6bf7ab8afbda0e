"""Organisation team management: who sees the team, who changes it, and the rules; and
invitations, which make a person a member only when they accept."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts import services
from accounts.invitations import invitation_url_token
from accounts.models import Invitation, Membership, User
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.html_forms import without_csrf_tokens

Role = Membership.Role
State = Invitation.State
PASSWORD = "a-long-test-password"  # the factories' password
NEW_PASSWORD = "harvest-seeds-together-2025"


def members_url(organisation) -> str:
    return reverse("organisation-members", kwargs={"slug": organisation.slug})


def invite_url(organisation) -> str:
    return reverse("organisation-member-invite", kwargs={"slug": organisation.slug})


def membership_url(name: str, organisation, membership) -> str:
    return reverse(name, kwargs={"slug": organisation.slug, "membership_id": membership.pk})


def invitation_url(name: str, organisation, invitation) -> str:
    return reverse(name, kwargs={"slug": organisation.slug, "invitation_id": invitation.pk})


def remove_url(organisation, membership) -> str:
    return membership_url("organisation-member-remove", organisation, membership)


def role_url(organisation, membership) -> str:
    return membership_url("organisation-member-role", organisation, membership)


def resend_url(organisation, invitation) -> str:
    return invitation_url("organisation-invitation-resend", organisation, invitation)


def revoke_url(organisation, invitation) -> str:
    return invitation_url("organisation-invitation-revoke", organisation, invitation)


def answer_url(invitation) -> str:
    """The address in the invitation e-mail."""
    return reverse("invitation", kwargs={"token": invitation_url_token(invitation)})


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/invitations/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Rede Sementes")


@pytest.fixture
def manager(organisation):
    return MembershipFactory(organisation=organisation, role=Role.MANAGER).user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def invite(client, organisation, capture, **data):
    with capture(execute=True):
        return client.post(invite_url(organisation), {"role": Role.EDITOR, **data})


# --- who may see and change the team -------------------------------------------------------


@pytest.mark.django_db
def test_members_page_lists_name_email_and_role(manager_client, organisation, manager):
    colleague = MembershipFactory(
        organisation=organisation,
        user__first_name="Ana",
        user__last_name="Silva",
        user__email="ana@example.org",
    )
    outsider = MembershipFactory(user__email="outsider@example.org")

    response = manager_client.get(members_url(organisation))

    assert response.status_code == 200
    assertContains(response, "Team of Rede Sementes")
    assertContains(response, "Ana Silva")
    assertContains(response, "ana@example.org")
    assertContains(response, manager.email)
    assertNotContains(response, outsider.user.email)
    assert [row["membership"] for row in response.context["rows"]] == [
        manager.memberships.get(),
        colleague,
    ]
    assertContains(response, remove_url(organisation, colleague))
    assertContains(response, 'id="id_email"')


@pytest.mark.django_db
def test_members_page_query_count_does_not_grow_with_members(
    manager_client, organisation, django_assert_num_queries
):
    MembershipFactory(organisation=organisation)
    InvitationFactory(organisation=organisation)
    with django_assert_num_queries(5) as two_members:
        manager_client.get(members_url(organisation))
    MembershipFactory.create_batch(8, organisation=organisation)
    InvitationFactory.create_batch(8, organisation=organisation)
    with django_assert_num_queries(len(two_members)):
        response = manager_client.get(members_url(organisation))
    assert len(response.context["rows"]) == 10
    assert len(response.context["invitations"]) == 9


def test_anonymous_is_sent_to_sign_in(client, organisation):
    url = members_url(organisation)

    response = client.get(url)

    assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)


@pytest.mark.django_db
def test_anonymous_posts_change_nothing(client, organisation, manager):
    membership = manager.memberships.get()

    for url in (invite_url(organisation), remove_url(organisation, membership)):
        response = client.post(url, {"email": "new@example.org", "role": Role.EDITOR})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Membership.objects.filter(organisation=organisation).count() == 1
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_non_member_gets_404(client, organisation, researcher):
    client.force_login(researcher)
    invitation = InvitationFactory(organisation=organisation)

    assert client.get(members_url(organisation)).status_code == 404
    assert client.post(invite_url(organisation), {"email": "x@example.org"}).status_code == 404
    assert client.post(resend_url(organisation, invitation)).status_code == 404
    assert client.post(revoke_url(organisation, invitation)).status_code == 404
    assert list(Invitation.objects.values_list("email", "state")) == [
        (invitation.email, State.PENDING)
    ]


@pytest.mark.django_db
def test_unknown_organisation_is_404(client, editor):
    client.force_login(editor)

    response = client.get(reverse("organisation-members", kwargs={"slug": "no-such-org"}))

    assert response.status_code == 404


@pytest.mark.django_db
def test_editor_sees_the_team_without_management_controls(client, organisation, manager):
    editor_membership = MembershipFactory(organisation=organisation, role=Role.EDITOR)
    invitation = InvitationFactory(organisation=organisation)
    client.force_login(editor_membership.user)

    response = client.get(members_url(organisation))

    assert response.status_code == 200
    assertContains(response, manager.email)
    assertNotContains(response, invite_url(organisation))
    assertNotContains(response, "/remove/")
    assertNotContains(response, invitation.email)
    assert response.context["invite_form"] is None


@pytest.mark.django_db
def test_editor_gets_403_on_every_team_change(client, organisation, manager):
    editor_membership = MembershipFactory(organisation=organisation, role=Role.EDITOR)
    manager_membership = manager.memberships.get()
    invitation = InvitationFactory(organisation=organisation)
    client.force_login(editor_membership.user)

    attempts = [
        (invite_url(organisation), {"email": "new@example.org", "role": Role.MANAGER}),
        (remove_url(organisation, manager_membership), {}),
        (remove_url(organisation, editor_membership), {}),
        (role_url(organisation, editor_membership), {"role": Role.MANAGER}),
        (role_url(organisation, manager_membership), {"role": Role.EDITOR}),
        (resend_url(organisation, invitation), {}),
        (revoke_url(organisation, invitation), {}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(remove_url(organisation, manager_membership)).status_code == 403

    assert set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", "role")
    ) == {(manager.pk, Role.MANAGER), (editor_membership.user_id, Role.EDITOR)}
    assert list(Invitation.objects.values_list("email", "state", "expires_at")) == [
        (invitation.email, State.PENDING, invitation.expires_at)
    ]
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_manager_of_a_cannot_touch_organisation_b(manager_client, organisation):
    other = OrganisationFactory()
    other_member = MembershipFactory(organisation=other, role=Role.MANAGER)
    other_invitation = InvitationFactory(organisation=other)

    # B's own URLs: the manager of A is not a member of B.
    assert manager_client.get(members_url(other)).status_code == 404
    assert manager_client.post(invite_url(other), {"email": "x@example.org"}).status_code == 404
    assert manager_client.post(remove_url(other, other_member)).status_code == 404
    assert manager_client.post(role_url(other, other_member), {"role": "editor"}).status_code == 404
    assert manager_client.post(resend_url(other, other_invitation)).status_code == 404
    assert manager_client.post(revoke_url(other, other_invitation)).status_code == 404
    # B's membership and invitation IDs under A's slug.
    assert manager_client.get(remove_url(organisation, other_member)).status_code == 404
    assert manager_client.post(remove_url(organisation, other_member)).status_code == 404
    response = manager_client.post(role_url(organisation, other_member), {"role": "editor"})
    assert response.status_code == 404
    assert manager_client.post(resend_url(organisation, other_invitation)).status_code == 404
    assert manager_client.post(revoke_url(organisation, other_invitation)).status_code == 404

    other_member.refresh_from_db()
    assert other_member.role == Role.MANAGER
    other_invitation.refresh_from_db()
    assert other_invitation.state == State.PENDING
    assert not Invitation.objects.filter(email="x@example.org").exists()


# --- inviting ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inviting_an_existing_account_makes_them_a_member_only_when_they_accept(
    client, manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="Ana.Silva@Example.org")

    response = invite(
        manager_client,
        organisation,
        django_capture_on_commit_callbacks,
        email="ana.silva@example.ORG",
        role=Role.MANAGER,
    )

    assertRedirects(response, members_url(organisation), fetch_redirect_response=False)
    assert not Membership.objects.filter(user=person).exists()
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.email, invitation.role, invitation.state) == (
        organisation,
        "ana.silva@example.org",
        Role.MANAGER,
        State.PENDING,
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.silva@example.org"]
    assert "Rede Sementes" in mailoutbox[0].subject
    assert "/accounts/reset/" not in mailoutbox[0].body
    page = manager_client.get(members_url(organisation))
    assert messages_of(page) == ["Invitation sent to ana.silva@example.org (role: Manager)."]
    assert [row["membership"].user for row in page.context["rows"]] == [page.context["user"]]
    assert list(page.context["invitations"]) == [invitation]

    client.force_login(person)
    link = link_in(mailoutbox[0])
    assertContains(client.get(link), "Join the team of Rede Sementes?")
    response = client.post(link, {"decision": "accept"}, follow=True)

    assertRedirects(response, members_url(organisation))
    assert messages_of(response) == ["You are now a member of Rede Sementes."]
    assert Membership.objects.get(user=person, organisation=organisation).role == Role.MANAGER
    invitation.refresh_from_db()
    assert (invitation.state, invitation.answered_by) == (State.ACCEPTED, person)
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert client.get(link).status_code == 410, "the link works once"


def invitation_answer_page(client, organisation, capture, email: str) -> str:
    """What the manager sees after inviting ``email``, with the address itself and the
    parts that differ on every page (CSRF tokens, the invitation's ID) blanked out."""
    response = invite(client, organisation, capture, email=email)
    assertRedirects(response, members_url(organisation), fetch_redirect_response=False)
    page = client.get(members_url(organisation)).content.decode()
    page = without_csrf_tokens(page).replace(email, "ADDRESS")
    return re.sub(r"/invitations/\d+/", "/invitations/ID/", page)


@pytest.mark.django_db
def test_the_manager_sees_the_same_answer_whether_or_not_the_address_has_an_account(
    manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org")

    known = invitation_answer_page(
        manager_client, organisation, django_capture_on_commit_callbacks, "known@example.org"
    )
    Invitation.objects.all().delete()
    unknown = invitation_answer_page(
        manager_client, organisation, django_capture_on_commit_callbacks, "unknown@example.org"
    )

    assert "Invitation sent to ADDRESS (role: Editor)." in known
    assert known == unknown
    assert [message.to for message in mailoutbox] == [
        ["known@example.org"],
        ["unknown@example.org"],
    ]
    assert mailoutbox[0].body.replace("known@", "X@") == mailoutbox[1].body.replace(
        "unknown@", "X@"
    ).replace(link_in(mailoutbox[1]), link_in(mailoutbox[0]))
    assert not User.objects.filter(email="unknown@example.org").exists()


@pytest.mark.django_db
def test_a_person_without_an_account_creates_one_from_the_invitation_and_joins(
    client, manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="joao", email="someone.else@example.org")  # name taken: add a suffix
    invite(
        manager_client,
        organisation,
        django_capture_on_commit_callbacks,
        email="  Joao@Example.org ",
    )
    link = link_in(mailoutbox[0])
    assert not User.objects.filter(email__iexact="joao@example.org").exists()
    manager_client.logout()

    page = client.get(link)
    assert {"private", "no-store"} <= set(page["Cache-Control"].replace(" ", "").split(","))
    assertContains(page, "Create your account")
    assertContains(page, "Joao@example.org")
    assertContains(page, 'autocomplete="new-password"')
    refused = client.post(link, {"decision": "accept", "password1": "short", "password2": "short"})
    assert refused.status_code == 400
    assertContains(refused, "This password is too short.", status_code=400)
    assert not User.objects.filter(email__iexact="joao@example.org").exists()
    response = client.post(
        link,
        {
            "decision": "accept",
            "first_name": "João",
            "last_name": "Lima",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assertRedirects(response, members_url(organisation))
    person = User.objects.get(email="Joao@example.org")
    assert (person.username, person.get_full_name()) == ("Joao2", "João Lima")
    assert messages_of(response) == [
        "Your account is ready. Sign in with your e-mail address or your username, Joao2.",
        "You are now a member of Rede Sementes.",
    ]
    assert Membership.objects.get(user=person).organisation == organisation
    client.logout()
    response = client.post(
        reverse("login"), {"username": "joao@example.org", "password": NEW_PASSWORD}
    )
    assertRedirects(response, reverse("editor-dashboard"))  # a member now: their records


@pytest.mark.django_db
def test_signed_out_with_an_account_the_person_is_asked_to_sign_in(client, organisation):
    person = UserFactory(email="ana@example.org")
    invitation = InvitationFactory(organisation=organisation, email="ana@example.org")
    link = answer_url(invitation)

    page = client.get(link)
    assertContains(page, f'href="{reverse("login")}?next={link}"')
    assertNotContains(page, "Create your account")
    refused = client.post(
        link, {"decision": "accept", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assertContains(refused, "Sign in first, then accept the invitation.", status_code=400)
    assert not Membership.objects.filter(user=person).exists()
    assert User.objects.filter(email__iexact="ana@example.org").count() == 1
    response = client.post(
        reverse("login"), {"username": "ana@example.org", "password": PASSWORD, "next": link}
    )
    assertRedirects(response, link)


@pytest.mark.django_db
def test_accepting_with_another_account_is_refused(client, organisation):
    invitation = InvitationFactory(organisation=organisation, email="ana@example.org")
    intruder = UserFactory(email="bo@example.org")
    client.force_login(intruder)

    page = client.get(answer_url(invitation))
    response = client.post(answer_url(invitation), {"decision": "accept"})

    assert page.status_code == 403
    assert response.status_code == 403
    assertContains(response, "This invitation is for another e-mail address", status_code=403)
    assertNotContains(response, "ana@example.org", status_code=403)
    assert not Membership.objects.filter(user=intruder).exists()
    with pytest.raises(services.MembershipError):
        services.invitation_accept(invitation=invitation, user=intruder)
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING


@pytest.mark.django_db
def test_an_expired_invitation_is_refused(client, organisation):
    person = UserFactory(email="ana@example.org")
    invitation = InvitationFactory(
        organisation=organisation,
        email="ana@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    client.force_login(person)

    page = client.get(answer_url(invitation))
    response = client.post(answer_url(invitation), {"decision": "accept"})

    assert page.status_code == 410
    assertContains(response, "This invitation is no longer open", status_code=410)
    assertContains(response, "ask a manager of Rede Sementes to invite you again", status_code=410)
    assert not Membership.objects.filter(user=person).exists()
    with pytest.raises(services.MembershipError, match="This invitation has expired"):
        services.invitation_accept(invitation=invitation, user=person)
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False])
def test_declining_leaves_the_team_as_it_was(client, organisation, manager, signed_in):
    person = UserFactory(email="ana@example.org")
    invitation = InvitationFactory(organisation=organisation, email="ana@example.org")
    if signed_in:
        client.force_login(person)

    response = client.post(answer_url(invitation), {"decision": "decline"}, follow=True)

    assertRedirects(response, reverse("home"))
    assert messages_of(response) == ["You declined the invitation to join Rede Sementes."]
    invitation.refresh_from_db()
    assert invitation.state == State.DECLINED
    assert invitation.answered_by == (person if signed_in else None)
    assert not Membership.objects.filter(user=person).exists()
    assert client.post(answer_url(invitation), {"decision": "accept"}).status_code == 410


@pytest.mark.django_db
def test_a_link_that_was_not_issued_is_not_found(client, organisation):
    invitation = InvitationFactory(organisation=organisation)
    token = invitation_url_token(invitation)

    for forged in (f"{token[:-1]}x", "MQ.abc", f"{invitation.pk}", f"{token}.{token}"):
        url = reverse("invitation", kwargs={"token": forged})
        assert client.get(url).status_code == 404, forged
        assert client.post(url, {"decision": "decline"}).status_code == 404, forged
    invitation.refresh_from_db()
    assert invitation.state == State.PENDING


@pytest.mark.django_db
def test_invitation_email_waits_for_the_commit(
    manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        manager_client.post(
            invite_url(organisation), {"email": "new@example.org", "role": "editor"}
        )

    assert len(callbacks) == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_inviting_a_member_is_a_form_error(
    manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    member = MembershipFactory(organisation=organisation, user__email="ana@example.org")

    response = invite(
        manager_client, organisation, django_capture_on_commit_callbacks, email="ANA@example.org"
    )

    assert response.status_code == 400
    form = response.context["invite_form"]
    assert form.errors == {"email": ["ANA@example.org is already a member of Rede Sementes."]}
    assertContains(response, 'id="id_email_error"', status_code=400)
    assert Membership.objects.filter(user=member.user).count() == 1
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_inviting_an_address_again_renews_its_invitation(
    manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    earlier = InvitationFactory(
        organisation=organisation,
        email="ana@example.org",
        expires_at=timezone.now() - timedelta(days=1),
    )

    invite(
        manager_client,
        organisation,
        django_capture_on_commit_callbacks,
        email="Ana@example.org",
        role=Role.MANAGER,
    )

    invitation = Invitation.objects.get()
    assert invitation.pk == earlier.pk
    assert (invitation.role, invitation.state, invitation.is_expired) == (
        Role.MANAGER,
        State.PENDING,
        False,
    )
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]


@pytest.mark.django_db
def test_invite_with_an_invalid_address_or_role(manager_client, organisation):
    response = manager_client.post(
        invite_url(organisation), {"email": "not-an-address", "role": "owner"}
    )

    assert response.status_code == 400
    assert set(response.context["invite_form"].errors) == {"email", "role"}
    assert Membership.objects.filter(organisation=organisation).count() == 1
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_get_on_invite_url_goes_to_the_form(manager_client, organisation):
    response = manager_client.get(invite_url(organisation))

    assertRedirects(response, f"{members_url(organisation)}#invite")


@pytest.mark.django_db
def test_managers_send_an_invitation_again_or_withdraw_it(
    client, manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    expired = InvitationFactory(
        organisation=organisation,
        email="n@example.org",
        expires_at=timezone.now() - timedelta(days=1),
    )
    withdrawn = InvitationFactory(organisation=organisation, email="w@example.org")
    page = manager_client.get(members_url(organisation))
    assertContains(page, "Expired")
    assertContains(page, resend_url(organisation, expired))

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(resend_url(organisation, expired))
        manager_client.post(revoke_url(organisation, withdrawn))
        response = manager_client.post(resend_url(organisation, withdrawn), follow=True)

    assert [message.to for message in mailoutbox] == [["n@example.org"]]
    assert messages_of(response) == [
        "Invitation sent again to n@example.org.",
        "The invitation to w@example.org was withdrawn; its link no longer works.",
        "The invitation to w@example.org was already answered or withdrawn.",
    ]
    expired.refresh_from_db()
    assert not expired.is_expired
    assert list(response.context["invitations"]) == [expired]
    client.force_login(UserFactory(email="w@example.org"))
    assert client.post(answer_url(withdrawn), {"decision": "accept"}).status_code == 410
    assert not Membership.objects.filter(user__email="w@example.org").exists()


# --- roles and removal -------------------------------------------------------------------------


@pytest.mark.django_db
def test_manager_changes_a_role(manager_client, organisation):
    member = MembershipFactory(organisation=organisation, role=Role.EDITOR)

    response = manager_client.post(role_url(organisation, member), {"role": Role.MANAGER})

    assertRedirects(response, members_url(organisation), fetch_redirect_response=False)
    member.refresh_from_db()
    assert member.role == Role.MANAGER


@pytest.mark.django_db
def test_a_role_change_tells_the_manager_the_new_role(manager_client, organisation):
    member = MembershipFactory(
        organisation=organisation, role=Role.EDITOR, user__first_name="Bo", user__last_name="Lee"
    )

    promoted = manager_client.post(role_url(organisation, member), {"role": "manager"}, follow=True)
    again = manager_client.post(role_url(organisation, member), {"role": "manager"}, follow=True)

    assert messages_of(promoted) == ["The role of Bo Lee is now: Manager."]
    assert messages_of(again) == ["The role of Bo Lee is now: Manager."]


@pytest.mark.django_db
def test_role_change_rejects_an_unknown_role(manager_client, organisation):
    member = MembershipFactory(organisation=organisation, role=Role.EDITOR)

    response = manager_client.post(role_url(organisation, member), {"role": "owner"}, follow=True)

    assert messages_of(response) == ["Choose a role: editor or manager."]
    member.refresh_from_db()
    assert member.role == Role.EDITOR


@pytest.mark.django_db
def test_role_change_is_post_only(manager_client, organisation, manager):
    assert manager_client.get(role_url(organisation, manager.memberships.get())).status_code == 405


@pytest.mark.django_db
def test_last_manager_cannot_be_demoted(manager_client, organisation, manager):
    own = manager.memberships.get()
    MembershipFactory(organisation=organisation, role=Role.EDITOR)

    response = manager_client.post(role_url(organisation, own), {"role": Role.EDITOR}, follow=True)

    assert messages_of(response) == [
        "You are the only manager of Rede Sementes, so you cannot stop being one. "
        "Make another member a manager first."
    ]
    own.refresh_from_db()
    assert own.role == Role.MANAGER


@pytest.mark.django_db
def test_a_manager_can_step_down_when_another_manager_remains(
    manager_client, organisation, manager
):
    own = manager.memberships.get()
    MembershipFactory(organisation=organisation, role=Role.MANAGER)

    manager_client.post(role_url(organisation, own), {"role": Role.EDITOR})

    own.refresh_from_db()
    assert own.role == Role.EDITOR
    assert (
        manager_client.post(invite_url(organisation), {"email": "x@example.org"}).status_code == 403
    )


@pytest.mark.django_db
def test_remove_asks_for_confirmation_first(manager_client, organisation):
    member = MembershipFactory(organisation=organisation, user__first_name="Ana")

    response = manager_client.get(remove_url(organisation, member))

    assert response.status_code == 200
    assertContains(response, "Remove Ana from Rede Sementes?")
    assertContains(response, 'name="csrfmiddlewaretoken"')
    assertContains(response, f'href="{members_url(organisation)}"')
    assert Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_removed_member_loses_access(client, manager_client, organisation):
    member = MembershipFactory(organisation=organisation, user__first_name="Ana")

    response = manager_client.post(remove_url(organisation, member), follow=True)

    assert messages_of(response) == ["Ana has been removed from Rede Sementes."]
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert User.objects.filter(pk=member.user_id).exists()
    client.force_login(member.user)
    assert client.get(members_url(organisation)).status_code == 404


@pytest.mark.django_db
def test_last_manager_cannot_leave(manager_client, organisation, manager):
    own = manager.memberships.get()
    MembershipFactory(organisation=organisation, role=Role.EDITOR)

    response = manager_client.post(remove_url(organisation, own), follow=True)

    assert messages_of(response) == [
        "You are the only manager of Rede Sementes, so you cannot leave it. "
        "Make another member a manager first."
    ]
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_a_manager_can_leave_when_another_manager_remains(manager_client, organisation, manager):
    own = manager.memberships.get()
    MembershipFactory(organisation=organisation, role=Role.MANAGER)

    response = manager_client.post(remove_url(organisation, own))

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert manager_client.get(members_url(organisation)).status_code == 404


# --- the services enforce the rules on their own too ---------------------------------------


@pytest.mark.django_db
def test_services_refuse_people_who_are_not_managers(organisation, manager):
    editor_membership = MembershipFactory(organisation=organisation, role=Role.EDITOR)
    outsider = UserFactory()
    manager_membership = manager.memberships.get()

    invitation = InvitationFactory(organisation=organisation)

    for acting in (editor_membership.user, outsider):
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                organisation=organisation, email="x@example.org", role="editor", invited_by=acting
            )
        with pytest.raises(PermissionDenied):
            services.invitation_resend(invitation=invitation, resent_by=acting)
        with pytest.raises(PermissionDenied):
            services.invitation_revoke(invitation=invitation, revoked_by=acting)
        with pytest.raises(PermissionDenied):
            services.membership_remove(membership=manager_membership, removed_by=acting)
        with pytest.raises(PermissionDenied):
            services.membership_change_role(
                membership=manager_membership, role="editor", changed_by=acting
            )
    assert Membership.objects.filter(organisation=organisation).count() == 2
    assert list(Invitation.objects.values_list("pk", "state", "expires_at")) == [
        (invitation.pk, State.PENDING, invitation.expires_at)
    ]


@pytest.mark.django_db
def test_invitation_create_refuses_an_unknown_role(organisation, manager):
    with pytest.raises(services.MembershipError) as error:
        services.invitation_create(
            organisation=organisation, email="x@example.org", role="owner", invited_by=manager
        )

    assert error.value.field == "role"
    assert not Invitation.objects.exists()
