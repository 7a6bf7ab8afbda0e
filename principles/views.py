"""The principles matrix (``/principles/``): initiatives × the principles of one set, each
cell the strongest evidence of each stance.

Rows are the initiatives ``Initiative.objects.visible_to(request.user)`` holds, narrowed by
the same filters (and GET parameters) as the initiative list. The cells of a page come from
one grouped query over the page's initiatives, pivoted here; the summary row from one more
over every matching initiative. Neither depends on the number of rows.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from initiatives.filters import CodeMultipleChoiceField, InitiativeFilterSet
from initiatives.models import Initiative
from principles.models import Principle, PrincipleEvidence, PrincipleSet

MATRIX_PAGE_SIZE = 50
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
# Filters the matrix form offers; the others in use travel along as hidden fields.
FORM_FILTERS = ("q", "provider", "recipient", "stance")


@dataclass(frozen=True)
class Finding:
    """The strongest evidence of one stance in one cell."""

    stance: str
    strength: int
    count: int  # evidence items of this stance

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
    initiative: Initiative
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


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def matrix_rows(initiatives: list[Initiative], principles: list[Principle]) -> list[Row]:
    """One row per initiative, one cell per principle, from one grouped query."""
    strongest: dict[tuple[int, int], list[Finding]] = {}
    if initiatives and principles:
        groups = (
            PrincipleEvidence.objects.filter(initiative__in=initiatives, principle__in=principles)
            .values("initiative", "principle", "stance")
            .annotate(strength=Max("strength"), count=Count("pk"))
            .order_by()
        )
        for group in groups:
            finding = Finding(group["stance"], group["strength"], group["count"])
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


def column_summaries(initiatives: QuerySet, principles: list[Principle]) -> list[ColumnSummary]:
    """Per principle, how many of ``initiatives`` (all pages) have evidence, in one query."""
    if not principles:
        return []

    def initiatives_with(condition=None) -> Count:
        return Count("initiative", distinct=True, filter=condition)

    counts = {
        row["principle"]: row
        for row in PrincipleEvidence.objects.filter(
            initiative__in=initiatives.order_by().values("pk"), principle__in=principles
        )
        .values("principle")
        .annotate(
            initiatives=initiatives_with(),
            supports=initiatives_with(Q(stance=Stance.SUPPORTS)),
            challenges=initiatives_with(Q(stance=Stance.CHALLENGES)),
        )
        .order_by()
    }
    empty = {"initiatives": 0, "supports": 0, "challenges": 0}
    return [
        ColumnSummary(
            principle,
            counts.get(principle.pk, empty)["initiatives"],
            counts.get(principle.pk, empty)["supports"],
            counts.get(principle.pk, empty)["challenges"],
        )
        for principle in principles
    ]


def active_filters(filterset: InitiativeFilterSet, query: QueryDict) -> list[ActiveFilter]:
    """Each valid filter value in use, named for people, with a link that removes it."""
    active = []
    for name in filterset.NARROWING:
        values = filterset.selected(name)
        if not values:
            continue
        field = filterset.form.fields[name]
        labels = _value_labels(field, values)
        for value in values:
            remaining = query.copy()
            remaining.pop("page", None)
            if isinstance(field, forms.MultipleChoiceField):
                remaining.setlist(name, [v for v in query.getlist(name) if v != str(value)])
            else:
                remaining.pop(name, None)
            active.append(
                ActiveFilter(
                    str(field.label), labels.get(str(value), str(value)), _query(remaining)
                )
            )
    return active


def _value_labels(field, values: list[str]) -> dict[str, str]:
    if isinstance(field, CodeMultipleChoiceField):
        rows = field.queryset.filter(**{f"{field.to_field}__in": values})
        return {str(getattr(row, field.to_field)): str(row) for row in rows}
    return {str(value): str(label) for value, label in getattr(field, "choices", ())}


def _query(query: QueryDict) -> str:
    return "?" + query.urlencode() if query else ""


def _principle_sets() -> list[PrincipleSet]:
    principles = Principle.objects.order_by("position", "name")
    return list(PrincipleSet.objects.prefetch_related(Prefetch("principles", queryset=principles)))


def _chosen_set(sets: list[PrincipleSet], asked: str) -> tuple[PrincipleSet | None, str]:
    """The set asked for, else the default one, and a message if the one asked for is not
    known."""
    by_slug = {principle_set.slug: principle_set for principle_set in sets}
    default = by_slug.get(DEFAULT_SET) or next(iter(sets), None)
    if not asked or asked in by_slug:
        return by_slug.get(asked, default), ""
    error = _("There is no principle set “%(asked)s”.") % {"asked": asked[:60]}
    return default, error


def principles_matrix(request):
    sets = _principle_sets()
    principle_set, set_error = _chosen_set(sets, request.GET.get("set", ""))
    principles = list(principle_set.principles.all()) if principle_set else []
    filterset = InitiativeFilterSet(
        request.GET, queryset=Initiative.objects.visible_to(request.user)
    )
    page = Paginator(filterset.qs.for_listing(), MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    clear = QueryDict(mutable=True)
    if principle_set and principle_set.slug != DEFAULT_SET:
        clear["set"] = principle_set.slug
    context = {
        "sets": sets,
        "principle_set": principle_set,
        "set_error": set_error,
        "principles": principles,
        "filterset": filterset,
        "page": page,
        "rows": matrix_rows(list(page), principles),
        "summaries": column_summaries(filterset.qs, principles),
        "active_filters": active_filters(filterset, request.GET),
        "clear_url": _query(clear),
        "form_values": {name: next(iter(filterset.selected(name)), "") for name in FORM_FILTERS},
        "country_choices": list(countries),
        "stance_choices": list(STANCE_LABELS.items()),
        "hidden_filters": _hidden_filters(filterset),
    }
    return render(request, "principles/matrix.html", context)


def _hidden_filters(filterset: InitiativeFilterSet) -> list[tuple[str, str]]:
    """Valid filter values the matrix form has no field for (and second or later values of
    those it has), so that submitting the form keeps them."""
    hidden = []
    for name in (*filterset.NARROWING, "ordering"):
        values = [str(value) for value in filterset.selected(name)]
        hidden.extend((name, value) for value in values[1 if name in FORM_FILTERS else 0 :])
    return hidden
