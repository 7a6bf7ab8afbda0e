"""The initiative form and its formsets as one unit: the editor's page validates what was
posted with them and saves it through ``services.initiative_save`` (the write API checks the
same rules, ``initiatives.rules``, and saves through the same service)."""

from collections.abc import Collection
from dataclasses import dataclass

from django.forms.utils import ErrorDict
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from initiatives import services
from initiatives.completeness import Completeness, completeness
from initiatives.editor.forms import (
    FORMSETS,
    IndicatorFormSet,
    InitiativeForm,
    LessonTranslationFormSet,
    NewRow,
    NewRowChoices,
    OutcomeTranslationFormSet,
    RowMenus,
    add_notes,
)
from initiatives.formsets import formset_rows
from initiatives.models import Indicator, Initiative
from initiatives.rules import removed_lesson_notes, removed_outcome_notes
from learning.models import Practice, Theme
from organisations.models import Organisation

# The words of each repeating part on the page, in the order it shows them: its heading, the
# name of a row, the "add" button and the help text.
PART_TEXTS = {
    "countries": (
        _("Countries"),
        _("Country"),
        _("Add a country"),
        _(
            "Where the experience comes from (provider) and where it is shared (recipient). "
            "Shares are optional; if you give them, each role's shares add up to 100%."
        ),
    ),
    "participants": (
        _("Participating organisations"),
        _("Organisation"),
        _("Add an organisation"),
        _(
            "Choose an organisation already in the portal, or name a new one with its type "
            "and country."
        ),
    ),
    "funding": (
        _("Funding"),
        _("Contribution"),
        _("Add a contribution"),
        _("Amounts are optional. The funding mix shown to readers is worked out from these rows."),
    ),
    "nonmonetary": (
        _("Non-monetary contributions"),
        _("Contribution"),
        _("Add a contribution"),
        _("Time and effort given in kind: person-days, participants, exchange visits…"),
    ),
    "outcomes": (
        _("Outcomes"),
        _("Outcome"),
        _("Add an outcome"),
        _("What changed, in words. Indicators with figures can be attached below."),
    ),
    "practices": (
        _("Practices used"),
        _("Practice"),
        _("Add a practice"),
        _(
            "A method or tool the initiative used, and the initiative through which your "
            "organisation learned it, if it is on the portal."
        ),
    ),
    "indicators": (
        _("Indicators"),
        _("Indicator"),
        _("Add an indicator"),
        _("Optional figures for an outcome: baseline, target and actual."),
    ),
    "lessons": (
        _("Lessons learned"),
        _("Lesson"),
        _("Add a lesson"),
        _(
            "One lesson per row: what the initiative learned, whom it is for, and the theme "
            "or practice it concerns. Lessons are searched and shown with the practice."
        ),
    ),
    "sources": (
        _("Sources"),
        _("Source"),
        _("Add a source"),
        _(
            "Reports, evaluations, articles or pages that back the record. Documents: PDF, "
            "DOCX, ODT or images, within the size limit shown by the file field. A file must "
            "be chosen again if the form comes back with notes."
        ),
    ),
    "evidence": (
        _("Principle evidence"),
        _("Evidence"),
        _("Add evidence"),
        _(
            "How the initiative practised — or fell short of — each effectiveness principle. "
            "Evidence that is documented or evaluated needs a source."
        ),
    ),
    "translations": (
        _("Translations"),
        _("Translation"),
        _("Add a translation"),
        _(
            "The record stays as written, in the language of its text. A translation of its "
            "title, summary and description is shown to readers who use the portal in that "
            "language; other readers see the original text."
        ),
    ),
    "outcome_translations": (
        _("Translations of the outcomes"),
        _("Outcome translation"),
        _("Add an outcome translation"),
        _(
            "An outcome's title and what changed, in another language, shown to readers of "
            "that language."
        ),
    ),
    "lesson_translations": (
        _("Translations of the lessons"),
        _("Lesson translation"),
        _("Add a lesson translation"),
        _("A lesson in another language, shown to readers of that language."),
    ),
}

# Menus that name a row of another part, which may be one typed in the same sitting:
# (part, field) -> the part named. The part named is written first (see ``ROW_PARTS``).
REFERENCES = {
    ("indicators", "outcome"): "outcomes",
    ("outcome_translations", "outcome"): "outcomes",
    ("lesson_translations", "lesson"): "lessons",
    ("evidence", "source"): "sources",
}


