"""The index pages of countries (``/countries/``) and organisations (``/organisations/``).

Both count only published initiatives that ``Initiative.objects.visible_to(request.user)``
holds, list only organisations ``Organisation.objects.visible_to(request.user)`` holds, and
run a fixed number of queries whatever the data.
"""

import unicodedata
from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from initiatives import aggregates
from initiatives.models import Initiative, Participation
from organisations.models import Organisation
from reference.models import Country

ORGANISATION_INDEX_SIZE = 50
BY_NAME = "name"
BY_REGION = "region"

# The World Bank's regions, as the reference data names them, in the page's language.
REGION_NAMES = {
    "East Asia & Pacific": _("East Asia and Pacific"),
    "Europe & Central Asia": _("Europe and Central Asia"),
    "Latin America & Caribbean": _("Latin America and the Caribbean"),
    "Middle East & North Africa": _("Middle East and North Africa"),
    "North America": _("North America"),
    "South Asia": _("South Asia"),
    "Sub-Saharan Africa": _("Sub-Saharan Africa"),
}


def sort_key(text: str) -> str:
    """``text`` as it sorts in a list for readers: accents and case set aside (Österreich
    next to Oman, Écosse next to Espagne)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def region_name(region: str) -> str:
    return str(REGION_NAMES.get(region, region)) if region else ""


@dataclass(frozen=True)
class CountryEntry:
    code: str
    name: str
    as_provider: int
    as_recipient: int


@dataclass(frozen=True)
class CountryGroup:
    name: str  # a region, or an initial letter
    countries: list[CountryEntry]


def country_index(request):
    published = Initiative.objects.visible_to(request.user).published()
    counts = aggregates.count_by_country(published)
    regions = dict(
        Country.objects.filter(code__in=[c.code for c in counts]).values_list("code", "region")
    )
    entries = sorted(
        (CountryEntry(c.code, str(c.name), c.as_provider, c.as_recipient) for c in counts),
        key=lambda entry: sort_key(entry.name),
    )
    order = BY_NAME if request.GET.get("order") == BY_NAME else BY_REGION
    if order == BY_NAME:

        def group_of(entry: CountryEntry) -> str:
            return sort_key(entry.name)[:1].upper()

        groups = [CountryGroup(letter, list(rows)) for letter, rows in groupby(entries, group_of)]
    else:
        by_region: dict[str, list[CountryEntry]] = {}
        for entry in entries:
            region = region_name(regions.get(entry.code, ""))
            by_region.setdefault(region, []).append(entry)
        named = sorted((r for r in by_region if r), key=sort_key)
        groups = [CountryGroup(region, by_region[region]) for region in named]
        if "" in by_region:
            groups.append(CountryGroup(str(_("Region not recorded")), by_region[""]))
    context = {"groups": groups, "order": order, "country_count": len(entries)}
    return render(request, "initiatives/country_index.html", context)


def _initiative_count(user):
    """The published initiatives (that ``user`` may see) an organisation owns or takes part
    in: a subquery over ``OuterRef("pk")``."""
    taking_part = Participation.objects.filter(
        initiative=OuterRef("pk"), actor=OuterRef(OuterRef("pk"))
    )
    initiatives = (
        Initiative.objects.visible_to(user)
        .published()
        .filter(Q(owner=OuterRef("pk")) | Exists(taking_part))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(initiatives, output_field=IntegerField()), 0)


def organisation_index(request):
    query = (request.GET.get("q") or "").strip()[:200]
    organisations = Organisation.objects.visible_to(request.user)
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(acronym__iexact=query))
    organisations = (
        organisations.select_related("home_country")
        .annotate(initiative_count=_initiative_count(request.user))
        .only("name", "acronym", "slug", "actor_type", "home_country")
        .order_by("name", "pk")
    )
    page = Paginator(organisations, ORGANISATION_INDEX_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query}
    return render(request, "initiatives/organisation_index.html", context)
