"""Read-only audit for moderators: every revision (who changed which records, when, why) and
Django's own log of admin actions. Nothing here can be added, changed or deleted."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from reversion.models import Revision, Version

from initiatives.admin.moderation import is_moderator
from initiatives.models import Initiative


def admin_change_url(model, object_id) -> str | None:
    if model is None or not admin.site.is_registered(model):
        return None
    try:
        return reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[quote(object_id)],
        )
    except NoReverseMatch:
        return None


def linked(model, object_id, text) -> str:
    url = admin_change_url(model, object_id)
    return format_html('<a href="{}">{}</a>', url, text) if url else str(text)


class ReadOnlyAuditAdmin(admin.ModelAdmin):
    """Moderators may read the audit; nobody may write it."""

    def has_module_permission(self, request):
        return is_moderator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_moderator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAuditAdmin):
    list_display = ["date_created", "user", "comment", "records"]
    list_filter = [("date_created", admin.DateFieldListFilter)]
    date_hierarchy = "date_created"
    search_fields = [
        "comment",
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "version__object_repr",
    ]
    search_help_text = _("Search by comment, user or the name of a changed record.")
    list_select_related = ["user"]
    ordering = ["-date_created", "-id"]
    fields = ["date_created", "user", "comment", "all_records"]
    readonly_fields = fields

    def get_queryset(self, request):
        versions = Version.objects.select_related("content_type").defer("serialized_data")
        return super().get_queryset(request).prefetch_related(Prefetch("version_set", versions))

    @admin.display(description=_("records"))
    def records(self, revision: Revision) -> str:
        """The initiatives the revision is about, and how many of their rows came with them."""
        versions = list(revision.version_set.all())
        main = [v for v in versions if v.content_type.model_class() is Initiative] or versions[:1]
        links = format_html_join(
            ", ",
            "{}",
            ((linked(v.content_type.model_class(), v.object_id, v.object_repr),) for v in main),
        )
        others = len(versions) - len(main)
        if not others:
            return links
        more = ngettext_lazy("and %(count)d related row", "and %(count)d related rows", "count")
        return format_html("{} {}", links, more % {"count": others})

    @admin.display(description=_("records"))
    def all_records(self, revision: Revision) -> str:
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {}</li>",
                (
                    (
                        version.content_type.model_class()._meta.verbose_name.capitalize()
                        if version.content_type.model_class()
                        else version.content_type.model,
                        linked(
                            version.content_type.model_class(),
                            version.object_id,
                            version.object_repr,
                        ),
                    )
                    for version in revision.version_set.all()
                ),
            ),
        )


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAuditAdmin):
    list_display = ["action_time", "user", "content_type", "record", "action_flag", "change"]
    list_filter = [("action_time", admin.DateFieldListFilter), "action_flag", "content_type"]
    date_hierarchy = "action_time"
    search_fields = ["object_repr", "change_message", "user__username", "user__email"]
    list_select_related = ["user", "content_type"]
    ordering = ["-action_time", "-id"]
    fields = ["action_time", "user", "content_type", "record", "action_flag", "change"]
    readonly_fields = fields

    @admin.display(description=_("record"), ordering="object_repr")
    def record(self, entry: LogEntry) -> str:
        if entry.is_deletion() or entry.content_type is None:
            return entry.object_repr
        return linked(entry.content_type.model_class(), entry.object_id, entry.object_repr)

    @admin.display(description=_("change"))
    def change(self, entry: LogEntry) -> str:
        return entry.get_change_message()