@dataclass(frozen=True)
class Section:
    """A section of the editor's page, as its list of sections names it: its id on the page,
    the record's fields and repeating parts it holds, and whether it may be left empty."""

    id: str
    label: Promise
    fields: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    optional: bool = False

    def holds(self, anchor: str) -> bool:
        """Whether a completeness gap's ``anchor`` (an id on the page) is in this section."""
        return (
            anchor == self.id
            or anchor in self.parts
            or anchor.removeprefix("id_") in self.fields
            or any(anchor.startswith(f"{part}-") for part in self.parts)
        )


# The sections of the editor's page, in its order.
SECTIONS = (
    Section(
        "basics",
        _("Basics"),
        fields=(
            "owner",
            "title",
            "summary",
            "description",
            "language",
            "activity_status",
            "cooperation_type",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "start_year",
            "end_year",
        ),
    ),
    Section("countries", _("Countries"), parts=("countries",)),
    Section("participants", _("Organisations"), parts=("participants",)),
    Section("themes", _("Sectors and SDGs"), fields=("sectors", "sdg_goals")),
    Section(
        "context",
        _("Modalities and context"),
        fields=("modalities", "is_fragile_state", "is_post_disaster", "is_conflict_affected"),
    ),
    Section(
        "government",
        _("Government and coordination"),
        fields=(
            "provider_government_involvement",
            "recipient_government_involvement",
            "coordinates_with_other_donors",
            "coordination_note",
        ),
    ),
    Section("funding", _("Funding"), parts=("funding", "nonmonetary")),
    Section("outcomes", _("Outcomes"), parts=("outcomes", "indicators")),
    Section("practices", _("Practices used"), parts=("practices",), optional=True),
    Section("lessons", _("Lessons learned"), parts=("lessons",), optional=True),
    Section("sources", _("Sources"), parts=("sources",)),
    Section("evidence", _("Principle evidence"), parts=("evidence",)),
    Section(
        "translations",
        _("Translations"),
        parts=("translations", "outcome_translations", "lesson_translations"),
        optional=True,
    ),
)


@dataclass(frozen=True)
class SectionState:
    """A section as the list of sections shows it: ``state`` is "attention" (a note after
    saving), "todo" (a gap of the record's completeness), "optional" (a gap of a section
    that may stay empty) or "complete"."""

    section: Section
    state: str

    STATE_WORDS = {
        "complete": pgettext_lazy("state of a section of the form", "complete"),
        "attention": pgettext_lazy("state of a section of the form", "needs attention"),
        "todo": pgettext_lazy("state of a section of the form", "to do"),
        "optional": pgettext_lazy("state of a section of the form", "optional"),
    }

    @property
    def id(self) -> str:
        return self.section.id

    @property
    def label(self) -> Promise:
        return self.section.label

    @property
    def words(self) -> Promise:
        return self.STATE_WORDS[self.state]


@dataclass(frozen=True)
class Progress:
    """The sections' states, and how many of the sections that count are complete."""

    sections: list[SectionState]
    completeness: Completeness

    @property
    def counted(self) -> int:
        return sum(1 for state in self.sections if not state.section.optional)

    @property
    def complete(self) -> int:
        return sum(
            1 for state in self.sections if not state.section.optional and state.state == "complete"
        )


@dataclass
class Part:
    """A repeating part as the page shows it."""

    formset: object
    heading: Promise
    row_label: Promise
    add_label: Promise
    help: Promise

    @property
    def prefix(self) -> str:
        return self.formset.prefix


@dataclass
class Problem:
    """An entry of the page's list of problems: what is wrong and the field it links to."""

    anchor: str
    label: str
    message: str


def _new_rows(formset, *label_fields: str) -> NewRowChoices:
    """The rows of ``formset`` typed in this sitting, not removed, and named by one of
    ``label_fields``: other parts' menus offer them before they are saved."""

    def read():
        if formset is None or not formset.is_bound:
            return []
        choices = []
        for index, form in enumerate(formset.forms):
            if index < formset.initial_form_count() or form.instance.pk is not None:
                continue
            if formset.can_delete and form["DELETE"].data:
                continue
            name = next(
                (
                    str(form[field].data).strip()
                    for field in label_fields
                    if str(form[field].data or "").strip()
                ),
                "",
            )
            if name:
                choices.append(
                    (form.prefix, gettext("%(name)s (new, not saved yet)") % {"name": name[:80]})
                )
        return choices

    return NewRowChoices(read)


