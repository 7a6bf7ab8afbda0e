from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from opendata.models import DatasetRelease
from opendata.releases.services import release_request


@admin.register(DatasetRelease)
class DatasetReleaseAdmin(admin.ModelAdmin):
    """Moderators see the releases and ask for a new one; nobody edits or deletes one."""

    list_display = ["number", "created_at", "initiatives", "changes", "made_by", "page"]
    list_select_related = ["made_by"]
    date_hierarchy = "created_at"
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in DatasetRelease._meta.fields]

    def has_add_permission(self, request):
        return False  # releases are made by the button (a background task), not a form

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_make_release(self, request) -> bool:
        return request.user.has_perm("opendata.add_datasetrelease")

    def get_urls(self):
        return [
            path(
                "make/",
                self.admin_site.admin_view(require_POST(self.make_view)),
                name="opendata_datasetrelease_make",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        context = {"may_make_release": self.may_make_release(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def make_view(self, request):
        if not self.may_make_release(request):
            raise PermissionDenied
        release_request(by=request.user)
        self.message_user(
            request,
            _("A new release is being made; it appears here when its files are written."),
            messages.SUCCESS,
        )
        return redirect("admin:opendata_datasetrelease_changelist")

    @admin.display(description=_("initiatives"))
    def initiatives(self, release: DatasetRelease) -> int:
        return release.initiative_count

    @admin.display(description=_("changes"))
    def changes(self, release: DatasetRelease) -> str:
        return _("%(added)s added, %(updated)s updated, %(withdrawn)s withdrawn") % {
            "added": release.added_count,
            "updated": release.updated_count,
            "withdrawn": release.withdrawn_count,
        }

    @admin.display(description=_("public page"))
    def page(self, release: DatasetRelease) -> str:
        return format_html('<a href="{}">{}</a>', release.get_absolute_url(), release)
