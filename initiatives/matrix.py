"""The principles matrix page (``/principles/``): initiatives × the principles of one set, each
cell the strongest evidence of each stance.

Rows are the initiatives ``Initiative.objects.visible_to(request.user)`` holds, narrowed by
the same filters (and GET parameters) as the initiative list; the cells and the summary row
come from ``principles.matrix``, a fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django_countries import countries

from initiatives.browse.fields import CodeMultipleChoiceField
from initiatives.browse.filters import InitiativeFilterSet
from initiatives.models import Initiative
from principles.matrix import (
    DEFAULT_SET,
    STANCE_LABELS,
    chosen_set,
    column_summaries,
    matrix_rows,
    principle_sets,
)
from principles.models import PrincipleEvidence

MATRIX_PAGE_SIZE = 50
# Filters the matrix form offers; the others in use travel along as hidden fields.
FORM_FILTERS = ("q", "provider", "recipient", "stance", "confirmation")


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def active_filters(filterset: InitiativeFilterSet, query: QueryDict) -> list[ActiveFilter]:
    """Each valid filter value in use, named for people, with a link that removes it."""
    active = []
    for name in filterset.NARROWING:
        values = filterset.selected(name)
        if not values:
            continue
        field = filterset.form.fields[name]
        labels = _value_labels(field, values)
        for value in values:
            remaining = query.copy()
            remaining.pop("page", None)
            if isinstance(field, forms.MultipleChoiceField):
                remaining.setlist(name, [v for v in query.getlist(name) if v != str(value)])
            else:
                remaining.pop(name, None)
            active.append(
                ActiveFilter(
                    str(field.label), labels.get(str(value), str(value)), _query(remaining)
                )
            )
    return active


def _value_labels(field, values: list[str]) -> dict[str, str]:
    if isinstance(field, CodeMultipleChoiceField):
        rows = field.queryset.filter(**{f"{field.to_field}__in": values})
        return {str(getattr(row, field.to_field)): str(row) for row in rows}
    return {str(value): str(label) for value, label in getattr(field, "choices", ())}


def _query(query: QueryDict) -> str:
    return "?" + query.urlencode() if query else ""


def principles_matrix(request):
    sets = principle_sets()
    principle_set, set_error = chosen_set(sets, request.GET.get("set", ""))
    principles = list(principle_set.principles.all()) if principle_set else []
    filterset = InitiativeFilterSet(
        request.GET, queryset=Initiative.objects.visible_to(request.user)
    )
    page = Paginator(filterset.qs.for_listing(), MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    # Only evidence in that state fills the cells, as it narrows the initiatives.
    confirmation = next(iter(filterset.selected("confirmation")), "")
    clear = QueryDict(mutable=True)
    if principle_set and principle_set.slug != DEFAULT_SET:
        clear["set"] = principle_set.slug
    context = {
        "sets": sets,
        "principle_set": principle_set,
        "set_error": set_error,
        "principles": principles,
        "filterset": filterset,
        "page": page,
        "rows": matrix_rows(list(page), principles, confirmation=confirmation),
        "summaries": column_summaries(filterset.qs, principles, confirmation=confirmation),
        "active_filters": active_filters(filterset, request.GET),
        "clear_url": _query(clear),
        "form_values": {name: next(iter(filterset.selected(name)), "") for name in FORM_FILTERS},
        "country_choices": list(countries),
        "stance_choices": list(STANCE_LABELS.items()),
        "confirmation_choices": PrincipleEvidence.Confirmation.choices,
        "hidden_filters": _hidden_filters(filterset),
    }
    return render(request, "initiatives/principles_matrix.html", context)


def _hidden_filters(filterset: InitiativeFilterSet) -> list[tuple[str, str]]:
    """Valid filter values the matrix form has no field for (and second or later values of
    those it has), so that submitting the form keeps them."""
    hidden = []
    for name in (*filterset.NARROWING, "ordering"):
        values = [str(value) for value in filterset.selected(name)]
        hidden.extend((name, value) for value in values[1 if name in FORM_FILTERS else 0 :])
    return hidden