def organisations_of(user):
    return Organisation.objects.filter(memberships__user=user).order_by("name")


class InitiativeEditor:
    """Binds the record's form and formsets to submitted data.

    ``parts`` names the formsets to include (all of them by default, plus ``indicators`` and
    ``outcome_translations`` and ``lesson_translations``); parts left out are neither
    validated nor changed.
    """

    def __init__(
        self,
        *,
        user,
        initiative: Initiative,
        data=None,
        files=None,
        parts: Collection[str] | None = None,
    ):
        saved = initiative.pk is not None
        self.user = user
        self.form = InitiativeForm(
            data, files, instance=initiative, organisations=organisations_of(user)
        )
        sources = initiative.sources.all() if saved else initiative.sources.model.objects.none()
        outcomes = initiative.outcomes.all() if saved else initiative.outcomes.model.objects.none()
        lessons = initiative.lessons.all() if saved else initiative.lessons.model.objects.none()
        # Organisations to pick from: only those the editor may see, so that one proposed
        # in another organisation's draft stays as private as the draft.
        organisations = Organisation.objects.visible_to(user).order_by("name")
        # Read when a row's menu is first drawn or checked, by then from the bound parts.
        self.new_rows = {
            "outcomes": NewRowChoices(lambda: self._new_rows("outcomes", "title").choices),
            "sources": NewRowChoices(lambda: self._new_rows("sources", "citation", "url").choices),
            "lessons": NewRowChoices(lambda: self._new_rows("lessons", "text").choices),
        }
        extra_kwargs = {
            "evidence": {
                "menus": RowMenus(source=sources, new_rows={"source": self.new_rows["sources"]})
            },
            "participants": {
                "menus": RowMenus(actor=organisations, by_name=["actor"]),
                "by": user,
            },
            "funding": {
                "menus": RowMenus(funder=organisations, funding_model=None, by_name=["funder"])
            },
            "practices": {
                "menus": RowMenus(
                    practice=Practice.objects.offered_to(user).order_by("name"),
                    learned_from=Initiative.objects.visible_to(user)
                    .exclude(pk=initiative.pk)
                    .only("pk", "title")
                    .order_by("title"),
                    by_name=["practice", "learned_from"],
                )
            },
            "lessons": {
                "menus": RowMenus(
                    theme=Theme.objects.all(),
                    practice=Practice.objects.visible_to(user).order_by("name"),
                    by_name=["theme"],
                )
            },
        }
        self.formsets = {
            prefix: formset_class(
                data,
                files,
                instance=initiative,
                prefix=prefix,
                form_kwargs=extra_kwargs.get(prefix, {}),
            )
            for prefix, formset_class in FORMSETS.items()
            if parts is None or prefix in parts
        }
        self.indicators = None
        if parts is None or "indicators" in parts:
            self.indicators = IndicatorFormSet(
                data,
                prefix="indicators",
                queryset=Indicator.objects.filter(outcome__in=outcomes)
                if saved
                else outcomes.none(),
                form_kwargs={
                    "menus": RowMenus(
                        outcome=outcomes, new_rows={"outcome": self.new_rows["outcomes"]}
                    )
                },
            )
        self.outcome_translations = None
        if parts is None or "outcome_translations" in parts:
            self.outcome_translations = self._row_translations(
                OutcomeTranslationFormSet, "outcome", outcomes, initiative, data=data
            )
        self.lesson_translations = None
        if parts is None or "lesson_translations" in parts:
            self.lesson_translations = self._row_translations(
                LessonTranslationFormSet, "lesson", lessons, initiative, data=data
            )

    def _row_translations(self, formset_class, row: str, rows, initiative: Initiative, *, data):
        """The formset of the translations of the record's ``rows`` (outcomes, lessons), each
        naming its ``row``; rows typed in this sitting are offered in its menu."""
        model = formset_class.model
        return formset_class(
            data,
            prefix=f"{row}_translations",
            queryset=model.objects.filter(**{f"{row}__in": rows}).order_by(
                f"{row}__position", row, "language"
            )
            if initiative.pk is not None
            else model.objects.none(),
            initiative=initiative,
            form_kwargs={
                "menus": RowMenus(**{row: rows}, new_rows={row: self.new_rows[f"{row}s"]})
            },
        )

    def _new_rows(self, prefix: str, *label_fields: str) -> NewRowChoices:
        return _new_rows(self.formsets.get(prefix), *label_fields)

    @property
    def outcome_parts(self) -> dict:
        """The formsets of rows that name an outcome, by the part they write."""
        return {
            part: formset
            for part, formset in [
                ("indicators", self.indicators),
                ("outcome_translations", self.outcome_translations),
            ]
            if formset is not None
        }

    @property
    def lesson_parts(self) -> dict:
        """The formsets of rows that name a lesson, by the part they write."""
        if self.lesson_translations is None:
            return {}
        return {"lesson_translations": self.lesson_translations}

    @property
    def row_parts(self) -> dict:
        """The formsets of rows that name a row of another part, by the part they write."""
        return {**self.outcome_parts, **self.lesson_parts}

    @property
    def all_formsets(self):
        return [*self.formsets.values(), *self.row_parts.values()]

    @property
    def parts(self) -> dict[str, Part]:
        """The repeating parts included, by prefix, in the order the page shows them."""
        formsets = {**self.formsets, **self.row_parts}
        return {
            prefix: Part(formsets[prefix], *texts)
            for prefix, texts in PART_TEXTS.items()
            if formsets.get(prefix) is not None
        }

    def is_valid(self) -> bool:
        # The record's form first: once valid, the record holds the language as posted,
        # which its translations are checked against. Then every part, so that each one
        # shows its own notes.
        form_valid = self.form.is_valid()
        formsets_valid = [formset.is_valid() for formset in self.all_formsets]
        rows_valid = [self._outcome_rows_valid(), self._new_rows_valid()]
        return form_valid and all(formsets_valid) and all(rows_valid)

    def _referring_forms(self):
        """(form, field, part named) for each kept row whose menu names a row of another
        part."""
        parts = {**self.formsets, **self.row_parts}
        for (part, field), named in REFERENCES.items():
            if parts.get(part) is not None and parts.get(named) is not None:
                for form in parts[part].kept_forms():
                    yield form, field, parts[named]

    def _new_rows_valid(self) -> bool:
        """A row naming a row typed in this sitting is saved only with it: if that one has
        notes, so does this (it is offered only while typed and kept; see ``_new_rows``)."""
        valid = True
        for form, field, named in self._referring_forms():
            value = form.cleaned_data.get(field)
            if not isinstance(value, NewRow):
                continue
            target = next((other for other in named.forms if other.prefix == value.key), None)
            if target is None or target.errors:
                add_notes(form, {field: gettext("The new row chosen here needs attention first.")})
                valid = False
        return valid

    def _outcome_rows_valid(self) -> bool:
        """Rows kept for an outcome (or a lesson) that is being removed get a note (the
        outcome's rows go with it)."""
        valid = True
        for named, referring, rule in [
            ("outcomes", self.outcome_parts, removed_outcome_notes),
            ("lessons", self.lesson_parts, removed_lesson_notes),
        ]:
            rows = self.formsets.get(named)
            if rows is None:
                continue
            removed = {form.instance.pk for form in rows.deleted_forms if form.instance.pk}
            for formset in referring.values():
                for form in formset.kept_forms():
                    notes = rule(form.cleaned_data, removed)
                    add_notes(form, notes)
                    valid = valid and not notes
        return valid

    def without_notes(self) -> "InitiativeEditor":
        """Show the typed values without validating them (after "add a row": the person has
        not asked to save yet, so nothing is wrong yet)."""
        self.form._errors = ErrorDict()
        for formset in self.all_formsets:
            formset._errors = [ErrorDict() for _form in formset.forms]
            formset._non_form_errors = formset.error_class()
            for form in formset.forms:
                form._errors = ErrorDict()
        return self

    def save(self, *, expected_version: int | None) -> Initiative:
        """Save what was posted (after :meth:`is_valid`) through the service."""
        relations = {
            field.name: self.form.cleaned_data[field.name]
            for field in Initiative._meta.many_to_many
            if field.name in self.form.cleaned_data
        }
        positions: dict[str, int] = {}
        rows = {
            prefix: formset_rows(formset, positions) for prefix, formset in self.formsets.items()
        }
        for part, formset in self.row_parts.items():
            rows[part] = formset_rows(formset)
        # A row typed in this sitting is named by the place of its row among its part's.
        for part_rows in rows.values():
            for row in part_rows:
                for name, value in row.items():
                    if isinstance(value, NewRow):
                        row[name] = services.EarlierRow(
                            value.key.rpartition("-")[0], positions[value.key]
                        )
        shares = self.form.sector_shares()

        def save_sector_shares(initiative: Initiative) -> None:
            for code, share in shares.items():
                initiative.sector_links.filter(sector_id=code).update(share=share)

        return services.initiative_save(
            initiative=self.form.instance,
            by=self.user,
            expected_version=expected_version,
            relations=relations,
            rows=rows,
            save_related=save_sector_shares if shares else None,
        )

    def show_new_row(self, prefix: str) -> None:
        """Show the row just added at the end of ``prefix`` as a new row is first shown (with
        its fields' defaults: nothing was posted for it) and put the focus on its first
        field."""
        part = self.parts.get(prefix)
        if part is None or not part.formset.forms:
            return
        row = part.formset.forms[-1]
        posted = any(name.startswith(f"{row.prefix}-") for name in row.data)
        if row.instance.pk is not None or posted:
            return  # not a new row: the part was already full
        row.is_bound = False
        for field in row.visible_fields():
            if field.name != "DELETE":
                field.field.widget.attrs["autofocus"] = True
                return

    def menus_naming(self, prefix: str) -> list[str]:
        """The menus of other parts that offer rows of ``prefix``, each drawn to replace the
        one on the page (htmx's out-of-band swap, by id)."""
        parts = self.parts
        return [
            form[field].as_widget(attrs={"hx-swap-oob": "true"})
            for (part, field), named in REFERENCES.items()
            if named == prefix and part in parts
            for form in parts[part].formset.forms
        ]

    def problems(self) -> list[Problem]:
        """Every note on the page, in the page's order, each linked to its field (or its row
        or part when it concerns them as a whole)."""
        problems = [Problem("basics", "", str(message)) for message in self.form.non_field_errors()]
        for name, field in self.form.fields.items():
            bound = self.form[name]
            for message in bound.errors:
                problems.append(Problem(_anchor(bound), str(field.label), str(message)))
        for part in self.parts.values():
            formset = part.formset
            for message in formset.non_form_errors():
                problems.append(Problem(part.prefix, str(part.heading), str(message)))
            for number, form in enumerate(formset.forms, start=1):
                row = f"{part.row_label} {number}"
                for message in form.non_field_errors():
                    problems.append(Problem(form.prefix, row, str(message)))
                for name in form.fields:
                    bound = form[name]
                    for message in bound.errors:
                        problems.append(
                            Problem(_anchor(bound), f"{row}: {bound.label}", str(message))
                        )
        return problems

    def _sections_with_notes(self) -> set[str]:
        """The ids of the sections holding a field, row or part with a note."""
        anchors = set()
        if self.form.is_bound:
            if self.form.non_field_errors():
                anchors.add("basics")
            anchors.update(f"id_{name}" for name in self.form.errors if name != "__all__")
        for part in self.parts.values():
            formset = part.formset
            if not formset.is_bound:
                continue
            if formset.non_form_errors() or any(form.errors for form in formset.forms):
                anchors.add(part.prefix)
        return {section.id for section in SECTIONS if any(map(section.holds, anchors))}

    def _has_rows(self, section: Section) -> bool:
        """Whether the record has saved rows in one of ``section``'s parts shown here."""
        parts = self.parts
        return any(
            parts[part].formset.initial_form_count() for part in section.parts if part in parts
        )

    def progress(self) -> Progress:
        """Each section's state: a note after saving, then what the record lacks for a
        submission or a good record (as last saved; see ``initiatives.completeness``)."""
        record = completeness(self.form.instance)
        with_notes = self._sections_with_notes()
        states = []
        for section in SECTIONS:
            if section.id in with_notes:
                state = "attention"
            elif self.form.instance.pk is None:
                # Nothing of a record not saved yet is done.
                state = "optional" if section.optional else "todo"
            elif section.optional and not self._has_rows(section):
                state = "optional"  # nothing there yet, and nothing needed
            elif any(map(section.holds, record.required)) or any(
                section.holds(gap.anchor) for gap in record.gaps
            ):
                state = "optional" if section.optional else "todo"
            else:
                state = "complete"
            states.append(SectionState(section, state))
        return Progress(sections=states, completeness=record)

    def context(self) -> dict:
        return {
            "progress": self.progress(),
            "form": self.form,
            "formsets": self.formsets,
            "indicators": self.indicators,
            "outcome_translations": self.outcome_translations,
            "lesson_translations": self.lesson_translations,
            "parts": self.parts,
        }


def _anchor(bound) -> str:
    """The id of a field's input (the first one of a group of checkboxes)."""
    return bound.id_for_label or bound.auto_id
