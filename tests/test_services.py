"""The initiative workflow: state machine, optimistic locking, permissions and history."""

import re

import pytest
import reversion
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from initiatives.models import ROW_PARTS, Initiative, Participation
from initiatives.services import (
    TRANSITIONS,
    EditConflict,
    InvalidTransition,
    initiative_approve,
    initiative_archive,
    initiative_mark_reviewed,
    initiative_return,
    initiative_revert,
    initiative_save,
    initiative_submit,
)
from principles.models import Principle
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    PrincipleEvidenceFactory,
    country,
)

State = Initiative.State

ACTIONS = {
    "submit": lambda initiative, by: initiative_submit(initiative=initiative, by=by),
    "approve": lambda initiative, by: initiative_approve(initiative=initiative, by=by),
    "return": lambda initiative, by: initiative_return(
        initiative=initiative, by=by, note="Please add a source."
    ),
    "archive": lambda initiative, by: initiative_archive(initiative=initiative, by=by),
}

ALLOWED = [
    (action, source, transition.target)
    for action, transition in TRANSITIONS.items()
    for source in transition.sources
]
REFUSED = [
    (action, source)
    for action, transition in TRANSITIONS.items()
    for source in State.values
    if source not in transition.sources
]


@pytest.fixture
def owned(editor):
    """An organisation, its editor and a factory for its initiatives."""
    organisation = editor.memberships.get().organisation

    def make(**fields):
        return InitiativeFactory(owner=organisation, **fields)

    return make


def edit(initiative: Initiative, *, by, **changes) -> None:
    """Change fields of ``initiative`` and save them as ``by``, from the version it was read
    at (as the edit form does)."""
    for name, value in changes.items():
        setattr(initiative, name, value)
    initiative_save(initiative=initiative, by=by, expected_version=initiative.version)


def actor_for(action, editor, moderator):
    return moderator if TRANSITIONS[action].by_moderator else editor


def test_the_state_machine_matches_the_design():
    assert sorted(ALLOWED) == sorted(
        [
            ("submit", State.DRAFT, State.SUBMITTED),
            ("submit", State.RETURNED, State.SUBMITTED),
            ("approve", State.SUBMITTED, State.PUBLISHED),
            ("return", State.SUBMITTED, State.RETURNED),
            ("archive", State.PUBLISHED, State.ARCHIVED),
        ]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("action, source, target", ALLOWED)
def test_allowed_transition(action, source, target, owned, editor, moderator):
    initiative = owned(state=source)
    ACTIONS[action](initiative, actor_for(action, editor, moderator))
    initiative.refresh_from_db()
    assert initiative.state == target


@pytest.mark.django_db
@pytest.mark.parametrize("action, source", REFUSED)
def test_refused_transition_says_why_and_changes_nothing(action, source, owned, editor, moderator):
    initiative = owned(state=source, title="Seed fairs")
    with pytest.raises(InvalidTransition, match="“Seed fairs” is .* and cannot be"):
        ACTIONS[action](initiative, actor_for(action, editor, moderator))
    initiative.refresh_from_db()
    assert initiative.state == source


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["approve", "return", "archive"])
def test_editors_cannot_moderate(action, owned, editor):
    initiative = owned(state=State.SUBMITTED if action != "archive" else State.PUBLISHED)
    with pytest.raises(PermissionDenied):
        ACTIONS[action](initiative, editor)


@pytest.mark.django_db
def test_another_organisations_editor_cannot_submit_or_save(owned):
    initiative = owned(state=State.DRAFT)
    stranger = MembershipFactory().user
    with pytest.raises(PermissionDenied):
        initiative_submit(initiative=initiative, by=stranger)
    initiative.title = "Taken over"
    with pytest.raises(PermissionDenied):
        initiative_save(initiative=initiative, by=stranger, expected_version=1)
    initiative.refresh_from_db()
    assert initiative.title != "Taken over"


@pytest.mark.django_db
def test_editor_cannot_create_for_an_organisation_they_do_not_belong_to(editor):
    initiative = InitiativeFactory.build(owner=OrganisationFactory())
    with pytest.raises(PermissionDenied):
        initiative_save(initiative=initiative, by=editor)
    assert not Initiative.objects.filter(slug=initiative.slug).exists()


@pytest.mark.django_db
def test_return_needs_a_note_and_keeps_it(owned, moderator):
    initiative = owned(state=State.SUBMITTED)
    with pytest.raises(ValueError, match="note is required"):
        initiative_return(initiative=initiative, by=moderator, note="  ")
    initiative_return(initiative=initiative, by=moderator, note="Name the funder.")
    initiative.refresh_from_db()
    assert (initiative.state, initiative.review_note) == (State.RETURNED, "Name the funder.")
    assert initiative.reviewed_by == moderator


@pytest.mark.django_db
def test_editing_a_returned_initiative_puts_it_back_into_draft(owned, editor):
    initiative = owned(state=State.RETURNED, review_note="Name the funder.")
    edit(initiative, by=editor, summary="Funded by citizens' donations.")
    initiative.refresh_from_db()
    assert initiative.state == State.DRAFT
    assert initiative.review_note == "Name the funder."


