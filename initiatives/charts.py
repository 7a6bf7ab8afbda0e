"""The portal's charts of a queryset of initiatives (already through ``visible_to``): one
grouped query each, drawn by the ``charts`` package. The drawing functions callers use next
to these are re-exported, so that a page imports one module for its charts."""

from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from charts import (
    MAP_MOST_FLOWS,
    MAP_WIDTH,
    Chart,
    bar_chart,
    grouped_bar_chart,
    shade_classes,
    timeline_chart,
    world_geometry,
    world_map,
)
from initiatives import aggregates

# The dashboard's table of flows lists the largest ones; every flow is one link away, in the
# data (ten thousand rows would make a page of megabytes that no one reads through).
FLOWS_LISTED = MAP_MOST_FLOWS  # those the map draws

Counts = aggregates.QueryCounts  # or initiatives.published_counts.PublishedCounts


def _counts(initiatives: QuerySet | Counts) -> Counts:
    """What to count: a queryset (already through ``visible_to``) is counted in SQL."""
    return aggregates.QueryCounts(initiatives) if isinstance(initiatives, QuerySet) else initiatives


@lru_cache(maxsize=64)
def _initiative_list(language: str | None, prefix: str) -> str:
    return reverse("initiative-list")


def filtered_list(**filters: str) -> str:
    """The address of the initiative list narrowed by ``filters`` (facet name: value), in
    the active language (a map's tables link hundreds of them: the list's address is
    worked out once per language)."""
    return f"{_initiative_list(get_language(), get_script_prefix())}?{urlencode(filters)}"


def _no_data(total: int, message: str) -> str:
    return message if total else _("No published initiatives yet.")


def funding_model_chart(
    initiatives: QuerySet | Counts, *, total: int, linked: bool = False
) -> Chart:
    tallies = _counts(initiatives).funding_models()
    return bar_chart(
        key="chart-funding-model",
        title=_("Initiatives by funding model"),
        category_header=_("Funding model"),
        rows=[(tally.label, tally.initiatives) for tally in tallies],
        links=[filtered_list(funding_model=tally.key) for tally in tallies] if linked else (),
        empty_message=_no_data(total, _("No funding recorded yet.")),
        note=_("An initiative funded in several ways counts once for each."),
    )


def modality_chart(initiatives: QuerySet | Counts, *, total: int, linked: bool = False) -> Chart:
    tallies = _counts(initiatives).modalities()
    return bar_chart(
        key="chart-modality",
        title=_("Initiatives by modality"),
        category_header=_("Modality"),
        rows=[(tally.label, tally.initiatives) for tally in tallies],
        links=[filtered_list(modality=tally.key) for tally in tallies] if linked else (),
        empty_message=_no_data(total, _("No modalities recorded yet.")),
        note=_("An initiative using several modalities counts once for each."),
    )


def sector_chart(initiatives: QuerySet | Counts, *, total: int, limit: int = 10) -> Chart:
    tallies = _counts(initiatives).sector_categories(limit=limit)
    return bar_chart(
        key="chart-sector",
        title=_("Initiatives by sector"),
        category_header=_("Sector category (OECD DAC)"),
        rows=[(tally.label, tally.initiatives) for tally in tallies],
        empty_message=_no_data(total, _("No sectors recorded yet.")),
        note=_(
            "The %(limit)d sector categories with most initiatives. An initiative counts once "
            "in each category of its purpose codes."
        )
        % {"limit": limit},
    )


def principle_chart(initiatives: QuerySet | Counts, *, total: int) -> Chart:
    counts = _counts(initiatives).principles()
    several_sets = len({row.principle_set for row in counts}) > 1
    return grouped_bar_chart(
        key="chart-principles",
        title=_("Evidence on the effectiveness principles"),
        category_header=_("Principle"),
        series=(_("Supports"), _("Challenges")),
        rows=[
            (
                f"{row.principle_set}: {row.principle}" if several_sets else row.principle,
                (row.supports, row.challenges),
            )
            for row in counts
        ],
        empty_message=_no_data(total, _("No principle evidence recorded yet.")),
        note=_(
            "Initiatives with evidence that supports the principle in practice, and with "
            "evidence of a gap or shortfall. One initiative can have both."
        ),
    )


def start_year_chart(initiatives: QuerySet | Counts, *, total: int) -> Chart:
    return timeline_chart(
        key="chart-start-year",
        title=_("Initiatives by start year"),
        rows=_counts(initiatives).start_years(),
        empty_message=_no_data(total, _("No start dates recorded yet.")),
        note=_("The actual start date, else the planned one, else the year given."),
    )


def flow_link(provider: str, recipient: str) -> str:
    return filtered_list(provider=provider, recipient=recipient)


def country_link(code: str, role: str) -> str:
    return filtered_list(**{role: code})


def all_flows_data() -> tuple[tuple[str, str], ...]:
    """Where every flow of the initiatives a visitor may see can be read: the aggregate API,
    as a spreadsheet and as JSON."""
    address = reverse("api:aggregate", kwargs={"kind": "country-pairs"})
    return (
        (_("Every flow as a spreadsheet (CSV)"), f"{address}?format=csv"),
        (_("Every flow as data (JSON)"), f"{address}?format=json"),
    )


def flow_map(
    initiatives: QuerySet | Counts, *, linked: bool = False, flows_listed: int | None = None
) -> Chart:
    """The world map of ``initiatives``; ``linked``: its flows and counts link to the
    initiative list showing them (when the list holds the same records). ``flows_listed``:
    the table lists that many of the largest flows, and links to the data holding all."""
    counts = _counts(initiatives)
    return world_map(
        key="map-flows",
        title=_("Where initiatives work: countries and provider → recipient flows"),
        countries=counts.countries(),
        flows=counts.flows(),
        flow_link=flow_link if linked else None,
        country_link=country_link if linked else None,
        flows_listed=flows_listed,
        all_flows=all_flows_data() if flows_listed is not None else (),
    )


__all__ = [
    "FLOWS_LISTED",
    "Counts",
    "all_flows_data",
    "country_link",
    "filtered_list",
    "flow_link",
    "MAP_WIDTH",
    "Chart",
    "bar_chart",
    "flow_map",
    "funding_model_chart",
    "grouped_bar_chart",
    "modality_chart",
    "principle_chart",
    "sector_chart",
    "shade_classes",
    "start_year_chart",
    "timeline_chart",
    "world_geometry",
    "world_map",
]
