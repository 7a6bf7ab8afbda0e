"""The filters of the initiative list, shared by the pages and the REST API.

The facets' filters come from their declarations (``initiatives.browse.facets``); a search,
the sort order and, for the API, ranges of years and a "changed since" date are declared
here. Every value given is validated and an invalid one reported as a form error (see
``initiatives.browse.fields``). Within one filter several values mean "any of them";
different filters combine with "and". Filters on related rows use ``EXISTS`` subqueries, so
an initiative never appears twice.

:meth:`InitiativeFilterSet.narrow` applies all filters but the ones named, which is what
facet counts need (see ``initiatives.browse.counts``). :class:`InitiativeDataFilterSet` adds
the filters the API, reports and exports take beyond the page's.
"""

import types
from collections.abc import Collection

import django_filters
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from initiatives.browse.facets import BY_NAME, FACETS
from initiatives.browse.fields import YEAR_RANGE, MomentFilter, YearFilter
from initiatives.models import Initiative

__all__ = [
    "NEWEST",
    "ORDERING_CHOICES",
    "RELEVANCE",
    "YEAR_RANGE",
    "InitiativeDataFilterSet",
    "InitiativeFilterSet",
]

RELEVANCE = "relevance"
NEWEST = "newest"
ORDERING_CHOICES = [
    (RELEVANCE, _("Best match")),
    (NEWEST, _("Newest first")),
    ("title", _("Title (A–Z)")),
    ("-start_year", _("Start year, latest first")),
    ("start_year", _("Start year, earliest first")),
]


def _page_filters(namespace: dict) -> None:
    """The search, every facet's filters and the sort order, in this order (the order of
    the API's query parameters)."""
    namespace["q"] = django_filters.CharFilter(
        label=_("Search"), max_length=200, method="apply_search"
    )
    for facet in FACETS:
        namespace.update(facet.filters())
    namespace["ordering"] = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=ORDERING_CHOICES, method="apply_nothing", empty_label=None
    )


# Query parameters that qualify a facet's own filter rather than narrow on their own.
QUALIFIERS = {qualifier.name for facet in FACETS for qualifier in facet.qualifiers}

# The filters are created in order here: a filter set lists its own by creation.
_PageFilters = types.new_class("_PageFilters", (django_filters.FilterSet,), exec_body=_page_filters)


class InitiativeFilterSet(_PageFilters):
    # Filters whose values narrow the results (all but the sort order).
    NARROWING = ("q", *(name for facet in FACETS for name in facet.names))

    class Meta:
        model = Initiative
        fields: list[str] = []

    # ---- applying the filters ----

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.ordered(self.narrow(queryset))

    def narrow(self, queryset: QuerySet, *, exclude: Collection[str] = ()) -> QuerySet:
        """``queryset`` with every valid filter applied except those named in ``exclude``
        (a facet left out keeps its qualifier: see ``Facet.narrow``)."""
        data = self.cleaned_data
        for name in self.NARROWING:
            if (facet := BY_NAME.get(name)) is not None:
                queryset = facet.narrow(queryset, data, counting=name in exclude)
            elif name not in exclude and name not in QUALIFIERS:
                queryset = self.filters[name].filter(queryset, data.get(name))
        return queryset

    def ordered(self, queryset: QuerySet) -> QuerySet:
        ordering = self.ordering_key
        if ordering == RELEVANCE:
            return queryset  # ``search()`` orders by relevance
        if ordering == "title":
            return queryset.order_by("title", "pk")
        if ordering in ("start_year", "-start_year"):
            latest_first = ordering.startswith("-")
            year = F("started_year")
            year = year.desc(nulls_last=True) if latest_first else year.asc(nulls_last=True)
            return queryset.with_started_year().order_by(year, "title", "pk")
        return queryset.newest_first()

    @property
    def ordering_key(self) -> str:
        """The sort order in force: the one asked for, else best match for a search, else
        the newest first (best match without a search means nothing)."""
        searching = bool(self.selected("q"))
        ordering = next(iter(self.selected("ordering")), RELEVANCE if searching else NEWEST)
        return NEWEST if ordering == RELEVANCE and not searching else ordering

    def apply_nothing(self, queryset, name, value):
        return queryset

    def apply_search(self, queryset, name, value):
        return queryset.search(value)

    # ---- for templates ----

    @property
    def cleaned_data(self) -> dict:
        """The valid values given (none for an unbound filter set); invalid ones are left
        out and reported in ``errors``."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data

    def selected(self, name: str) -> list[str]:
        """The valid values given for filter ``name``."""
        value = self.cleaned_data.get(name)
        if value in (None, ""):
            return []
        return list(value) if isinstance(value, list | tuple) else [value]

    @property
    def is_filtered(self) -> bool:
        return any(self.selected(name) for name in self.NARROWING)


class InitiativeDataFilterSet(InitiativeFilterSet):
    """The list page's filters plus ranges of years and a "changed since" date that scripts
    use to keep a copy of the data up to date: what the API, reports and exports accept."""

    start_year_min = YearFilter(label=_("Started in or after this year"), method="apply_range")
    start_year_max = YearFilter(label=_("Started in or before this year"), method="apply_range")
    end_year_min = YearFilter(label=_("Ended in or after this year"), method="apply_range")
    end_year_max = YearFilter(label=_("Ended in or before this year"), method="apply_range")
    updated_since = MomentFilter(
        label=_(
            "Changed at or after this moment: a date (YYYY-MM-DD) or an ISO 8601 date and "
            "time with its time zone"
        ),
        method="apply_updated_since",
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
        return queryset if value is None else queryset.filter(updated_at__gte=value)

    @classmethod
    def present_in(cls, query: QueryDict) -> dict[str, list[str]]:
        """The filters (as the list page and the API name them) given a value in ``query``:
        what an export of "these results" carries over."""
        return {
            name: query.getlist(name)
            for name in cls.NARROWING
            if any(value.strip() for value in query.getlist(name))
        }
