"""Forms of the editor's initiative page: the record itself and one formset per repeating part.

The forms check the shape of what is posted; the rules of the content are in
``initiatives.rules`` (the write API checks the same ones), and the page saves through
``initiatives.services`` (see ``InitiativeEditor``)."""

import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.forms import BaseInlineFormSet, BaseModelFormSet, inlineformset_factory
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language, gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from funding.models import FundingContribution
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    InitiativeTranslation,
    NonMonetaryContribution,
    Outcome,
    OutcomeTranslation,
    Participation,
    Source,
)
from initiatives.rules import (
    MAX_ROWS,
    country_rows_notes,
    evidence_row_notes,
    evidence_rows_notes,
    funding_row_notes,
    initiative_notes,
    lesson_translation_rows_notes,
    non_monetary_row_notes,
    outcome_translation_rows_notes,
    participant_row_notes,
    participant_rows_notes,
    sources_removal_notes,
    translation_rows_notes,
)
from initiatives.uploads import DOCUMENT_EXTENSIONS
from learning.models import Lesson, LessonTranslation, PracticeUse
from organisations.models import OrganisationType
from principles.models import PrincipleEvidence
from reference.iati import language_choices
from reference.models import Country, Sector

# Menus too long to scroll: static/js/pickers.js turns the selects that carry this attribute
# into searchable pickers (Tom Select) where the script is available.
# The words the picker says are the page's.
PICKER = {
    "data-picker": "",
    "data-picker-none": _("No match: try another part of the name."),
    "data-picker-remove": _("Remove"),
}


def name_key(name) -> str:
    """A name's place in an alphabetical list in any of the portal's languages: accents and
    case do not count ("Égypte" comes among the E)."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def by_name(choices) -> list:
    """(value, name) pairs sorted by their names as read in the active language."""
    return sorted(((value, str(name)) for value, name in choices), key=lambda c: name_key(c[1]))


def language_name(code: str, name) -> str:
    """A record language's name in the active language: the codelist gives most names in
    English only, Django's own catalogue has the common languages in the portal's."""
    english = LANG_INFO.get(code, {}).get("name")
    if english and not (get_language() or "en").startswith("en"):
        translated = gettext(english)
        if translated != english:
            return translated
    return str(name)


def languages_by_name(*, blank: bool) -> list:
    """The record languages, named and sorted in the active language."""
    named = [(code, language_name(code, name)) for code, name in language_choices()]
    return [*([("", "---------")] if blank else []), *by_name(named)]


# Labels that say in words which fields are required.
LABEL_TEMPLATE = "initiatives/editor/_label.html"


class _OptionsReadOnce(BaseChoiceIterator):
    """A model field's options, read from the database the first time a menu is drawn and
    then kept (see ``RowMenus``)."""

    def __init__(self, field: forms.ModelChoiceField, *, by_name: bool = False):
        self.field, self.options, self.by_name = field, None, by_name

    def __iter__(self):
        if self.options is None:
            options = list(self.field.iterator(self.field))
            if self.by_name:
                blank = [option for option in options if option[0] == ""]
                named = [option for option in options if option[0] != ""]
                options = [*blank, *sorted(named, key=lambda option: name_key(option[1]))]
            self.options = options
        return iter(self.options)


@dataclass(frozen=True)
class NewRow:
    """A row of another part typed in the same sitting and not saved yet, named by its
    form's prefix (``outcomes-2``); the page offers it as ``new:outcomes-2`` and the editor
    saves it before the rows that refer to it (see ``InitiativeEditor.save``)."""

    key: str

    VALUE_PREFIX = "new:"

    @property
    def value(self) -> str:
        return f"{self.VALUE_PREFIX}{self.key}"


class NewRowChoices:
    """The rows of a part typed but not saved yet, offered in another part's menus:
    ``read`` gives them, as (key, label) pairs, when first asked (the part's rows are then
    bound to what was posted)."""

    def __init__(self, read: Callable[[], list[tuple[str, str]]] | None = None):
        self.read, self._choices = read, None

    @property
    def choices(self) -> dict[str, str]:
        if self._choices is None:
            self._choices = dict(self.read()) if self.read else {}
        return self._choices


class RowReferenceField(forms.ModelChoiceField):
    """A menu of the record's own rows of a part (an outcome, a source) that also offers
    the rows of that part typed in the same sitting (``new_rows``): one of those is given
    as a ``NewRow``."""

    default_error_messages = {
        "new_row_gone": _("The new row chosen here has been removed or left empty: choose again."),
    }

    new_rows = NewRowChoices()

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(NewRow.VALUE_PREFIX):
            key = value.removeprefix(NewRow.VALUE_PREFIX)
            if key not in self.new_rows.choices:
                raise forms.ValidationError(
                    self.error_messages["new_row_gone"], code="new_row_gone"
                )
            return NewRow(key)
        return super().to_python(value)

    def prepare_value(self, value):
        return value.value if isinstance(value, NewRow) else super().prepare_value(value)


def add_notes(form: forms.BaseForm, notes: dict[str, str]) -> None:
    for field, note in notes.items():
        form.add_error(field, note)


class _WithNewRows(BaseChoiceIterator):
    """A menu's options followed by the rows typed but not saved yet (``NewRowChoices``)."""

    def __init__(self, options: _OptionsReadOnce, new_rows: NewRowChoices):
        self.options, self.new_rows = options, new_rows

    def __iter__(self):
        yield from self.options
        for key, label in self.new_rows.choices.items():
            yield NewRow(key).value, label


