"""The initiative form and its formsets as one unit: the editor's page validates what was
posted with them and saves it through ``services.initiative_save`` (the write API checks the
same rules, ``initiatives.rules``, and saves through the same service)."""

from collections.abc import Collection

from django.forms.utils import ErrorDict

from initiatives import services
from initiatives.editor.forms import (
    FORMSETS,
    IndicatorFormSet,
    InitiativeForm,
    OutcomeTranslationFormSet,
    RowMenus,
    add_notes,
)
from initiatives.formsets import formset_rows
from initiatives.models import Indicator, Initiative, OutcomeTranslation
from initiatives.rules import removed_outcome_notes
from organisations.models import Organisation


def organisations_of(user):
    return Organisation.objects.filter(memberships__user=user).order_by("name")


class InitiativeEditor:
    """Binds the record's form and formsets to submitted data.

    ``parts`` names the formsets to include (all of them by default, plus ``indicators`` and
    ``outcome_translations``); parts left out are neither validated nor changed.
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
        # Organisations to pick from: only those the editor may see, so that one proposed
        # in another organisation's draft stays as private as the draft.
        organisations = Organisation.objects.visible_to(user).order_by("name")
        extra_kwargs = {
            "evidence": {"menus": RowMenus(source=sources)},
            "participants": {
                "menus": RowMenus(actor=organisations, by_name=["actor"]),
                "by": user,
            },
            "funding": {
                "menus": RowMenus(funder=organisations, funding_model=None, by_name=["funder"])
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
                form_kwargs={"menus": RowMenus(outcome=outcomes)},
            )
        self.outcome_translations = None
        if parts is None or "outcome_translations" in parts:
            self.outcome_translations = OutcomeTranslationFormSet(
                data,
                prefix="outcome_translations",
                queryset=OutcomeTranslation.objects.filter(outcome__in=outcomes).order_by(
                    "outcome__position", "outcome", "language"
                )
                if saved
                else OutcomeTranslation.objects.none(),
                initiative=initiative,
                form_kwargs={"menus": RowMenus(outcome=outcomes)},
            )

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
    def all_formsets(self):
        return [*self.formsets.values(), *self.outcome_parts.values()]

    def is_valid(self) -> bool:
        # The record's form first: once valid, the record holds the language as posted,
        # which its translations are checked against. Then every part, so that each one
        # shows its own notes.
        form_valid = self.form.is_valid()
        formsets_valid = [formset.is_valid() for formset in self.all_formsets]
        return form_valid and all(formsets_valid) and self._outcome_rows_valid()

    def _outcome_rows_valid(self) -> bool:
        """Rows kept for an outcome that is being removed get a note (the outcome's rows
        go with it)."""
        outcomes = self.formsets.get("outcomes")
        if outcomes is None:
            return True
        removed = {form.instance.pk for form in outcomes.deleted_forms if form.instance.pk}
        valid = True
        for formset in self.outcome_parts.values():
            for form in formset.kept_forms():
                notes = removed_outcome_notes(form.cleaned_data, removed)
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
        rows = {prefix: formset_rows(formset) for prefix, formset in self.formsets.items()}
        for part, formset in self.outcome_parts.items():
            rows[part] = formset_rows(formset)
        return services.initiative_save(
            initiative=self.form.instance,
            by=self.user,
            expected_version=expected_version,
            relations=relations,
            rows=rows,
        )

    def context(self) -> dict:
        return {
            "form": self.form,
            "formsets": self.formsets,
            "indicators": self.indicators,
            "outcome_translations": self.outcome_translations,
        }
