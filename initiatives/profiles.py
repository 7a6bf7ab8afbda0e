"""The public profile of one country (``/countries/<iso2>/``).

Every initiative, count, flow and partner shown comes from
``Initiative.objects.visible_to(request.user)``. The page runs a fixed number of queries
whatever the data.
"""

import re
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django_countries import countries

from initiatives import aggregates, charts
from initiatives.models import Initiative, InitiativeCountry
from learning.lessons import queries as lessons
from reference.models import CivicSpaceRating, Country, DialogueMechanism

COUNTRY_LIST_SIZE = 20  # initiatives per role; the rest are one link away, in the list
COUNTRY_LESSON_COUNT = 10  # lessons shown; the rest are one link away, in the API
ISO2 = re.compile(r"[A-Za-z]{2}")
Role = InitiativeCountry.Role


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

    country_lessons = lessons.concerning_country(lessons.lessons_visible_to(request.user), code)

    context = {
        "country": country,
        "ratings": country.civic_space_ratings.all(),  # prefetched, latest first
        "mechanisms": country.dialogue_mechanisms.all(),  # prefetched, oldest first
        "as_provider": newest(Role.PROVIDER),
        "as_recipient": newest(Role.RECIPIENT),
        "provider_count": own.as_provider if own else 0,
        "recipient_count": own.as_recipient if own else 0,
        "partners": partner_countries(code, flows),
        "lessons": lessons.for_listing(country_lessons).order_by(
            F("initiative__published_at").desc(nulls_last=True), "initiative", "position", "pk"
        )[:COUNTRY_LESSON_COUNT],
        "lesson_count": country_lessons.count(),
        "flow_map": charts.world_map(
            key="map-country-flows",
            title=_("Initiatives involving %(country)s: countries and flows")
            % {"country": country},
            countries=by_country,
            flows=flows,
            flow_link=charts.flow_link,
            country_link=charts.country_link,
            highlight=code,
            highlight_name=country.name,
        )
        if own
        else None,
    }
    return render(request, "initiatives/country_detail.html", context)
