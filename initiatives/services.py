"""Writes with business rules for initiatives (keyword-only, wrapped in transactions)."""

from collections.abc import Iterable

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, Subquery, Value

from initiatives.models import Initiative, Participation

# One configuration for every language: records are written in several languages, and
# "simple" (lower-casing, no stemming) treats them all alike.
SEARCH_CONFIG = "simple"


def initiative_search_vector():
    """The expression a row's search vector is computed from: title, summary, description
    and the names of its participating organisations, weighted in that order."""
    organisation_names = Subquery(
        Participation.objects.filter(initiative=OuterRef("pk"))
        .values("initiative")
        .annotate(names=StringAgg("actor__name", delimiter=" "))
        .values("names")
    )
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(organisation_names, weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", Value(""), weight="C", config=SEARCH_CONFIG)
    )


def initiative_refresh_search_vector(*, initiative_ids: Iterable[int]) -> int:
    """Recompute the stored search vector of the given initiatives; returns rows updated."""
    return Initiative.objects.filter(pk__in=list(initiative_ids)).update(
        search_vector=initiative_search_vector()
    )
