"""Every facet of the initiative list, each declared once.

A facet narrows the list by one kind of value (provider country, sector, modality…) and
shows, for each value, how many records have it. One :class:`Facet` gives everything the
rest of ``browse`` needs to know about it:

- its filter: the field(s) of the page's and the API's filter sets (:meth:`Facet.filters`)
  and how the values given narrow a queryset (:meth:`Facet.narrow`);
- its values: :class:`Rows` say which rows give an initiative a value, read by the SQL counts
  (``browse.counts``) and by the bitmap index (``browse.index``) through :meth:`Rows.of`;
- how its options are named and ordered (:class:`Options`);
- the tables its counts read (:attr:`Facet.tables`): database triggers note the changes to
  them that visitors could see, which the facet index follows (initiatives migration 0014; a
  test checks that every table named here has them).

Adding a facet is adding one entry to :data:`FACETS`.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from funding.models import FundingContribution, FundingModel
from initiatives.browse.fields import YEAR_RANGE, ChoicesFilter, CodeFilter
from initiatives.models import Initiative, InitiativeCountry, Participation
from organisations.models import OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.iati import ActivityStatus
from reference.models import Modality, Sector, country_name, in_catalogue


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet as the list shows it."""

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


# ---- the parts of a declaration ----

ANY = Q()  # no condition


@dataclass(frozen=True, kw_only=True)
class Rows:
    """Rows that give initiatives a value of a facet: rows of ``model`` (a table with an
    ``initiative`` column, or ``Initiative`` itself), each giving one initiative ``value``.

    ``value``, ``label``, ``translated`` (names by language, JSON) and ``position`` (place in
    the vocabulary) are field paths from ``model``; ``value`` may instead be a constant, for
    rows that ``where`` picks out (a context).
    """

    model: type[models.Model]
    value: str | Value
    where: Q = ANY
    label: str | None = None
    translated: str | None = None
    position: str | None = None
    distinct: bool = False  # an initiative may have several rows with the same value
    optional: bool = False  # the value may be missing (NULL): such rows give no value
    prepare: Callable[[QuerySet], QuerySet] | None = None  # aliases the value needs

    @classmethod
    def vocabulary(
        cls, model: type[models.Model], term: str, *, label: str = "name", distinct: bool = False
    ) -> "Rows":
        """Rows of ``model`` giving an initiative a ``term`` of a vocabulary table: the term's
        slug, named by its ``label`` field, in the table's order (``position``)."""
        return cls(
            model=model,
            value=f"{term}__slug",
            label=f"{term}__{label}",
            position=f"{term}__position",
            distinct=distinct,
        )

    @property
    def of_initiatives(self) -> bool:
        return self.model is Initiative

    @property
    def initiative(self) -> str:
        """The column naming the initiative of a row."""
        return "pk" if self.of_initiatives else "initiative_id"

    def of(self, initiatives: QuerySet, *, whole: bool = False, qualified: Q = ANY) -> QuerySet:
        """The rows giving ``initiatives`` (a queryset of them) their values; related rows
        also meet ``qualified`` (see :class:`Qualifier`). ``whole`` reads every row of a
        related table, whichever initiative it belongs to, rather than those of
        ``initiatives`` (the index drops the rows of initiatives it does not hold)."""
        if self.of_initiatives:
            rows = initiatives
        elif whole:
            rows = self.model.objects.filter(qualified)
        else:
            ids = initiatives.order_by().values("pk")
            rows = self.model.objects.filter(qualified, initiative__in=ids)
        if self.prepare is not None:
            rows = self.prepare(rows)
        if self.optional:
            rows = rows.filter(**{f"{self.value}__isnull": False})
        return rows.filter(self.where)

    def matching(self, values: list, *, qualified: Q = ANY) -> Q | Exists | None:
        """The condition on initiatives having any of ``values`` (any value, if none is
        given, for related rows meeting ``qualified``); ``None`` when no row can match."""
        if isinstance(self.value, Value):
            return self.where if self.value.value in values else None
        if self.of_initiatives:
            return self.where & Q(**{f"{self.value}__in": values})
        chosen = {f"{self.value}__in": values} if values else {}
        return Exists(
            self.model.objects.filter(self.where, qualified, initiative=OuterRef("pk"), **chosen)
        )

    @property
    def tables(self) -> set[str]:
        """The tables the rows are read from, with those their names and positions are
        joined from."""
        tables = {self.model._meta.db_table}
        for path in (self.value, self.label, self.translated, self.position):
            if not isinstance(path, str):
                continue
            model = self.model
            for name in path.split("__")[:-1]:
                model = model._meta.get_field(name).related_model
                tables.add(model._meta.db_table)
        return tables