@pytest.mark.django_db
def test_approval_publishes_and_records_the_review(owned, moderator):
    initiative = owned(state=State.SUBMITTED)
    initiative_approve(initiative=initiative, by=moderator)
    initiative.refresh_from_db()
    assert initiative.is_published
    assert initiative.published_at and initiative.reviewed_at
    assert initiative.reviewed_version == initiative.version
    assert not initiative.is_changed_since_review


@pytest.mark.django_db
def test_edits_after_publication_are_flagged_until_reviewed(owned, editor, moderator):
    initiative = owned(state=State.SUBMITTED)
    initiative_approve(initiative=initiative, by=moderator)
    initiative.refresh_from_db()
    edit(initiative, by=editor, title="A better title")
    initiative.refresh_from_db()
    assert initiative.is_published and initiative.is_changed_since_review
    initiative_mark_reviewed(initiative=initiative, by=moderator)
    initiative.refresh_from_db()
    assert not initiative.is_changed_since_review
    with pytest.raises(InvalidTransition):
        initiative_mark_reviewed(initiative=initiative, by=moderator)


@pytest.mark.django_db
def test_second_save_from_the_same_version_is_refused(owned, editor):
    initiative = owned(state=State.DRAFT, title="Original")
    colleague = MembershipFactory(organisation=initiative.owner).user
    first = Initiative.objects.get(pk=initiative.pk)
    second = Initiative.objects.get(pk=initiative.pk)

    first.title = "First editor's title"
    initiative_save(initiative=first, by=editor, expected_version=1)
    second.title = "Second editor's title"
    with pytest.raises(EditConflict, match="saved this initiative at") as conflict:
        initiative_save(initiative=second, by=colleague, expected_version=1)

    assert conflict.value.current.title == "First editor's title"
    assert conflict.value.current.updated_by == editor
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("First editor's title", 2)


@pytest.mark.django_db
def test_a_content_save_never_undoes_a_moderation_step(owned, editor, moderator):
    initiative = owned(state=State.DRAFT)
    stale_form = Initiative.objects.get(pk=initiative.pk)
    initiative_submit(initiative=initiative, by=editor)
    edit(stale_form, by=editor, summary="Edited while it waited for review.")
    initiative.refresh_from_db()
    assert initiative.state == State.SUBMITTED
    assert initiative.summary == "Edited while it waited for review."


@pytest.mark.django_db
def test_archived_initiatives_cannot_be_edited(owned, editor):
    initiative = owned(state=State.ARCHIVED)
    with pytest.raises(InvalidTransition):
        edit(initiative, by=editor, title="Revived")


@pytest.mark.django_db
def test_every_save_is_an_attributed_revision_with_the_related_rows(owned, editor):
    initiative = owned(state=State.DRAFT, title="Version one")
    partner = OrganisationFactory(name="Seed guardians")

    def add_partner(saved):
        Participation.objects.create(initiative=saved, actor=partner, role="partner")

    initiative.title = "Version two"
    initiative_save(initiative=initiative, by=editor, expected_version=1, save_related=add_partner)

    versions = Version.objects.get_for_object(initiative)
    assert versions.count() == 1
    revision = versions.first().revision
    assert revision.user == editor
    assert {version.object_repr for version in revision.version_set.all()} >= {
        "Version two",
        "Seed guardians · Partner",
    }


@pytest.mark.django_db
def test_revert_restores_content_and_rows_and_is_itself_recorded(owned, editor, moderator):
    initiative = owned(state=State.DRAFT, title="Version one", lead=None)
    kept_partner = Participation.objects.create(
        initiative=initiative, actor=OrganisationFactory(), role="partner"
    )
    kept_partner_pk = kept_partner.pk
    initiative_save(initiative=initiative, by=editor, expected_version=1)
    first_revision = Version.objects.get_for_object(initiative).first().revision

    initiative.title = "Version two"

    def change_partners(saved):
        kept_partner.delete()
        Participation.objects.create(initiative=saved, actor=OrganisationFactory(), role="lead")

    initiative_save(
        initiative=initiative, by=editor, expected_version=2, save_related=change_partners
    )
    initiative_submit(initiative=initiative, by=editor)

    reverted = initiative_revert(initiative=initiative, revision=first_revision, by=moderator)

    assert reverted.title == "Version one"
    assert list(reverted.participations.values_list("pk", "role")) == [(kept_partner_pk, "partner")]
    assert reverted.state == State.SUBMITTED, "moderation state is kept"
    assert reverted.version == 4
    latest = Version.objects.get_for_object(reverted).first().revision
    assert latest.user == moderator
    assert latest.get_comment().startswith("Reverted to the version of")


@pytest.mark.django_db
def test_only_moderators_revert(owned, editor):
    initiative = owned(state=State.DRAFT)
    with reversion.create_revision():
        initiative.save()
    revision = Version.objects.get_for_object(initiative).first().revision
    with pytest.raises(PermissionDenied):
        initiative_revert(initiative=initiative, revision=revision, by=editor)


