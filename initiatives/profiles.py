"""The public profile of one country (``/countries/<iso2>/``).

Every initiative, count, flow and partner shown comes from
``Initiative.objects.visible_to(request.user)``: for the public, from the facet index of what
is published (the busiest countries take part in tens of thousands of initiatives, which
grouped SQL counts in a second); for anyone who may see more, in SQL. The page runs a fixed
number of queries whatever the data.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from initiatives import aggregates, charts, published_counts
from initiatives.browse.index import FacetIndex, public_index
from initiatives.models import Initiative, InitiativeCountry
from learning.lessons import queries as lessons
from learning.models import Lesson
from reference.models import CivicSpaceRating, Country, DialogueMechanism

COUNTRY_LIST_SIZE = 20  # initiatives per role; the rest are one link away, in the list
COUNTRY_LESSON_COUNT = 10  # lessons shown; the rest are one link away, in the API
FLOW_SECTIONS_KEPT = 32  # rendered partner tables and maps a process keeps (see flows_section)
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
        return aggregates.country_name(self.code)

    @property
    def address(self) -> str:
        return _country_address(get_language(), get_script_prefix(), self.code)


@lru_cache(maxsize=1024)
def _country_address(language: str | None, prefix: str, code: str) -> str:
    """A country's profile in a language (a profile links a hundred partners)."""
    return reverse("country-detail", args=[code])


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


LESSON_ORDER = (F("initiative__published_at").desc(nulls_last=True), "initiative", "position", "pk")


@dataclass(frozen=True)
class CountryFigures:
    """What the profile shows of the initiatives involving a country."""

    by_country: list[aggregates.CountryCount]  # every country they involve
    flows: list[aggregates.Flow]  # to or from the country
    as_provider: list[Initiative]  # the newest COUNTRY_LIST_SIZE
    as_recipient: list[Initiative]
    lessons: list[Lesson]  # the newest COUNTRY_LESSON_COUNT
    lesson_count: int


def _figures_in_sql(user, code: str) -> CountryFigures:
    visible = Initiative.objects.visible_to(user)
    involved = aggregates.QueryCounts(visible.involving_country(code))

    def newest(role: str) -> list[Initiative]:
        rows = visible.involving_country(code, role).for_listing().newest_first()
        return list(rows[:COUNTRY_LIST_SIZE])

    country_lessons = lessons.concerning_country(lessons.lessons_visible_to(user), code)
    return CountryFigures(
        by_country=involved.countries(),
        flows=[f for f in involved.flows() if code in (f.provider, f.recipient)],
        as_provider=newest(Role.PROVIDER),
        as_recipient=newest(Role.RECIPIENT),
        lessons=list(
            lessons.for_listing(country_lessons).order_by(*LESSON_ORDER)[:COUNTRY_LESSON_COUNT]
        ),
        lesson_count=country_lessons.count(),
    )


def _published_figures(code: str) -> CountryFigures:
    """:func:`_figures_in_sql` for the public, from the facet index."""
    index = public_index()
    involved = published_counts.involving_country(code, index)

    def newest(role: str) -> list[int]:
        option = index.facets[role].get(code)
        return index.pks_between(option.bits, 0, COUNTRY_LIST_SIZE) if option else []

    pks = {role: newest(role) for role in (Role.PROVIDER, Role.RECIPIENT)}
    # Both lists in one read: an initiative can be in both (a two-way exchange).
    wanted = {pk for listed in pks.values() for pk in listed}
    rows = Initiative.objects.visible_to(None).for_listing().filter(pk__in=wanted)
    by_pk = {initiative.pk: initiative for initiative in rows}
    shown, lesson_count = _published_lessons(index, involved.within)
    return CountryFigures(
        by_country=involved.countries(),
        flows=involved.flows(involving=code),
        as_provider=[by_pk[pk] for pk in pks[Role.PROVIDER] if pk in by_pk],
        as_recipient=[by_pk[pk] for pk in pks[Role.RECIPIENT] if pk in by_pk],
        lessons=shown,
        lesson_count=lesson_count,
    )


