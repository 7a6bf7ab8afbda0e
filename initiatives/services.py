"""Writes with business rules for initiatives: saving (the record and its rows), moderation,
history and search.

Every service (``<noun>_<verb>``) is keyword-only and runs in one transaction; the few
helpers beside them (checks, the slug, the search-vector expression) only read. Each content
change is one revision in the history (see ``initiatives.history``), attributed to the user
who made it. The editor's page, the write API and the admin all save through
:func:`initiative_save`; the rules their input is checked against are in
``initiatives.rules``.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial

import reversion
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, models, transaction
from django.db.models import Case, F, Func, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.sql import UpdateQuery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Revision

from accounts.models import User
from initiatives.browse.search import SEARCH_CONFIG, STEMMING, fold_accents_sql
from initiatives.history import forget_prefetched_rows, prefetch_followed_rows
from initiatives.models import (
    ROW_PARTS,
    Initiative,
    InitiativeTranslation,
    Participation,
    PublishedVersion,
)
from learning.models import Lesson, LessonTranslation
from organisations.services import organisation_propose
from principles.services import evidence_confirmations, evidence_settle_confirmations
from ssdc_portal.links import site_url
from ssdc_portal.slugs import unused_slug

State = Initiative.State


# Fields that belong to moderation, not content: editing and reverting leave them alone.
MODERATION_FIELDS = [
    "owner",
    "state",
    "version",
    "submitted_at",
    "published_at",
    "reviewed_at",
    "archived_at",
    "reviewed_version",
    "reviewed_by",
    "review_note",
    "created_by",
]

# States in which an organisation's editors may change the content.
EDITABLE_STATES = {State.DRAFT, State.RETURNED, State.SUBMITTED, State.PUBLISHED}


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    by_moderator: bool


TRANSITIONS = {
    "submit": Transition(
        "submit", frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED, False
    ),
    "approve": Transition("approve", frozenset({State.SUBMITTED}), State.PUBLISHED, True),
    "return": Transition("return", frozenset({State.SUBMITTED}), State.RETURNED, True),
    "archive": Transition("archive", frozenset({State.PUBLISHED}), State.ARCHIVED, True),
}


class InvalidTransition(Exception):
    def __init__(self, initiative: Initiative, action: str):
        self.initiative = initiative
        self.action = action
        super().__init__(
            _("“%(title)s” is %(state)s and cannot be %(action)s.")
            % {
                "title": initiative.title,
                "state": initiative.get_state_display().lower(),
                "action": ACTION_PARTICIPLES.get(action, action),
            }
        )


ACTION_PARTICIPLES = {
    "submit": gettext_lazy("submitted for review"),
    "approve": gettext_lazy("approved"),
    "return": gettext_lazy("returned"),
    "archive": gettext_lazy("archived"),
    "edit": gettext_lazy("edited"),
    "mark_reviewed": gettext_lazy("marked as reviewed"),
}


class EditConflict(Exception):
    """Someone saved the initiative after the editor opened it."""

    def __init__(self, current: Initiative):
        self.current = current
        who = current.updated_by or _("another user")
        super().__init__(
            _(
                "%(who)s saved this initiative at %(when)s, after you opened it. Your changes "
                "were not saved; they are still in the form below. Compare them with the "
                "current version, then save again."
            )
            % {"who": who, "when": timezone.localtime(current.updated_at).strftime("%H:%M:%S")}
        )


def user_can_edit(user: User, initiative: Initiative) -> bool:
    return Initiative.objects.editable_by(user).filter(pk=initiative.pk).exists()


def _require_editor(user: User, initiative: Initiative) -> None:
    if not user_can_edit(user, initiative):
        raise PermissionDenied(_("You may only change your own organisations' initiatives."))


def _require_moderator(user: User) -> None:
    if not user.is_moderator:
        raise PermissionDenied(_("Only moderators may do this."))


def initiative_missing_for_submission(initiative: Initiative) -> list[str]:
    """What a moderator needs before reviewing: the gaps that block a submission."""
    roles = set(initiative.country_links.values_list("role", flat=True))
    missing = []
    if "provider" not in roles:
        missing.append(_("at least one provider country"))
    if "recipient" not in roles:
        missing.append(_("at least one recipient country"))
    if not initiative.participations.exists():
        missing.append(_("at least one participating organisation"))
    return missing


class IncompleteInitiative(Exception):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            _("Before submitting, add %(missing)s.") % {"missing": _(", and ").join(missing)}
        )


def initiative_unique_slug(title: str) -> str:
    return unused_slug(Initiative, title, fallback="initiative")


def _notify(initiative: Initiative, event: str) -> None:
    from initiatives.tasks import notify_initiative_event

    # The e-mail links to the address this change was made at (unless SITE_URL is set).
    transaction.on_commit(
        partial(notify_initiative_event.delay, initiative.pk, event, site_url=site_url())
    )


def _refresh_search_after_commit(initiative: Initiative) -> None:
    transaction.on_commit(partial(initiative_refresh_search_vector, initiative_ids=[initiative.pk]))


# What a participant row may carry instead of ``actor``: an organisation to propose.
PROPOSAL_FIELDS = ["new_organisation_name", "new_organisation_type", "new_organisation_country"]


def _set_values(row: models.Model, values: Mapping) -> bool:
    """Set ``values`` (cleaned, as a form or serializer gives them; a file field's ``None``
    keeps its file) on ``row``; whether anything changed."""
    changed = row.pk is None
    for name, value in values.items():
        field = row._meta.get_field(name)
        before = field.value_from_object(row)
        field.save_form_data(row, value)
        changed = changed or field.value_from_object(row) != before
    return changed


def _changes_any(row: models.Model, values: Mapping, names: Sequence[str]) -> bool:
    """Whether ``values`` change any of the fields ``names`` of ``row``."""
    return any(
        getattr(values[name], "pk", values[name])
        != row._meta.get_field(name).value_from_object(row)
        for name in names
        if name in values
    )


@dataclass(frozen=True)
class EarlierRow:
    """A reference to a row written earlier in the same save, before it has an id: the
    ``index``-th row given for ``part`` (an outcome that an indicator measures, a source that
    evidence cites, both typed in the same sitting). See :func:`initiative_save`."""

    part: str
    index: int


def _resolved(value, earlier: Mapping[str, Sequence[models.Model]]):
    if not isinstance(value, EarlierRow):
        return value
    written = earlier.get(value.part, [])
    if not 0 <= value.index < len(written):
        raise ValidationError(_("Choose one of this record's own rows."), code="foreign_row")
    return written[value.index]


@transaction.atomic
def initiative_rows_replace(
    *,
    initiative: Initiative,
    part: str,
    rows: Sequence[Mapping],
    by: User,
    earlier: Mapping[str, Sequence[models.Model]] | None = None,
) -> list[models.Model]:
    """Make ``rows`` the initiative's rows of ``part`` (see ``ROW_PARTS``); a step of
    :func:`initiative_save`, which records the revision and the version around it.

    Each row maps field names to cleaned values. One with an ``id`` (a current row of the
    part) changes that row; one without is added; current rows left out are removed, first,
    so that a row can be replaced by an equal one. A participant row without ``actor``
    proposes a new organisation (:func:`organisation_propose`); new evidence is recorded by
    ``by`` for the initiative's owner. An ``EarlierRow`` value names a row written before in
    the same save, from ``earlier`` (the rows written so far, by part)."""
    rows = [{name: _resolved(value, earlier or {}) for name, value in row.items()} for row in rows]
    declared = ROW_PARTS[part]
    current = {row.pk: row for row in declared.rows_of(initiative)}
    kept = {getattr(row["id"], "pk", row["id"]) for row in rows if row.get("id")}
    if not kept <= current.keys():
        raise ValidationError(_("Only rows of this record can be changed."), code="foreign_row")
    # Rows that change a value unique in the record are written anew (see ``RowPart``).
    renewed = {
        getattr(given["id"], "pk", given["id"])
        for given in rows
        if given.get("id")
        and _changes_any(current[getattr(given["id"], "pk", given["id"])], given, declared.unique)
    }
    for pk, row in current.items():
        if pk not in kept or pk in renewed:
            row.delete()
    written = []
    for given in rows:
        values = dict(given)
        existing = values.pop("id", None)
        row = current[getattr(existing, "pk", existing)] if existing else declared.model()
        if declared.path == "initiative":
            row.initiative = initiative
        proposal = {name: values.pop(name, None) for name in PROPOSAL_FIELDS if name in values}
        if part == "participants" and not values.get("actor"):
            values["actor"] = organisation_propose(
                name=proposal.get("new_organisation_name") or "",
                organisation_type=proposal.get("new_organisation_type") or "",
                home_country=proposal.get("new_organisation_country"),
                by=by,
            )
        changed = _set_values(row, values)
        for name in declared.references:
            referenced = getattr(row, name)
            if referenced is not None and referenced.initiative_id != initiative.pk:
                raise ValidationError(
                    {name: _("Choose one of this record's own rows.")}, code="foreign_row"
                )
        if part == "evidence" and row.pk is None:
            row.recorded_by = row.recorded_by or by
            if not row.recorded_by_organisation_id:
                row.recorded_by_organisation = initiative.owner
        if changed:
            row.save()
        written.append(row)
    return written


@transaction.atomic
def initiative_save(
    *,
    initiative: Initiative,
    by: User,
    expected_version: int | None = None,
    relations: Mapping[str, Iterable] | None = None,
    rows: Mapping[str, Sequence[Mapping]] | None = None,
    save_related: Callable[[Initiative], None] | None = None,
    comment: str = "",
) -> Initiative:
    """Create or update an initiative and its rows as one revision.

    ``relations`` gives the many-to-many fields to set (sectors, SDG goals, modalities);
    ``rows`` the repeating parts to write, by name (see :func:`initiative_rows_replace`;
    parts left out are kept as they are; they are written in the order of ``ROW_PARTS``, and
    a row may name one written before it by an ``EarlierRow``); ``save_related`` anything
    else to write in the same revision. For an existing initiative ``expected_version`` is
    the version the editor started from; if someone saved in between, :class:`EditConflict`
    is raised and nothing is written. Saving a returned initiative puts it back into draft.
    """
    is_new = initiative.pk is None
    if is_new:
        if not initiative.slug:
            initiative.slug = initiative_unique_slug(initiative.title)
        if (
            not by.is_moderator
            and not by.memberships.filter(organisation=initiative.owner_id).exists()
        ):
            raise PermissionDenied(_("You may only record initiatives of your own organisations."))
        initiative.created_by = by
    else:
        if not by.is_moderator:
            _require_editor(by, initiative)
        if initiative.state not in EDITABLE_STATES:
            raise InvalidTransition(initiative, "edit")
        claimed = Initiative.objects.filter(pk=initiative.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise EditConflict(
                Initiative.objects.select_related("updated_by").get(pk=initiative.pk)
            )
        # Moderation may have moved on since the form was opened; content saves never undo it.
        current = Initiative.objects.get(pk=initiative.pk)
        if current.state not in EDITABLE_STATES:  # archived since the form was opened
            raise InvalidTransition(current, "edit")
        for field in MODERATION_FIELDS:
            setattr(initiative, field, getattr(current, field))
        if initiative.state == State.RETURNED:
            initiative.state = State.DRAFT
    initiative.updated_by = by
    confirmed = {} if is_new else evidence_confirmations(initiative_id=initiative.pk)
    with reversion.create_revision():
        if not is_new:
            prefetch_followed_rows(initiative)  # the revision adds them as they were
        initiative.save()
        forget_prefetched_rows(initiative)
        for name, values in (relations or {}).items():
            getattr(initiative, name).set(values)
        written: dict[str, list[models.Model]] = {}
        for part in ROW_PARTS:
            if rows and part in rows:
                written[part] = initiative_rows_replace(
                    initiative=initiative, part=part, rows=rows[part], by=by, earlier=written
                )
        if save_related is not None:
            save_related(initiative)
        if rows or save_related is not None:
            # Evidence a partner confirmed stays confirmed only if it still says the same.
            evidence_settle_confirmations(initiative_id=initiative.pk, confirmed_before=confirmed)
        initiative_version_published(initiative=initiative)
        reversion.set_user(by)
        reversion.set_comment(comment or (_("Created") if is_new else _("Edited")))
    _refresh_search_after_commit(initiative)
    return initiative


def _transition(
    initiative: Initiative,
    action: str,
    *,
    by: User,
    changes: Callable[[Initiative], dict] = lambda locked: {},
) -> Initiative:
    """Move the initiative along ``action`` under a row lock; ``changes`` gives the other
    fields to set, computed from the locked row."""
    transition = TRANSITIONS[action]
    if transition.by_moderator:
        _require_moderator(by)
    elif not by.is_moderator:
        _require_editor(by, initiative)
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if locked.state not in transition.sources:
        raise InvalidTransition(locked, action)
    changes = changes(locked)
    locked.state = transition.target
    for field, value in changes.items():
        setattr(locked, field, value)
    with reversion.create_revision():
        locked.save()
        initiative_version_published(initiative=locked)
        reversion.set_user(by)
        reversion.set_comment(changes.get("review_note") or ACTION_PARTICIPLES[action].capitalize())
    # Keep the caller's object in step with the row.
    for field in ["state", "updated_at", *changes]:
        setattr(initiative, field, getattr(locked, field))
    _notify(locked, action)
    return locked


@transaction.atomic
def initiative_submit(*, initiative: Initiative, by: User) -> Initiative:
    missing = initiative_missing_for_submission(initiative)
    if missing:
        raise IncompleteInitiative(missing)
    return _transition(
        initiative, "submit", by=by, changes=lambda locked: {"submitted_at": timezone.now()}
    )


@transaction.atomic
def initiative_approve(*, initiative: Initiative, by: User) -> Initiative:
    now = timezone.now()
    return _transition(
        initiative,
        "approve",
        by=by,
        changes=lambda locked: {
            "published_at": locked.published_at or now,
            "reviewed_at": now,
            "reviewed_by": by,
            "reviewed_version": locked.version,
            "review_note": "",
        },
    )


@transaction.atomic
def initiative_return(*, initiative: Initiative, by: User, note: str) -> Initiative:
    if not note.strip():
        raise ValueError(_("Say what the organisation should change: the note is required."))
    return _transition(
        initiative,
        "return",
        by=by,
        changes=lambda locked: {
            "reviewed_at": timezone.now(),
            "reviewed_by": by,
            "reviewed_version": locked.version,
            "review_note": note.strip(),
        },
    )


@transaction.atomic
def initiative_archive(*, initiative: Initiative, by: User) -> Initiative:
    """Withdraw a published record: its address answers "gone", its versions stay readable."""
    return _transition(
        initiative, "archive", by=by, changes=lambda locked: {"archived_at": timezone.now()}
    )


def initiative_version_published(*, initiative: Initiative) -> PublishedVersion | None:
    """Within the revision being recorded, number it as the next published version of
    ``initiative`` if the record is published as it is saved (else nothing: a draft, a
    submission or a withdrawal is no version). Call inside ``reversion.create_revision()``
    after the record is saved; the version is written with the revision."""
    if initiative.state != State.PUBLISHED or _version_pending(initiative):
        return None
    # The record's row is locked until the end of the transaction: two changes at once
    # cannot take the same number (the unique constraint would refuse it anyway).
    Initiative.objects.select_for_update().filter(pk=initiative.pk).values_list("pk").get()
    latest = (
        PublishedVersion.objects.filter(initiative=initiative)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    values = {
        "initiative": initiative,
        "number": (latest or 0) + 1,
        "published_at": timezone.now(),
    }
    reversion.add_meta(PublishedVersion, **values)
    return PublishedVersion(**values)


def _version_pending(initiative: Initiative) -> bool:
    """Whether the revision being recorded already makes a version of ``initiative`` (two
    services called inside one outer revision make one version)."""
    from reversion.revisions import _current_frame

    return any(
        model is PublishedVersion and values["initiative"].pk == initiative.pk
        for model, values in _current_frame().meta
    )


@transaction.atomic
def initiative_mark_reviewed(*, initiative: Initiative, by: User) -> Initiative:
    """A moderator accepts the edits made to a published initiative since its last review."""
    _require_moderator(by)
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if locked.state != State.PUBLISHED or not locked.is_changed_since_review:
        raise InvalidTransition(locked, "mark_reviewed")
    updated = {"reviewed_at": timezone.now(), "reviewed_by": by, "reviewed_version": locked.version}
    Initiative.objects.filter(pk=locked.pk).update(**updated)
    for field, value in updated.items():
        setattr(initiative, field, value)
    return initiative


@transaction.atomic
def initiative_revert(*, initiative: Initiative, revision: Revision, by: User) -> Initiative:
    """Bring the content of an initiative and its rows back to an earlier revision.

    Moderation fields (state, reviews, version) stay as they are; the revert is itself a new,
    attributed revision, so it can be undone the same way.
    """
    _require_moderator(by)
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not revision.version_set.filter(
        content_type__model="initiative", object_id=str(locked.pk)
    ).exists():
        raise ValueError(_("That revision belongs to another record."))
    kept = {field: getattr(locked, field) for field in MODERATION_FIELDS}
    revision.revert(delete=True)
    reverted = Initiative.objects.get(pk=locked.pk)
    for field, value in kept.items():
        setattr(reverted, field, value)
    reverted.version = locked.version + 1
    reverted.updated_by = by
    with reversion.create_revision():
        reverted.save()
        reversion.add_to_revision(reverted)
        initiative_version_published(initiative=reverted)
        reversion.set_user(by)
        reversion.set_comment(
            _("Reverted to the version of %(date)s")
            % {"date": timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M")}
        )
    _refresh_search_after_commit(reverted)
    return reverted


def initiative_search_vector(
    participation_model=Participation,
    translation_model=InitiativeTranslation,
    lesson_models: tuple | None = None,
):
    """The expression a row's search vector is computed from, accents folded (see
    ``initiatives.browse.search``), in this order:

    - title (weight A), summary and the names of its participating organisations (B),
      description and lessons (C) under the ``simple`` configuration;
    - title, summary, description and lessons again, with the same weights, under the
      configuration of the record's language when it has one (``STEMMING``);
    - each translation, language by language: its title (A), summary (B), description (C)
      and the translations of the lessons into that language (C) under ``simple`` and then
      under its language's configuration.

    Migrations pass their historical ``Participation``, ``InitiativeTranslation`` and
    ``(Lesson, LessonTranslation)`` (an empty ``lesson_models`` before lessons existed)."""
    if lesson_models is None:
        lesson_models = (Lesson, LessonTranslation)
    organisation_names = Subquery(
        participation_model.objects.filter(initiative=OuterRef("pk"))
        .values("initiative")
        .annotate(names=StringAgg("actor__name", delimiter=" "))
        .values("names")
    )

    def joined(rows, record: str, order: tuple[str, ...]):
        """The text of ``rows`` (lessons or their translations) of one record, joined in
        the lessons' order."""
        text = StringAgg("text", delimiter=" ", order_by=order)
        return Subquery(rows.values(record).annotate(joined=text).values("joined"))

    def lesson_texts(language=None):
        if not lesson_models:
            return []
        lesson_model, lesson_translation_model = lesson_models
        if language is None:
            lessons = lesson_model.objects.filter(initiative=OuterRef("pk"))
            return [joined(lessons, "initiative", ("position", "id"))]
        translations = lesson_translation_model.objects.filter(
            lesson__initiative=OuterRef("pk"), language=language
        )
        return [joined(translations, "lesson__initiative", ("lesson__position", "lesson_id"))]

    def vector(config, weight, *expressions):
        folded = [fold_accents_sql(expression) for expression in expressions]
        return SearchVector(*folded, weight=weight, config=config)

    def text(config, title, summary, *rest):
        return [
            vector(config, "A", title),
            vector(config, "B", summary),
            vector(config, "C", *rest),
        ]

    original_text = [*ORIGINAL_TEXT, *lesson_texts()]
    original = Case(
        *(
            When(language=language, then=_concatenated(*text(config, *original_text)))
            for language, config in STEMMING.items()
        ),
        default=EMPTY_VECTOR,
    )
    translated = []
    for language, config in STEMMING.items():
        translated.append(
            Coalesce(
                Subquery(
                    translation_model.objects.filter(initiative=OuterRef("pk"), language=language)
                    .annotate(
                        vector=_concatenated(
                            *text(SEARCH_CONFIG, *TRANSLATED_TEXT), *text(config, *TRANSLATED_TEXT)
                        )
                    )
                    .values("vector")
                ),
                EMPTY_VECTOR,
            )
        )
        for lessons in lesson_texts(language):
            translated += [vector(SEARCH_CONFIG, "C", lessons), vector(config, "C", lessons)]
    return _concatenated(
        vector(SEARCH_CONFIG, "A", F("title")),
        vector(SEARCH_CONFIG, "B", F("summary")),
        vector(SEARCH_CONFIG, "B", organisation_names),
        vector(SEARCH_CONFIG, "C", F("description"), *lesson_texts()),
        original,
        *translated,
    )