@dataclass(frozen=True, kw_only=True)
class Choices:
    """A filter field taking several values from a fixed list (or a function giving it)."""

    choices: Sequence | Callable[[], Sequence]
    label: str | None = None  # when the filter's label is not the facet's

    def make(self, label, method) -> django_filters.Filter:
        return ChoicesFilter(label=self.label or label, choices=self.choices, method=method)


@dataclass(frozen=True, kw_only=True)
class Codes:
    """A filter field taking several codes of a vocabulary table (``to_field`` of
    ``model``), each checked against the table."""

    model: type[models.Model]
    vocabulary: str  # what a code is, for the error message
    to_field: str = "slug"
    pattern: str = r"[-\w]{1,60}"
    label: str | None = None

    def make(self, label, method) -> django_filters.Filter:
        return CodeFilter(
            label=self.label or label,
            queryset=self.model.objects.all(),
            to_field=self.to_field,
            pattern=self.pattern,
            vocabulary=self.vocabulary,
            method=method,
        )


@dataclass(frozen=True, kw_only=True)
class Qualifier:
    """A second filter of a facet whose values are rows of a related table, narrowing which
    of those rows count (the stance of the evidence for a principle). It applies together
    with the facet's own values, to the same row, and stays in force when the facet's counts
    leave those values out. The facet index does not hold it: while it is in use, counts
    come from SQL."""

    name: str
    label: str
    choices: Sequence
    column: str

    def make(self, method) -> django_filters.Filter:
        return django_filters.ChoiceFilter(label=self.label, choices=self.choices, method=method)

    def condition(self, data: dict) -> Q:
        value = data.get(self.name)
        return Q(**{self.column: value}) if value else ANY


@dataclass(frozen=True)
class Options:
    """How a facet's options are named (from a row of counts: ``facet_value`` and
    ``facet_label``) and in what order they are listed (from an option and its position in
    its vocabulary)."""

    label_of: Callable[[dict], str]
    sort_key: Callable[[FacetOption, int], tuple]

    @classmethod
    def countries(cls) -> "Options":
        """Country names, most records first."""
        return cls(_country_label, _by_count)

    @classmethod
    def vocabulary(cls, *, by_count: bool = False) -> "Options":
        """The names a vocabulary table gives, in its order (or most records first)."""
        return cls(_vocabulary_label, _by_count if by_count else _in_vocabulary)

    @classmethod
    def choices(cls, choices: Sequence) -> "Options":
        """The names of a fixed list, in its order."""
        labels = {str(value): label for value, label in choices}
        order = {str(value): i for i, (value, _label) in enumerate(choices)}
        return cls(
            lambda row: str(labels.get(row["facet_value"], row["facet_value"])),
            lambda option, position: (order.get(option.value, len(order)), option.label),
        )

    @classmethod
    def years(cls) -> "Options":
        """Years as they are, latest first."""
        return cls(lambda row: row["facet_value"], lambda option, position: (-int(option.value),))


def _by_count(option: FacetOption, position: int) -> tuple:
    return (-option.count, option.label)


def _in_vocabulary(option: FacetOption, position: int) -> tuple:
    return (position, option.label)


