"""Who is a moderator: one definition, for what a person may do and for who is told about
submissions."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from initiatives.models import Initiative
from initiatives.services import initiative_submit
from tests.factories import InitiativeFactory, MembershipFactory, ModeratorFactory, UserFactory

MODERATE = {"content_type__app_label": "initiatives", "codename": "moderate_initiative"}


def given_the_permission(**kwargs) -> User:
    user = UserFactory(is_staff=True, **kwargs)
    user.user_permissions.add(Permission.objects.get(**MODERATE))
    return user


@pytest.fixture
def people(db) -> dict[str, User]:
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(Permission.objects.get(**MODERATE))
    in_reviewers = UserFactory(username="in-reviewers", is_staff=True)
    in_reviewers.groups.add(reviewers)
    return {
        "in the Moderators group": ModeratorFactory(username="in-group"),
        "given the permission": given_the_permission(username="direct"),
        "in another group with the permission": in_reviewers,
        "superuser": UserFactory(username="super", is_staff=True, is_superuser=True),
        "inactive, in the Moderators group": ModeratorFactory(username="gone", is_active=False),
        "inactive, given the permission": given_the_permission(
            username="gone-direct", is_active=False
        ),
        "staff without the permission": UserFactory(username="staff", is_staff=True),
        "editor": MembershipFactory(user__username="editor").user,
        "researcher": UserFactory(username="researcher"),
    }


MODERATORS = [
    "in the Moderators group",
    "given the permission",
    "in another group with the permission",
    "superuser",
]


def test_moderators_are_the_active_users_with_the_moderation_right(people):
    expected = sorted(people[kind].username for kind in MODERATORS)

    assert sorted(User.objects.moderators().values_list("username", flat=True)) == expected


def test_is_moderator_agrees_with_the_list_of_moderators(people):
    moderators = set(User.objects.moderators())

    for kind, user in people.items():
        fresh = User.objects.get(pk=user.pk)  # no cached permissions
        assert fresh.is_moderator == (user in moderators), kind


def test_a_submission_is_emailed_to_every_active_moderator(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    editor = people["editor"]
    initiative = InitiativeFactory(
        owner=editor.memberships.get().organisation, state=Initiative.State.DRAFT
    )

    with django_capture_on_commit_callbacks(execute=True):
        initiative_submit(initiative=initiative, by=editor)

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        people[kind].email for kind in MODERATORS
    )
