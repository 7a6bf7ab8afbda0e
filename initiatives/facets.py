"""Facet counts for the initiative list, and the key figures of the home page.

Standard faceted search: each facet's counts apply every OTHER active filter but not its
own, so a count is exactly the number of results the list shows when that value is chosen
instead — and ticking a second value in the same facet adds that many results at most.
Facets count only what ``InitiativeFilterSet.queryset`` holds, which callers take from
``Initiative.objects.visible_to(user)``: nothing unpublished reaches a count.

All facets are counted in ONE query, a ``UNION ALL`` of one grouped query per facet, so the
cost in round trips does not depend on the data or the number of filters in use. The pages
use it now and the REST API can return the same structure.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from funding.models import FundingContribution
from initiatives.filters import CONTEXTS, InitiativeFilterSet
from initiatives.models import Initiative, InitiativeCountry, Participation
from organisations.models import OrganisationType
from principles.models import PrincipleEvidence
from reference.iati import ActivityStatus


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool

    @property
    def dom_id(self) -> str:
        """The value as it can appear in an HTML id."""
        return _dom_id(self.value)


@functools.lru_cache(maxsize=8192)
def _dom_id(value: str) -> str:
    return slugify(value)  # the same few thousand values on every page


@dataclass(frozen=True)
class Facet:
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


@dataclass(frozen=True)
class _Definition:
    name: str
    label: str
    rows: Callable[[QuerySet, InitiativeFilterSet], QuerySet]  # grouped rows (see _grouped)
    label_of: Callable[[dict], str]
    sort_key: Callable[[FacetOption, int], tuple]  # option, its position in the vocabulary


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


def _ids(initiatives: QuerySet) -> QuerySet:
    return initiatives.order_by().values("pk")


def _countries(role: str):
    def rows(initiatives, filterset):
        links = InitiativeCountry.objects.filter(role=role, initiative__in=_ids(initiatives))
        return _grouped(links, value=F("country"), count=Count("pk"))

    return rows


def _sectors(initiatives, filterset):
    through = Initiative.sectors.through.objects.filter(initiative__in=_ids(initiatives))
    language = (get_language() or "en")[:2]
    name = Coalesce(KeyTextTransform(language, "sector__translated_names"), F("sector__name"))
    return _grouped(through, value=F("sector"), label=name, count=Count("pk"))


def _modalities(initiatives, filterset):
    through = Initiative.modalities.through.objects.filter(initiative__in=_ids(initiatives))
    return _grouped(
        through,
        value=F("modality__slug"),
        label=F("modality__name"),
        position=F("modality__position"),
        count=Count("pk"),
    )


def _funding_models(initiatives, filterset):
    contributions = FundingContribution.objects.filter(initiative__in=_ids(initiatives))
    return _grouped(
        contributions,
        value=F("funding_model__slug"),
        label=F("funding_model__name"),
        position=F("funding_model__position"),
        count=Count("initiative", distinct=True),
    )


def _principles(initiatives, filterset):
    evidence = PrincipleEvidence.objects.filter(initiative__in=_ids(initiatives))
    if stance := filterset.cleaned_data.get("stance"):
        evidence = evidence.filter(stance=stance)
    return _grouped(
        evidence,
        value=F("principle__slug"),
        label=F("principle__short_name"),
        position=F("principle__position"),
        count=Count("initiative", distinct=True),
    )


def _actor_types(initiatives, filterset):
    participations = Participation.objects.filter(initiative__in=_ids(initiatives))
    return _grouped(
        participations, value=F("actor__actor_type"), count=Count("initiative", distinct=True)
    )


def _contexts(initiatives, filterset):
    parts = [
        _grouped(initiatives.filter(**{field: True}), value=Value(key), count=Count("pk"))
        for key, (field, _label) in CONTEXTS.items()
    ]
    return parts


def _column(field: str):
    def rows(initiatives, filterset):
        return _grouped(initiatives, value=F(field), count=Count("pk"))

    return rows


def _start_years(initiatives, filterset):
    dated = initiatives.with_started_year().filter(started_year__isnull=False)
    return _grouped(dated, value=F("started_year"), count=Count("pk"))


def _by_count(option, position):
    return (-option.count, option.label)


def _in_vocabulary(option, position):
    return (position, option.label)


def _choice_label(choices):
    labels = {str(value): label for value, label in choices}
    return lambda row: str(labels.get(row["facet_value"], row["facet_value"]))


def _choice_order(choices):
    order = {str(value): i for i, (value, _label) in enumerate(choices)}
    return lambda option, position: (order.get(option.value, len(order)), option.label)


def _country_label(row):
    return str(countries.name(row["facet_value"]) or row["facet_value"])


def _vocabulary_label(row):
    return row["facet_label"] or row["facet_value"]


CONTEXT_CHOICES = [(key, label) for key, (_field, label) in CONTEXTS.items()]

DEFINITIONS = [
    _Definition(
        "provider",
        _("Provider country"),
        _countries(InitiativeCountry.Role.PROVIDER),
        _country_label,
        _by_count,
    ),
    _Definition(
        "recipient",
        _("Recipient country"),
        _countries(InitiativeCountry.Role.RECIPIENT),
        _country_label,
        _by_count,
    ),
    _Definition("sector", _("Sector"), _sectors, _vocabulary_label, _by_count),
    _Definition("modality", _("Modality"), _modalities, _vocabulary_label, _in_vocabulary),
    _Definition(
        "funding_model", _("Funding model"), _funding_models, _vocabulary_label, _in_vocabulary
    ),
    _Definition(
        "principle",
        _("Principle with evidence"),
        _principles,
        _vocabulary_label,
        _in_vocabulary,
    ),
    _Definition(
        "actor_type",
        _("Type of organisation taking part"),
        _actor_types,
        _choice_label(OrganisationType.choices),
        _choice_order(OrganisationType.choices),
    ),
    _Definition(
        "context",
        _("Context"),
        _contexts,
        _choice_label(CONTEXT_CHOICES),
        _choice_order(CONTEXT_CHOICES),
    ),
    _Definition(
        "cooperation_type",
        _("Cooperation type"),
        _column("cooperation_type"),
        _choice_label(Initiative.CooperationType.choices),
        _choice_order(Initiative.CooperationType.choices),
    ),
    _Definition(
        "status",
        _("Activity status"),
        _column("activity_status"),
        _choice_label(ActivityStatus.choices),
        _choice_order(ActivityStatus.choices),
    ),
    _Definition(
        "year",
        _("Start year"),
        _start_years,
        lambda row: row["facet_value"],
        lambda option, position: (-int(option.value),),
    ),
]


def initiative_facets(filterset: InitiativeFilterSet, *, public: bool = False) -> list[Facet]:
    """Every facet with its options and counts, in one query (see the module docstring).

    ``public`` says the filter set's queryset is exactly the published records (as for
    visitors and researchers); their counts come from the bitmap index when it can answer.
    """
    from initiatives.facet_index import public_facet_rows

    indexed = public_facet_rows(filterset, public=public)
    if indexed is not None:
        return [_facet(d, indexed[d.name], filterset.selected(d.name)) for d in DEFINITIONS]
    parts = []
    for definition in DEFINITIONS:
        narrowed = filterset.narrow(filterset.queryset, exclude={definition.name})
        rows = definition.rows(narrowed, filterset)
        for part in rows if isinstance(rows, list) else [rows]:
            parts.append(part.annotate(facet_name=Value(definition.name)))
    rows_by_facet: dict[str, list[dict]] = {d.name: [] for d in DEFINITIONS}
    for row in parts[0].union(*parts[1:], all=True):
        rows_by_facet[row["facet_name"]].append(row)
    return [_facet(d, rows_by_facet[d.name], filterset.selected(d.name)) for d in DEFINITIONS]


def _facet(definition: _Definition, rows: list[dict], selected: list[str]) -> Facet:
    positioned = []
    for row in rows:
        if not row["facet_count"]:
            continue
        option = FacetOption(
            value=row["facet_value"],
            label=definition.label_of(row),
            count=row["facet_count"],
            selected=row["facet_value"] in selected,
        )
        positioned.append((option, row["facet_position"]))
    present = {option.value for option, _position in positioned}
    for value in selected:  # chosen, but no result has it any more: still offered, to untick
        if value not in present:
            row = {"facet_value": value, "facet_label": "", "facet_position": 0}
            option = FacetOption(value, definition.label_of(row), 0, True)
            positioned.append((option, 0))
    positioned.sort(key=lambda pair: definition.sort_key(*pair))
    return Facet(definition.name, definition.label, tuple(o for o, _p in positioned))


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
