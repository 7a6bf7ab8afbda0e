"""The data set's tables: every column declared once, and how the rows they read are fetched.

Two tables: ``initiatives`` (one row per initiative, related records flattened into lists)
and ``principle_evidence`` (one row per evidence item). Each column has a name, the
description the data dictionary prints, and a getter returning a plain Python value (str,
int, Decimal, date, datetime, bool, list or None); each format renders it its own way
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
    """One column of a table: its name, what it holds, and how to read it from a row."""

    name: str
    description: str
    value: Callable[[T], CellValue]
    width: int = 16


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
    Column("slug", "Identifier of the record, unique and stable.", lambda i: i.slug, 28),
    Column("page", "Address of the record's public page.", _page, 40),
    Column("title", "Title.", lambda i: i.title, 40),
    Column("summary", "Short description.", lambda i: i.summary, 60),
    Column("language", "Language the text is written in (ISO 639-1).", lambda i: i.language, 10),
    Column(
        "state",
        "Moderation state (draft, submitted, returned, published, archived); every row is "
        "'published' unless the export included unpublished records.",
        lambda i: i.state,
        12,
    ),
    Column(
        "cooperation_type",
        "bilateral, triangular (with a traditional donor or multilateral) or regional.",
        lambda i: i.cooperation_type,
    ),
    Column(
        "activity_status",
        "IATI activity status code (1 pipeline to 6 suspended).",
        lambda i: i.activity_status,
        10,
    ),
    Column(
        "activity_status_label",
        "Name of the IATI activity status.",
        lambda i: str(i.get_activity_status_display()),
    ),
    Column(
        "start_year",
        "Year work began: from the actual start date, else the planned one, else the year given.",
        lambda i: i.started_in,
        10,
    ),
    Column(
        "end_year",
        "Year work ended: from the actual end date, else the planned one, else the year given.",
        _ended_in,
        10,
    ),
    Column("planned_start", "Planned start date.", lambda i: i.planned_start, 12),
    Column("planned_end", "Planned end date.", lambda i: i.planned_end, 12),
    Column("actual_start", "Actual start date.", lambda i: i.actual_start, 12),
    Column("actual_end", "Actual end date.", lambda i: i.actual_end, 12),
    Column("owner", "Slug of the organisation that keeps the record.", lambda i: i.owner.slug, 28),
    Column("owner_name", "Name of that organisation.", lambda i: i.owner.name, 32),
    Column(
        "provider_countries",
        "Countries the cooperation comes from (ISO 3166-1 alpha-2), largest share first.",
        lambda i: [link.country_id for link in i.provider_links],
    ),
    Column(
        "recipient_countries",
        "Countries the cooperation takes place in (ISO 3166-1 alpha-2), largest share first.",
        lambda i: [link.country_id for link in i.recipient_links],
    ),
    Column(
        "recipient_shares",
        "Share (%) of the effort in each recipient country, as 'code share'; countries with "
        "no share recorded are left out.",
        _recipient_shares,
        20,
    ),
    Column(
        "participants",
        "Organisations taking part, as 'slug (role)'; roles: lead, implementing, funding, "
        "partner, accountable.",
        lambda i: [f"{p.actor.slug} ({p.role})" for p in i.participations.all()],
        40,
    ),
    Column(
        "participant_types",
        "Kinds of organisation taking part (portal organisation type codes), each once.",
        lambda i: sorted({p.actor.actor_type for p in i.participations.all()}),
        28,
    ),
    Column(
        "sectors",
        "OECD DAC 5-digit purpose codes.",
        lambda i: [sector.code for sector in i.sectors.all()],
    ),
    Column(
        "sdg_goals",
        "Sustainable Development Goals addressed (numbers 1–17).",
        lambda i: [goal.number for goal in i.sdg_goals.all()],
        12,
    ),
    Column(
        "modalities",
        "How knowledge is shared (portal modality slugs).",
        lambda i: [modality.slug for modality in i.modalities.all()],
        24,
    ),
    Column(
        "funding_models",
        "Ways the initiative is financed (portal funding model slugs).",
        lambda i: sorted({c.funding_model.slug for c in i.funding_contributions.all()}),
        24,
    ),
    Column(
        "funding_mix",
        "Share (%) of each funding model, as 'slug share'. Shares follow the amounts when "
        "every contribution gives one in the same currency; otherwise each contribution "
        "counts equally.",
        lambda i: [
            f"{model.slug} {share}" for model, share in funding_mix(i.funding_contributions.all())
        ],
        28,
    ),
    Column(
        "funding_totals",
        "Sum of the amounts recorded, per currency, as 'currency amount' (ISO 4217). "
        "Contributions without an amount are not counted.",
        _funding_totals,
        20,
    ),
    Column(
        "in_kind",
        "Whether any funding contribution is given in kind rather than as money.",
        lambda i: any(c.is_in_kind for c in i.funding_contributions.all()),
        10,
    ),
    Column(
        "non_monetary_contributions",
        "Effort given in kind, as 'kind quantity unit (year)': person_days, participants, "
        "exchange_visits, training_sessions or other.",
        lambda i: [_non_monetary(c) for c in i.non_monetary_contributions.all()],
        32,
    ),
    Column(
        "contexts",
        "Difficult settings the work takes place in: fragile_state, post_disaster, "
        "conflict_affected.",
        _contexts,
        20,
    ),
    Column(
        "provider_government_involvement",
        "Part played by the provider country's government: none, informed, consulted, "
        "collaborating or co_implementing; empty when not recorded.",
        lambda i: i.provider_government_involvement or None,
    ),
    Column(
        "recipient_government_involvement",
        "Part played by the recipient country's government, on the same scale.",
        lambda i: i.recipient_government_involvement or None,
    ),
    Column(
        "coordinates_with_other_donors",
        "Whether the work is coordinated with other donors or international NGOs; empty when "
        "not recorded.",
        lambda i: i.coordinates_with_other_donors,
        10,
    ),
    Column("outcome_count", "Number of outcomes reported.", lambda i: len(i.outcomes.all()), 10),
    Column(
        "lessons",
        "Lessons learned, each as written (in the record's language), in the record's order.",
        lambda i: [lesson.text for lesson in i.lessons.all()],
        60,
    ),
    Column(
        "lesson_audiences",
        "Whom each lesson is for, in the order of 'lessons': civil_society, governments and/or "
        "funders joined by '+', or 'unspecified'.",
        lambda i: ["+".join(lesson.audiences) or "unspecified" for lesson in i.lessons.all()],
        24,
    ),
    Column("source_count", "Number of sources cited.", lambda i: len(i.sources.all()), 10),
    Column(
        "evidence_count",
        "Number of principle evidence items (rows of the principle_evidence table).",
        lambda i: len(i.principle_evidence.all()),
        10,
    ),
    Column(
        "principles_evidenced",
        "Principles with at least one evidence item, of either stance, as 'set/principle'.",
        _principles_evidenced,
        32,
    ),
    Column("published_at", "When the record was first published (UTC).", lambda i: i.published_at),
    Column("updated_at", "When the record last changed (UTC).", lambda i: i.updated_at),
]


# ---- principle evidence ----


EVIDENCE_COLUMNS: list[Column[PrincipleEvidence]] = [
    Column("initiative", "Slug of the initiative.", lambda e: e.initiative_slug, 28),
    Column("initiative_title", "Title of the initiative.", lambda e: e.initiative_title, 40),
    Column(
        "principle_set", "Slug of the set of principles.", lambda e: e.principle.principle_set.slug
    ),
    Column("principle", "Slug of the principle within its set.", lambda e: e.principle.slug, 24),
    Column("principle_name", "Name of the principle.", lambda e: e.principle.name, 32),
    Column(
        "stance",
        "supports (the principle was practised) or challenges (a gap or shortfall).",
        lambda e: e.stance,
        12,
    ),
    Column(
        "strength",
        "1 claimed by the initiative, 2 documented in a source, 3 independently evaluated.",
        lambda e: e.strength,
        10,
    ),
    Column("narrative", "What happened.", lambda e: e.narrative, 60),
    Column("quote", "A quotation backing the evidence.", lambda e: e.quote or None, 40),
    Column(
        "source_citation",
        "The source the evidence rests on.",
        lambda e: e.source.citation if e.source else None,
        40,
    ),
    Column(
        "source_url",
        "Link to that source.",
        lambda e: (e.source.url or None) if e.source else None,
        32,
    ),
    Column(
        "recorded_by_organisation",
        "Slug of the organisation that recorded the evidence.",
        lambda e: e.recorded_by_organisation.slug,
        28,
    ),
    Column(
        "confirmed_by_organisation",
        "Slug of a second organisation of the initiative that confirms it; empty if none.",
        lambda e: e.confirmed_by_organisation.slug if e.is_co_attested else None,
        28,
    ),
    Column(
        "confirmed_at",
        "When it was confirmed (UTC).",
        lambda e: e.confirmed_at if e.is_co_attested else None,
    ),
    Column(
        "confirmation",
        "unconfirmed, confirmed or disputed by a second organisation of the initiative.",
        lambda e: e.confirmation,
        12,
    ),
    Column(
        "disputed_by_organisation",
        "Slug of a second organisation of the initiative that disputes it; empty if none.",
        lambda e: e.confirmed_by_organisation.slug if e.is_disputed else None,
        28,
    ),
    Column(
        "disputed_at",
        "When it was disputed (UTC).",
        lambda e: e.confirmed_at if e.is_disputed else None,
    ),
    Column(
        "dispute_note",
        "What the disputing organisation says is wrong.",
        lambda e: e.confirmation_note or None,
        40,
    ),
]


TABLES = {
    "initiatives": ("One row per initiative.", INITIATIVE_COLUMNS),
    "principle_evidence": (
        "One row per item of evidence that an initiative practised a principle, or fell "
        "short of it.",
        EVIDENCE_COLUMNS,
    ),
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