@pytest.mark.django_db
def test_submission_emails_moderators_and_decisions_email_the_organisation(
    owned, editor, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    initiative = owned(state=State.DRAFT, title="Seed fairs")
    with django_capture_on_commit_callbacks(execute=True):
        initiative_submit(initiative=initiative, by=editor)
    assert [message.to for message in mailoutbox] == [[moderator.email]]
    assert "For review: Seed fairs" in mailoutbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        initiative_return(initiative=initiative, by=moderator, note="Add the year it began.")
    assert mailoutbox[1].to == [editor.email]
    assert "Add the year it began." in mailoutbox[1].body
    assert f"/my/initiatives/{initiative.slug}/edit/" in mailoutbox[1].body


@pytest.mark.django_db
def test_an_incomplete_initiative_cannot_be_submitted(owned, editor):
    initiative = owned(state=State.DRAFT, provider=None, recipient=None, lead=None)
    with pytest.raises(Exception, match="add at least one provider country, .*recipient country"):
        initiative_submit(initiative=initiative, by=editor)
    initiative.refresh_from_db()
    assert initiative.state == State.DRAFT


@pytest.mark.django_db
def test_new_initiatives_get_a_unique_slug_from_their_title(editor):
    organisation = editor.memberships.get().organisation
    first = initiative_save(
        initiative=Initiative(
            title="Seed fairs", summary="s", owner=organisation, cooperation_type="bilateral"
        ),
        by=editor,
    )
    second = initiative_save(
        initiative=Initiative(
            title="Seed fairs", summary="s", owner=organisation, cooperation_type="bilateral"
        ),
        by=editor,
    )
    # A counter (seed-fairs-2) would tell how many records, visible or not, share the title.
    assert first.slug == "seed-fairs"
    assert re.fullmatch(r"seed-fairs-[0-9a-f]{6}", second.slug)
    assert first.created_by == editor and first.version == 1


@pytest.mark.django_db
def test_a_form_opened_before_archiving_cannot_save_into_the_archived_record(
    owned, editor, moderator
):
    initiative = owned(state=State.PUBLISHED, title="Kept as archived")
    stale_form = Initiative.objects.get(pk=initiative.pk)
    initiative_archive(initiative=initiative, by=moderator)
    with pytest.raises(InvalidTransition):
        edit(stale_form, by=editor, title="Edited after archiving")
    initiative.refresh_from_db()
    assert (initiative.title, initiative.state) == ("Kept as archived", State.ARCHIVED)


def posted_back(initiative: Initiative) -> dict:
    """Every row of ``initiative``, part by part, as the editor's form posts it back
    unchanged: its id and its editable values."""
    return {
        part: [
            {
                "id": row,
                **{
                    field.name: getattr(row, field.name)
                    for field in row._meta.concrete_fields
                    if field.editable and not field.primary_key and field.name != "initiative"
                },
            }
            for row in declared.rows_of(initiative)
        ]
        for part, declared in ROW_PARTS.items()
    }


def save_queries(initiative: Initiative, *, by) -> int:
    """How many statements saving ``initiative`` with its rows posted back takes."""
    rows = posted_back(initiative)
    initiative.summary = f"{initiative.summary} Edited."
    with CaptureQueriesContext(connection) as queries:
        initiative_save(
            initiative=initiative, by=by, expected_version=initiative.version, rows=rows
        )
    return len(queries)


@pytest.mark.django_db
def test_a_save_reads_a_records_rows_a_part_at_a_time_however_many_rows_it_has(owned, editor):
    small = owned(state=State.DRAFT)
    large = owned(state=State.DRAFT)
    for code in ["HT", "AO", "CV"]:
        InitiativeCountryFactory(initiative=large, country=country(code))
    ParticipationFactory.create_batch(5, initiative=large)
    FundingContributionFactory.create_batch(4, initiative=large)
    for principle in Principle.objects.exclude(slug="ownership"):
        PrincipleEvidenceFactory(initiative=large, principle=principle)
    for initiative in (small, large):
        FundingContributionFactory(initiative=initiative)
        PrincipleEvidenceFactory(initiative=initiative)

    save_queries(small, by=editor)  # the first reads the editor's permissions
    assert save_queries(large, by=editor) == save_queries(small, by=editor)

    revision = Version.objects.get_for_object(large).first().revision
    labels = {version.object_repr for version in revision.version_set.all()}
    assert {str(row) for row in large.participations.select_related("actor")} <= labels
    assert f"{country('HT')} (Recipient)" in labels


@pytest.mark.django_db
def test_a_records_rows_read_after_a_save_are_the_rows_it_saved(owned, editor):
    initiative = owned(state=State.DRAFT)
    newcomer = OrganisationFactory(name="Seed guardians")
    rows = posted_back(initiative)
    rows["participants"].append({"actor": newcomer, "role": Participation.Role.PARTNER})

    saved = initiative_save(
        initiative=initiative, by=editor, expected_version=initiative.version, rows=rows
    )

    assert newcomer in [participation.actor for participation in saved.participations.all()]
