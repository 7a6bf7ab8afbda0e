"""The evidence side of the principles matrix: initiatives × the principles of one set, each
cell the strongest evidence of each stance.

The page (``initiatives.matrix``) chooses the initiatives a visitor may see; the cells of a
page come from one grouped query over the page's initiatives, pivoted here; the summary row
from one more over every matching initiative. Neither depends on the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from principles.models import Principle, PrincipleEvidence, PrincipleSet

DEFAULT_SET = "busan"
Stance = PrincipleEvidence.Stance
STRENGTH_LABELS = {
    PrincipleEvidence.Strength.CLAIMED: gettext_lazy("claimed"),
    PrincipleEvidence.Strength.DOCUMENTED: gettext_lazy("documented"),
    PrincipleEvidence.Strength.EVALUATED: gettext_lazy("evaluated"),
}
STANCE_LABELS = {
    Stance.SUPPORTS: gettext_lazy("Supports"),
    Stance.CHALLENGES: gettext_lazy("Challenges"),
}


@dataclass(frozen=True)
class Finding:
    """The strongest evidence of one stance in one cell."""

    stance: str
    strength: int
    count: int  # evidence items of this stance
    confirmed: int = 0  # of which a partner organisation confirmed

    @property
    def stance_label(self) -> str:
        return str(STANCE_LABELS[self.stance])

    @property
    def strength_label(self) -> str:
        return str(STRENGTH_LABELS[self.strength])


@dataclass(frozen=True)
class Cell:
    principle: Principle
    findings: tuple[Finding, ...]  # supports first, then challenges; empty: no evidence


@dataclass(frozen=True)
class Row:
    initiative: Model  # an initiative
    cells: tuple[Cell, ...]

    @property
    def evidenced(self) -> int:
        """Principles of the set with any evidence for this initiative."""
        return sum(1 for cell in self.cells if cell.findings)


@dataclass(frozen=True)
class ColumnSummary:
    principle: Principle
    initiatives: int  # matching initiatives with any evidence on the principle
    supports: int
    challenges: int
    confirmed: int = 0  # matching initiatives with confirmed evidence on the principle


def _evidence(confirmation: str = "") -> QuerySet:
    """Evidence in any state, or only in the confirmation state asked for."""
    evidence = PrincipleEvidence.objects.all()
    return evidence.filter(confirmation=confirmation) if confirmation else evidence


CONFIRMED = Q(confirmation=PrincipleEvidence.Confirmation.CONFIRMED)


def matrix_rows(
    initiatives: list[Model], principles: list[Principle], *, confirmation: str = ""
) -> list[Row]:
    """One row per initiative, one cell per principle, from one grouped query; only
    evidence in the ``confirmation`` state, if one is given."""
    strongest: dict[tuple[int, int], list[Finding]] = {}
    if initiatives and principles:
        groups = (
            _evidence(confirmation)
            .filter(initiative__in=initiatives, principle__in=principles)
            .values("initiative", "principle", "stance")
            .annotate(
                strength=Max("strength"), count=Count("pk"), confirmed=Count("pk", filter=CONFIRMED)
            )
            .order_by()
        )
        for group in groups:
            finding = Finding(
                group["stance"], group["strength"], group["count"], group["confirmed"]
            )
            strongest.setdefault((group["initiative"], group["principle"]), []).append(finding)
    order = Stance.values
    return [
        Row(
            initiative,
            tuple(
                Cell(
                    principle,
                    tuple(
                        sorted(
                            strongest.get((initiative.pk, principle.pk), []),
                            key=lambda finding: order.index(finding.stance),
                        )
                    ),
                )
                for principle in principles
            ),
        )
        for initiative in initiatives
    ]


def column_summaries(
    initiatives: QuerySet, principles: list[Principle], *, confirmation: str = ""
) -> list[ColumnSummary]:
    """Per principle, how many of ``initiatives`` (all pages) have evidence (in the
    ``confirmation`` state, if one is given), in one query."""
    if not principles:
        return []

    def initiatives_with(condition=None) -> Count:
        return Count("initiative", distinct=True, filter=condition)

    counts = {
        row["principle"]: row
        for row in _evidence(confirmation)
        .filter(initiative__in=initiatives.order_by().values("pk"), principle__in=principles)
        .values("principle")
        .annotate(
            initiatives=initiatives_with(),
            supports=initiatives_with(Q(stance=Stance.SUPPORTS)),
            challenges=initiatives_with(Q(stance=Stance.CHALLENGES)),
            confirmed=initiatives_with(CONFIRMED),
        )
        .order_by()
    }
    empty = {"initiatives": 0, "supports": 0, "challenges": 0, "confirmed": 0}
    return [
        ColumnSummary(
            principle,
            counts.get(principle.pk, empty)["initiatives"],
            counts.get(principle.pk, empty)["supports"],
            counts.get(principle.pk, empty)["challenges"],
            counts.get(principle.pk, empty)["confirmed"],
        )
        for principle in principles
    ]


def principle_sets() -> list[PrincipleSet]:
    principles = Principle.objects.order_by("position", "name")
    return list(PrincipleSet.objects.prefetch_related(Prefetch("principles", queryset=principles)))


def chosen_set(sets: list[PrincipleSet], asked: str) -> tuple[PrincipleSet | None, str]:
    """The set asked for, else the default one, and a message if the one asked for is not
    known."""
    by_slug = {principle_set.slug: principle_set for principle_set in sets}
    default = by_slug.get(DEFAULT_SET) or next(iter(sets), None)
    if not asked or asked in by_slug:
        return by_slug.get(asked, default), ""
    error = _("There is no principle set “%(asked)s”.") % {"asked": asked[:60]}
    return default, error