class RowMenus:
    """The menus that every row of a repeating part offers alike (the organisations, the
    funding models, the record's sources or outcomes), read once per page instead of once
    per row. ``querysets`` maps a field to what it offers; ``None`` keeps the model's own.
    Each row's field still validates what is posted against its queryset. ``new_rows``
    maps a field (a ``RowReferenceField``) to the rows typed in the same sitting it offers
    too."""

    def __init__(
        self,
        new_rows: dict[str, "NewRowChoices"] | None = None,
        by_name: Collection[str] = (),
        **querysets,
    ):
        """``by_name``: the fields whose options are sorted by name (accents and case
        aside), rather than in the queryset's order."""
        self.querysets = querysets
        self.new_rows = new_rows or {}
        self.by_name = set(by_name)
        self.options: dict[str, BaseChoiceIterator] = {}

    def apply(self, form: forms.BaseForm) -> None:
        for name, queryset in self.querysets.items():
            field = form.fields[name]
            if queryset is not None:
                field.queryset = queryset
            options = _OptionsReadOnce(field, by_name=name in self.by_name)
            if name in self.new_rows:
                field.new_rows = self.new_rows[name]
                field.choices = self.options.setdefault(
                    name, _WithNewRows(options, self.new_rows[name])
                )
            else:
                field.choices = self.options.setdefault(name, options)


class CountryChoiceField(forms.ModelChoiceField):
    """A country picked by name; the names (translated, sorted) come from django-countries,
    so building the list costs no query."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Country.objects.all(), label=_("Country"), **kwargs)

    @property
    def choices(self):
        return [("", "---------"), *countries]

    @choices.setter
    def choices(self, value):
        pass


def country_field(**kwargs) -> CountryChoiceField:
    return CountryChoiceField(widget=forms.Select(attrs=PICKER), **kwargs)


class SectorField(forms.ModelMultipleChoiceField):
    """DAC sectors grouped by their category, so the long list can be scanned: categories
    and sectors sorted by their names in the active language, each sector's code after its
    name (a picker finds a sector by either)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Sector.objects.filter(is_active=True), **kwargs)
        groups: dict[str, list] = {}
        for sector in Sector.objects.filter(is_active=True):
            groups.setdefault(sector.local_category_name, []).append(
                (sector.pk, f"{sector.local_name} ({sector.code})")
            )
        self.choices = [
            (category, sorted(options, key=lambda option: name_key(option[1])))
            for category, options in sorted(groups.items(), key=lambda group: name_key(group[0]))
        ]


