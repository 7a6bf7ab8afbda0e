"""Admin for the learning app's lessons. Lessons are rows of an initiative: they are
changed on the initiative's page (with its history and version); here they are listed,
searched and read with their translations."""

from django.contrib import admin

from learning.models import Lesson, LessonTranslation
from ssdc_portal.admin import ReadOnlyInline, RecordPartAdmin


class LessonTranslationInline(ReadOnlyInline):
    model = LessonTranslation
    fields = LessonTranslation.EDITABLE_FIELDS


@admin.register(Lesson)
class LessonAdmin(RecordPartAdmin):
    list_display = [
        "__str__",
        "initiative",
        "for_civil_society",
        "for_governments",
        "for_funders",
        "theme",
        "practice",
    ]
    list_filter = ["for_civil_society", "for_governments", "for_funders", "theme"]
    search_fields = ["text", "translations__text", "initiative__title"]
    ordering = ["initiative__title", "position", "id"]
    list_select_related = ["initiative", "theme", "practice"]
    autocomplete_fields = ["initiative"]
    inlines = [LessonTranslationInline]


@admin.register(LessonTranslation)
class LessonTranslationAdmin(RecordPartAdmin):
    list_display = ["__str__", "language", "lesson"]
    list_filter = ["language"]
    search_fields = ["text", "lesson__text", "lesson__initiative__title"]
    ordering = ["lesson__initiative__title", "language"]
    list_select_related = ["lesson"]
    autocomplete_fields = ["lesson"]
