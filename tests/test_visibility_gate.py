"""``Initiative.objects.visible_to(user)``: the one gate every public read goes through."""

import pytest
from django.contrib.auth.models import AnonymousUser

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory

State = Initiative.State


@pytest.fixture
def records():
    """One initiative in every state for two organisations."""
    organisations = OrganisationFactory.create_batch(2)
    return {
        (organisation, state): InitiativeFactory(owner=organisation, state=state)
        for organisation in organisations
        for state in State.values
    }


def visible(user):
    return set(Initiative.objects.visible_to(user))


@pytest.mark.django_db
def test_the_public_sees_published_records_only(records):
    published = {record for (_, state), record in records.items() if state == State.PUBLISHED}
    assert visible(AnonymousUser()) == published
    assert visible(None) == published


@pytest.mark.django_db
def test_an_editor_also_sees_own_organisations_records_in_every_state(records):
    own, other = {organisation for organisation, _ in records}
    editor = MembershipFactory(organisation=own).user
    expected = {
        record
        for (organisation, state), record in records.items()
        if organisation == own or state == State.PUBLISHED
    }
    assert visible(editor) == expected
    assert set(Initiative.objects.editable_by(editor)) == {
        record for (organisation, _), record in records.items() if organisation == own
    }


@pytest.mark.django_db
def test_a_signed_in_user_without_membership_sees_what_the_public_sees(records, researcher):
    assert visible(researcher) == visible(AnonymousUser())
    assert not Initiative.objects.editable_by(researcher).exists()


@pytest.mark.django_db
def test_moderators_see_everything(records, moderator):
    assert visible(moderator) == set(records.values())


@pytest.mark.django_db
def test_staff_without_the_moderation_permission_are_not_moderators(records, researcher):
    researcher.is_staff = True
    researcher.save()
    assert visible(researcher) == visible(AnonymousUser())


@pytest.mark.django_db
def test_a_deactivated_editor_sees_only_published_records(records):
    own = next(iter(records))[0]
    editor = MembershipFactory(organisation=own).user
    editor.is_active = False
    editor.save()
    assert visible(editor) == visible(AnonymousUser())


@pytest.mark.django_db
def test_the_gate_is_a_single_query_without_duplicates(records, django_assert_num_queries):
    organisation = next(iter(records))[0]
    editor = MembershipFactory(organisation=organisation).user
    MembershipFactory(user=editor)  # a second organisation must not duplicate rows
    assert not editor.is_moderator  # loads (and caches) the user's permissions
    with django_assert_num_queries(1):
        rows = list(Initiative.objects.visible_to(editor))
    assert len(rows) == len(set(rows))