SECTOR_SHARE_PREFIX = "sector_share_"


class InitiativeForm(forms.ModelForm):
    """The record's own fields; ``version`` carries the version the editor started from.

    Each sector the record has gets a share input (``sector_share_<code>``): a sector chosen
    in this sitting gets its input once saved, so the page needs no script."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    template_name_label = LABEL_TEMPLATE

    class Meta:
        model = Initiative
        fields = ["owner", *Initiative.EDITABLE_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "coordination_note": forms.Textarea(attrs={"rows": 3}),
            "planned_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planned_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actual_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actual_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sdg_goals": forms.CheckboxSelectMultiple,
            "modalities": forms.CheckboxSelectMultiple,
            "coordinates_with_other_donors": forms.Select(
                choices=[("unknown", _("Not known")), ("true", _("Yes")), ("false", _("No"))]
            ),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"] = SectorField(
            required=False,
            label=_("Sectors"),
            help_text=_("OECD DAC purpose codes. Hold Ctrl (or ⌘) to choose several."),
            widget=forms.SelectMultiple(attrs={"size": 10, **PICKER}),
        )
        self.fields["language"].choices = languages_by_name(blank=False)
        self.fields["language"].widget.attrs.update(PICKER)
        if self.instance.pk:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = organisations
            self.fields["owner"].empty_label = None
        self.fields["coordinates_with_other_donors"] = forms.NullBooleanField(
            required=False,
            label=self.fields["coordinates_with_other_donors"].label,
            widget=self.Meta.widgets["coordinates_with_other_donors"],
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.sector_share_names: dict[str, str] = {}
        if self.instance.pk:
            links = self.instance.sector_links.select_related("sector").order_by("sector")
            for link in links:
                name = SECTOR_SHARE_PREFIX + link.sector_id
                self.fields[name] = forms.DecimalField(
                    required=False,
                    min_value=0,
                    max_value=100,
                    max_digits=5,
                    decimal_places=2,
                    label=_("Share of %(sector)s (%%)") % {"sector": link.sector.local_name},
                    widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                )
                self.initial[name] = link.share
                self.sector_share_names[link.sector_id] = name

    def sector_share_fields(self) -> list:
        """The share inputs of the record's sectors, for the page."""
        return [self[name] for name in self.sector_share_names.values()]

    def sector_shares(self) -> dict[str, object]:
        """The share posted for each of the record's sectors (``None`` when left empty)."""
        return {code: self.cleaned_data.get(name) for code, name in self.sector_share_names.items()}

    def clean(self):
        cleaned = super().clean()
        add_notes(self, initiative_notes(cleaned))
        return cleaned


class RowCountsChecked:
    """Refuses negative row counts in the hidden management fields. Django reads them as
    "no rows" and would save the record without that part; only a tampered page sends them.
    Too many rows are refused in words an editor knows (Django speaks of "forms")."""

    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "This part can hold at most %(num)d row.",
            "This part can hold at most %(num)d rows.",
            "num",
        ),
    }

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self.management_form.is_valid():
            return  # Django has already said the counts are missing or not numbers
        counts = self.management_form.cleaned_data
        if min(counts[TOTAL_FORM_COUNT], counts[INITIAL_FORM_COUNT]) < 0:
            self._non_form_errors.append(
                forms.ValidationError(
                    _("The page sent row counts that cannot be right. Reload it and try again."),
                    code="negative_row_count",
                )
            )


class RowsKept:
    def kept_forms(self) -> list[forms.BaseForm]:
        """The rows that stay: saved or filled in, and not removed."""
        return [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk) and not self._should_delete_form(form)
        ]


