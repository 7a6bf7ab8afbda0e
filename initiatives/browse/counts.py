"""Facet counts for the initiative list, and the key figures of the home page.

Standard faceted search: each facet's counts apply every OTHER active filter but not its
own, so a count is exactly the number of results the list shows when that value is chosen
instead — and ticking a second value in the same facet adds that many results at most.
The facets and how each is counted are declared in ``initiatives.browse.facets``.
Facets count only what ``InitiativeFilterSet.queryset`` holds, which callers take from
``Initiative.objects.visible_to(user)``: nothing unpublished reaches a count.

All facets are counted in ONE query, a ``UNION ALL`` of one grouped query per facet, so the
cost in round trips does not depend on the data or the number of filters in use. The pages
use it now and the REST API can return the same structure.
"""

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import get_language

from initiatives.browse.facets import FACETS, Facet, FacetOption, Rows
from initiatives.browse.filters import InitiativeFilterSet
from initiatives.browse.index import public_facet_rows
from initiatives.models import InitiativeCountry, Participation


@dataclass(frozen=True)
class FacetCounts:
    """A facet as the list page shows it: its options, each with its count."""

    name: str  # the filter (query parameter) it sets
    label: str
    options: tuple[FacetOption, ...]

    LEADING = 8  # options shown before "show all"

    @property
    def leading(self) -> list[FacetOption]:
        """The first options, and every selected one."""
        return [o for i, o in enumerate(self.options) if i < self.LEADING or o.selected]

    @property
    def more(self) -> list[FacetOption]:
        return [o for i, o in enumerate(self.options) if i >= self.LEADING and not o.selected]


def _grouped(queryset: QuerySet, *, value, count, label=None, position=None) -> QuerySet:
    """One facet's rows: value, label, position in its vocabulary, and initiatives."""
    return (
        queryset.order_by()
        .values(
            facet_value=Cast(value, TextField()),
            facet_label=Cast(label, TextField()) if label is not None else Value(""),
            facet_position=position if position is not None else Value(0),
        )
        .annotate(facet_count=count)
    )


def _counted(rows: Rows, queryset: QuerySet) -> QuerySet:
    """``rows`` (``queryset``) grouped by value, each with its number of initiatives."""
    label = F(rows.label) if rows.label else None
    if rows.translated:  # the name in the current language, where the vocabulary has it
        language = (get_language() or "en")[:2]
        label = Coalesce(KeyTextTransform(language, rows.translated), label)
    return _grouped(
        queryset,
        value=F(rows.value) if isinstance(rows.value, str) else rows.value,
        label=label,
        position=F(rows.position) if rows.position else None,
        count=Count(rows.initiative, distinct=True) if rows.distinct else Count("pk"),
    )


def _ids(initiatives: QuerySet) -> QuerySet:
    return initiatives.order_by().values("pk")


def initiative_facets(filterset: InitiativeFilterSet, *, public: bool = False) -> list[FacetCounts]:
    """Every facet with its options and counts, in one query (see the module docstring).

    ``public`` says the filter set's queryset is exactly the published records (as for
    visitors and researchers); their counts come from the bitmap index when it can answer.
    """
    indexed = public_facet_rows(filterset, public=public)
    if indexed is not None:
        return [_facet(f, indexed[f.name], filterset.selected(f.name)) for f in FACETS]
    parts = []
    data = filterset.cleaned_data
    for facet in FACETS:
        narrowed = filterset.narrow(filterset.queryset, exclude={facet.name})
        for rows in facet.rows:
            counted = _counted(rows, rows.of(narrowed, qualified=facet.qualifying(data)))
            parts.append(counted.annotate(facet_name=Value(facet.name)))
    rows_by_facet: dict[str, list[dict]] = {f.name: [] for f in FACETS}
    for row in parts[0].union(*parts[1:], all=True):
        rows_by_facet[row["facet_name"]].append(row)
    return [_facet(f, rows_by_facet[f.name], filterset.selected(f.name)) for f in FACETS]


def _facet(facet: Facet, rows: list[dict], selected: list[str]) -> FacetCounts:
    label_of, sort_key = facet.options.label_of, facet.options.sort_key
    positioned = []
    for row in rows:
        if not row["facet_count"]:
            continue
        option = FacetOption(
            value=row["facet_value"],
            label=label_of(row),
            count=row["facet_count"],
            selected=row["facet_value"] in selected,
        )
        positioned.append((option, row["facet_position"]))
    present = {option.value for option, _position in positioned}
    for value in selected:  # chosen, but no result has it any more: still offered, to untick
        if value not in present:
            row = {"facet_value": value, "facet_label": "", "facet_position": 0}
            option = FacetOption(value, label_of(row), 0, True)
            positioned.append((option, 0))
    positioned.sort(key=lambda pair: sort_key(*pair))
    return FacetCounts(facet.name, facet.label, tuple(o for o, _p in positioned))


@dataclass(frozen=True)
class KeyFigures:
    initiatives: int
    countries: int
    organisations: int


def key_figures(initiatives: QuerySet) -> KeyFigures:
    """How many initiatives, the countries they involve and the organisations taking part,
    in one query. ``initiatives`` has been through ``visible_to``."""
    ids = _ids(initiatives)
    parts = [
        _grouped(initiatives, value=Value("initiatives"), count=Count("pk")),
        _grouped(
            InitiativeCountry.objects.filter(initiative__in=ids),
            value=Value("countries"),
            count=Count("country", distinct=True),
        ),
        _grouped(
            Participation.objects.filter(initiative__in=ids),
            value=Value("organisations"),
            count=Count("actor", distinct=True),
        ),
    ]
    counts = {
        row["facet_value"]: row["facet_count"] for row in parts[0].union(*parts[1:], all=True)
    }
    return KeyFigures(
        initiatives=counts.get("initiatives", 0),
        countries=counts.get("countries", 0),
        organisations=counts.get("organisations", 0),
    )
