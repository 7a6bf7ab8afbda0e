"""Public profiles: one country (``/countries/<iso2>/``) and one organisation
(``/organisations/<slug>/``).

Every initiative, count, flow and partner shown comes from
``Initiative.objects.visible_to(request.user)``; an organisation is shown only if
``Actor.objects.visible_to(request.user)`` holds it, and so are the networks and members
listed on its page. Each page runs a fixed number of queries whatever the data.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django_countries import countries

from funding.models import FundingContribution
from initiatives import aggregates, charts
from initiatives.models import (
    Actor,
    ActorType,
    CivicSpaceRating,
    Country,
    DialogueMechanism,
    Initiative,
    InitiativeCountry,
    NetworkMembership,
    Participation,
)

COUNTRY_LIST_SIZE = 20  # initiatives per role; the rest are one link away, in the list
ORGANISATION_PAGE_SIZE = 20
ISO2 = re.compile(r"[A-Za-z]{2}")
Role = InitiativeCountry.Role


# ---------------------------------------------------------------------------------------------
# Country profile


@dataclass(frozen=True)
class PartnerCountry:
    """A country on the other side of a profiled country's flows."""

    code: str
    receives: int  # initiatives from the profiled country to this one
    provides: int  # initiatives from this country to the profiled one

    @property
    def name(self) -> str:
        return countries.name(self.code)


def partner_countries(code: str, flows: list[aggregates.Flow]) -> list[PartnerCountry]:
    """The countries ``code`` sends initiatives to or receives them from, busiest first."""
    receives: dict[str, int] = {}
    provides: dict[str, int] = {}
    for flow in flows:
        if flow.provider == code:
            receives[flow.recipient] = receives.get(flow.recipient, 0) + flow.initiatives
        elif flow.recipient == code:
            provides[flow.provider] = provides.get(flow.provider, 0) + flow.initiatives
    partners = [
        PartnerCountry(partner, receives.get(partner, 0), provides.get(partner, 0))
        for partner in receives.keys() | provides.keys()
    ]
    return sorted(partners, key=lambda p: (-(p.receives + p.provides), p.name))


def _country(code: str) -> Country:
    if not ISO2.fullmatch(code):
        raise Http404
    ratings = CivicSpaceRating.objects.order_by("-year", "source")
    mechanisms = DialogueMechanism.objects.order_by(F("year_started").asc(nulls_last=True), "name")
    return get_object_or_404(
        Country.objects.prefetch_related(
            Prefetch("civic_space_ratings", queryset=ratings),
            Prefetch("dialogue_mechanisms", queryset=mechanisms),
        ),
        code=code.upper(),
    )


def country_detail(request, code: str):
    country = _country(code)
    code = str(country.code)
    visible = Initiative.objects.visible_to(request.user)
    involved = visible.involving_country(code)
    by_country = aggregates.count_by_country(involved)
    flows = [f for f in aggregates.count_flows(involved) if code in (f.provider, f.recipient)]
    own = next((c for c in by_country if c.code == code), None)

    def newest(role: str):
        rows = visible.involving_country(code, role).for_listing().newest_first()
        return rows[:COUNTRY_LIST_SIZE]

    context = {
        "country": country,
        "as_provider": newest(Role.PROVIDER),
        "as_recipient": newest(Role.RECIPIENT),
        "provider_count": own.as_provider if own else 0,
        "recipient_count": own.as_recipient if own else 0,
        "partners": partner_countries(code, flows),
        "flow_map": charts.world_map(
            key="map-country-flows",
            title=_("Initiatives involving %(country)s: countries and flows")
            % {"country": country},
            countries=by_country,
            flows=flows,
        )
        if own
        else None,
    }
    return render(request, "initiatives/country_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Organisation profile


@dataclass(frozen=True)
class Involvement:
    """An initiative on an organisation's profile, with the organisation's roles in it."""

    initiative: Initiative
    roles: list[str]
    is_owner: bool


def _roles(values: list[str]) -> list[str]:
    order = Participation.Role.values
    return [str(Participation.Role(value).label) for value in sorted(values, key=order.index)]


def _taking_part(initiatives: QuerySet, actor: Actor) -> QuerySet:
    participations = Participation.objects.filter(initiative=OuterRef("pk"), actor=actor)
    return (
        initiatives.with_participant(actor)
        .annotate(actor_roles=ArraySubquery(participations.values("role")))
        .for_listing()
        .newest_first()
    )


def _funded_by(initiatives: QuerySet, actor: Actor) -> QuerySet:
    contributions = FundingContribution.objects.filter(funder=actor)
    return (
        initiatives.funded_by(actor)
        .prefetch_related(
            Prefetch(
                "funding_contributions",
                queryset=contributions.select_related("funding_model").order_by(
                    F("year_start").asc(nulls_last=True), "pk"
                ),
                to_attr="contributions_from_actor",
            )
        )
        .for_listing()
        .newest_first()
    )


def organisation_detail(request, slug: str):
    organisations = Actor.objects.visible_to(request.user)
    actor = get_object_or_404(organisations.select_related("home_country"), slug=slug)
    visible = Initiative.objects.visible_to(request.user)
    networks = NetworkMembership.objects.filter(member=actor, network__in=organisations)
    members = NetworkMembership.objects.none()
    if actor.actor_type == ActorType.NETWORK:
        members = NetworkMembership.objects.filter(network=actor, member__in=organisations)
    taking_part = Paginator(_taking_part(visible, actor), ORGANISATION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    funded = Paginator(_funded_by(visible, actor), ORGANISATION_PAGE_SIZE).get_page(
        request.GET.get("funded_page")
    )
    context = {
        "actor": actor,
        "networks": networks.select_related("network").order_by("network__name"),
        "members": members.select_related("member__home_country").order_by("member__name"),
        "taking_part": taking_part,
        "involvements": [
            Involvement(initiative, _roles(initiative.actor_roles), initiative.owner_id == actor.pk)
            for initiative in taking_part
        ],
        "funded": funded,
    }
    return render(request, "initiatives/organisation_detail.html", context)
