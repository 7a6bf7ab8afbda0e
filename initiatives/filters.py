"""The filters of the initiative list, shared by the pages and the REST API.

Every value the visitor gives is validated (an unknown country, a malformed sector code, a
modality that does not exist…) and reported as a form error — the page shows it, the API
answers 400 — never a server error. Within one filter several values mean "any of them";
different filters combine with "and". Filters on related rows use ``EXISTS`` subqueries, so
an initiative never appears twice.

:meth:`InitiativeFilterSet.narrow` applies all filters but the ones named, which is what
facet counts need (see ``initiatives.facets``). :class:`InitiativeDataFilterSet` adds the
filters the API, reports and exports take beyond the page's.
"""

import re
from collections.abc import Collection

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from funding.models import FundingContribution, FundingModel
from initiatives.models import Initiative, InitiativeCountry, Participation
from organisations.models import OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.iati import ActivityStatus
from reference.models import Modality, Sector

YEARS = range(1950, 2101)

CONTEXTS = {
    "fragile": ("is_fragile_state", _("Fragile state")),
    "post_disaster": ("is_post_disaster", _("Post-disaster")),
    "conflict": ("is_conflict_affected", _("Conflict-affected")),
}

RELEVANCE = "relevance"
NEWEST = "newest"
ORDERING_CHOICES = [
    (RELEVANCE, _("Best match")),
    (NEWEST, _("Newest first")),
    ("title", _("Title (A–Z)")),
    ("-start_year", _("Start year, latest first")),
    ("start_year", _("Start year, earliest first")),
]


class CodeMultipleChoiceField(forms.MultipleChoiceField):
    """Several codes from a vocabulary kept in the database (sectors, modalities…).

    Only the values actually given are looked up, in one query, so an unfiltered request
    costs nothing; a malformed or unknown value is reported by name.
    """

    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not a known %(vocabulary)s."),
    }

    def __init__(self, *, queryset=None, to_field="slug", pattern=r"[-\w]{1,60}", **kwargs):
        kwargs.pop("choices", None)
        self.vocabulary = kwargs.pop("vocabulary", "")
        super().__init__(**kwargs)
        self.queryset, self.to_field, self.pattern = queryset, to_field, re.compile(pattern)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        malformed = [v for v in value if not self.pattern.fullmatch(v)]
        known = set()
        if value and not malformed:
            known = set(
                self.queryset.filter(**{f"{self.to_field}__in": value}).values_list(
                    self.to_field, flat=True
                )
            )
        for item in malformed or [v for v in value if v not in known]:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": item[:60], "vocabulary": self.vocabulary},
            )