def _country_label(row: dict) -> str:
    return country_name(row["facet_value"])


def _vocabulary_label(row: dict) -> str:
    """The name the vocabulary table gives (seeded names are in the catalogue), else its code."""
    return _in_catalogue(row["facet_label"] or "", get_language()) or row["facet_value"]


# The list page names some six hundred options on every request, the same ones each time
# (see also ``country_name``): looking each name up in the catalogue again took a tenth of
# the page's time. Keyed by the active language, which is what the lookup depends on.
@functools.lru_cache(maxsize=16384)
def _in_catalogue(text: str, language: str | None) -> str:
    return in_catalogue(text)


# ---- the declaration ----


@dataclass(frozen=True, kw_only=True)
class Facet:
    """One facet: its filter field (``field``, with a ``qualifier`` if it has one), the rows
    giving initiatives its values, and how its options are named and ordered (by default
    as the fixed list of its field)."""

    name: str  # the filter (query parameter) it sets
    label: str  # its heading on the list page (and its filter's label, unless the field's)
    field: Choices | Codes
    rows: tuple[Rows, ...]
    options: Options | None = None
    qualifiers: tuple[Qualifier, ...] = ()
    cast: Callable[[str], Any] = str  # a value as the rows' column holds it

    def __post_init__(self):
        if self.options is None:
            object.__setattr__(self, "options", Options.choices(self.field.choices))

    def filters(self) -> dict[str, django_filters.Filter]:
        """New instances of the facet's filter fields, by query parameter. Each narrows a
        queryset on its own; the filter sets apply a facet's fields together (``narrow``)."""
        facet = self

        def method(queryset: QuerySet, name: str, value) -> QuerySet:
            # a plain function: filter sets deep-copy their filters, and this with them
            return facet.narrow(queryset, {name: value})

        filters = {self.name: self.field.make(self.label, method)}
        for qualifier in self.qualifiers:
            filters[qualifier.name] = qualifier.make(method)
        return filters

    @property
    def names(self) -> tuple[str, ...]:
        """The query parameters of its filters."""
        return (self.name, *(qualifier.name for qualifier in self.qualifiers))

    def qualifying(self, data: dict) -> Q:
        """The condition the qualifiers' values in ``data`` put on the related rows (all of
        them on the same row)."""
        condition = ANY
        for qualifier in self.qualifiers:
            condition &= qualifier.condition(data)
        return condition

    def narrow(self, queryset: QuerySet, data: dict, *, counting: bool = False) -> QuerySet:
        """``queryset`` narrowed by the values ``data`` (a form's cleaned data) gives this
        facet. ``counting`` leaves the facet's own values out (its qualifier stays): what its
        counts are taken over."""
        values = [] if counting else [self.cast(v) for v in data.get(self.name) or ()]
        qualified = self.qualifying(data)
        if not values and not qualified:
            return queryset
        condition = None
        for rows in self.rows:
            matching = rows.matching(values, qualified=qualified)
            if matching is not None:
                condition = matching if condition is None else condition | matching
        if condition is None:
            return queryset.none()
        for rows in self.rows:
            if rows.of_initiatives and rows.prepare is not None:
                queryset = rows.prepare(queryset)
        return queryset.filter(condition)

    @property
    def tables(self) -> frozenset[str]:
        """Every table whose rows the facet's counts depend on: the initiatives (which are
        published), and those its values are read and named from."""
        tables = {Initiative._meta.db_table}
        for rows in self.rows:
            tables |= rows.tables
        return frozenset(tables)


# ---- the facets ----


def _countries():
    return list(countries)


def _years():
    years = range(YEAR_RANGE["min_value"], YEAR_RANGE["max_value"] + 1)
    return [(str(year), str(year)) for year in years]


def _country_facet(name: str, label, role: str) -> Facet:
    return Facet(
        name=name,
        label=label,
        field=Choices(choices=_countries),
        rows=(Rows(model=InitiativeCountry, value="country_id", where=Q(role=role)),),
        options=Options.countries(),
    )


