"""Organisation team management: who sees the team, who changes it, and the rules."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts import services
from accounts.models import Membership, User
from tests.factories import ActorFactory, MembershipFactory, UserFactory

Role = Membership.Role
NEW_PASSWORD = "harvest-seeds-together-2025"


def members_url(organisation) -> str:
    return reverse("organisation-members", kwargs={"slug": organisation.slug})


def invite_url(organisation) -> str:
    return reverse("organisation-member-invite", kwargs={"slug": organisation.slug})


def remove_url(organisation, membership) -> str:
    return reverse(
        "organisation-member-remove",
        kwargs={"slug": organisation.slug, "membership_id": membership.pk},
    )


def role_url(organisation, membership) -> str:
    return reverse(
        "organisation-member-role",
        kwargs={"slug": organisation.slug, "membership_id": membership.pk},
    )


def resend_url(organisation, membership) -> str:
    return reverse(
        "organisation-member-resend",
        kwargs={"slug": organisation.slug, "membership_id": membership.pk},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def organisation(db):
    return ActorFactory(name="Rede Sementes")


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
    with django_assert_num_queries(4) as two_members:
        manager_client.get(members_url(organisation))
    MembershipFactory.create_batch(8, organisation=organisation)
    with django_assert_num_queries(len(two_members)):
        response = manager_client.get(members_url(organisation))
    assert len(response.context["rows"]) == 10


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


@pytest.mark.django_db
def test_non_member_gets_404(client, organisation, researcher):
    client.force_login(researcher)

    assert client.get(members_url(organisation)).status_code == 404
    assert client.post(invite_url(organisation), {"email": "x@example.org"}).status_code == 404


@pytest.mark.django_db
def test_unknown_organisation_is_404(client, editor):
    client.force_login(editor)

    response = client.get(reverse("organisation-members", kwargs={"slug": "no-such-org"}))

    assert response.status_code == 404


@pytest.mark.django_db
def test_editor_sees_the_team_without_management_controls(client, organisation, manager):
    editor_membership = MembershipFactory(organisation=organisation, role=Role.EDITOR)
    client.force_login(editor_membership.user)

    response = client.get(members_url(organisation))

    assert response.status_code == 200
    assertContains(response, manager.email)
    assertNotContains(response, invite_url(organisation))
    assertNotContains(response, "/remove/")
    assert response.context["invite_form"] is None


@pytest.mark.django_db
def test_editor_gets_403_on_every_team_change(client, organisation, manager):
    editor_membership = MembershipFactory(organisation=organisation, role=Role.EDITOR)
    manager_membership = manager.memberships.get()
    client.force_login(editor_membership.user)

    attempts = [
        (invite_url(organisation), {"email": "new@example.org", "role": Role.MANAGER}),
        (remove_url(organisation, manager_membership), {}),
        (remove_url(organisation, editor_membership), {}),
        (role_url(organisation, editor_membership), {"role": Role.MANAGER}),
        (role_url(organisation, manager_membership), {"role": Role.EDITOR}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(remove_url(organisation, manager_membership)).status_code == 403

    assert set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", "role")
    ) == {(manager.pk, Role.MANAGER), (editor_membership.user_id, Role.EDITOR)}
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_manager_of_a_cannot_touch_organisation_b(manager_client, organisation):
    other = ActorFactory()
    other_member = MembershipFactory(organisation=other, role=Role.MANAGER)

    # B's own URLs: the manager of A is not a member of B.
    assert manager_client.get(members_url(other)).status_code == 404
    assert manager_client.post(invite_url(other), {"email": "x@example.org"}).status_code == 404
    assert manager_client.post(remove_url(other, other_member)).status_code == 404
    assert manager_client.post(role_url(other, other_member), {"role": "editor"}).status_code == 404
    # B's membership ID under A's slug.
    assert manager_client.get(remove_url(organisation, other_member)).status_code == 404
    assert manager_client.post(remove_url(organisation, other_member)).status_code == 404
    response = manager_client.post(role_url(organisation, other_member), {"role": "editor"})
    assert response.status_code == 404
    assert manager_client.post(resend_url(organisation, other_member)).status_code == 404

    other_member.refresh_from_db()
    assert other_member.role == Role.MANAGER
    assert not User.objects.filter(email="x@example.org").exists()


# --- inviting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_existing_user_matched_ignoring_case(
    manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
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
    membership = Membership.objects.get(organisation=organisation, user=person)
    assert membership.role == Role.MANAGER
    assert User.objects.count() == 2
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["Ana.Silva@Example.org"]
    assert "Rede Sementes" in mailoutbox[0].subject
    assert "/accounts/reset/" not in mailoutbox[0].body
    person.refresh_from_db()
    assert person.check_password("a-long-test-password")
    page = manager_client.get(members_url(organisation))
    assert messages_of(page) == [
        "Ana.Silva@Example.org has been invited to join the team (role: Manager)."
    ]


@pytest.mark.django_db
def test_invite_new_address_creates_account_and_sends_a_working_set_password_link(
    client, manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="joao", email="someone.else@example.org")  # name taken: add a suffix

    response = invite(
        manager_client,
        organisation,
        django_capture_on_commit_callbacks,
        email="  Joao@Example.org ",
    )

    assertRedirects(response, members_url(organisation), fetch_redirect_response=False)
    person = User.objects.get(email="Joao@example.org")
    assert person.username == "Joao2"
    assert not person.has_usable_password()
    assert person.is_active
    assert Membership.objects.get(user=person).organisation == organisation
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["Joao@example.org"]
    assert "Your username is: Joao2" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", message.body).group(1)
    assertContains(manager_client.get(members_url(organisation)), "Invitation not yet accepted")

    manager_client.logout()
    response = client.get(link, follow=True)
    assert response.context["validlink"] is True
    assertContains(response, 'value="Joao2"')
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assertRedirects(response, reverse("password_reset_complete"))
    response = client.post(reverse("login"), {"username": "Joao2", "password": NEW_PASSWORD})
    assertRedirects(response, reverse("home"))
    assert client.get(members_url(organisation)).status_code == 200


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
def test_duplicate_invitation_is_a_form_error(
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
    assert mailoutbox == []


@pytest.mark.django_db
def test_invite_with_an_invalid_address_or_role(manager_client, organisation):
    response = manager_client.post(
        invite_url(organisation), {"email": "not-an-address", "role": "owner"}
    )

    assert response.status_code == 400
    assert set(response.context["invite_form"].errors) == {"email", "role"}
    assert Membership.objects.filter(organisation=organisation).count() == 1


@pytest.mark.django_db
def test_get_on_invite_url_goes_to_the_form(manager_client, organisation):
    response = manager_client.get(invite_url(organisation))

    assertRedirects(response, f"{members_url(organisation)}#invite")


@pytest.mark.django_db
def test_resend_invitation_to_someone_without_a_password(
    manager_client, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    invite(manager_client, organisation, django_capture_on_commit_callbacks, email="n@example.org")
    manager_client.get(members_url(organisation))  # shows (and so clears) the invitation message
    pending = Membership.objects.get(user__email="n@example.org")
    active = MembershipFactory(organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(resend_url(organisation, pending))
        response = manager_client.post(resend_url(organisation, active), follow=True)

    assert len(mailoutbox) == 2
    assert "/accounts/reset/" in mailoutbox[1].body
    assert messages_of(response) == [
        "A new invitation has been sent to n@example.org.",
        f"{active.user} has already set a password and can sign in.",
    ]


# --- roles and removal -------------------------------------------------------------------------


@pytest.mark.django_db
def test_manager_changes_a_role(manager_client, organisation):
    member = MembershipFactory(organisation=organisation, role=Role.EDITOR)

    response = manager_client.post(role_url(organisation, member), {"role": Role.MANAGER})

    assertRedirects(response, members_url(organisation), fetch_redirect_response=False)
    member.refresh_from_db()
    assert member.role == Role.MANAGER


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

    for acting in (editor_membership.user, outsider):
        with pytest.raises(PermissionDenied):
            services.membership_invite(
                organisation=organisation, email="x@example.org", role="editor", invited_by=acting
            )
        with pytest.raises(PermissionDenied):
            services.membership_remove(membership=manager_membership, removed_by=acting)
        with pytest.raises(PermissionDenied):
            services.membership_change_role(
                membership=manager_membership, role="editor", changed_by=acting
            )
    assert Membership.objects.filter(organisation=organisation).count() == 2


@pytest.mark.django_db
def test_membership_invite_refuses_an_unknown_role(organisation, manager):
    with pytest.raises(services.MembershipError) as error:
        services.membership_invite(
            organisation=organisation, email="x@example.org", role="owner", invited_by=manager
        )

    assert error.value.field == "role"
    assert not User.objects.filter(email="x@example.org").exists()
