"""History of an initiative in the admin: revisions with readable diffs, and revert.

django-reversion-compare lists the revisions and compares any two of them field by field,
including the rows that hang off the initiative. django-reversion's own revert and recover
views are replaced: they would save the old data through the change form, undoing moderation
(state, reviews, version). Reverting goes through ``initiative_revert`` instead.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from reversion.errors import RevertError
from reversion.models import Version

from initiatives.services import initiative_revert

# Bookkeeping columns of a row, not worth showing in a diff.
UNINTERESTING_COLUMNS = {"id", "created_at", "updated_at"}


def field_label(field) -> str:
    if isinstance(field, models.ForeignObjectRel):
        return capfirst(field.related_model._meta.verbose_name_plural)
    return capfirst(field.verbose_name)


def shown_value(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    return str(value)


def row_changes(before: Version, after: Version) -> list[tuple[str, str, str]]:
    """(field, old value, new value) for each field that differs between two versions of a
    row."""
    changes = []
    for field in after._model._meta.concrete_fields:
        if field.name in UNINTERESTING_COLUMNS:
            continue
        old = before.field_dict.get(field.attname)
        new = after.field_dict.get(field.attname)
        if old != new:
            changes.append((field_label(field), shown_value(field, old), shown_value(field, new)))
    return changes


class RevertibleHistoryMixin:
    """For a ``CompareVersionAdmin`` whose model admin also has ``has_moderate_permission``.

    * No revision is opened around admin views: the services open one per change, with
      their own comment. (django-reversion's wrapping would merge a whole bulk action into
      one revision.)
    * ``<id>/history/<version_id>/`` shows what reverting to that version would change
      (GET) and reverts through the service (POST); the history page has a POST button for
      each older version. Recovering deleted records is switched off.
    """

    object_history_template = "admin/initiatives/initiative/object_history.html"
    revert_template = "admin/initiatives/initiative/revert_confirmation.html"
    compare_exclude = ["search_vector", "updated_at"]
    history_latest_first = True

    @contextmanager
    def create_revision(self, request):
        yield

    compare_template = "admin/initiatives/initiative/compare.html"

    def compare(self, obj, version1, version2):
        diff, has_unfollowed_fields = super().compare(obj, version1, version2)
        # reversion-compare reports every foreign key as changed whenever any other field
        # changed (it compares whole records); keep those whose own value changed.
        diff = [
            {**entry, "label": field_label(entry["field"])}
            for entry in diff
            if not isinstance(entry["field"], models.ForeignKey)
            or version1.field_dict.get(entry["field"].attname)
            != version2.field_dict.get(entry["field"].attname)
        ]
        return diff, has_unfollowed_fields

    def compare_ManyToOneRel(self, obj_compare):
        """Rows of the initiative: added, removed, and for changed rows which fields changed."""
        change_info = obj_compare.get_m2o_change_info()
        changed_rows = [
            {"before": before, "after": after, "fields": row_changes(before, after)}
            for before, after in change_info["changed_items"]
        ]
        return render_to_string(
            "admin/initiatives/initiative/compare_rows.html",
            {"change_info": change_info, "changed_rows": changed_rows},
        )

    def history_view(self, request, object_id, extra_context=None):
        context = {"can_revert": self.has_moderate_permission(request), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id, extra_context=None):
        # reversion-compare's view checks no permission of its own.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {"can_revert": self.has_moderate_permission(request), **(extra_context or {})}
        return super().compare_view(request, object_id, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        initiative = self.get_object(request, unquote(object_id))
        if initiative is None:
            raise Http404
        versions = Version.objects.get_for_object(initiative).select_related("revision__user")
        version = get_object_or_404(versions, pk=version_id)
        history_url = self._url("history", quote(initiative.pk))
        when = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
        if request.method == "POST":
            try:
                initiative_revert(initiative=initiative, revision=version.revision, by=request.user)
            except (RevertError, IntegrityError):
                self.message_user(
                    request,
                    _(
                        "“%(title)s” could not be reverted to the version of %(date)s: that "
                        "version no longer fits the current data (for example, it refers to an "
                        "organisation or a country that was deleted since). Edit it by hand."
                    )
                    % {"title": initiative.title, "date": when},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _(
                        "“%(title)s” was reverted to the version of %(date)s. The revert is "
                        "recorded in its history and can itself be reverted."
                    )
                    % {"title": initiative.title, "date": when},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(history_url)
        latest = versions.first()
        # What changed since the chosen version: what reverting undoes.
        compare_data, has_unfollowed_fields = self.compare(initiative, version, latest)
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert “%(title)s” to the version of %(date)s")
            % {"title": initiative.title, "date": when},
            "opts": self.opts,
            "original": initiative,
            "version": version,
            "is_latest": version.pk == latest.pk,
            "compare_data": compare_data,
            "has_unfollowed_fields": has_unfollowed_fields,
            "history_url": history_url,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.revert_template, context)

    # Recovering a deleted initiative would bypass the services: there is no such page.
    def recover_view(self, request, version_id, extra_context=None):
        raise Http404

    def recoverlist_view(self, request, extra_context=None):
        raise Http404
