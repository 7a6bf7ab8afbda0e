"""Admin for the learning app's exchange: the moderation of listings (publish, or return
with a note) and a read-only view of relayed messages, with those reported as abuse."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learning.exchange import services
from learning.models import ContactMessage, Listing


class ModeratorsOnly:
    """Moderators act on the exchange whatever their model permissions say."""

    def has_module_permission(self, request):
        return request.user.is_authenticated and request.user.is_moderator

    def has_view_permission(self, request, obj=None):
        return request.user.is_authenticated and request.user.is_moderator


class ExpiredFilter(admin.SimpleListFilter):
    title = _("open or ended")
    parameter_name = "expired"

    def lookups(self, request, model_admin):
        return [("no", _("Still open")), ("yes", _("Ended"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(open_until__lt=today)
        if self.value() == "no":
            return queryset.filter(open_until__gte=today)
        return queryset


class ReturnNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organisation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What to change before the listing can be published."),
    )


@admin.register(Listing)
class ListingAdmin(ModeratorsOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "state", "open_until", "updated_at"]
    list_filter = ["state", "kind", ExpiredFilter, "theme"]
    search_fields = ["title", "description", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "countries"]
    raw_id_fields = ["practice"]
    readonly_fields = ["created_by", "reviewed_at", "created_at", "updated_at"]
    actions = ["approve", "return_with_note"]
    ordering = ["state", "-updated_at"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_moderator

    def has_add_permission(self, request):
        return False  # organisations write their own listings

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Publish the selected listings"))
    def approve(self, request, queryset):
        count = 0
        for listing in queryset:
            services.listing_approve(listing=listing, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d listing published.", "%(count)d listings published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Return the selected listings with a note…"))
    def return_with_note(self, request, queryset):
        """Asks for the note on an intermediate page, which posts back to this action."""
        form = ReturnNoteForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Return to the organisation with a note"),
                "opts": self.opts,
                "form": form,
                "listings": list(queryset.select_related("organisation")),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "learning/exchange/admin_return_note.html", context)
        count = 0
        for listing in queryset:
            services.listing_return(
                listing=listing, by=request.user, note=form.cleaned_data["note"]
            )
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d listing returned.", "%(count)d listings returned.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported as abuse")), ("no", _("Not reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(reported_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(reported_at__isnull=True)
        return queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(ModeratorsOnly, admin.ModelAdmin):
    """Read-only: the record of what was relayed, for reports of abuse."""

    list_display = [
        "subject",
        "sender_organisation",
        "recipient_organisation",
        "created_at",
        "relayed_to",
        "reported_at",
    ]
    list_filter = [ReportedFilter, "created_at"]
    search_fields = ["subject", "body", "sender_organisation__name", "recipient_organisation__name"]
    list_select_related = ["sender_organisation", "recipient_organisation"]
    ordering = ["-created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
