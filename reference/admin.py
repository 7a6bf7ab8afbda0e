"""Reference data: countries with their civic-space ratings and dialogue mechanisms,
sectors, SDGs and modalities. Edited in the admin only."""

import base64
import re
import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reference.civic_space_import import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    CivicSpaceImportError,
    civic_space_ratings_import,
    plan_import,
    read_ratings,
    too_large,
)
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


class RatingsFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with commas or semicolons between the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(str(too_large(upload.size)))
        return upload


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


# Rows listed in a preview, in each group; the counts cover every row.
PREVIEW_ROWS = 200
# Where the checked file waits for the moderator's confirmation.
SESSION_KEY = "reference.civic_space_import"


@admin.register(CivicSpaceRating)
class CivicSpaceRatingAdmin(TimestampedAdmin):
    """Ratings are typed here or on their country's page, or imported from a CSV file:
    ``import/`` checks an uploaded file and shows what it would add and change (the file waits
    in the session), and a confirmation imports it, all or nothing
    (``reference/civic_space_import.py``)."""

    list_display = ["country", "year", "source", "rating", "score"]
    list_filter = ["source", "rating", "year"]
    search_fields = ["country__code"]
    ordering = ["country", "-year"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=self._url_name("import")),
            path(
                "import/template.csv",
                view(self.import_template_view),
                name=self._url_name("import_template"),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        context = {"has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(",".join(COLUMNS) + "\r\n", content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="civic-space-ratings.csv"'
        return response

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        upload_form, problems, preview = RatingsFileForm(), [], None
        if request.method == "POST" and "token" in request.POST:
            response = self._confirm(request)
            if response is not None:
                return response
        elif request.method == "POST":
            upload_form = RatingsFileForm(request.POST, request.FILES)
            if upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                content = upload.read()
                try:
                    preview = plan_import(read_ratings(content))
                except CivicSpaceImportError as error:
                    problems = error.problems
                else:
                    token = secrets.token_urlsafe(16)
                    request.session[SESSION_KEY] = {
                        "token": token,
                        "file_name": upload.name,
                        "content": base64.b64encode(content).decode("ascii"),
                        "counts": preview.counts,
                    }
                    preview = self._preview_context(preview, upload.name, token)
        return self._render_import(request, upload_form, problems=problems, preview=preview)

    def _confirm(self, request):
        """Import the file the moderator saw the preview of; None when it is no longer there."""
        form = ConfirmImportForm(request.POST)
        waiting = request.session.get(SESSION_KEY)
        if not form.is_valid() or not waiting or waiting["token"] != form.cleaned_data["token"]:
            messages.warning(
                request, _("That preview is no longer current: upload the file again.")
            )
            return None
        content, file_name = base64.b64decode(waiting["content"]), waiting["file_name"]
        try:
            plan = plan_import(read_ratings(content))
            if plan.counts != waiting["counts"]:
                # The ratings changed since the preview: show what the import would do now.
                messages.warning(
                    request,
                    _("The ratings changed since the preview; here is what the import does now."),
                )
                waiting["counts"] = plan.counts
                request.session[SESSION_KEY] = waiting
                preview = self._preview_context(plan, file_name, waiting["token"])
                return self._render_import(request, RatingsFileForm(), preview=preview)
            plan = civic_space_ratings_import(content=content, file_name=file_name, by=request.user)
        except CivicSpaceImportError as error:
            return self._render_import(request, RatingsFileForm(), problems=error.problems)
        del request.session[SESSION_KEY]
        counts = plan.counts
        messages.success(
            request,
            ngettext(
                "Imported “%(file)s”: %(created)s rating added, %(updated)s changed, "
                "%(unchanged)s already up to date.",
                "Imported “%(file)s”: %(created)s ratings added, %(updated)s changed, "
                "%(unchanged)s already up to date.",
                counts["created"],
            )
            % {"file": file_name, **counts},
        )
        return redirect(reverse(f"admin:{self._url_name('changelist')}"))

    def _preview_context(self, plan, file_name: str, token: str) -> dict:
        return {
            "file_name": file_name,
            "counts": plan.counts,
            "created": plan.created[:PREVIEW_ROWS],
            "updated": [
                (row, [str(self.opts.get_field(name).verbose_name) for name in changed])
                for row, changed in plan.updated[:PREVIEW_ROWS]
            ],
            "more_created": max(len(plan.created) - PREVIEW_ROWS, 0),
            "more_updated": max(len(plan.updated) - PREVIEW_ROWS, 0),
            "has_changes": bool(plan.created or plan.updated),
            "confirm_form": ConfirmImportForm(initial={"token": token}),
        }

    def _render_import(self, request, upload_form, *, problems=(), preview=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import ratings from CSV"),
            "upload_form": upload_form,
            "problems": problems,
            "preview": preview,
            "columns": COLUMNS,
            "sources": CivicSpaceRating.Source.choices,
            "ratings": CivicSpaceRating.Rating.choices,
            "max_file_size": MAX_FILE_BYTES,
            "max_rows": MAX_ROWS,
            "template_url": reverse(f"admin:{self._url_name('import_template')}"),
            "changelist_url": reverse(f"admin:{self._url_name('changelist')}"),
        }
        status = 400 if problems or (upload_form.is_bound and upload_form.errors) else 200
        return TemplateResponse(
            request, "admin/reference/civicspacerating/import.html", context, status=status
        )


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
