"""Admin building blocks shared by the apps.

Admin lists of the rows that make up an initiative (countries, participants, funding…) are
for searching and reading across records. Changes are made on the initiative's own
page, where they go through ``initiative_save``: one attributed revision, a version bump and
the conflict check. Editing a row on its own would bypass all three.
"""

from django.contrib import admin

# Every table carries them; the admin shows them read-only.
TIMESTAMPS = ("created_at", "updated_at")


class RecordPartAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
