"""The data set's tables: every column declared once, and how the rows they read are fetched.

Two tables: ``initiatives`` (one row per initiative, related records flattened into lists)
and ``principle_evidence`` (one row per evidence item). Each column is declared (name, type,
description) in the registry :mod:`initiatives.columns` and has here a getter returning a
plain Python value (str, int, Decimal, date, datetime, bool, list or None); each format
renders it its own way
(:mod:`reports.builders.dataset.formats`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When

from funding.models import FundingContribution, funding_mix
from initiatives import columns
from initiatives.columns import INITIATIVES, PRINCIPLE_EVIDENCE
from initiatives.models import (
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from learning.models import Lesson
from principles.models import PrincipleEvidence
from ssdc_portal import links

T = TypeVar("T")
CellValue = str | int | Decimal | date | datetime | bool | list | None

INITIATIVE_CHUNK = 500
EVIDENCE_CHUNK = 2000


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a table: its declaration in the registry (name, type, description) and
    how to read it from a row."""

    spec: columns.Column
    value: Callable[[T], CellValue]
    width: int = 16

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def description(self) -> str:
        return str(self.spec.description)


# ---- initiatives ----


def _page(initiative: Initiative) -> str:
    return links.absolute_url(initiative.get_absolute_url())


def _ended_in(initiative: Initiative) -> int | None:
    end = initiative.actual_end or initiative.planned_end
    return end.year if end else initiative.end_year


