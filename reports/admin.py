from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Moderators see every report to help people whose report failed; nobody edits one."""

    list_display = ["created_at", "kind", "subject", "requested_by", "state", "progress", "size"]
    list_filter = ["state", "kind", "include_drafts"]
    search_fields = ["requested_by__username", "requested_by__email", "id"]
    date_hierarchy = "created_at"
    list_select_related = ["requested_by"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("about"))
    def subject(self, report):
        return report.subject