class RowsFormSet(RowCountsChecked, RowsKept, BaseInlineFormSet):
    pass


def rows_checked_by(rows_notes):
    """A formset whose kept rows are checked together by ``rows_notes`` (a rule of
    ``initiatives.rules`` giving the notes of each row)."""

    class RowsCheckedFormSet(RowsFormSet):
        def clean(self):
            super().clean()
            kept = self.kept_forms()
            for form, notes in zip(
                kept, rows_notes([form.cleaned_data for form in kept]), strict=True
            ):
                add_notes(form, notes)

    return RowsCheckedFormSet


class EvidenceFormSet(rows_checked_by(evidence_rows_notes)):
    """Evidence rows, each showing whether a partner confirmed or disputed it."""

    def __init__(self, *args, queryset=None, **kwargs):
        if queryset is None:
            queryset = PrincipleEvidence.objects.select_related("confirmed_by_organisation")
        super().__init__(*args, queryset=queryset, **kwargs)


class CheckedTogether:
    """A row whose unique values are checked with the other rows of its part (by
    ``TranslationsChecked``), against what they will be once saved rather than what they are
    now: two rows may swap their languages. (The language field still checks its choices.)"""

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "language"}

    def validate_unique(self):
        pass


class TranslationsChecked(RowsKept):
    """Translations, checked together by ``rows_notes`` (a rule of ``initiatives.rules``)
    against the language the record is written in. The record is ``initiative``; once its
    own form is valid, that holds the language as posted (see ``InitiativeEditor.is_valid``
    and the admin, which build or check the rows after the record's form)."""

    rows_notes = None
    initiative: Initiative

    def validate_unique(self):
        """The rule's note says it where Django would say "duplicate values"."""

    def clean(self):
        super().clean()
        kept = self.kept_forms()
        # Saved rows the page did not post stay as they are (see ``formset_rows``): they
        # come first, so that a posted row repeating one gets the note.
        posted = {form.instance.pk for form in self.forms if form.instance.pk}
        unposted = [
            {
                name: getattr(row, name)
                for name in ["language", "outcome", "lesson"]
                if hasattr(row, name)
            }
            for row in self.get_queryset()
            if row.pk not in posted
        ]
        notes = type(self).rows_notes(
            [*unposted, *(form.cleaned_data for form in kept)],
            original_language=self.initiative.language,
        )
        for form, row_notes in zip(kept, notes[len(unposted) :], strict=True):
            add_notes(form, row_notes)


class TranslationFormSet(TranslationsChecked, RowsFormSet):
    rows_notes = staticmethod(translation_rows_notes)

    @property
    def initiative(self):
        return self.instance


class CountryLinkFormSet(RowsFormSet):
    def clean(self):
        super().clean()
        kept = self.kept_forms()
        row_notes, part_notes = country_rows_notes([form.cleaned_data for form in kept])
        for form, notes in zip(kept, row_notes, strict=True):
            add_notes(form, notes)
        if part_notes:
            raise forms.ValidationError(part_notes)


