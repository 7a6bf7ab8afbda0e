"""The filters in use on the initiative list, one chip per value ("Provider country: Brazil ×"),
each with the address of the same list without that value (the other values, the search and
the sort order stay).

Chips are built from the filter set's valid values and the facets as the page shows them
(their labels and their options' names in the page's language), so they cost no query.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from initiatives.browse.counts import FacetCounts
from initiatives.browse.facets import BY_NAME
from initiatives.browse.filters import InitiativeFilterSet


@dataclass(frozen=True)
class Chip:
    label: str  # "Provider country: Brazil"
    query: str  # the list's query string without this value, "?…" or ""


def _without(query: QueryDict, name: str, value: str) -> str:
    """``query`` without the pair (``name``, ``value``) and without a page number (the list
    changes, so its first page is shown)."""
    pairs = [
        (key, item)
        for key, items in query.lists()
        if key != "page"
        for item in items
        if item.strip() and not (key == name and item == value)
    ]
    return f"?{urlencode(pairs)}" if pairs else ""


def _label(facet: str, value: str) -> str:
    return _("%(filter)s: %(value)s") % {"filter": facet, "value": value}


def active_filter_chips(
    query: QueryDict, filterset: InitiativeFilterSet, facets: Iterable[FacetCounts]
) -> list[Chip]:
    """One chip per valid value of the search and of each facet, in the facets' order."""
    chips = []
    for search in filterset.selected("q"):
        label = _("Search: “%(text)s”") % {"text": search}
        chips.append(Chip(label, _without(query, "q", query.get("q", ""))))
    for facet in facets:
        selected = set(filterset.selected(facet.name))
        for option in facet.options:
            if option.value in selected:
                label = _label(facet.label, option.label)
                chips.append(Chip(label, _without(query, facet.name, option.value)))
        for qualifier in BY_NAME[facet.name].qualifiers:
            for value in filterset.selected(qualifier.name):
                name = dict(qualifier.choices).get(value, value)
                label = _label(qualifier.label, name)
                chips.append(Chip(label, _without(query, qualifier.name, value)))
    return chips
