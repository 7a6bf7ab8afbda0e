"""The API's filters: the list page's own, plus ranges of years and a "changed since" date
that scripts use to keep a copy of the data up to date."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.filters import InitiativeFilterSet

YEAR_RANGE = {"min_value": 1950, "max_value": 2100}


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **YEAR_RANGE, **kwargs)


class ApiInitiativeFilterSet(InitiativeFilterSet):
    start_year_min = YearFilter(label=_("Started in or after this year"), method="apply_range")
    start_year_max = YearFilter(label=_("Started in or before this year"), method="apply_range")
    end_year_min = YearFilter(label=_("Ended in or after this year"), method="apply_range")
    end_year_max = YearFilter(label=_("Ended in or before this year"), method="apply_range")
    updated_since = django_filters.DateFilter(
        label=_("Changed on or after this date (YYYY-MM-DD)"), method="apply_updated_since"
    )

    NARROWING = (
        *InitiativeFilterSet.NARROWING,
        "start_year_min",
        "start_year_max",
        "end_year_min",
        "end_year_max",
        "updated_since",
    )

    def apply_range(self, queryset, name, value):
        if value is None:
            return queryset
        which, bound = name.rsplit("_", 1)  # "start_year", "min"
        lookup = "gte" if bound == "min" else "lte"
        if which == "start_year":
            return queryset.with_started_year().filter(**{f"started_year__{lookup}": value})
        return queryset.with_ended_year().filter(**{f"ended_year__{lookup}": value})

    def apply_updated_since(self, queryset, name, value):
        return queryset if value is None else queryset.filter(updated_at__date__gte=value)