class RowForm(forms.ModelForm):
    """A row of a repeating part. ``menus`` fill the menus the part's rows share (see
    ``RowMenus``); ``notes`` gives what the rules of ``initiatives.rules`` say of the row."""

    template_name_label = LABEL_TEMPLATE

    def __init__(self, *args, menus: RowMenus | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if menus is not None:
            menus.apply(self)

    def notes(self, cleaned: dict) -> dict[str, str]:
        return {}

    _new_rows: dict = {}

    def _get_validation_exclusions(self):
        # A row typed in the same sitting is not in the database yet: the model cannot
        # check it (the editor does, see ``InitiativeEditor``).
        return {*super()._get_validation_exclusions(), *self._new_rows}

    def _post_clean(self):
        self._new_rows = {
            name: value for name, value in self.cleaned_data.items() if isinstance(value, NewRow)
        }
        for name in self._new_rows:
            del self.cleaned_data[name]
        try:
            super()._post_clean()
        finally:
            self.cleaned_data.update(self._new_rows)

    def clean(self):
        cleaned = super().clean()
        add_notes(self, self.notes(cleaned))
        return cleaned


class CountryLinkForm(RowForm):
    class Meta:
        model = InitiativeCountry
        fields = InitiativeCountry.EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = country_field()


class ParticipationForm(RowForm):
    """Pick an organisation already in the portal, or propose a new one by name."""

    new_organisation_name = forms.CharField(
        label=_("…or a new organisation's name"), required=False, max_length=200
    )
    new_organisation_type = forms.ChoiceField(
        label=_("its type"), choices=[("", "---------"), *OrganisationType.choices], required=False
    )
    new_organisation_country = country_field(required=False)

    class Meta:
        model = Participation
        fields = Participation.EDITABLE_FIELDS

    def __init__(self, *args, by, **kwargs):
        """``menus``: the organisations the editor may pick (see ``InitiativeEditor``);
        ``by``: the editor, who may propose a new one."""
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["actor"].required = False
        self.fields["actor"].widget.attrs.update(PICKER)
        self.fields["new_organisation_country"].label = _("its home country")

    def notes(self, cleaned):
        return participant_row_notes(cleaned, by=self.by)


class FundingForm(RowForm):
    class Meta:
        model = FundingContribution
        fields = FundingContribution.EDITABLE_FIELDS
        widgets = {
            "funder": forms.Select(attrs=PICKER),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def notes(self, cleaned):
        return funding_row_notes(cleaned)


class SourceForm(RowForm):
    class Meta:
        model = Source
        fields = Source.EDITABLE_FIELDS
        widgets = {
            # The browser's file picker offers only the accepted kinds; the server checks
            # the content whatever the browser sends.
            "document": forms.ClearableFileInput(
                attrs={"accept": ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)}
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages_by_name(blank=True)
        self.fields["language"].widget.attrs.update(PICKER)
        self.fields["document"].help_text = _(
            "PDF, DOCX, ODT or an image (PNG, JPEG, WebP), up to %(limit)s MB."
        ) % {"limit": settings.MAX_DOCUMENT_MB}


class SourceFormSet(RowsFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            for note in sources_removal_notes([form.instance]):
                form.add_error(None, note)


class EvidenceForm(RowForm):
    class Meta:
        model = PrincipleEvidence
        fields = PrincipleEvidence.EDITABLE_FIELDS
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"source": RowReferenceField}
        help_texts = {
            "source": _(
                "Sources typed above are listed here as soon as they have a citation or a link."
            )
        }

    def notes(self, cleaned):
        return evidence_row_notes(cleaned)


class OutcomeForm(RowForm):
    class Meta:
        model = Outcome
        fields = Outcome.EDITABLE_FIELDS
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(RowForm):
    class Meta:
        model = Indicator
        fields = ["outcome", *Indicator.EDITABLE_FIELDS]
        field_classes = {"outcome": RowReferenceField}
        help_texts = {
            "outcome": _("Outcomes typed above are listed here as soon as they have a title.")
        }


class TranslationForm(CheckedTogether, RowForm):
    class Meta:
        model = InitiativeTranslation
        fields = InitiativeTranslation.EDITABLE_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "language": _("One translation per language, other than the record's own."),
            "description": _("Optional."),
        }


class OutcomeTranslationForm(CheckedTogether, RowForm):
    class Meta:
        model = OutcomeTranslation
        fields = ["outcome", *OutcomeTranslation.EDITABLE_FIELDS]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"outcome": RowReferenceField}
        help_texts = {
            "outcome": _("Outcomes typed above are listed here as soon as they have a title.")
        }


class PracticeUseForm(RowForm):
    """A practice the initiative used (accepted ones, and those the editor's organisations
    proposed), and the initiative it was learned from (one the editor may see)."""

    class Meta:
        model = PracticeUse
        fields = PracticeUse.EDITABLE_FIELDS
        widgets = {
            "practice": forms.Select(attrs=PICKER),
            "learned_from": forms.Select(attrs=PICKER),
            "adaptation": forms.Textarea(attrs={"rows": 2}),
        }


class LessonForm(RowForm):
    class Meta:
        model = Lesson
        fields = Lesson.EDITABLE_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "practice": _(
                "The practice the lesson is about, if any: one the portal has accepted or "
                "your organisation proposed."
            )
        }


