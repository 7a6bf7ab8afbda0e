"""OpenAPI descriptions shared by the initiative endpoints."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from initiatives.filters import InitiativeFilterSet


def filter_parameters() -> list[OpenApiParameter]:
    """The list page's filters as query parameters (the same InitiativeFilterSet)."""
    parameters = []
    for name, declared in InitiativeFilterSet.base_filters.items():
        if name == "ordering":  # the API has its own sort orders, fit for cursor pages
            continue
        many = isinstance(declared, django_filters.MultipleChoiceFilter)
        description = str(declared.label)
        if many:
            description += " — repeat the parameter for several values (any of them matches)."
        parameters.append(
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                many=many,
                explode=True if many else None,
                description=description,
            )
        )
    return parameters
