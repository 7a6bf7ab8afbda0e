from django.contrib import admin

from principles.models import Principle, PrincipleEvidence, PrincipleSet
from ssdc_portal.admin import TIMESTAMPS, RecordPartAdmin, TabularInline, TimestampedAdmin


class PrincipleInline(TabularInline):
    model = Principle
    fields = ["position", "name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(PrincipleSet)
class PrincipleSetAdmin(TimestampedAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug", "description"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PrincipleInline]


@admin.register(Principle)
class PrincipleAdmin(TimestampedAdmin):
    list_display = ["name", "short_name", "principle_set", "position"]
    list_filter = ["principle_set"]
    search_fields = ["name", "short_name", "slug", "description"]
    ordering = ["principle_set__name", "position"]
    list_select_related = ["principle_set"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(PrincipleEvidence)
class PrincipleEvidenceAdmin(RecordPartAdmin):
    list_display = [
        "initiative",
        "principle",
        "stance",
        "strength",
        "recorded_by_organisation",
        "confirmation",
        "confirmed_by_organisation",
    ]
    list_filter = ["confirmation", "principle__principle_set", "principle", "stance", "strength"]
    search_fields = [
        "initiative__title",
        "narrative",
        "quote",
        "recorded_by_organisation__name",
        "confirmed_by_organisation__name",
        "confirmation_note",
    ]
    ordering = ["initiative__title", "principle__position", "-strength"]
    list_select_related = [
        "initiative",
        "principle",
        "recorded_by_organisation",
        "confirmed_by_organisation",
    ]
    autocomplete_fields = [
        "initiative",
        "source",
        "recorded_by_organisation",
        "confirmed_by_organisation",
    ]
    readonly_fields = ["recorded_by", "confirmed_by", *TIMESTAMPS]