class LessonTranslationForm(CheckedTogether, RowForm):
    class Meta:
        model = LessonTranslation
        fields = ["lesson", *LessonTranslation.EDITABLE_FIELDS]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"lesson": RowReferenceField}
        help_texts = {
            "lesson": _("Lessons typed above are listed here as soon as they have a text.")
        }


class NonMonetaryForm(RowForm):
    class Meta:
        model = NonMonetaryContribution
        fields = NonMonetaryContribution.EDITABLE_FIELDS

    def notes(self, cleaned):
        return non_monetary_row_notes(cleaned)


# How every repeating part behaves: one empty row to fill in, rows can be removed, and no
# more than MAX_ROWS rows are built or accepted.
ROW_OPTIONS = {
    "extra": 1,
    "can_delete": True,
    "max_num": MAX_ROWS,
    "absolute_max": MAX_ROWS,
    "validate_max": True,
}


def _inline(model, form, formset=RowsFormSet, fk_name="initiative"):
    return inlineformset_factory(
        Initiative, model, form=form, formset=formset, fk_name=fk_name, **ROW_OPTIONS
    )


# The repeating parts of the page, in the order the page shows them: (prefix, formset class).
FORMSETS = {
    "countries": _inline(InitiativeCountry, CountryLinkForm, CountryLinkFormSet),
    "participants": _inline(
        Participation, ParticipationForm, rows_checked_by(participant_rows_notes)
    ),
    "funding": _inline(FundingContribution, FundingForm),
    "outcomes": _inline(Outcome, OutcomeForm),
    "practices": _inline(PracticeUse, PracticeUseForm),
    "lessons": _inline(Lesson, LessonForm),
    "nonmonetary": _inline(NonMonetaryContribution, NonMonetaryForm),
    "sources": _inline(Source, SourceForm, SourceFormSet),
    "evidence": _inline(PrincipleEvidence, EvidenceForm, EvidenceFormSet),
    "translations": _inline(InitiativeTranslation, TranslationForm, TranslationFormSet),
}


class IndicatorRowsFormSet(RowCountsChecked, RowsKept, BaseModelFormSet):
    pass


IndicatorFormSet = forms.modelformset_factory(
    Indicator, form=IndicatorForm, formset=IndicatorRowsFormSet, **ROW_OPTIONS
)


class RowTranslationsFormSet(TranslationsChecked, RowCountsChecked, BaseModelFormSet):
    """The translations of rows of the record (``initiative``'s): of its outcomes, of its
    lessons. A subclass names the ``rows_notes`` that check them together."""

    def __init__(self, *args, initiative: Initiative, **kwargs):
        self.initiative = initiative
        super().__init__(*args, **kwargs)


class OutcomeTranslationRowsFormSet(RowTranslationsFormSet):
    rows_notes = staticmethod(outcome_translation_rows_notes)


OutcomeTranslationFormSet = forms.modelformset_factory(
    OutcomeTranslation,
    form=OutcomeTranslationForm,
    formset=OutcomeTranslationRowsFormSet,
    **ROW_OPTIONS,
)


class LessonTranslationRowsFormSet(RowTranslationsFormSet):
    rows_notes = staticmethod(lesson_translation_rows_notes)


LessonTranslationFormSet = forms.modelformset_factory(
    LessonTranslation,
    form=LessonTranslationForm,
    formset=LessonTranslationRowsFormSet,
    **ROW_OPTIONS,
)
