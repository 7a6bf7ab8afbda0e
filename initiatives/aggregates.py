"""Counts of initiatives for charts, maps, the API and reports.

Every function takes a queryset of initiatives that has ALREADY been through
``Initiative.objects.visible_to(user)`` (and any filters the caller applied), counts distinct
initiatives, and runs exactly one grouped query, whatever the size of the data. The queryset
is used only as a subquery of primary keys, so callers may pass one with joins, ordering or
``distinct()`` without changing the counts.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from funding.models import FundingModel
from initiatives.models import Initiative, InitiativeCountry
from principles.models import Principle, PrincipleEvidence
from reference.models import (
    Modality,
    Sector,
    country_name,
    country_namer,
    sector_category_name,
)

Role = InitiativeCountry.Role


@dataclass(frozen=True)
class PrincipleCount:
    principle: str
    principle_set: str
    supports: int
    challenges: int
    key: str = field(default="", compare=False)  # "<set slug>/<principle slug>"
    confirmed: int = field(default=0, compare=False)  # initiatives with confirmed evidence


@dataclass(frozen=True)
class Flow:
    provider: str  # ISO 3166-1 alpha-2 code
    recipient: str
    initiatives: int

    @property
    def provider_name(self) -> str:
        return country_name(self.provider)

    @property
    def recipient_name(self) -> str:
        return country_name(self.recipient)


def largest_first(flows: Iterable[Flow]) -> list[Flow]:
    """``flows`` largest first, then by the names of their provider and recipient in the
    active language."""
    name = country_namer()
    return sorted(flows, key=lambda f: (-f.initiatives, name(f.provider), name(f.recipient)))


@dataclass(frozen=True)
class CountryCount:
    code: str
    as_provider: int
    as_recipient: int
    initiatives: int  # as provider or recipient, each initiative once

    @property
    def name(self) -> str:
        return country_name(self.code)


def _ids(initiatives: QuerySet[Initiative]) -> QuerySet:
    return initiatives.order_by().values("pk")


@dataclass(frozen=True)
class Totals:
    initiatives: int
    published: int

    @property
    def unpublished(self) -> int:
        return self.initiatives - self.published


def count_totals(initiatives: QuerySet[Initiative]) -> Totals:
    """How many initiatives, and how many of them published (moderators and editors may see
    unpublished ones)."""
    totals = Initiative.objects.filter(pk__in=_ids(initiatives)).aggregate(
        initiatives=Count("pk"),
        published=Count("pk", filter=Q(state=Initiative.State.PUBLISHED)),
    )
    return Totals(**totals)


@dataclass(frozen=True)
class Tally:
    """How many initiatives fall under one entry of a vocabulary (``key`` is its stable code)."""

    key: str
    label: str
    initiatives: int


def tally_funding_models(initiatives: QuerySet[Initiative]) -> list[Tally]:
    """Every funding model in vocabulary order, with the initiatives that draw on it."""
    rows = FundingModel.objects.annotate(
        n=Count(
            "contributions__initiative",
            distinct=True,
            filter=Q(contributions__initiative__in=_ids(initiatives)),
        )
    ).order_by("position", "name")
    return [Tally(row.slug, row.local_name, row.n) for row in rows]


def tally_modalities(initiatives: QuerySet[Initiative]) -> list[Tally]:
    """Every modality in vocabulary order, with the initiatives that use it."""
    rows = Modality.objects.annotate(
        n=Count("initiatives", distinct=True, filter=Q(initiatives__in=_ids(initiatives)))
    ).order_by("position", "name")
    return [Tally(row.slug, row.local_name, row.n) for row in rows]


def tally_sector_categories(
    initiatives: QuerySet[Initiative], *, limit: int | None = None
) -> list[Tally]:
    """DAC sector categories (3-digit) with most initiatives first (the top ``limit``).

    An initiative with several purpose codes in one category counts once for it.
    """
    rows = (
        Sector.objects.filter(initiatives__in=_ids(initiatives))
        .values("category_code", "category_name")
        .annotate(n=Count("initiatives", distinct=True))
        .order_by("-n", "category_name")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        Tally(
            row["category_code"],
            sector_category_name(row["category_code"], row["category_name"]),
            row["n"],
        )
        for row in rows
    ]


def count_by_funding_model(initiatives: QuerySet[Initiative]) -> list[tuple[str, int]]:
    return [(tally.label, tally.initiatives) for tally in tally_funding_models(initiatives)]


def count_by_modality(initiatives: QuerySet[Initiative]) -> list[tuple[str, int]]:
    return [(tally.label, tally.initiatives) for tally in tally_modalities(initiatives)]


def count_by_sector_category(
    initiatives: QuerySet[Initiative], *, limit: int = 10
) -> list[tuple[str, int]]:
    return [
        (tally.label, tally.initiatives)
        for tally in tally_sector_categories(initiatives, limit=limit)
    ]


def count_by_principle(
    initiatives: QuerySet[Initiative], *, confirmation: str = ""
) -> list[PrincipleCount]:
    """For every principle, the initiatives with evidence that supports or challenges it
    (only evidence in the ``confirmation`` state, if one is given), and those with evidence
    a partner confirmed."""
    ids = _ids(initiatives)
    counted = Q(evidence__initiative__in=ids)
    if confirmation:
        counted &= Q(evidence__confirmation=confirmation)

    def initiatives_with(condition: Q) -> Count:
        return Count("evidence__initiative", distinct=True, filter=counted & condition)

    rows = (
        Principle.objects.annotate(
            supports=initiatives_with(Q(evidence__stance=PrincipleEvidence.Stance.SUPPORTS)),
            challenges=initiatives_with(Q(evidence__stance=PrincipleEvidence.Stance.CHALLENGES)),
            confirmed=initiatives_with(
                Q(evidence__confirmation=PrincipleEvidence.Confirmation.CONFIRMED)
            ),
        )
        .select_related("principle_set")
        .order_by("principle_set__name", "position", "name")
    )
    return [
        PrincipleCount(
            key=f"{row.principle_set.slug}/{row.slug}",
            principle=row.local_short_name or row.local_name,
            principle_set=row.principle_set.local_name,
            supports=row.supports,
            challenges=row.challenges,
            confirmed=row.confirmed,
        )
        for row in rows
    ]


def count_by_start_year(initiatives: QuerySet[Initiative]) -> list[tuple[int | None, int]]:
    """Initiatives by the year work began (actual, else planned start, else the year given),
    oldest first; ``None`` gathers those with no year recorded, last."""
    started = Coalesce(
        ExtractYear("actual_start"),
        ExtractYear("planned_start"),
        "start_year",
        output_field=IntegerField(),
    )
    rows = (
        Initiative.objects.filter(pk__in=_ids(initiatives))
        .annotate(year=started)
        .values("year")
        .annotate(n=Count("pk", distinct=True))
        .order_by("year")
    )
    return [(row["year"], row["n"]) for row in rows]


def count_flows(initiatives: QuerySet[Initiative]) -> list[Flow]:
    """Initiatives per provider → recipient country pair, largest first.

    A country that is both provider and recipient of one initiative (a two-way exchange) is
    not a flow to itself and is left out.
    """
    rows = (
        InitiativeCountry.objects.filter(
            role=Role.PROVIDER,
            initiative__in=_ids(initiatives),
            initiative__country_links__role=Role.RECIPIENT,
        )
        .values("country", "initiative__country_links__country")
        .annotate(n=Count("initiative", distinct=True))
        .order_by()
    )
    flows = [
        Flow(provider=row["country"], recipient=recipient, initiatives=row["n"])
        for row in rows
        if (recipient := row["initiative__country_links__country"]) != row["country"]
    ]
    return largest_first(flows)


def count_by_country(initiatives: QuerySet[Initiative]) -> list[CountryCount]:
    """Per country, the initiatives it provides, receives, and takes part in, most first."""
    rows = (
        InitiativeCountry.objects.filter(initiative__in=_ids(initiatives))
        .values("country")
        .annotate(
            as_provider=Count("initiative", distinct=True, filter=Q(role=Role.PROVIDER)),
            as_recipient=Count("initiative", distinct=True, filter=Q(role=Role.RECIPIENT)),
            n=Count("initiative", distinct=True),
        )
        .order_by()
    )
    counts = [
        CountryCount(
            code=row["country"],
            as_provider=row["as_provider"],
            as_recipient=row["as_recipient"],
            initiatives=row["n"],
        )
        for row in rows
    ]
    return sorted(counts, key=lambda country: (-country.initiatives, country.name))


class QueryCounts:
    """The counts charts and maps draw, of a queryset of initiatives (already through
    ``visible_to``), in SQL; ``initiatives.published_counts.PublishedCounts`` gives the same
    for the public scope from the facet index."""

    def __init__(self, initiatives: QuerySet[Initiative]):
        self.initiatives = initiatives

    def totals(self) -> Totals:
        return count_totals(self.initiatives)

    def funding_models(self) -> list[Tally]:
        return tally_funding_models(self.initiatives)

    def modalities(self) -> list[Tally]:
        return tally_modalities(self.initiatives)

    def sector_categories(self, *, limit: int | None = None) -> list[Tally]:
        return tally_sector_categories(self.initiatives, limit=limit)

    def principles(self) -> list[PrincipleCount]:
        return count_by_principle(self.initiatives)

    def start_years(self) -> list[tuple[int | None, int]]:
        return count_by_start_year(self.initiatives)

    def countries(self) -> list[CountryCount]:
        return count_by_country(self.initiatives)

    def flows(self) -> list[Flow]:
        return count_flows(self.initiatives)