# The fields indexed as title, summary and the rest, of a record and of a translation.
ORIGINAL_TEXT = [F("title"), F("summary"), F("description")]
TRANSLATED_TEXT = [F("title"), F("summary"), F("description")]
EMPTY_VECTOR = Cast(Value(""), SearchVectorField())


def _concatenated(*vectors) -> Func:
    """``vectors`` joined with ``||`` (the positions of each follow those before it)."""
    return Func(
        *vectors, template="(%(expressions)s)", arg_joiner=" || ", output_field=SearchVectorField()
    )


@transaction.atomic
def initiative_refresh_search_vector(*, initiative_ids: Iterable[int]) -> int:
    """Recompute the stored search vector of the given initiatives; returns rows updated.

    The one place vectors are computed: every write that changes indexed text (an
    initiative's content, its participants, an organisation's name) ends here."""
    ids = list(initiative_ids)
    if not ids:
        return 0
    update, params = _search_vector_update()
    table = connection.ops.quote_name(Initiative._meta.db_table)
    key = connection.ops.quote_name(Initiative._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"{update} WHERE {table}.{key} = ANY(%s)", (*params, ids))
        return cursor.rowcount


@cache
def _search_vector_update() -> tuple[str, tuple]:
    """The ``UPDATE`` of every row's search vector, without a ``WHERE``, compiled once per
    process: the expression has some 8,000 nodes, and Django takes about 50 ms to turn it into
    SQL that runs in 5 ms for one record (every save of a record waits for it)."""
    query = UpdateQuery(Initiative)
    query.add_update_values({"search_vector": initiative_search_vector()})
    update, params = query.get_compiler(DEFAULT_DB_ALIAS).as_sql()
    return update, tuple(params)
