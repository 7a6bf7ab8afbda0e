"""Admin for moderators: initiatives with everything that hangs off them, organisations and
reference data. State changes go through the moderation services, so they are read-only here."""

import re

from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from funding.models import FundingContribution
from initiatives.models import (
    Actor,
    CivicSpaceRating,
    Country,
    DialogueMechanism,
    Indicator,
    Initiative,
    InitiativeCountry,
    Modality,
    NetworkMembership,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Sector,
    Source,
    SustainableDevelopmentGoal,
)
from principles.models import PrincipleEvidence

TIMESTAMPS = ("created_at", "updated_at")


# Reference data ----------------------------------------------------------------------------


class CivicSpaceRatingInline(admin.TabularInline):
    model = CivicSpaceRating
    fields = ["year", "source", "rating", "score", "source_url"]
    extra = 0


class DialogueMechanismInline(admin.StackedInline):
    model = DialogueMechanism
    fields = ["name", "kind", "year_started", "description", "source_citation", "source_url"]
    extra = 0


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso_code", "name", "income_group", "income_group_fiscal_year", "region"]
    list_filter = ["income_group", "region"]
    search_fields = ["code", "region"]
    ordering = ["code"]
    readonly_fields = TIMESTAMPS
    inlines = [CivicSpaceRatingInline, DialogueMechanismInline]

    @admin.display(description=_("ISO code"), ordering="code")
    def iso_code(self, country: Country) -> str:
        return country.code.code

    @admin.display(description=_("name"))
    def name(self, country: Country) -> str:
        return country.name

    def get_readonly_fields(self, request, obj=None):
        # The ISO code is the primary key: changing it would copy the row, not rename it.
        return ("code", *TIMESTAMPS) if obj else TIMESTAMPS

    def get_search_results(self, request, queryset, search_term):
        """``code__icontains`` already matches ISO codes and English names (django-countries
        maps it to a name lookup); also match the names in the moderator's own language."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        language = get_language()
        if search_term.strip() and language and language != "en":
            pattern = re.escape(search_term.strip())
            codes = countries.by_name(pattern, regex=True, language=language)
            found |= queryset.filter(code__in=codes)
        return found, may_have_duplicates


@admin.register(CivicSpaceRating)
class CivicSpaceRatingAdmin(admin.ModelAdmin):
    list_display = ["country", "year", "source", "rating", "score"]
    list_filter = ["source", "rating", "year"]
    search_fields = ["country__code"]
    ordering = ["country", "-year"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    readonly_fields = TIMESTAMPS


@admin.register(DialogueMechanism)
class DialogueMechanismAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "year_started"]
    list_filter = ["kind"]
    search_fields = ["name", "country__code", "description"]
    ordering = ["country", "name"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    readonly_fields = TIMESTAMPS


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category_code", "category_name", "is_active"]
    list_filter = ["is_active", "category_name"]
    search_fields = ["code", "name", "category_code", "category_name"]
    ordering = ["code"]
    readonly_fields = TIMESTAMPS


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]
    ordering = ["number"]
    readonly_fields = TIMESTAMPS


@admin.register(Modality)
class ModalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = TIMESTAMPS


# Organisations -----------------------------------------------------------------------------


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    fk_name = "member"
    fields = ["network", "joined_year"]
    autocomplete_fields = ["network"]
    extra = 0


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "actor_type", "home_country", "updated_at"]
    list_filter = ["actor_type", ("home_country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "acronym", "slug", "iati_identifier"]
    ordering = ["name"]
    list_select_related = ["home_country"]
    autocomplete_fields = ["home_country"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = TIMESTAMPS
    inlines = [NetworkMembershipInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "network", "joined_year"]
    search_fields = ["member__name", "member__acronym", "network__name", "network__acronym"]
    ordering = ["network__name", "member__name"]
    list_select_related = ["member", "network"]
    autocomplete_fields = ["member", "network"]
    readonly_fields = TIMESTAMPS


# Initiatives -------------------------------------------------------------------------------


class InitiativeCountryInline(admin.TabularInline):
    model = InitiativeCountry
    fields = ["country", "role", "share"]
    autocomplete_fields = ["country"]
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["actor", "role"]
    autocomplete_fields = ["actor"]
    extra = 0


class FundingContributionInline(admin.TabularInline):
    model = FundingContribution
    fields = [
        "funding_model",
        "funder",
        "amount",
        "currency",
        "year_start",
        "year_end",
        "is_in_kind",
        "note",
    ]
    autocomplete_fields = ["funder"]
    extra = 0


class PrincipleEvidenceInline(admin.StackedInline):
    model = PrincipleEvidence
    fields = [
        ("principle", "stance", "strength"),
        "narrative",
        "quote",
        "source",
        ("recorded_by_organisation", "recorded_by"),
        ("confirmed_by_organisation", "confirmed_at"),
    ]
    readonly_fields = ["recorded_by"]
    autocomplete_fields = ["recorded_by_organisation", "confirmed_by_organisation"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Evidence cites one of this initiative's own sources.
        sources = obj.sources.all() if obj else Source.objects.none()
        formset.form.base_fields["source"].queryset = sources
        return formset


class OutcomeInline(admin.TabularInline):
    model = Outcome
    fields = ["title", "result_type", "position"]
    show_change_link = True  # indicators are edited on the outcome's own page
    extra = 0


class NonMonetaryContributionInline(admin.TabularInline):
    model = NonMonetaryContribution
    fields = ["kind", "quantity", "unit", "year", "note"]
    extra = 0


class SourceInline(admin.TabularInline):
    model = Source
    fields = ["citation", "url", "document_type", "year", "language", "document"]
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "state", "cooperation_type", "updated_at"]
    list_filter = [
        "state",
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
    filter_horizontal = ["sectors", "sdg_goals", "modalities"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "state",
        "version",
        "submitted_at",
        "published_at",
        "reviewed_at",
        "reviewed_version",
        "reviewed_by",
        "review_note",
        "created_by",
        "updated_by",
        *TIMESTAMPS,
    ]
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
                    "lessons_learned",
                    "language",
                    ("cooperation_type", "activity_status"),
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
                    "sectors",
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
                    ("state", "version"),
                    ("submitted_at", "published_at"),
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
        NonMonetaryContributionInline,
        SourceInline,
    ]


@admin.register(InitiativeCountry)
class InitiativeCountryAdmin(admin.ModelAdmin):
    list_display = ["initiative", "country", "role", "share"]
    list_filter = ["role"]
    search_fields = ["initiative__title", "country__code"]
    ordering = ["initiative__title", "role", "country"]
    list_select_related = ["initiative", "country"]
    autocomplete_fields = ["initiative", "country"]
    readonly_fields = TIMESTAMPS


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["initiative", "actor", "role"]
    list_filter = ["role"]
    search_fields = ["initiative__title", "actor__name", "actor__acronym"]
    ordering = ["initiative__title", "actor__name"]
    list_select_related = ["initiative", "actor"]
    autocomplete_fields = ["initiative", "actor"]
    readonly_fields = TIMESTAMPS


@admin.register(NonMonetaryContribution)
class NonMonetaryContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "initiative", "kind", "year"]
    list_filter = ["kind"]
    search_fields = ["initiative__title", "unit", "note"]
    ordering = ["initiative__title", "kind"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]
    readonly_fields = TIMESTAMPS


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = [
        "name",
        "unit",
        "baseline",
        "baseline_year",
        "target",
        "target_year",
        "actual",
        "actual_year",
    ]
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["title", "initiative", "result_type", "position"]
    list_filter = ["result_type"]
    search_fields = ["title", "narrative", "initiative__title"]
    ordering = ["initiative__title", "position", "id"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]
    readonly_fields = TIMESTAMPS
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "outcome", "unit", "baseline", "target", "actual"]
    search_fields = ["name", "outcome__title", "outcome__initiative__title"]
    ordering = ["outcome__title", "name"]
    list_select_related = ["outcome"]
    autocomplete_fields = ["outcome"]
    readonly_fields = TIMESTAMPS


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["citation", "initiative", "document_type", "year", "language"]
    list_filter = ["document_type", "language"]
    search_fields = ["citation", "url", "initiative__title"]
    ordering = ["-year", "citation"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]
    readonly_fields = TIMESTAMPS
