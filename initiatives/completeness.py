"""What a good record still lacks: outcomes without indicators, evidence without a source,
countries without shares, no funding… The editor's page and the editor's dashboard (/my/)
show the same gaps, worked out here.

The counts come from one annotation (``with_completeness``), so that a list of records costs
no query per record; ``record_gaps`` reads them from a record annotated so, or asks the
database for them (one query) for a record that is not.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from funding.models import FundingContribution
from initiatives.models import (
    Initiative,
    InitiativeCountry,
    InitiativeTranslation,
    Outcome,
    Participation,
    Source,
)
from principles.models import PrincipleEvidence
from principles.vocabularies import BUSAN

PREFIX = "completeness_"


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
