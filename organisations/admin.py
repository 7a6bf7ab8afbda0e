"""Organisations and their membership of networks."""

from django.contrib import admin

from organisations.models import NetworkMembership, Organisation
from organisations.services import organisation_save
from ssdc_portal.admin import TabularInline, TimestampedAdmin


class CountryListFilter(admin.RelatedOnlyFieldListFilter):
    """The countries in use, by name. A country's key is a django-countries ``Country``
    object, which the admin cannot put in a link as it is; it goes in as its ISO code."""

    def field_choices(self, field, request, model_admin):
        return [
            (str(code), name) for code, name in super().field_choices(field, request, model_admin)
        ]


class NetworkMembershipInline(TabularInline):
    model = NetworkMembership
    fk_name = "member"
    fields = ["network", "joined_year"]
    autocomplete_fields = ["network"]


@admin.register(Organisation)
class OrganisationAdmin(TimestampedAdmin):
    list_display = ["name", "acronym", "actor_type", "home_country", "updated_at"]
    list_filter = ["actor_type", ("home_country", CountryListFilter)]
    search_fields = ["name", "acronym", "slug", "iati_identifier"]
    ordering = ["name"]
    list_select_related = ["home_country"]
    autocomplete_fields = ["home_country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkMembershipInline]

    def save_model(self, request, obj, form, change):
        # A renamed organisation must reach the search index of its initiatives.
        organisation_save(organisation=obj)


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(TimestampedAdmin):
    list_display = ["member", "network", "joined_year"]
    search_fields = ["member__name", "member__acronym", "network__name", "network__acronym"]
    ordering = ["network__name", "member__name"]
    list_select_related = ["member", "network"]
    autocomplete_fields = ["member", "network"]