class CodeFilter(django_filters.MultipleChoiceFilter):
    field_class = CodeMultipleChoiceField

    def __init__(self, *args, queryset, vocabulary, to_field="slug", pattern=r"[-\w]{1,60}", **kw):
        super().__init__(
            *args,
            queryset=queryset,
            vocabulary=vocabulary,
            to_field=to_field,
            pattern=pattern,
            distinct=False,
            **kw,
        )


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """Several values from a fixed list, applied by the named ``method``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, distinct=False, **kwargs)


def _year_choices():
    return [(str(year), str(year)) for year in YEARS]


def _country_choices():
    return list(countries)


class InitiativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), max_length=200, method="apply_search")
    provider = ChoicesFilter(
        label=_("Provider country"), choices=_country_choices, method="apply_provider"
    )
    recipient = ChoicesFilter(
        label=_("Recipient country"), choices=_country_choices, method="apply_recipient"
    )
    sector = CodeFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field="code",
        pattern=r"[0-9]{5}",
        vocabulary=_("DAC sector code (five digits)"),
        method="apply_sector",
    )
    modality = CodeFilter(
        label=_("Modality"),
        queryset=Modality.objects.all(),
        vocabulary=_("modality"),
        method="apply_modality",
    )
    funding_model = CodeFilter(
        label=_("Funding model"),
        queryset=FundingModel.objects.all(),
        vocabulary=_("funding model"),
        method="apply_funding_model",
    )
    principle = CodeFilter(
        label=_("Principle (with evidence)"),
        queryset=Principle.objects.all(),
        vocabulary=_("principle"),
        method="apply_evidence",
    )
    stance = django_filters.ChoiceFilter(
        label=_("Evidence stance"),
        choices=PrincipleEvidence.Stance.choices,
        method="apply_evidence",
    )
    actor_type = ChoicesFilter(
        label=_("Type of participating organisation"),
        choices=OrganisationType.choices,
        method="apply_actor_type",
    )
    context = ChoicesFilter(
        label=_("Context"),
        choices=[(key, label) for key, (_field, label) in CONTEXTS.items()],
        method="apply_context",
    )
    cooperation_type = ChoicesFilter(
        label=_("Cooperation type"),
        choices=Initiative.CooperationType.choices,
        method="apply_cooperation_type",
    )
    status = ChoicesFilter(
        label=_("Activity status"),
        choices=[(str(value), label) for value, label in ActivityStatus.choices],
        method="apply_status",
    )
    year = ChoicesFilter(label=_("Start year"), choices=_year_choices, method="apply_year")
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=ORDERING_CHOICES, method="apply_nothing", empty_label=None
    )

    # Filters whose values narrow the results (all but the sort order).
    NARROWING = (
        "q",
        "provider",
        "recipient",
        "sector",
        "modality",
        "funding_model",
        "principle",
        "stance",
        "actor_type",
        "context",
        "cooperation_type",
        "status",
        "year",
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    # ---- applying the filters ----

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.ordered(self.narrow(queryset))

    def narrow(self, queryset: QuerySet, *, exclude: Collection[str] = ()) -> QuerySet:
        """``queryset`` with every valid filter applied except those named in ``exclude``."""
        data = self.cleaned_data
        for name in self.NARROWING:
            if name in exclude or name in ("principle", "stance"):
                continue
            queryset = self.filters[name].filter(queryset, data.get(name))
        principles = [] if "principle" in exclude else data.get("principle")
        if principles or data.get("stance"):
            queryset = queryset.filter(Exists(self.evidence(principles)))
        return queryset

    def ordered(self, queryset: QuerySet) -> QuerySet:
        ordering = self.ordering_key
        if ordering == RELEVANCE:
            return queryset  # ``search()`` orders by relevance
        if ordering == "title":
            return queryset.order_by("title", "pk")
        if ordering in ("start_year", "-start_year"):
            latest_first = ordering.startswith("-")
            year = F("started_year")
            year = year.desc(nulls_last=True) if latest_first else year.asc(nulls_last=True)
            return queryset.with_started_year().order_by(year, "title", "pk")
        return queryset.newest_first()

    @property
    def ordering_key(self) -> str:
        """The sort order in force: the one asked for, else best match for a search, else
        the newest first (best match without a search means nothing)."""
        searching = bool(self.selected("q"))
        ordering = next(iter(self.selected("ordering")), RELEVANCE if searching else NEWEST)
        return NEWEST if ordering == RELEVANCE and not searching else ordering

    def evidence(self, principles) -> QuerySet:
        """Evidence rows for the selected principles (any, if none) with the selected stance."""
        evidence = PrincipleEvidence.objects.filter(initiative=OuterRef("pk"))
        if principles:
            evidence = evidence.filter(principle__slug__in=principles)
        if stance := self.cleaned_data.get("stance"):
            evidence = evidence.filter(stance=stance)
        return evidence

    def apply_nothing(self, queryset, name, value):
        return queryset

    apply_evidence = apply_nothing  # principle and stance combine; see ``narrow``

    def apply_search(self, queryset, name, value):
        return queryset.search(value)

    def _countries(self, queryset, role, codes):
        links = InitiativeCountry.objects.filter(
            initiative=OuterRef("pk"), role=role, country__in=codes
        )
        return queryset.filter(Exists(links))

    def apply_provider(self, queryset, name, value):
        return self._countries(queryset, InitiativeCountry.Role.PROVIDER, value)

    def apply_recipient(self, queryset, name, value):
        return self._countries(queryset, InitiativeCountry.Role.RECIPIENT, value)

    def apply_sector(self, queryset, name, value):
        through = Initiative.sectors.through.objects
        return queryset.filter(Exists(through.filter(initiative=OuterRef("pk"), sector__in=value)))

    def apply_modality(self, queryset, name, value):
        through = Initiative.modalities.through.objects
        return queryset.filter(
            Exists(through.filter(initiative=OuterRef("pk"), modality__slug__in=value))
        )

    def apply_funding_model(self, queryset, name, value):
        contributions = FundingContribution.objects.filter(
            initiative=OuterRef("pk"), funding_model__slug__in=value
        )
        return queryset.filter(Exists(contributions))

    def apply_actor_type(self, queryset, name, value):
        participations = Participation.objects.filter(
            initiative=OuterRef("pk"), actor__actor_type__in=value
        )
        return queryset.filter(Exists(participations))

    def apply_context(self, queryset, name, value):
        condition = Q()
        for key in value:
            condition |= Q(**{CONTEXTS[key][0]: True})
        return queryset.filter(condition)

    def apply_cooperation_type(self, queryset, name, value):
        return queryset.filter(cooperation_type__in=value)

    def apply_status(self, queryset, name, value):
        return queryset.filter(activity_status__in=[int(status) for status in value])

    def apply_year(self, queryset, name, value):
        return queryset.with_started_year().filter(started_year__in=[int(y) for y in value])

    # ---- for templates ----

    @property
    def cleaned_data(self) -> dict:
        """The valid values given (none for an unbound filter set); invalid ones are left
        out and reported in ``errors``."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data

    def selected(self, name: str) -> list[str]:
        """The valid values given for filter ``name``."""
        value = self.cleaned_data.get(name)
        if value in (None, ""):
            return []
        return list(value) if isinstance(value, list | tuple) else [value]

    @property
    def is_filtered(self) -> bool:
        return any(self.selected(name) for name in self.NARROWING)


