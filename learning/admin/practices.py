"""Admin for the learning app's practices and themes: moderators review the practices
editors propose (accept or decline, with a note) and keep their translations."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learning.models import Practice, PracticeTranslation, PracticeUse, Theme
from learning.practices.services import practice_review
from ssdc_portal.admin import TIMESTAMPS, RecordPartAdmin, StackedInline, TimestampedAdmin


@admin.register(Theme)
class ThemeAdmin(TimestampedAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}


class PracticeTranslationInline(StackedInline):
    model = PracticeTranslation
    fields = ["language", "name", "summary", "description"]


@admin.register(PracticeUse)
class PracticeUseAdmin(RecordPartAdmin):
    """Uses are rows of an initiative, changed on its page; here they are looked up."""

    list_display = ["initiative", "practice", "learned_from"]
    list_filter = ["practice"]
    search_fields = ["initiative__title", "practice__name", "learned_from__title"]
    ordering = ["practice__name", "initiative__title"]
    list_select_related = ["initiative", "practice", "learned_from"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReviewNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the proposing organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@admin.register(Practice)
class PracticeAdmin(TimestampedAdmin):
    list_display = ["name", "status", "proposed_by_organisation", "language", "updated_at"]
    list_filter = ["status", "themes", "language"]
    search_fields = ["name", "slug", "summary", "translations__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes", "modalities"]
    autocomplete_fields = ["proposed_by_organisation"]
    readonly_fields = [*TIMESTAMPS, "proposed_by"]
    inlines = [PracticeTranslationInline]
    actions = ["accept_practices", "decline_practices"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "language", "summary", "description"]}),
        (_("Themes and modalities"), {"fields": ["themes", "modalities"]}),
        (
            _("Review"),
            {
                "fields": [
                    "status",
                    "review_note",
                    "proposed_by_organisation",
                    "proposed_by",
                    *TIMESTAMPS,
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposed_by_organisation")

    @admin.action(description=_("Accept the selected practices (with a note)…"))
    def accept_practices(self, request, queryset):
        return self._review(request, queryset, Practice.Status.ACCEPTED, "accept_practices")

    @admin.action(description=_("Decline the selected practices (with a note)…"))
    def decline_practices(self, request, queryset):
        return self._review(request, queryset, Practice.Status.DECLINED, "decline_practices")

    def _review(self, request, queryset, status: str, action: str):
        form = ReviewNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for practice in queryset:
                practice_review(practice=practice, status=status, note=form.cleaned_data["note"])
            count = queryset.count()
            self.message_user(
                request,
                ngettext(
                    "%(count)d practice is now “%(status)s”.",
                    "%(count)d practices are now “%(status)s”.",
                    count,
                )
                % {"count": count, "status": Practice.Status(status).label},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review practices"),
            "opts": self.model._meta,
            "practices": queryset,
            "form": form,
            "action": action,
            "status_label": Practice.Status(status).label,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/learning/practice/review.html", context)
