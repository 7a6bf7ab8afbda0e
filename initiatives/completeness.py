"""What a good record still lacks: outcomes without indicators, evidence without a source,
countries without shares, no funding… The editor's page and the editor's dashboard (/my/)
show the same gaps, worked out here.

Some gaps are also what an IATI file needs and cannot invent (shares that add up to 100, a
start date for work that has begun): the data-only rules for those are here
(:func:`shares_complete`, :data:`STARTED`, :func:`start_missing`), and the open data app
reuses them to decide what it writes, so the editor is told exactly what the file lacks.

The counts come from one annotation (``with_completeness``), so that a list of records costs
no query per record; ``record_gaps`` reads them from a record annotated so, or asks the
database for them (one query) for a record that is not.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from funding.models import FundingContribution
from initiatives.models import (
    Initiative,
    InitiativeCountry,
    InitiativeSector,
    InitiativeTranslation,
    Outcome,
    Participation,
    Source,
)
from principles.models import PrincipleEvidence
from principles.vocabularies import BUSAN
from reference.iati import ActivityStatus

PREFIX = "completeness_"
HUNDRED = Decimal(100)

# Statuses in which work has begun, or has finished.
STARTED = frozenset(
    {
        ActivityStatus.IMPLEMENTATION,
        ActivityStatus.FINALISATION,
        ActivityStatus.CLOSED,
        ActivityStatus.SUSPENDED,
    }
)
ENDED = frozenset({ActivityStatus.FINALISATION, ActivityStatus.CLOSED})


def shares_complete(shares: Sequence[Decimal | None]) -> bool:
    """Whether these shares (of sectors, or of recipient countries) say how the effort is
    split: none or one row needs no share (one row has it all); several need a share each,
    adding up to exactly 100."""
    if len(shares) <= 1:
        return True
    return all(share is not None for share in shares) and sum(shares, Decimal(0)) == HUNDRED


def start_missing(initiative: Initiative) -> bool:
    """Whether the status says work has begun but no start is recorded (an exact actual
    start, or at least the year)."""
    return (
        initiative.activity_status in STARTED
        and initiative.actual_start is None
        and initiative.start_year is None
    )


def has_no_start(initiative: Initiative) -> bool:
    """Whether no start at all is recorded: neither a planned nor an actual date, nor a
    year."""
    return (
        initiative.planned_start is None
        and initiative.actual_start is None
        and initiative.start_year is None
    )


def _count(queryset):
    """How many rows of ``queryset`` belong to the record of the outer query."""
    counted = (
        queryset.filter(initiative=OuterRef("pk"))
        .order_by()
        .values("initiative")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


_same_role = (
    InitiativeCountry.objects.filter(initiative=OuterRef("initiative"), role=OuterRef("role"))
    .order_by()
    .values("initiative")
    .annotate(n=Count("pk"))
    .values("n")
)


def _total(queryset):
    """The sum of the shares of the rows of ``queryset`` that belong to the outer record."""
    summed = (
        queryset.filter(initiative=OuterRef("pk"))
        .order_by()
        .values("initiative")
        .annotate(total=Sum("share"))
        .values("total")
    )
    return Coalesce(
        Subquery(summed, output_field=DecimalField(max_digits=8, decimal_places=2)),
        Value(Decimal(0)),
    )


_recipients = InitiativeCountry.objects.filter(role=InitiativeCountry.Role.RECIPIENT)


def _annotations() -> dict:
    return {
        "outcomes_without_indicators": _count(Outcome.objects.filter(indicators=None)),
        "evidence": _count(PrincipleEvidence.objects.all()),
        "evidence_without_source": _count(PrincipleEvidence.objects.filter(source=None)),
        "busan_evidence": _count(
            PrincipleEvidence.objects.filter(principle__principle_set__slug=BUSAN["slug"])
        ),
        # Shares matter where a role has several countries (one country has it all).
        "countries_without_share": _count(
            InitiativeCountry.objects.filter(share=None)
            .annotate(same_role=Subquery(_same_role, output_field=IntegerField()))
            .filter(same_role__gt=1)
        ),
        "funding": _count(FundingContribution.objects.all()),
        "sources": _count(Source.objects.all()),
        "translations": _count(InitiativeTranslation.objects.all()),
        # What a submission needs (``services.initiative_missing_for_submission``).
        "provider_countries": _count(InitiativeCountry.objects.filter(role="provider")),
        "recipient_countries": _count(InitiativeCountry.objects.filter(role="recipient")),
        "participations": _count(Participation.objects.all()),
        "has_description": ExpressionWrapper(~Q(description=""), output_field=BooleanField()),
        # Where several sectors or recipients share the effort, shares adding up to 100.
        "sectors": _count(InitiativeSector.objects.all()),
        "sectors_with_share": _count(InitiativeSector.objects.filter(share__isnull=False)),
        "sector_share_total": _total(InitiativeSector.objects.all()),
        "recipients_with_share": _count(_recipients.filter(share__isnull=False)),
        "recipient_share_total": _total(_recipients),
        # Work under way with no start recorded (see ``start_missing``).
        "start_missing": ExpressionWrapper(
            Q(activity_status__in=STARTED, actual_start=None, start_year=None),
            output_field=BooleanField(),
        ),
    }


def with_completeness(queryset):
    """``queryset`` with the counts ``record_gaps`` reads, in the same query."""
    return queryset.annotate(
        **{PREFIX + name: expression for name, expression in _annotations().items()}
    )


@dataclass(frozen=True)
class Gap:
    """Something the record lacks: what to add (``message``), where on the editor's page
    (``anchor``, an element's id there), and how much it counts (``weight``)."""

    message: str
    anchor: str
    weight: int


@dataclass(frozen=True)
class Check:
    weight: int
    anchor: str


# What a good record has, and how much each counts towards the percentage. A translation is
# welcome but optional: it weighs least.
CHECKS = {
    "description": Check(3, "id_description"),
    "countries_shares": Check(1, "countries"),
    "recipient_shares": Check(1, "countries"),
    "sector_shares": Check(1, "themes"),
    "start_date": Check(1, "id_actual_start"),
    "funding": Check(2, "funding"),
    "indicators": Check(2, "indicators"),
    "sources": Check(3, "sources"),
    "evidence_sources": Check(2, "evidence"),
    "busan_evidence": Check(3, "evidence"),
    "translation": Check(1, "translations"),
}
TOTAL_WEIGHT = sum(check.weight for check in CHECKS.values())


def _counts(initiative: Initiative) -> dict:
    names = _annotations()
    if all(hasattr(initiative, PREFIX + name) for name in names):
        return {name: getattr(initiative, PREFIX + name) for name in names}
    if initiative.pk is None:
        return dict.fromkeys(names, 0) | {"has_description": bool(initiative.description)}
    row = with_completeness(Initiative.objects.filter(pk=initiative.pk)).values(
        *(PREFIX + name for name in names)
    )
    return {name.removeprefix(PREFIX): value for name, value in row.get().items()}


def _messages(counts: dict) -> dict[str, str]:
    """The message of each check the record does not pass."""
    messages = {}
    if not counts["has_description"]:
        messages["description"] = str(_("Describe the initiative: what was shared, and how."))
    sectors = counts["sectors"]
    if sectors > 1 and (
        counts["sectors_with_share"] < sectors or counts["sector_share_total"] != HUNDRED
    ):
        messages["sector_shares"] = str(
            _(
                "Give each sector its share of the effort, the shares adding up to 100, "
                "so that open data can say how the work was split."
            )
        )
    recipients = counts["recipient_countries"]
    if (
        recipients > 1
        and counts["recipients_with_share"] == recipients
        and counts["recipient_share_total"] != HUNDRED
    ):
        messages["recipient_shares"] = str(
            _("The shares of the recipient countries add up to %(total)s %%, not 100 %%.")
        ) % {"total": f"{counts['recipient_share_total'].normalize():f}"}
    if counts["start_missing"]:
        messages["start_date"] = str(
            _("The work has begun: give its actual start date, or at least the start year.")
        )
    if counts["countries_without_share"]:
        messages["countries_shares"] = ngettext(
            "Where several countries share a role, give each its share of the effort "
            "(%(count)d country has none).",
            "Where several countries share a role, give each its share of the effort "
            "(%(count)d countries have none).",
            counts["countries_without_share"],
        ) % {"count": counts["countries_without_share"]}
    if not counts["funding"]:
        messages["funding"] = str(_("Record how the initiative was funded."))
    if counts["outcomes_without_indicators"]:
        messages["indicators"] = ngettext(
            "Add an indicator to %(count)d outcome that has none.",
            "Add indicators to %(count)d outcomes that have none.",
            counts["outcomes_without_indicators"],
        ) % {"count": counts["outcomes_without_indicators"]}
    if not counts["sources"]:
        messages["sources"] = str(_("Add a source: a report, an evaluation or an article."))
    if counts["evidence_without_source"]:
        messages["evidence_sources"] = ngettext(
            "Back %(count)d piece of principle evidence with a source.",
            "Back %(count)d pieces of principle evidence with a source.",
            counts["evidence_without_source"],
        ) % {"count": counts["evidence_without_source"]}
    if not counts["busan_evidence"]:
        messages["busan_evidence"] = str(
            _("Show how the initiative practised at least one Busan principle.")
        )
    if not counts["translations"]:
        messages["translation"] = str(
            _("Optional: translate the record into another of the portal's languages.")
        )
    return messages


def record_gaps(initiative: Initiative) -> list[Gap]:
    """What ``initiative`` still lacks, most important first (see ``CHECKS``)."""
    gaps = [
        Gap(message=message, anchor=CHECKS[name].anchor, weight=CHECKS[name].weight)
        for name, message in _messages(_counts(initiative)).items()
    ]
    return sorted(gaps, key=lambda gap: -gap.weight)


@dataclass(frozen=True)
class Completeness:
    gaps: list[Gap]
    percent: int
    # The anchors of the parts a submission still needs (see ``_required``).
    required: tuple[str, ...] = ()


def _required(counts: dict) -> tuple[str, ...]:
    """Where on the editor's page the parts are that a submission needs and the record lacks
    (the same rules as ``services.initiative_missing_for_submission``)."""
    required = []
    if not counts["provider_countries"] or not counts["recipient_countries"]:
        required.append("countries")
    if not counts["participations"]:
        required.append("participants")
    return tuple(required)


def completeness(initiative: Initiative) -> Completeness:
    """The record's gaps and how complete it is, in per cent of ``CHECKS``'s weights."""
    counts = _counts(initiative)
    gaps = sorted(
        (
            Gap(message=message, anchor=CHECKS[name].anchor, weight=CHECKS[name].weight)
            for name, message in _messages(counts).items()
        ),
        key=lambda gap: -gap.weight,
    )
    missing = sum(gap.weight for gap in gaps)
    return Completeness(
        gaps=gaps,
        percent=round(100 * (TOTAL_WEIGHT - missing) / TOTAL_WEIGHT),
        required=_required(counts),
    )
