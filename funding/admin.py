from django.contrib import admin

from funding.models import FundingContribution, FundingModel
from ssdc_portal.admin import RecordPartAdmin, TimestampedAdmin


@admin.register(FundingModel)
class FundingModelAdmin(TimestampedAdmin):
    list_display = [
        "name",
        "position",
        "iati_flow_type",
        "iati_finance_type",
        "iati_collaboration_type",
    ]
    search_fields = ["name", "slug", "description"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FundingContribution)
class FundingContributionAdmin(RecordPartAdmin):
    list_display = [
        "initiative",
        *(name for name in FundingContribution.EDITABLE_FIELDS if name != "note"),
    ]
    list_filter = ["funding_model", "is_in_kind"]
    search_fields = ["initiative__title", "funder__name", "funder__acronym", "note"]
    ordering = ["initiative__title", "funding_model__position"]
    list_select_related = ["initiative", "funding_model", "funder"]
    autocomplete_fields = ["initiative", "funder"]