CONTEXTS = {
    "fragile": ("is_fragile_state", _("Fragile state")),
    "post_disaster": ("is_post_disaster", _("Post-disaster")),
    "conflict": ("is_conflict_affected", _("Conflict-affected")),
}
CONTEXT_CHOICES = [(key, label) for key, (_column, label) in CONTEXTS.items()]
STATUS_CHOICES = [(str(value), label) for value, label in ActivityStatus.choices]

FACETS: tuple[Facet, ...] = (
    _country_facet("provider", _("Provider country"), InitiativeCountry.Role.PROVIDER),
    _country_facet("recipient", _("Recipient country"), InitiativeCountry.Role.RECIPIENT),
    Facet(
        name="sector",
        label=_("Sector"),
        field=Codes(
            model=Sector,
            to_field="code",
            pattern=r"[0-9]{5}",
            vocabulary=_("DAC sector code (five digits)"),
        ),
        rows=(
            Rows(
                model=Initiative.sectors.through,
                value="sector_id",
                label="sector__name",
                translated="sector__translated_names",
            ),
        ),
        options=Options.vocabulary(by_count=True),
    ),
    Facet(
        name="modality",
        label=_("Modality"),
        field=Codes(model=Modality, vocabulary=_("modality")),
        rows=(Rows.vocabulary(Initiative.modalities.through, "modality"),),
        options=Options.vocabulary(),
    ),
    Facet(
        name="funding_model",
        label=_("Funding model"),
        field=Codes(model=FundingModel, vocabulary=_("funding model")),
        rows=(Rows.vocabulary(FundingContribution, "funding_model", distinct=True),),
        options=Options.vocabulary(),
    ),
    Facet(
        name="principle",
        label=_("Principle with evidence"),
        field=Codes(
            model=Principle, vocabulary=_("principle"), label=_("Principle (with evidence)")
        ),
        qualifiers=(
            Qualifier(
                name="stance",
                label=_("Evidence stance"),
                choices=PrincipleEvidence.Stance.choices,
                column="stance",
            ),
            Qualifier(
                name="confirmation",
                label=_("Evidence confirmation"),
                choices=PrincipleEvidence.Confirmation.choices,
                column="confirmation",
            ),
        ),
        rows=(Rows.vocabulary(PrincipleEvidence, "principle", label="short_name", distinct=True),),
        options=Options.vocabulary(),
    ),
    Facet(
        name="actor_type",
        label=_("Type of organisation taking part"),
        field=Choices(
            choices=OrganisationType.choices, label=_("Type of participating organisation")
        ),
        rows=(Rows(model=Participation, value="actor__actor_type", distinct=True),),
    ),
    Facet(
        name="context",
        label=_("Context"),
        field=Choices(choices=CONTEXT_CHOICES),
        rows=tuple(
            Rows(model=Initiative, value=Value(key), where=Q(**{column: True}))
            for key, (column, _label) in CONTEXTS.items()
        ),
    ),
    Facet(
        name="cooperation_type",
        label=_("Cooperation type"),
        field=Choices(choices=Initiative.CooperationType.choices),
        rows=(Rows(model=Initiative, value="cooperation_type"),),
    ),
    Facet(
        name="status",
        label=_("Activity status"),
        field=Choices(choices=STATUS_CHOICES),
        rows=(Rows(model=Initiative, value="activity_status"),),
        cast=int,
    ),
    Facet(
        name="year",
        label=_("Start year"),
        field=Choices(choices=_years),
        rows=(
            Rows(
                model=Initiative,
                value="started_year",
                optional=True,
                prepare=lambda initiatives: initiatives.with_started_year(),
            ),
        ),
        options=Options.years(),
        cast=int,
    ),
)

BY_NAME = {facet.name: facet for facet in FACETS}