def _share(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _recipient_shares(initiative: Initiative) -> list[str]:
    return [
        f"{link.country_id} {_share(link.share)}"
        for link in initiative.recipient_links
        if link.share is not None
    ]


def _funding_totals(initiative: Initiative) -> list[str]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for contribution in initiative.funding_contributions.all():
        if contribution.amount is not None:
            totals[contribution.currency] += contribution.amount
    return [f"{currency} {total:.2f}" for currency, total in sorted(totals.items())]


def _non_monetary(contribution: NonMonetaryContribution) -> str:
    text = f"{contribution.kind} {_share(contribution.quantity)}"
    if contribution.unit:
        text += f" {contribution.unit}"
    if contribution.year:
        text += f" ({contribution.year})"
    return text


def _contexts(initiative: Initiative) -> list[str]:
    flags = {
        "fragile_state": initiative.is_fragile_state,
        "post_disaster": initiative.is_post_disaster,
        "conflict_affected": initiative.is_conflict_affected,
    }
    return [name for name, flag in flags.items() if flag]


def _principles_evidenced(initiative: Initiative) -> list[str]:
    principles = {e.principle for e in initiative.principle_evidence.all()}
    return [
        f"{p.principle_set.slug}/{p.slug}"
        for p in sorted(principles, key=lambda p: (p.principle_set.slug, p.position, p.slug))
    ]


INITIATIVE_COLUMNS: list[Column[Initiative]] = [
    Column(INITIATIVES["slug"], lambda i: i.slug, 28),
    Column(INITIATIVES["page"], _page, 40),
    Column(INITIATIVES["title"], lambda i: i.title, 40),
    Column(INITIATIVES["summary"], lambda i: i.summary, 60),
    Column(INITIATIVES["language"], lambda i: i.language, 10),
    Column(
        INITIATIVES["state"],
        lambda i: i.state,
        12,
    ),
    Column(
        INITIATIVES["cooperation_type"],
        lambda i: i.cooperation_type,
    ),
    Column(
        INITIATIVES["activity_status"],
        lambda i: i.activity_status,
        10,
    ),
    Column(
        INITIATIVES["activity_status_label"],
        lambda i: str(i.get_activity_status_display()),
    ),
    Column(
        INITIATIVES["start_year"],
        lambda i: i.started_in,
        10,
    ),
    Column(
        INITIATIVES["end_year"],
        _ended_in,
        10,
    ),
    Column(INITIATIVES["planned_start"], lambda i: i.planned_start, 12),
    Column(INITIATIVES["planned_end"], lambda i: i.planned_end, 12),
    Column(INITIATIVES["actual_start"], lambda i: i.actual_start, 12),
    Column(INITIATIVES["actual_end"], lambda i: i.actual_end, 12),
    Column(INITIATIVES["owner"], lambda i: i.owner.slug, 28),
    Column(INITIATIVES["owner_name"], lambda i: i.owner.name, 32),
    Column(
        INITIATIVES["provider_countries"],
        lambda i: [link.country_id for link in i.provider_links],
    ),
    Column(
        INITIATIVES["recipient_countries"],
        lambda i: [link.country_id for link in i.recipient_links],
    ),
    Column(
        INITIATIVES["recipient_shares"],
        _recipient_shares,
        20,
    ),
    Column(
        INITIATIVES["participants"],
        lambda i: [f"{p.actor.slug} ({p.role})" for p in i.participations.all()],
        40,
    ),
    Column(
        INITIATIVES["participant_types"],
        lambda i: sorted({p.actor.actor_type for p in i.participations.all()}),
        28,
    ),
    Column(
        INITIATIVES["sectors"],
        lambda i: [sector.code for sector in i.sectors.all()],
    ),
    Column(
        INITIATIVES["sdg_goals"],
        lambda i: [goal.number for goal in i.sdg_goals.all()],
        12,
    ),
    Column(
        INITIATIVES["modalities"],
        lambda i: [modality.slug for modality in i.modalities.all()],
        24,
    ),
    Column(
        INITIATIVES["funding_models"],
        lambda i: sorted({c.funding_model.slug for c in i.funding_contributions.all()}),
        24,
    ),
    Column(
        INITIATIVES["funding_mix"],
        lambda i: [
            f"{model.slug} {share}" for model, share in funding_mix(i.funding_contributions.all())
        ],
        28,
    ),
    Column(
        INITIATIVES["funding_totals"],
        _funding_totals,
        20,
    ),
    Column(
        INITIATIVES["in_kind"],
        lambda i: any(c.is_in_kind for c in i.funding_contributions.all()),
        10,
    ),
    Column(
        INITIATIVES["non_monetary_contributions"],
        lambda i: [_non_monetary(c) for c in i.non_monetary_contributions.all()],
        32,
    ),
    Column(
        INITIATIVES["contexts"],
        _contexts,
        20,
    ),
    Column(
        INITIATIVES["provider_government_involvement"],
        lambda i: i.provider_government_involvement or None,
    ),
    Column(
        INITIATIVES["recipient_government_involvement"],
        lambda i: i.recipient_government_involvement or None,
    ),
    Column(
        INITIATIVES["coordinates_with_other_donors"],
        lambda i: i.coordinates_with_other_donors,
        10,
    ),
    Column(INITIATIVES["outcome_count"], lambda i: len(i.outcomes.all()), 10),
    Column(
        INITIATIVES["lessons"],
        lambda i: [lesson.text for lesson in i.lessons.all()],
        60,
    ),
    Column(
        INITIATIVES["lesson_audiences"],
        lambda i: ["+".join(lesson.audiences) or "unspecified" for lesson in i.lessons.all()],
        24,
    ),
    Column(INITIATIVES["source_count"], lambda i: len(i.sources.all()), 10),
    Column(
        INITIATIVES["evidence_count"],
        lambda i: len(i.principle_evidence.all()),
        10,
    ),
    Column(
        INITIATIVES["principles_evidenced"],
        _principles_evidenced,
        32,
    ),
    Column(INITIATIVES["published_at"], lambda i: i.published_at),
    Column(INITIATIVES["updated_at"], lambda i: i.updated_at),
]


# ---- principle evidence ----


EVIDENCE_COLUMNS: list[Column[PrincipleEvidence]] = [
    Column(PRINCIPLE_EVIDENCE["initiative"], lambda e: e.initiative_slug, 28),
    Column(PRINCIPLE_EVIDENCE["initiative_title"], lambda e: e.initiative_title, 40),
    Column(PRINCIPLE_EVIDENCE["principle_set"], lambda e: e.principle.principle_set.slug),
    Column(PRINCIPLE_EVIDENCE["principle"], lambda e: e.principle.slug, 24),
    Column(PRINCIPLE_EVIDENCE["principle_name"], lambda e: e.principle.name, 32),
    Column(
        PRINCIPLE_EVIDENCE["stance"],
        lambda e: e.stance,
        12,
    ),
    Column(
        PRINCIPLE_EVIDENCE["strength"],
        lambda e: e.strength,
        10,
    ),
    Column(PRINCIPLE_EVIDENCE["narrative"], lambda e: e.narrative, 60),
    Column(PRINCIPLE_EVIDENCE["quote"], lambda e: e.quote or None, 40),
    Column(
        PRINCIPLE_EVIDENCE["source_citation"],
        lambda e: e.source.citation if e.source else None,
        40,
    ),
    Column(
        PRINCIPLE_EVIDENCE["source_url"],
        lambda e: (e.source.url or None) if e.source else None,
        32,
    ),
    Column(
        PRINCIPLE_EVIDENCE["recorded_by_organisation"],
        lambda e: e.recorded_by_organisation.slug,
        28,
    ),
    Column(
        PRINCIPLE_EVIDENCE["confirmed_by_organisation"],
        lambda e: e.confirmed_by_organisation.slug if e.is_co_attested else None,
        28,
    ),
    Column(
        PRINCIPLE_EVIDENCE["confirmed_at"],
        lambda e: e.confirmed_at if e.is_co_attested else None,
    ),
    Column(
        PRINCIPLE_EVIDENCE["confirmation"],
        lambda e: e.confirmation,
        12,
    ),
    Column(
        PRINCIPLE_EVIDENCE["disputed_by_organisation"],
        lambda e: e.confirmed_by_organisation.slug if e.is_disputed else None,
        28,
    ),
    Column(
        PRINCIPLE_EVIDENCE["disputed_at"],
        lambda e: e.confirmed_at if e.is_disputed else None,
    ),
    Column(
        PRINCIPLE_EVIDENCE["dispute_note"],
        lambda e: e.confirmation_note or None,
        40,
    ),
]


TABLES = {
    "initiatives": (INITIATIVES.description, INITIATIVE_COLUMNS),
    "principle_evidence": (PRINCIPLE_EVIDENCE.description, EVIDENCE_COLUMNS),
}


# ---- reading the rows the columns read ----


def _participation_order() -> Case:
    """Lead organisations first, then the other roles in the order they are declared."""
    return Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(Participation.Role.values)),
        output_field=IntegerField(),
    )


