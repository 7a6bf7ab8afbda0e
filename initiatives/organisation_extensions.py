"""What initiatives add to organisations (see ``organisations.extensions``): an organisation
named in an initiative someone may see is visible to them; its profile lists the initiatives
it takes part in and those it funds; a renamed organisation reaches the search vectors of its
initiatives.

Every initiative listed comes from ``Initiative.objects.visible_to(request.user)``; the
profile's sections run a fixed number of queries whatever the data. For the public, which
of the organisation's initiatives are published, and which are newest, comes from the facet
index of what is published (counting and ordering thousands of them in SQL takes a large part
of a second for the busiest organisations).
"""

from dataclasses import dataclass
from functools import partial

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from funding.models import FundingContribution
from initiatives.browse.index import FacetIndex, IndexedResults, public_index
from initiatives.models import Initiative, Participation
from initiatives.services import initiative_refresh_search_vector
from organisations.extensions import ProfileSection
from organisations.models import Organisation

ORGANISATION_PAGE_SIZE = 20


def organisation_visibility(user):
    """Named in an initiative ``user`` may see: as its owner, a participant or a funder."""
    visible = Initiative.objects.visible_to(user)
    return (
        Exists(visible.filter(owner=OuterRef("pk")))
        | Exists(visible.filter(participations__actor=OuterRef("pk")))
        | Exists(visible.filter(funding_contributions__funder=OuterRef("pk")))
    )


@dataclass(frozen=True)
class Involvement:
    """An initiative on an organisation's profile, with the organisation's roles in it."""

    initiative: Initiative
    roles: list[str]
    is_owner: bool


def _roles(values: list[str]) -> list[str]:
    order = Participation.Role.values
    return [str(Participation.Role(value).label) for value in sorted(values, key=order.index)]


def _taking_part(initiatives: QuerySet, organisation: Organisation) -> QuerySet:
    participations = Participation.objects.filter(initiative=OuterRef("pk"), actor=organisation)
    return (
        initiatives.with_participant(organisation)
        .annotate(organisation_roles=ArraySubquery(participations.values("role")))
        .for_listing()
        .newest_first()
    )


def _funded_by(initiatives: QuerySet, organisation: Organisation) -> QuerySet:
    contributions = FundingContribution.objects.filter(funder=organisation)
    return (
        initiatives.funded_by(organisation)
        .prefetch_related(
            Prefetch(
                "funding_contributions",
                queryset=contributions.select_related("funding_model").order_by(
                    F("year_start").asc(nulls_last=True), "pk"
                ),
                to_attr="contributions_from_organisation",
            )
        )
        .for_listing()
        .newest_first()
    )


def _related_keys(organisation: Organisation) -> tuple[list[int], list[int]]:
    """The primary keys of the initiatives (in any state) ``organisation`` takes part in or
    owns, and of those it funds: one query, each list read as one array (the busiest
    organisations have tens of thousands)."""
    keys = Organisation.objects.filter(pk=organisation.pk).values_list(
        ArraySubquery(Participation.objects.filter(actor=OuterRef("pk")).values("initiative")),
        # Unordered (not the model's newest first): read from the (owner, id) index alone.
        ArraySubquery(Initiative.objects.filter(owner=OuterRef("pk")).order_by().values("pk")),
        ArraySubquery(
            FundingContribution.objects.filter(funder=OuterRef("pk")).values("initiative")
        ),
    )
    taking_part, owned, funded = keys.get()
    return taking_part + owned, funded


def _published(index: FacetIndex, initiatives: QuerySet, related: list[int]) -> IndexedResults:
    """``initiatives`` restricted to the published initiatives among ``related`` (primary
    keys of initiatives in any state), newest first, paged by the facet index ``index``: one
    query for the rows of a page."""
    return IndexedResults(index, index.bits_of(related), initiatives.order_by())


def organisation_profile(request, organisation: Organisation) -> ProfileSection:
    """The initiatives the organisation takes part in (with its roles) and those it funds."""
    visible = Initiative.objects.visible_to(request.user)
    taking_part = _taking_part(visible, organisation)
    funded = _funded_by(visible, organisation)
    if not request.user.is_authenticated:
        index = public_index()
        involved, funding = _related_keys(organisation)
        taking_part = _published(index, taking_part, involved)  # each initiative counts once
        funded = _published(index, funded, funding)
    taking_part = Paginator(taking_part, ORGANISATION_PAGE_SIZE).get_page(request.GET.get("page"))
    funded = Paginator(funded, ORGANISATION_PAGE_SIZE).get_page(request.GET.get("funded_page"))
    involvements = [
        Involvement(
            initiative,
            _roles(initiative.organisation_roles),
            initiative.owner_id == organisation.pk,
        )
        for initiative in taking_part
    ]
    return ProfileSection(
        "initiatives/_organisation_initiatives.html",
        {"taking_part": taking_part, "involvements": involvements, "funded": funded},
    )


def organisation_saved(organisation: Organisation) -> None:
    """A new name reaches the search vectors of the initiatives it takes part in."""
    initiative_ids = list(
        Participation.objects.filter(actor=organisation)
        .values_list("initiative", flat=True)
        .distinct()
    )
    if initiative_ids:
        transaction.on_commit(
            partial(initiative_refresh_search_vector, initiative_ids=initiative_ids)
        )
