"""Reference data: countries with their civic-space ratings and dialogue mechanisms,
sectors, SDGs and modalities. Edited in the admin only."""

import re

from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reference.models import (
    CivicSpaceRating,
    Country,
    DialogueMechanism,
    Modality,
    Sector,
    SustainableDevelopmentGoal,
)
from ssdc_portal.admin import TIMESTAMPS, StackedInline, TabularInline, TimestampedAdmin


class CivicSpaceRatingInline(TabularInline):
    model = CivicSpaceRating
    fields = ["year", "source", "rating", "score", "source_url"]


class DialogueMechanismInline(StackedInline):
    model = DialogueMechanism
    fields = ["name", "kind", "year_started", "description", "source_citation", "source_url"]


@admin.register(Country)
class CountryAdmin(TimestampedAdmin):
    list_display = ["iso_code", "name", "income_group", "income_group_fiscal_year", "region"]
    list_filter = ["income_group", "region"]
    search_fields = ["code", "region"]
    ordering = ["code"]
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
class CivicSpaceRatingAdmin(TimestampedAdmin):
    list_display = ["country", "year", "source", "rating", "score"]
    list_filter = ["source", "rating", "year"]
    search_fields = ["country__code"]
    ordering = ["country", "-year"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]


@admin.register(DialogueMechanism)
class DialogueMechanismAdmin(TimestampedAdmin):
    list_display = ["name", "country", "kind", "year_started"]
    list_filter = ["kind"]
    search_fields = ["name", "country__code", "description"]
    ordering = ["country", "name"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]


@admin.register(Sector)
class SectorAdmin(TimestampedAdmin):
    list_display = ["code", "name", "category_code", "category_name", "is_active"]
    list_filter = ["is_active", "category_name"]
    search_fields = ["code", "name", "category_code", "category_name"]
    ordering = ["code"]


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(TimestampedAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]
    ordering = ["number"]


@admin.register(Modality)
class ModalityAdmin(TimestampedAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}
