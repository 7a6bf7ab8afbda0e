"""Admin building blocks shared by the apps.

Admin lists of the rows that make up an initiative (countries, participants, funding…) are
for searching and reading across records. Changes are made on the initiative's own
page, where they go through ``initiative_save``: one attributed revision, a version bump and
the conflict check. Editing a row on its own would bypass all three.
"""

from django.contrib import admin

# Every table carries them; the admin shows them read-only.
TIMESTAMPS = ("created_at", "updated_at")


class ReadOnlyAdminMixin:
    """Nothing can be added, changed or deleted here: the rows are only looked at."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TimestampedAdmin(admin.ModelAdmin):
    """An admin of one of the portal's tables, showing its timestamps read-only."""

    readonly_fields = TIMESTAMPS


class RecordPartAdmin(ReadOnlyAdminMixin, TimestampedAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