YEAR_RANGE = {"min_value": 1950, "max_value": 2100}


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **YEAR_RANGE, **kwargs)


class InitiativeDataFilterSet(InitiativeFilterSet):
    """The list page's filters plus ranges of years and a "changed since" date that scripts
    use to keep a copy of the data up to date: what the API, reports and exports accept."""

    start_year_min = YearFilter(label=_("Started in or after this year"), method="apply_range")
    start_year_max = YearFilter(label=_("Started in or before this year"), method="apply_range")
    end_year_min = YearFilter(label=_("Ended in or after this year"), method="apply_range")
    end_year_max = YearFilter(label=_("Ended in or before this year"), method="apply_range")
    updated_since = django_filters.DateFilter(
        label=_("Changed on or after this date (YYYY-MM-DD)"), method="apply_updated_since"
    )

    NARROWING = (
        *InitiativeFilterSet.NARROWING,
        "start_year_min",
        "start_year_max",
        "end_year_min",
        "end_year_max",
        "updated_since",
    )

    def apply_range(self, queryset, name, value):
        if value is None:
            return queryset
        which, bound = name.rsplit("_", 1)  # "start_year", "min"
        lookup = "gte" if bound == "min" else "lte"
        if which == "start_year":
            return queryset.with_started_year().filter(**{f"started_year__{lookup}": value})
        return queryset.with_ended_year().filter(**{f"ended_year__{lookup}": value})

    def apply_updated_since(self, queryset, name, value):
        return queryset if value is None else queryset.filter(updated_at__date__gte=value)
