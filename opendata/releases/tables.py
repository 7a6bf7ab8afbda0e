"""The tables of a release: each registry table (:mod:`initiatives.columns`) with how its rows
are read. ``initiatives`` and ``principle_evidence`` are those of the dataset export; the
others give one row per part of a record (country, participant, contribution, outcome,
lesson) where the export flattens them into lists."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from funding.models import FundingContribution
from initiatives import columns as registry
from initiatives.models import Initiative, InitiativeCountry, Outcome, Participation
from learning.models import Lesson
from reports.builders.dataset import EVIDENCE_COLUMNS, INITIATIVE_COLUMNS
from reports.builders.dataset.columns import CellValue, evidence_rows, initiative_rows

CHUNK = 2000


@dataclass(frozen=True)
class ReleaseTable:
    table: registry.Table
    columns: list[registry.Column]
    values: list[Callable[[object], CellValue]]
    rows: Callable[[QuerySet[Initiative]], Iterable]

    @property
    def name(self) -> str:
        return self.table.name


def _declared(table: registry.Table, rows: Callable, **getters: Callable) -> ReleaseTable:
    """``table`` with a getter for each of its columns, in the registry's order."""
    return ReleaseTable(
        table, list(table.columns), [getters[column.name] for column in table.columns], rows
    )


def _exported(table: registry.Table, columns: list, rows: Callable) -> ReleaseTable:
    """``table`` as the dataset export writes it."""
    return ReleaseTable(
        table, [column.spec for column in columns], [column.value for column in columns], rows
    )


def _positioned(rows: Iterable) -> Iterator:
    """``rows`` (ordered by initiative) with ``number``: their order within the initiative."""
    current, number = None, 0
    for row in rows:
        number = number + 1 if row.initiative_id == current else 1
        current = row.initiative_id
        row.number = number
        yield row


def _slugged(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(initiative_slug=F("initiative__slug"))


def _countries(initiatives):
    return (
        _slugged(InitiativeCountry.objects.filter(initiative__in=initiatives.values("pk")))
        .order_by("initiative__slug", "role", "country_id")
        .iterator(chunk_size=CHUNK)
    )


def _participants(initiatives):
    return (
        _slugged(Participation.objects.filter(initiative__in=initiatives.values("pk")))
        .select_related("actor")
        .order_by("initiative__slug", "actor__slug", "role")
        .iterator(chunk_size=CHUNK)
    )


def _funding(initiatives):
    return (
        _slugged(FundingContribution.objects.filter(initiative__in=initiatives.values("pk")))
        .select_related("funding_model", "funder")
        .order_by("initiative__slug", "funding_model__position", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _outcomes(initiatives):
    return _positioned(
        _slugged(Outcome.objects.filter(initiative__in=initiatives.values("pk")))
        .annotate(indicator_total=Count("indicators"))
        .order_by("initiative__slug", "position", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _lessons(initiatives):
    return _positioned(
        _slugged(Lesson.objects.filter(initiative__in=initiatives.values("pk")))
        .order_by("initiative__slug", "position", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _initiatives(initiatives):
    return initiative_rows(initiatives.order_by("slug"))


def _evidence(initiatives):
    return (
        evidence_rows(initiatives)
        .order_by("initiative__slug", "principle__principle_set__slug", "principle__position", "pk")
        .iterator(chunk_size=CHUNK)
    )


TABLES = [
    _exported(registry.INITIATIVES, INITIATIVE_COLUMNS, _initiatives),
    _exported(registry.PRINCIPLE_EVIDENCE, EVIDENCE_COLUMNS, _evidence),
    _declared(
        registry.INITIATIVE_COUNTRIES,
        _countries,
        initiative=lambda row: row.initiative_slug,
        country=lambda row: row.country_id,
        role=lambda row: row.role,
        share=lambda row: row.share,
    ),
    _declared(
        registry.PARTICIPANTS,
        _participants,
        initiative=lambda row: row.initiative_slug,
        organisation=lambda row: row.actor.slug,
        organisation_name=lambda row: row.actor.name,
        organisation_type=lambda row: row.actor.actor_type,
        role=lambda row: row.role,
    ),
    _declared(
        registry.FUNDING,
        _funding,
        initiative=lambda row: row.initiative_slug,
        funding_model=lambda row: row.funding_model.slug,
        funder=lambda row: row.funder.slug if row.funder else None,
        amount=lambda row: row.amount,
        currency=lambda row: row.currency or None,
        year_start=lambda row: row.year_start,
        year_end=lambda row: row.year_end,
        in_kind=lambda row: row.is_in_kind,
    ),
    _declared(
        registry.OUTCOMES,
        _outcomes,
        initiative=lambda row: row.initiative_slug,
        position=lambda row: row.number,
        title=lambda row: row.title,
        narrative=lambda row: row.narrative or None,
        result_type=lambda row: row.result_type,
        indicator_count=lambda row: row.indicator_total,
    ),
    _declared(
        registry.LESSONS,
        _lessons,
        initiative=lambda row: row.initiative_slug,
        position=lambda row: row.number,
        text=lambda row: row.text,
        audiences=lambda row: row.audiences,
    ),
]