def _published_lessons(index: FacetIndex, involved: int) -> tuple[list[Lesson], int]:
    """The newest lessons of the published initiatives ``involved`` (bits of ``index``), and
    how many they have: counted from the index, read in one query (and its prefetches)."""
    counts = published_counts.lesson_counts(index)
    # Each of the newest initiatives with lessons has one at least: enough of them.
    newest = index.pks_between(involved & counts.with_lessons, 0, COUNTRY_LESSON_COUNT)
    shown = lessons.for_listing(Lesson.objects.filter(initiative__in=newest)).order_by(
        *LESSON_ORDER
    )
    return list(shown[:COUNTRY_LESSON_COUNT]), counts.total(involved)


@dataclass(frozen=True)
class FlowsSection:
    """The partner table and the map of a country's flows, rendered."""

    flow_map: charts.Chart | None  # None when no initiative involves the country
    html: str


def flows_section(code: str, by_country: list, flows: list) -> FlowsSection:
    """The partner countries of ``code`` and the map of its flows, for a page in the active
    language.

    For the busiest countries (a hundred partners, two hundred flows) drawing and writing
    these is most of the page's work, and they are a function of the counts they show and
    nothing else. So each process keeps the latest it rendered, by those counts themselves:
    whatever changes a count (a publication, an edit, an archive) makes a new key, and a
    page can never show figures other than the ones it was given.
    """
    return _flows_section(
        get_language(),
        get_script_prefix(),
        charts.FLOWS_LISTED,
        code,
        tuple(by_country),
        tuple(flows),
    )


@lru_cache(maxsize=FLOW_SECTIONS_KEPT)
def _flows_section(
    language: str | None,
    prefix: str,
    flows_listed: int,
    code: str,
    by_country: tuple[aggregates.CountryCount, ...],
    flows: tuple[aggregates.Flow, ...],
) -> FlowsSection:
    name = aggregates.country_name(code)
    flow_map = None
    if any(c.code == code for c in by_country):
        flow_map = charts.world_map(
            key="map-country-flows",
            title=_("Initiatives involving %(country)s: countries and flows") % {"country": name},
            countries=by_country,
            flows=flows,
            flow_link=charts.flow_link,
            country_link=charts.country_link,
            highlight=code,
            highlight_name=name,
            # The table of partner countries holds every flow to or from the country.
            flows_listed=flows_listed,
            all_flows=(
                (
                    _("Every flow to or from %(country)s: the table of partner countries")
                    % {"country": name},
                    "#partners-heading",
                ),
            ),
        )
    context = {
        "country_name": name,
        "partners": partner_countries(code, list(flows)),
        "flow_map": flow_map,
    }
    return FlowsSection(flow_map, render_to_string("initiatives/_country_flows.html", context))


def country_detail(request, code: str):
    country = _country(code)
    code = str(country.code)
    if request.user.is_authenticated:
        figures = _figures_in_sql(request.user, code)
    else:
        figures = _published_figures(code)
    own = next((c for c in figures.by_country if c.code == code), None)
    flows = flows_section(code, figures.by_country, figures.flows)
    context = {
        "country": country,
        "ratings": country.civic_space_ratings.all(),  # prefetched, latest first
        "mechanisms": country.dialogue_mechanisms.all(),  # prefetched, oldest first
        "as_provider": figures.as_provider,
        "as_recipient": figures.as_recipient,
        "provider_count": own.as_provider if own else 0,
        "recipient_count": own.as_recipient if own else 0,
        "lessons": figures.lessons,
        "lesson_count": figures.lesson_count,
        "flow_map": flows.flow_map,
        "flows_section": flows.html,
    }
    return render(request, "initiatives/country_detail.html", context)
