"""The initiative admin, with everything that hangs off an initiative.

Content is saved through ``initiative_save`` (one attributed revision per save, optimistic
locking on the version); moderation fields are read-only and change only through the
moderation steps (see ``moderation``); history and revert are in ``history``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.forms import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from reversion_compare.admin import CompareVersionAdmin

from funding.models import FundingContribution
from initiatives.admin.history import RevertibleHistoryMixin
from initiatives.admin.moderation import ChangedSinceReviewFilter, ModerationAdminMixin
from initiatives.editor.forms import TranslationsChecked
from initiatives.formsets import formset_note_changes, formset_rows
from initiatives.history import register_history
from initiatives.models import (
    ROW_PARTS,
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
from initiatives.rules import translation_rows_notes
from initiatives.services import (
    EDITABLE_STATES,
    MODERATION_FIELDS,
    EditConflict,
    InvalidTransition,
    initiative_save,
)
from learning.models import Lesson, PracticeUse
from principles.models import PrincipleEvidence
from reference.models import Sector
from ssdc_portal.admin import (
    TIMESTAMPS,
    ReadOnlyInline,
    RecordPartAdmin,
    StackedInline,
    TabularInline,
)

# The admin is loaded before this app's ready(); the history must be registered with its own
# rules (followed rows, excluded fields) before VersionAdmin would auto-register the model.
register_history()


class RowInline(TabularInline):
    """A repeating part of the record, a row to a line, with the fields an editor fills in
    (the model's ``EDITABLE_FIELDS``) unless ``fields`` names others."""

    def get_fields(self, request, obj=None):
        return self.fields or self.model.EDITABLE_FIELDS


class InitiativeCountryInline(RowInline):
    model = InitiativeCountry
    autocomplete_fields = ["country"]


class ParticipationInline(RowInline):
    model = Participation
    autocomplete_fields = ["actor"]


# Parts with many or wide fields are stacked, a few fields to a line, so that the page fits a
# laptop's window; a row to a line, they would be twice as wide.
class FundingContributionInline(StackedInline):
    model = FundingContribution
    fields = [
        ("funding_model", "funder"),
        ("amount", "currency"),
        ("year_start", "year_end", "is_in_kind"),
        "note",
    ]
    autocomplete_fields = ["funder"]


class PrincipleEvidenceInline(StackedInline):
    model = PrincipleEvidence
    fields = [
        ("principle", "stance", "strength"),
        "narrative",
        "quote",
        "source",
        ("recorded_by_organisation", "recorded_by"),
        ("confirmation", "confirmed_by_organisation", "confirmed_at", "confirmed_by"),
        "confirmation_note",
    ]
    readonly_fields = ["recorded_by", "confirmed_by"]
    autocomplete_fields = ["recorded_by_organisation", "confirmed_by_organisation"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Evidence cites one of this initiative's own sources.
        sources = obj.sources.all() if obj else Source.objects.none()
        formset.form.base_fields["source"].queryset = sources
        return formset


class OutcomeInline(RowInline):
    model = Outcome
    fields = ["title", "result_type", "position"]
    show_change_link = True  # indicators are edited on the outcome's own page


class PracticeUseInline(StackedInline):
    model = PracticeUse
    fk_name = "initiative"
    fields = [("practice", "learned_from"), "adaptation"]
    autocomplete_fields = ["practice", "learned_from"]


class LessonInline(StackedInline):
    model = Lesson
    fields = [
        "text",
        ("for_civil_society", "for_governments", "for_funders"),
        ("theme", "practice", "position"),
    ]
    show_change_link = True  # translations are shown on the lesson's own page


class NonMonetaryContributionInline(RowInline):
    model = NonMonetaryContribution


class SourceInline(StackedInline):
    model = Source
    fields = ["citation", "url", ("document_type", "year", "language"), "document"]


class TranslationInlineFormSet(TranslationsChecked, BaseInlineFormSet):
    """Checked by the rules the editor's page and the write API check (``initiatives.rules``):
    the admin validates the record's form first, so ``instance`` holds its language as
    posted."""

    rows_notes = staticmethod(translation_rows_notes)

    @property
    def initiative(self):
        return self.instance


class InitiativeTranslationInline(StackedInline):
    """The record's text in the portal's other languages."""

    model = InitiativeTranslation
    formset = TranslationInlineFormSet
    fields = InitiativeTranslation.EDITABLE_FIELDS
    extra = 0


class InitiativeAdminForm(forms.ModelForm):
    """Carries the version the form was opened at, so that a stale form cannot overwrite a
    newer save."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The sectors go through a table of their own (with shares, which the editor's page
    # edits); the admin picks them under another name, which Django's checks accept.
    sector_choices = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        required=False,
        label=_("sectors"),
        widget=FilteredSelectMultiple(_("sectors"), is_stacked=False),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("expected_version", self.instance.version)
            self.initial.setdefault("sector_choices", list(self.instance.sectors.all()))

    def clean(self):
        cleaned_data = super().clean()
        # ``instance`` was read at the start of this request; initiative_save checks again
        # under its own update, so this only catches conflicts early, with the form intact.
        stale = cleaned_data.get("expected_version") != self.instance.version
        if self.instance.pk is not None and stale:
            # The form shows again as posted; the next save is a deliberate one over the
            # current version.
            self.data = self.data.copy()
            self.data[self.add_prefix("expected_version")] = str(self.instance.version)
            raise forms.ValidationError(str(EditConflict(self.instance)), code="conflict")
        return cleaned_data


def revision_comment(form, formsets, change: bool) -> str:
    if not change:
        return str(_("Created in the admin"))
    fields = Initiative._meta
    changed = [
        str(fields.get_field("sectors" if name == "sector_choices" else name).verbose_name)
        for name in form.changed_data
        if name != "expected_version"
    ]
    changed += [
        str(formset.model._meta.verbose_name_plural)
        for formset in formsets
        if formset.has_changed()
    ]
    if not changed:
        return str(_("Saved in the admin without changes"))
    return str(_("Changed in the admin: %(fields)s") % {"fields": ", ".join(changed)})


@admin.register(Initiative)
class InitiativeAdmin(ModerationAdminMixin, RevertibleHistoryMixin, CompareVersionAdmin):
    """Saving: ``save_model`` does nothing and ``save_related`` calls ``initiative_save`` with
    the many-to-many fields and the rows of the inline formsets, so the initiative and its
    rows are written in one transaction, as one revision attributed to the moderator, and
    only if the version the form was opened at is still current. A stale form is caught by
    the form's ``clean`` and shown again with the conflict message; if another save slips in
    between validation and saving, the service raises ``EditConflict`` and
    ``changeform_view`` shows the form again the same way. Nothing is lost and nothing is
    silently overwritten."""

    form = InitiativeAdminForm
    change_list_template = "admin/initiatives/initiative/change_list.html"
    list_display = [
        "title",
        "owner",
        "state",
        "changed_since_review",
        "cooperation_type",
        "updated_at",
    ]
    list_filter = [
        "state",
        ChangedSinceReviewFilter,
        "cooperation_type",
        "activity_status",
        "is_fragile_state",
        "is_post_disaster",
        "is_conflict_affected",
    ]
    search_fields = ["title", "slug", "summary", "owner__name", "owner__acronym"]
    ordering = ["-updated_at", "-id"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    # Not autocomplete: the widget filters in the page, so it needs no view right on sectors.
    filter_horizontal = ["sdg_goals", "modalities"]
    prepopulated_fields = {"slug": ["title"]}
    # Moderation fields change only through its steps (the owner: see below).
    readonly_fields = [
        *(name for name in MODERATION_FIELDS if name != "owner"),
        "changed_since_review",
        "updated_by",
        *TIMESTAMPS,
    ]
    # The slug is the record's address and the owner changes only through moderation, so
    # both are set when the initiative is created and read-only afterwards.
    fixed_after_creation = ["slug", "owner"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "owner",
                    "summary",
                    "description",
                    "language",
                    ("cooperation_type", "activity_status"),
                    "expected_version",
                ]
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    ("planned_start", "planned_end"),
                    ("actual_start", "actual_end"),
                    ("start_year", "end_year"),
                ]
            },
        ),
        (
            _("Countries and context"),
            {
                "description": _("Provider and recipient countries are listed below."),
                "fields": [
                    ("is_fragile_state", "is_post_disaster", "is_conflict_affected"),
                    "sector_choices",
                    "sdg_goals",
                    "modalities",
                ],
            },
        ),
        (
            _("Government involvement and coordination"),
            {
                "fields": [
                    ("provider_government_involvement", "recipient_government_involvement"),
                    "coordinates_with_other_donors",
                    "coordination_note",
                ]
            },
        ),
        (
            _("Moderation"),
            {
                "fields": [
                    ("state", "changed_since_review", "version"),
                    ("submitted_at", "published_at", "archived_at"),
                    ("reviewed_at", "reviewed_version", "reviewed_by"),
                    "review_note",
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                ]
            },
        ),
    ]
    inlines = [
        InitiativeCountryInline,
        ParticipationInline,
        FundingContributionInline,
        PrincipleEvidenceInline,
        OutcomeInline,
        PracticeUseInline,
        LessonInline,
        NonMonetaryContributionInline,
        SourceInline,
        InitiativeTranslationInline,
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, *self.fixed_after_creation] if obj is not None else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # Archived records are kept as they were; the service refuses to edit them.
        if obj is not None and obj.state not in EDITABLE_STATES:
            return False
        return super().has_change_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            # Archived while the form was open: say so instead of a bare 403.
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and obj.state not in EDITABLE_STATES:
                return self.refuse_edit(request, InvalidTransition(obj, "edit"))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between validation and our save; everything was rolled back.
            # Running the view again shows the form as posted, now failing validation with
            # the conflict message.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except InvalidTransition as refusal:
            return self.refuse_edit(request, refusal)

    def refuse_edit(self, request, refusal: InvalidTransition):
        self.message_user(request, str(refusal), messages.ERROR)
        return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        """Deferred to ``save_related``: the initiative is saved together with its rows."""

    def save_related(self, request, form, formsets, change):
        parts = {part.model: name for name, part in ROW_PARTS.items()}
        initiative_save(
            initiative=form.instance,
            by=request.user,
            expected_version=form.cleaned_data.get("expected_version") if change else None,
            relations={
                **{
                    field.name: form.cleaned_data[field.name]
                    for field in Initiative._meta.many_to_many
                    if field.name in form.cleaned_data
                },
                "sectors": form.cleaned_data.get("sector_choices", []),
            },
            rows={parts[formset.model]: formset_rows(formset) for formset in formsets},
            comment=revision_comment(form, formsets, change),
        )
        for formset in formsets:
            formset_note_changes(formset)


@admin.register(InitiativeCountry)
class InitiativeCountryAdmin(RecordPartAdmin):
    list_display = ["initiative", *InitiativeCountry.EDITABLE_FIELDS]
    list_filter = ["role"]
    search_fields = ["initiative__title", "country__code"]
    ordering = ["initiative__title", "role", "country"]
    list_select_related = ["initiative", "country"]
    autocomplete_fields = ["initiative", "country"]


@admin.register(Participation)
class ParticipationAdmin(RecordPartAdmin):
    list_display = ["initiative", *Participation.EDITABLE_FIELDS]
    list_filter = ["role"]
    search_fields = ["initiative__title", "actor__name", "actor__acronym"]
    ordering = ["initiative__title", "actor__name"]
    list_select_related = ["initiative", "actor"]
    autocomplete_fields = ["initiative", "actor"]


@admin.register(NonMonetaryContribution)
class NonMonetaryContributionAdmin(RecordPartAdmin):
    list_display = ["__str__", "initiative", "kind", "year"]
    list_filter = ["kind"]
    search_fields = ["initiative__title", "unit", "note"]
    ordering = ["initiative__title", "kind"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = Indicator.EDITABLE_FIELDS


class OutcomeTranslationInline(ReadOnlyInline):
    model = OutcomeTranslation
    fields = OutcomeTranslation.EDITABLE_FIELDS


@admin.register(Outcome)
class OutcomeAdmin(RecordPartAdmin):
    list_display = ["title", "initiative", "result_type", "position"]
    list_filter = ["result_type"]
    search_fields = ["title", "narrative", "initiative__title"]
    ordering = ["initiative__title", "position", "id"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]
    inlines = [IndicatorInline, OutcomeTranslationInline]


@admin.register(Indicator)
class IndicatorAdmin(RecordPartAdmin):
    list_display = ["name", "outcome", "unit", "baseline", "target", "actual"]
    search_fields = ["name", "outcome__title", "outcome__initiative__title"]
    ordering = ["outcome__title", "name"]
    list_select_related = ["outcome"]
    autocomplete_fields = ["outcome"]


@admin.register(Source)
class SourceAdmin(RecordPartAdmin):
    list_display = ["citation", "initiative", "document_type", "year", "language"]
    list_filter = ["document_type", "language"]
    search_fields = ["citation", "url", "initiative__title"]
    ordering = ["-year", "citation"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]


@admin.register(InitiativeTranslation)
class InitiativeTranslationAdmin(RecordPartAdmin):
    list_display = ["title", "language", "initiative"]
    list_filter = ["language"]
    search_fields = ["title", "summary", "initiative__title"]
    ordering = ["initiative__title", "language"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]


@admin.register(OutcomeTranslation)
class OutcomeTranslationAdmin(RecordPartAdmin):
    list_display = ["title", "language", "outcome"]
    list_filter = ["language"]
    search_fields = ["title", "narrative", "outcome__title"]
    ordering = ["outcome__title", "language"]
    list_select_related = ["outcome"]
    autocomplete_fields = ["outcome"]
