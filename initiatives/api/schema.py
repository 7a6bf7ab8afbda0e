"""OpenAPI descriptions and query handling shared by the initiative endpoints."""

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from initiatives.browse.fields import YEAR_RANGE, MomentFilter
from initiatives.browse.filters import InitiativeDataFilterSet

# Parameters of the API itself, not filters (the API sorts for cursor pages on its own).
API_PARAMETERS = {"ordering", "cursor", "page_size", "format"}


def filter_data(query_params: QueryDict) -> QueryDict:
    """The filters of a query. An empty search (``q=``) means no search; any other empty
    value is refused, as the OpenAPI document says (a script that sends one has a bug)."""
    data = QueryDict(mutable=True)
    empty = []
    for key, values in query_params.lists():
        if key in API_PARAMETERS:
            continue
        kept = [value for value in values if value.strip()]
        if len(kept) < len(values) and key != "q":
            empty.append(key)
        if kept:
            data.setlist(key, kept)
    if empty:
        raise ValidationError(
            {key: [_("Give a value, or leave the parameter out.")] for key in empty}
        )
    return data


def _choices(declared) -> list[str] | None:
    if isinstance(declared, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        choices = declared.extra.get("choices")
        if choices is not None:
            return [str(value) for value, _label in (choices() if callable(choices) else choices)]
    queryset = declared.extra.get("queryset")
    if queryset is not None:  # a vocabulary table (sectors, modalities…)
        to_field = declared.extra.get("to_field", "slug")
        return [str(value) for value in queryset.values_list(to_field, flat=True)]
    return None


def _schema_type(declared):
    if isinstance(declared, django_filters.DateFilter):
        return OpenApiTypes.DATE
    if isinstance(declared, MomentFilter):
        # A date is accepted too (the start of that day, UTC).
        return {
            "oneOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "format": "date"},
            ]
        }
    if isinstance(declared, django_filters.NumberFilter):
        return {
            "type": "integer",
            "minimum": YEAR_RANGE["min_value"],
            "maximum": YEAR_RANGE["max_value"],
        }
    max_length = declared.extra.get("max_length")
    return {"type": "string", "maxLength": max_length} if max_length else OpenApiTypes.STR


def describe_filters(view=None) -> list[OpenApiParameter]:
    """The list page's filters as query parameters, with their allowed values."""
    parameters = []
    for name, declared in InitiativeDataFilterSet.base_filters.items():
        if name == "ordering":  # the API has its own sort orders, fit for cursor pages
            continue
        many = isinstance(declared, django_filters.MultipleChoiceFilter)
        description = str(declared.label)
        if many:
            description += " — repeat the parameter for several values (any of them matches)."
        parameters.append(
            OpenApiParameter(
                name,
                _schema_type(declared),
                many=many,
                explode=True if many else None,
                enum=_choices(declared),
                description=description,
            )
        )
    return parameters
