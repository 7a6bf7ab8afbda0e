"""Moderation in the Django admin: the queue, the moderation actions, edits with optimistic
locking, history with diffs and revert, and the read-only audit."""

from datetime import timedelta

import pytest
from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from initiatives.admin import initiative as initiative_admin
from initiatives.admin.initiative import InitiativeAdmin
from initiatives.models import Initiative, Participation
from initiatives.services import initiative_save
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)

State = Initiative.State


def url(view: str, *args) -> str:
    return reverse(f"admin:initiatives_initiative_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def submitted(days_ago: int = 1, **kwargs) -> Initiative:
    return InitiativeFactory(
        state=State.SUBMITTED, submitted_at=timezone.now() - timedelta(days=days_ago), **kwargs
    )


def published_and_edited_since_review(**kwargs) -> Initiative:
    return InitiativeFactory(state=State.PUBLISHED, version=3, reviewed_version=2, **kwargs)


def form_values(form) -> dict:
    """What a browser posts for ``form`` as it was rendered."""
    values = {}
    for name, field in form.fields.items():
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field, forms.NullBooleanField):
            values[key] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(field, forms.BooleanField):
            if value:
                values[key] = "on"
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            values[key] = [str(item) for item in value or []]
        else:
            values[key] = "" if value is None else str(value)
    return values


def change_form_data(client, initiative: Initiative) -> dict:
    """The initiative's change page as the moderator opened it, ready to post back."""
    response = client.get(url("change", initiative.pk))
    assert response.status_code == 200
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_values(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_values(form))
    return data


def run_action(client, action: str, initiatives, *, path=None, **extra):
    data = {"action": action, "index": 0, "_selected_action": [i.pk for i in initiatives]}
    return client.post(path or url("changelist"), {**data, **extra}, follow=True)


def confirm_return(client, initiatives, note: str, *, path=None):
    """The note page of the bulk return action, filled in and sent."""
    data = {"action": "return_with_note", "_selected_action": [i.pk for i in initiatives]}
    return client.post(path or url("changelist"), {**data, "apply": "yes", "note": note})


