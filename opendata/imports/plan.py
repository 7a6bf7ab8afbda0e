"""What an import would do, and doing it: all or nothing, through the editor's service.

A reader (:mod:`opendata.imports.iati`, :mod:`opendata.imports.spreadsheet`) gives
:class:`Incoming` records whose values are already model instances (countries, sectors,
organisations…). :func:`plan_import` matches each with the portal's records by slug and
checks it by the editor's rules (``initiatives.rules``) and the models' own field checks;
:func:`apply_plan` writes a plan without problems in one transaction with
``initiative_save``, each record as one revision whose comment says it was imported.

Only drafts (and records returned to the organisation) of the same owner are updated: an
import never changes what the public sees, nor another organisation's records. A match on
a record in another state or of another owner is a problem.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from initiatives import rules, services
from initiatives.models import ROW_PARTS, Initiative
from organisations.models import Organisation

# Whether the portal records a share for each sector of an initiative.
RECORDS_SECTOR_SHARES = hasattr(Initiative, "sector_links")
UPDATABLE_STATES = {Initiative.State.DRAFT, Initiative.State.RETURNED}
# The spreadsheet column of each part (countries: by role).
SPREADSHEET_COLUMNS = {"countries": "recipient_countries"}
# Row parts whose rows point to the record through another row (checked without it).
LINK_FIELDS = {"initiative", "outcome", "lesson"}


@dataclass(frozen=True)
class Problem:
    """Something that stops the import, and where it is: a line of an XML file, or a row
    (and column) of a spreadsheet."""

    message: str
    line: int | None = None
    row: int | None = None
    column: str = ""

    @property
    def where(self) -> str:
        if self.line is not None:
            return _("line %(line)s") % {"line": self.line}
        if self.row is not None and self.column:
            return _("row %(row)s, column “%(column)s”") % {"row": self.row, "column": self.column}
        if self.row is not None:
            return _("row %(row)s") % {"row": self.row}
        return ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Incoming:
    """One initiative as a file describes it.

    ``fields`` are the record's own fields, ``relations`` its many-to-many fields and
    ``rows`` its parts by ``ROW_PARTS`` name, as ``initiative_save`` takes them.
    ``not_mapped`` lists what the file says that the portal does not keep. ``line`` and
    ``row`` say where the record starts in the file."""

    identifier: str
    slug: str
    fields: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    not_mapped: list[str] = field(default_factory=list)
    # Shares of the sectors, by code, where the file gives them (kept where the portal
    # records sector shares).
    sector_shares: dict = field(default_factory=dict)
    line: int | None = None
    row: int | None = None

    def problem(self, message: str, column: str = "") -> Problem:
        return Problem(message, line=self.line, row=self.row, column=column)


@dataclass
class Action:
    incoming: Incoming
    existing: Initiative | None = None

    @property
    def is_update(self) -> bool:
        return self.existing is not None


@dataclass
class Plan:
    owner: Organisation | None
    actions: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def created(self) -> list[Action]:
        return [action for action in self.actions if not action.is_update]

    @property
    def updated(self) -> list[Action]:
        return [action for action in self.actions if action.is_update]


def plan_import(
    records: Sequence[Incoming],
    owner: Organisation,
    *,
    by: User,
    found: Sequence[Problem] = (),
) -> Plan:
    """Match ``records`` with the portal's initiatives and check each; nothing is written.
    ``found`` are the problems the reader found, listed first; a cell they name is not
    named again."""
    plan = Plan(owner=owner, problems=list(found))
    named = {(p.row, p.column) for p in found if p.row is not None and p.column}
    existing = {
        initiative.slug: initiative
        for initiative in Initiative.objects.filter(slug__in=[r.slug for r in records])
    }
    seen: set[str] = set()
    for record in records:
        if record.slug in seen:
            plan.problems.append(
                record.problem(
                    _("The identifier %(identifier)s is given twice in this file.")
                    % {"identifier": record.identifier}
                )
            )
            continue
        seen.add(record.slug)
        match = existing.get(record.slug)
        if match is not None:
            if match.owner_id != owner.pk:
                plan.problems.append(
                    record.problem(
                        _(
                            "%(identifier)s is the identifier of a record of another "
                            "organisation; it cannot be changed by this import."
                        )
                        % {"identifier": record.identifier}
                    )
                )
                continue
            if match.state not in UPDATABLE_STATES:
                plan.problems.append(
                    record.problem(
                        _(
                            "%(identifier)s matches “%(title)s”, which is %(state)s: an import "
                            "only updates drafts. Edit it on its page instead."
                        )
                        % {
                            "identifier": record.identifier,
                            "title": match.title,
                            "state": match.get_state_display().lower(),
                        }
                    )
                )
                continue
            if not by.is_moderator and not services.user_can_edit(by, match):
                plan.problems.append(
                    record.problem(_("You may only change your own organisations' initiatives."))
                )
                continue
        plan.problems.extend(
            problem
            for problem in _check(record, owner)
            if problem.row is None or (problem.row, problem.column) not in named
        )
        plan.actions.append(Action(record, match))
    return plan


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            (name, message) for name, messages in error.message_dict.items() for message in messages
        ]
    return [("", message) for message in error.messages]


def _check(record: Incoming, owner: Organisation) -> list[Problem]:
    """The record checked as the editor's page checks it: each model's field checks, then
    the rules of ``initiatives.rules``."""
    problems = []

    def add(name: str, message: str, part: str = "", values: Mapping | None = None) -> None:
        if record.row is not None:  # a spreadsheet: the column says where
            column = SPREADSHEET_COLUMNS.get(part, part) if part else name
            if part == "countries" and values:
                column = f"{values.get('role')}_countries"
            problems.append(record.problem(message, column=column))
            return
        label = f"{part}: {name}" if part and name else part or name
        problems.append(record.problem(f"{label}: {message}" if label else message))

    initiative = Initiative(owner=owner, slug=record.slug, **record.fields)
    try:
        initiative.full_clean(exclude=["slug", "owner"], validate_unique=False)
    except ValidationError as error:
        for name, message in _messages(error):
            add(name, message)
    for name in ("summary",):  # a text field's limit is the form's, not the model's
        limit = Initiative._meta.get_field(name).max_length
        if limit and len(record.fields.get(name) or "") > limit:
            add(
                name,
                _("Keep this to %(limit)s characters (it has %(length)s).")
                % {"limit": limit, "length": len(record.fields[name])},
            )
    for name, message in rules.initiative_notes(record.fields).items():
        add(name, message)
    for part, rows in record.rows.items():
        model = ROW_PARTS[part].model
        for values in rows:
            row = model(
                **{
                    name: value
                    for name, value in values.items()
                    if name not in LINK_FIELDS and not isinstance(value, services.EarlierRow)
                }
            )
            exclude = [f.name for f in model._meta.fields if f.name in LINK_FIELDS]
            exclude += ["recorded_by", "recorded_by_organisation", "source", "document"]
            try:
                row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                for name, message in _messages(error):
                    add(name, message, part, values)
    countries = record.rows.get("countries", [])
    row_notes, part_notes = rules.country_rows_notes(countries)
    for values, notes in zip(countries, row_notes):
        for name, message in notes.items():
            add(name, message, "countries", values)
    for message in part_notes:
        add("", message, "countries")
    for notes in rules.participant_rows_notes(record.rows.get("participants", [])):
        for name, message in notes.items():
            add(name, message, "participants")
    for values in record.rows.get("funding", []):
        for name, message in rules.funding_row_notes(values).items():
            add(name, message, "funding")
    for notes in rules.evidence_rows_notes(record.rows.get("evidence", [])):
        for name, message in notes.items():
            add(name, message, "evidence")
    language = record.fields.get("language", "en")
    for notes in rules.translation_rows_notes(
        record.rows.get("translations", []), original_language=language
    ):
        for name, message in notes.items():
            add(name, message, "translations")
    return problems


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems[:5]))


def apply_plan(plan: Plan, *, by: User, source_name: str) -> list[Initiative]:
    """Write every record of ``plan`` as a draft of its owner, in one transaction; raise
    :class:`ImportFailed` (nothing written) when the plan has problems or a save fails."""
    if plan.problems:
        raise ImportFailed(plan.problems)
    comment = _("Imported from %(file)s") % {"file": source_name}
    written = []
    try:
        with transaction.atomic():
            for action in plan.actions:
                written.append(_save(action, plan.owner, by=by, comment=comment))
    except IntegrityError as error:
        raise ImportFailed(
            [
                Problem(
                    _("The records could not be saved: %(reason)s")
                    % {"reason": str(error).splitlines()[0]}
                )
            ]
        ) from error
    except (ValidationError, PermissionDenied, services.EditConflict) as error:
        raise ImportFailed([Problem(str(message)) for message in _error_texts(error)]) from error
    except services.InvalidTransition as error:
        raise ImportFailed([Problem(str(error))]) from error
    return written


def _error_texts(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [message for _name, message in _messages(error)]
    return [str(error)]


def _save(action: Action, owner: Organisation, *, by: User, comment: str) -> Initiative:
    record = action.incoming
    if action.existing is None:
        initiative = Initiative(
            owner=owner, slug=record.slug, state=Initiative.State.DRAFT, **record.fields
        )
        expected = None
    else:
        initiative = Initiative.objects.get(pk=action.existing.pk)
        expected = initiative.version
        for name, value in record.fields.items():
            setattr(initiative, name, value)
    # Only the parts the file covers are replaced; the others keep their rows.
    rows: Mapping[str, Sequence[Mapping]] = dict(record.rows)
    relations = dict(record.relations)
    save_related = None
    if record.sector_shares and RECORDS_SECTOR_SHARES:

        def save_related(saved: Initiative) -> None:
            for code, share in record.sector_shares.items():
                saved.sector_links.filter(sector_id=code).update(share=share)

    return services.initiative_save(
        initiative=initiative,
        by=by,
        expected_version=expected,
        relations=relations,
        rows=rows,
        save_related=save_related,
        comment=comment,
    )