def initiative_rows(initiatives: QuerySet[Initiative]) -> Iterator[Initiative]:
    """The initiatives with what the columns read, a fixed number of queries per chunk."""
    countries = [
        Prefetch(
            "country_links",
            queryset=InitiativeCountry.objects.order_by(
                F("share").desc(nulls_last=True), "country"
            ),
        )
    ]
    evidence = PrincipleEvidence.objects.select_related("principle__principle_set").only(
        "initiative_id",
        "principle__slug",
        "principle__position",
        "principle__principle_set__slug",
    )
    return (
        initiatives.prefetch_related(None)
        .select_related("owner")
        .defer("search_vector", "description", "coordination_note")
        .prefetch_related(
            *countries,
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor").order_by(
                    _participation_order(), "actor__name"
                ),
            ),
            "sectors",
            "sdg_goals",
            "modalities",
            Prefetch(
                "funding_contributions",
                queryset=FundingContribution.objects.select_related("funding_model").order_by(
                    "funding_model__position", "pk"
                ),
            ),
            Prefetch(
                "non_monetary_contributions",
                queryset=NonMonetaryContribution.objects.order_by("year", "kind", "pk"),
            ),
            Prefetch("outcomes", queryset=Outcome.objects.only("initiative_id")),
            Prefetch("sources", queryset=Source.objects.only("initiative_id")),
            Prefetch("principle_evidence", queryset=evidence),
            Prefetch("lessons", queryset=Lesson.objects.order_by("position", "pk")),
        )
        .order_by("pk")
        .iterator(chunk_size=INITIATIVE_CHUNK)
    )


def evidence_rows(initiatives: QuerySet[Initiative]) -> QuerySet[PrincipleEvidence]:
    """Evidence of exactly the initiatives given, grouped by initiative."""
    return (
        PrincipleEvidence.objects.filter(initiative__in=initiatives)
        .annotate(initiative_slug=F("initiative__slug"), initiative_title=F("initiative__title"))
        .select_related(
            "principle__principle_set",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
        )
        .order_by(
            "initiative_id",
            "principle__principle_set__slug",
            "principle__position",
            "-strength",
            "pk",
        )
    )
