from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Membership, User
from ssdc_portal.admin import TabularInline, TimestampedAdmin


class MembershipInline(TabularInline):
    model = Membership
    fields = ["organisation", "role"]
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ["language"]}))
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TimestampedAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "organisation__name", "organisation__acronym"]
    ordering = ["organisation__name", "user__username"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent by organisations' managers from their team page, which e-mails
    the link; here they are looked up, and deleted if need be (the link then stops
    working). Their answers are the invited people's, so nothing here can be changed."""

    list_display = ["email", "organisation", "role", "state", "expires_at", "invited_by"]
    list_filter = ["state", "role"]
    search_fields = ["email", "organisation__name", "organisation__acronym"]
    list_select_related = ["organisation", "invited_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "state",
        "invited_by",
        "expires_at",
        "answered_at",
        "answered_by",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