@pytest.fixture
def staff_client(client, db):
    """A staff user who may view and change initiatives but not moderate them."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_initiative", "change_initiative"])
    )
    client.force_login(user)
    return client


def member_emails(initiative: Initiative, count: int = 2) -> list[str]:
    return sorted(MembershipFactory(organisation=initiative.owner).user.email for _ in range(count))


# The queue ----------------------------------------------------------------------------------


def test_queue_lists_only_submitted_initiatives_oldest_submission_first(moderator_client):
    recent = submitted(days_ago=1, title="Recent")
    oldest = submitted(days_ago=9, title="Oldest")
    middle = submitted(days_ago=4, title="Middle")
    for state in [State.DRAFT, State.RETURNED, State.PUBLISHED, State.ARCHIVED]:
        InitiativeFactory(state=state)

    response = moderator_client.get(url("queue"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [oldest, middle, recent]
    assert response.context["title"] == "Moderation queue"
    headers = [str(header["text"]) for header in response.context["result_headers"]]
    assert headers[1:] == ["title", "owner organisation", "submitted at", "changed since review",
                           "version"]  # fmt: skip
    assert set(response.context["action_form"].fields["action"].choices) >= {
        ("approve", "Approve and publish the selected initiatives"),
        ("return_with_note", "Return the selected initiatives with a note…"),
    }


def queue_queries(client, rows: int) -> int:
    for days_ago in range(Initiative.objects.count(), rows):
        submitted(days_ago=days_ago)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("queue"))
    assert len(response.context["cl"].result_list) == rows
    return len(queries)


def test_queue_query_count_does_not_grow_with_rows(moderator_client):
    assert queue_queries(moderator_client, 2) == queue_queries(moderator_client, 20)


def test_initiative_list_links_to_the_queue_for_moderators(moderator_client):
    response = moderator_client.get(url("changelist"))

    assert f'href="{url("queue")}"' in response.content.decode()


# Approve, return, archive, mark reviewed -----------------------------------------------------


def test_bulk_approve_publishes_and_emails_each_owner_organisation(
    moderator_client, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = submitted(), submitted()
    first_members, second_members = member_emails(first), member_emails(second, count=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(moderator_client, "approve", [first, second], path=url("queue"))

    assert response.status_code == 200
    assert messages_of(response) == ["Approved 2 of 2 selected initiatives."]
    for initiative in [first, second]:
        initiative.refresh_from_db()
        assert initiative.state == State.PUBLISHED
        assert initiative.reviewed_by == moderator
        assert initiative.published_at is not None
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(first_members + second_members)
    assert {mail.subject for mail in mailoutbox} == {
        f"Published: {first.title}",
        f"Published: {second.title}",
    }


def test_approve_button_on_the_change_page_publishes_and_emails(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    initiative = submitted()
    members = member_emails(initiative)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url("moderate", initiative.pk, "approve"))

    assert response.status_code == 302
    assert response.url == url("change", initiative.pk)
    initiative.refresh_from_db()
    assert initiative.state == State.PUBLISHED
    assert sorted(mail.to[0] for mail in mailoutbox) == members
    assert messages_of(response) == [f"“{initiative.title}” was approved and is now public."]


def test_moderation_buttons_need_a_post(moderator_client):
    initiative = submitted()

    response = moderator_client.get(url("moderate", initiative.pk, "approve"))

    assert response.status_code == 405
    initiative.refresh_from_db()
    assert initiative.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (submitted, ["Approve and publish", "Return with a note…"]),
        (lambda: InitiativeFactory(state=State.PUBLISHED), ["Archive"]),
        (published_and_edited_since_review, ["Archive", "Mark as reviewed"]),
        (lambda: InitiativeFactory(state=State.DRAFT), []),
    ],
    ids=["submitted", "published", "published-and-changed", "draft"],
)
def test_change_page_offers_the_steps_open_from_the_current_state(
    moderator_client, factory, expected
):
    initiative = factory()

    response = moderator_client.get(url("change", initiative.pk))

    steps = response.context.get("moderation_steps") or []
    assert [str(step["label"]) for step in steps] == expected
    content = response.content.decode()
    for step in steps:
        assert step["url"] in content


def test_bulk_return_shows_a_note_page_listing_the_selection(moderator_client):
    first, second = submitted(title="Seed banks"), submitted(title="Water committees")

    response = run_action(moderator_client, "return_with_note", [first, second])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/initiatives/initiative/return_note.html"
    content = response.content.decode()
    assert "Seed banks" in content and "Water committees" in content
    assert 'name="note"' in content
    first.refresh_from_db()
    assert first.state == State.SUBMITTED


@pytest.mark.parametrize("note", ["", "   "])
def test_bulk_return_without_a_note_shows_an_error_and_changes_nothing(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks, note
):
    initiative = submitted()
    member_emails(initiative)

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_return(moderator_client, [initiative], note)

    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["This field is required."]}
    assert "This field is required." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.state == State.SUBMITTED
    assert initiative.review_note == ""
    assert mailoutbox == []


def test_bulk_return_with_a_note_stores_it_and_emails_the_organisation(
    moderator_client, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = submitted(), submitted()
    members = member_emails(first, count=1) + member_emails(second, count=1)
    note = "Please add the recipient country's share and a source for the training figures."

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_return(moderator_client, [first, second], f"  {note}\n")

    assert response.status_code == 302
    for initiative in [first, second]:
        initiative.refresh_from_db()
        assert initiative.state == State.RETURNED
        assert initiative.review_note == note
        assert initiative.reviewed_by == moderator
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(members)
    assert all(note in mail.body for mail in mailoutbox)
    assert messages_of(response) == ["Returned 2 of 2 selected initiatives."]


def test_return_from_the_change_page_asks_for_the_note_first(moderator_client):
    initiative = submitted()
    return_url = url("moderate", initiative.pk, "return")

    page = moderator_client.get(return_url)
    empty = moderator_client.post(return_url, {"note": ""})
    initiative.refresh_from_db()
    state_after_empty_note = initiative.state
    sent = moderator_client.post(return_url, {"note": "Add a source, please."})

    assert page.status_code == 200 and 'name="note"' in page.content.decode()
    assert empty.status_code == 200
    assert empty.context["form"].errors == {"note": ["This field is required."]}
    assert state_after_empty_note == State.SUBMITTED
    assert sent.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.state, initiative.review_note) == (State.RETURNED, "Add a source, please.")


def test_bulk_approve_over_mixed_states_approves_the_submitted_and_reports_the_others(
    moderator_client,
):
    ready = submitted(title="Ready")
    draft = InitiativeFactory(state=State.DRAFT, title="Still a draft")
    live = InitiativeFactory(state=State.PUBLISHED, title="Already live")

    response = run_action(moderator_client, "approve", [ready, draft, live])

    states = dict(Initiative.objects.values_list("title", "state"))
    assert states == {
        "Ready": State.PUBLISHED,
        "Still a draft": State.DRAFT,
        "Already live": State.PUBLISHED,
    }
    levels = {str(m): m.level_tag for m in get_messages(response.wsgi_request)}
    assert levels == {
        "“Still a draft” is draft and cannot be approved.": "warning",
        "“Already live” is published and cannot be approved.": "warning",
        "Approved 1 of 3 selected initiatives.": "success",
    }


def test_bulk_archive_archives_published_initiatives_and_emails_them(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    live = InitiativeFactory(state=State.PUBLISHED)
    waiting = submitted(title="Waiting")
    members = member_emails(live, count=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(moderator_client, "archive", [live, waiting])

    live.refresh_from_db()
    waiting.refresh_from_db()
    assert (live.state, waiting.state) == (State.ARCHIVED, State.SUBMITTED)
    assert [mail.to for mail in mailoutbox] == [members]
    assert "“Waiting” is submitted for review and cannot be archived." in messages_of(response)


def test_archived_initiative_is_read_only_in_the_admin(moderator_client):
    initiative = InitiativeFactory(state=State.ARCHIVED)

    response = moderator_client.get(url("change", initiative.pk))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_changed_since_review_filter_and_column(moderator_client):
    changed = published_and_edited_since_review(title="Edited after review")
    InitiativeFactory(state=State.PUBLISHED, version=2, reviewed_version=2, title="Reviewed")
    InitiativeFactory(state=State.DRAFT, version=4, reviewed_version=1, title="Draft")

    response = moderator_client.get(url("changelist"), {"changed_since_review": "yes"})
    not_changed = moderator_client.get(url("changelist"), {"changed_since_review": "no"})

    assert list(response.context["cl"].result_list) == [changed]
    assert {i.title for i in not_changed.context["cl"].result_list} == {"Reviewed", "Draft"}
    assert "changed since review" in [str(h["text"]) for h in response.context["result_headers"]]


def test_mark_reviewed_clears_the_changed_since_review_flag(moderator_client, moderator):
    changed = published_and_edited_since_review()
    unchanged = InitiativeFactory(state=State.PUBLISHED, version=2, reviewed_version=2)

    response = run_action(moderator_client, "mark_reviewed", [changed, unchanged])

    changed.refresh_from_db()
    assert not changed.is_changed_since_review
    assert (changed.reviewed_version, changed.reviewed_by) == (3, moderator)
    assert "Marked 1 of 2 selected initiatives as reviewed." in messages_of(response)
    assert (
        not moderator_client.get(url("changelist"), {"changed_since_review": "yes"})
        .context["cl"]
        .result_list
    )


def test_change_page_shows_the_moderation_fields_read_only(moderator_client, moderator):
    initiative = InitiativeFactory(
        state=State.PUBLISHED,
        reviewed_by=moderator,
        reviewed_at=timezone.now(),
        review_note="Fine now.",
        submitted_at=timezone.now(),
        published_at=timezone.now(),
    )

    response = moderator_client.get(url("change", initiative.pk))

    form = response.context["adminform"].form
    readonly = response.context["adminform"].readonly_fields
    for name in ["state", "reviewed_by", "reviewed_at", "review_note", "submitted_at",
                 "published_at", "changed_since_review"]:  # fmt: skip
        assert name in readonly
        assert name not in form.fields
    assert "Fine now." in response.content.decode()


# Without the moderation permission -------------------------------------------------------------


def test_staff_without_the_moderation_permission_cannot_moderate(staff_client):
    initiative = submitted()
    revision_initiative = InitiativeFactory()
    moderator = UserFactory(is_superuser=True)
    initiative_save(initiative=revision_initiative, by=moderator, expected_version=1)
    version = Version.objects.get_for_object(revision_initiative).first()

    changelist = staff_client.get(url("changelist"))
    action = run_action(staff_client, "approve", [initiative])
    button = staff_client.post(url("moderate", initiative.pk, "approve"))
    queue = staff_client.get(url("queue"))
    revert = staff_client.post(url("revision", revision_initiative.pk, version.pk))

    assert changelist.context["action_form"] is None  # no action is offered at all
    assert action.status_code == 200
    assert (button.status_code, queue.status_code, revert.status_code) == (403, 403, 403)
    initiative.refresh_from_db()
    assert initiative.state == State.SUBMITTED
    assert Version.objects.get_for_object(revision_initiative).count() == 1
    assert "moderation_steps" not in staff_client.get(url("change", initiative.pk)).context


# Editing through initiative_save -------------------------------------------------------------


def test_admin_edit_is_an_attributed_revision_and_bumps_the_version(moderator_client, moderator):
    initiative = InitiativeFactory(title="Seed banks")
    data = change_form_data(moderator_client, initiative)

    response = moderator_client.post(url("change", initiative.pk), {**data, "title": "Seed fairs"})

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version, initiative.updated_by) == (
        "Seed fairs",
        2,
        moderator,
    )
    revision = Version.objects.get_for_object(initiative).get().revision
    assert revision.user == moderator
    assert revision.comment == "Changed in the admin: title"
    # The revision holds the record with its rows.
    models = {version.content_type.model for version in revision.version_set.all()}
    assert {"initiative", "initiativecountry", "participation"} <= models


def test_admin_edit_of_inline_rows_is_part_of_the_same_revision(moderator_client, moderator):
    initiative = InitiativeFactory()
    partner = OrganisationFactory(name="Rede de Sementes")
    data = change_form_data(moderator_client, initiative)
    data.update(
        {
            "participations-TOTAL_FORMS": str(int(data["participations-TOTAL_FORMS"]) + 1),
            f"participations-{data['participations-TOTAL_FORMS']}-actor": str(partner.pk),
            f"participations-{data['participations-TOTAL_FORMS']}-role": "partner",
        }
    )

    response = moderator_client.post(url("change", initiative.pk), data)

    assert response.status_code == 302
    assert initiative.participations.filter(actor=partner, role="partner").exists()
    revision = Version.objects.get_for_object(initiative).get().revision
    assert revision.comment == "Changed in the admin: participations"
    assert any(
        version.object_repr.startswith("Rede de Sementes") for version in revision.version_set.all()
    )


def test_moderator_creating_an_initiative_goes_through_the_service(moderator_client, moderator):
    owner = OrganisationFactory()
    data = change_form_data_for_add(moderator_client)
    data.update(
        {
            "title": "Farmer exchanges",
            "slug": "farmer-exchanges",
            "owner": str(owner.pk),
            "summary": "Farmers visit each other's fields.",
            "cooperation_type": "bilateral",
        }
    )

    response = moderator_client.post(url("add"), data)

    assert response.status_code == 302
    initiative = Initiative.objects.get(slug="farmer-exchanges")
    assert (initiative.state, initiative.created_by, initiative.version) == (
        State.DRAFT,
        moderator,
        1,
    )
    revision = Version.objects.get_for_object(initiative).get().revision
    assert (revision.user, revision.comment) == (moderator, "Created in the admin")


def change_form_data_for_add(client) -> dict:
    response = client.get(url("add"))
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_values(inline.formset.management_form))
    return data


def test_stale_admin_form_is_refused_with_the_conflict_message(moderator_client, moderator):
    initiative = InitiativeFactory(title="Seed banks")
    opened = change_form_data(moderator_client, initiative)
    editor = MembershipFactory(organisation=initiative.owner).user
    initiative.title = "Seed banks in Mozambique"
    initiative_save(initiative=initiative, by=editor, expected_version=1)

    response = moderator_client.post(url("change", initiative.pk), {**opened, "title": "Mine"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith(f"{editor} saved this initiative at ")
    assert "Your changes were not saved" in response.content.decode()
    assert 'value="Mine"' in response.content.decode()  # nothing the moderator typed is lost
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Seed banks in Mozambique", 2)
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["adminform"].form["expected_version"].value() == "2"


def test_save_slipping_in_between_validation_and_saving_is_refused_too(
    moderator_client, moderator, monkeypatch
):
    initiative = InitiativeFactory(title="Seed banks")
    opened = change_form_data(moderator_client, initiative)
    initiative.title = "Theirs"
    initiative_save(initiative=initiative, by=moderator, expected_version=1)
    # Everything this request read before trying to save happened before that other save
    # committed, so it still saw version 1.
    save_attempts = []

    def attempt_save(**kwargs):
        save_attempts.append(kwargs["expected_version"])
        return initiative_save(**kwargs)

    get_object = InitiativeAdmin.get_object

    def read_before_the_other_save(self, request, object_id, from_field=None):
        obj = get_object(self, request, object_id, from_field)
        if not save_attempts:
            obj.version = 1
        return obj

    monkeypatch.setattr(initiative_admin, "initiative_save", attempt_save)
    monkeypatch.setattr(InitiativeAdmin, "get_object", read_before_the_other_save)

    response = moderator_client.post(url("change", initiative.pk), {**opened, "title": "Mine"})

    assert save_attempts == [1]  # refused by the service, then caught by the form
    assert response.status_code == 200
    assert "Your changes were not saved" in response.content.decode()
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Theirs", 2)


def test_saving_a_form_opened_before_the_initiative_was_archived_writes_nothing(
    moderator_client,
):
    initiative = InitiativeFactory(title="Seed banks")
    opened = change_form_data(moderator_client, initiative)
    Initiative.objects.filter(pk=initiative.pk).update(state=State.ARCHIVED)

    response = moderator_client.post(url("change", initiative.pk), {**opened, "title": "Mine"})

    assert response.status_code == 302
    assert response.url == url("change", initiative.pk)
    assert messages_of(response) == ["“Seed banks” is archived and cannot be edited."]
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Seed banks", 1)


def test_slug_and_owner_are_fixed_after_creation(moderator_client):
    initiative = InitiativeFactory()

    response = moderator_client.get(url("change", initiative.pk))

    form = response.context["adminform"].form
    assert "slug" not in form.fields and "owner" not in form.fields


# History, diffs and revert --------------------------------------------------------------------


def test_history_lists_revisions_and_compare_shows_the_diff(moderator_client, moderator):
    initiative = InitiativeFactory(title="Seed banks")
    initiative_save(initiative=initiative, by=moderator, expected_version=1, comment="First")
    data = change_form_data(moderator_client, initiative)
    moderator_client.post(url("change", initiative.pk), {**data, "title": "Water committees"})
    newer, older = Version.objects.get_for_object(initiative)

    history = moderator_client.get(url("history", initiative.pk))
    compare = moderator_client.get(
        url("compare", initiative.pk), {"version_id1": older.pk, "version_id2": newer.pk}
    )

    assert history.status_code == 200
    content = history.content.decode()
    assert "Changed in the admin: title" in content and "First" in content
    assert content.count(moderator.get_username()) >= 2
    assert "Revert to this version" in content
    assert f'action="{url("revision", initiative.pk, older.pk)}"' in content
    assert compare.status_code == 200
    diff = compare.content.decode()
    assert "<del>- Seed banks</del>" in diff
    assert "<ins>+ Water committees</ins>" in diff
    assert "reviewed by" not in diff  # unchanged foreign keys are not reported


def test_revert_restores_the_content_and_rows_and_is_itself_recorded(moderator_client, moderator):
    initiative = InitiativeFactory(title="Seed banks", state=State.PUBLISHED, reviewed_version=1)
    kept = ParticipationFactory(
        initiative=initiative, actor=OrganisationFactory(name="Kept partner")
    )
    removed_later = ParticipationFactory(
        initiative=initiative, actor=OrganisationFactory(name="Removed later")
    )
    initiative_save(initiative=initiative, by=moderator, expected_version=1)
    old = Version.objects.get_for_object(initiative).get()
    editor = MembershipFactory(organisation=initiative.owner).user
    added_later_actor = OrganisationFactory(name="Added later")

    def change_rows(saved):
        removed_later.delete()
        Participation.objects.create(initiative=saved, actor=added_later_actor, role="partner")

    initiative.title = "Seed banks (vandalised)"
    initiative_save(initiative=initiative, by=editor, expected_version=2, save_related=change_rows)

    preview = moderator_client.get(url("revision", initiative.pk, old.pk))
    response = moderator_client.post(url("revision", initiative.pk, old.pk))

    assert preview.status_code == 200
    assert "Revert to this version" in preview.content.decode()
    assert response.status_code == 302
    assert response.url == url("history", initiative.pk)
    initiative.refresh_from_db()
    assert initiative.title == "Seed banks"
    actors = set(initiative.participations.values_list("actor__name", flat=True))
    assert {"Kept partner", "Removed later"} <= actors
    assert "Added later" not in actors
    assert kept.pk in set(initiative.participations.values_list("pk", flat=True))
    # Moderation is kept; the version moves on, so the revert shows as changed since review.
    assert (initiative.state, initiative.version, initiative.reviewed_version) == (
        State.PUBLISHED,
        4,
        1,
    )
    latest = Version.objects.get_for_object(initiative).first().revision
    assert latest.user == moderator
    assert latest.comment.startswith("Reverted to the version of ")
    assert Version.objects.get_for_object(initiative).count() == 3


def test_revert_preview_shows_what_would_change_and_changes_nothing(moderator_client, moderator):
    initiative = InitiativeFactory(title="Seed banks")
    initiative_save(initiative=initiative, by=moderator, expected_version=1)
    old = Version.objects.get_for_object(initiative).get()
    initiative.title = "Water committees"
    initiative_save(initiative=initiative, by=moderator, expected_version=2)

    response = moderator_client.get(url("revision", initiative.pk, old.pk))

    content = response.content.decode()
    assert "<del>- Seed banks</del>" in content
    assert "<ins>+ Water committees</ins>" in content
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Water committees", 3)


def test_reversions_own_recover_views_are_switched_off(moderator_client):
    assert moderator_client.get("/admin/initiatives/initiative/recover/").status_code == 404


# Audit ------------------------------------------------------------------------------------------


def test_revision_audit_lists_who_changed_what_and_is_read_only(moderator_client, moderator):
    initiative = InitiativeFactory(title="Seed banks")
    initiative_save(initiative=initiative, by=moderator, expected_version=1, comment="Tidied")
    InitiativeFactory(title="Unrelated")

    listing = moderator_client.get(reverse("admin:reversion_revision_changelist"))
    found = moderator_client.get(reverse("admin:reversion_revision_changelist"), {"q": "seed"})
    add = moderator_client.get(reverse("admin:reversion_revision_add"))

    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Tidied" in content and "Seed banks" in content
    assert [r.comment for r in found.context["cl"].result_list] == ["Tidied"]
    assert add.status_code == 403
    revision = Revision.objects.get()
    detail = moderator_client.get(reverse("admin:reversion_revision_change", args=[revision.pk]))
    assert detail.status_code == 200
    assert not detail.context["has_change_permission"]


def audit_queries(client, view: str, rows: int) -> int:
    moderator = UserFactory(is_superuser=True)
    for initiative in InitiativeFactory.create_batch(rows - Revision.objects.count()):
        initiative_save(initiative=initiative, by=moderator, expected_version=1)
        LogEntry.objects.log_actions(moderator.pk, [initiative], CHANGE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(view))
    assert len(response.context["cl"].result_list) == rows
    return len(queries)


@pytest.mark.parametrize(
    "view", ["admin:reversion_revision_changelist", "admin:admin_logentry_changelist"]
)
def test_audit_lists_query_count_does_not_grow_with_rows(moderator_client, view):
    assert audit_queries(moderator_client, view, 2) == audit_queries(moderator_client, view, 20)


def test_moderation_steps_are_in_the_admin_log(moderator_client, moderator):
    initiative = submitted(title="Seed banks")

    run_action(moderator_client, "approve", [initiative])

    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_repr) == (moderator, "Seed banks")
    assert entry.get_change_message() == "“Seed banks” was approved and is now public."


def test_admin_login_page_opens_for_anonymous_visitors(client, db):
    assert client.get(reverse("admin:login")).status_code == 200


def test_admin_log_is_readable_by_moderators(moderator_client):
    initiative = InitiativeFactory(title="Seed banks")
    data = change_form_data(moderator_client, initiative)
    moderator_client.post(url("change", initiative.pk), {**data, "title": "Seed fairs"})

    response = moderator_client.get(reverse("admin:admin_logentry_changelist"))

    assert response.status_code == 200
    assert [entry.object_repr for entry in response.context["cl"].result_list] == ["Seed fairs"]
    assert LogEntry.objects.get().user.is_moderator
