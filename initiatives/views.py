"""Public pages: home, the initiative list with search and facets, and one initiative.

Every read starts from ``Initiative.objects.visible_to(request.user)``.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from funding.models import funding_mix
from initiatives import charts
from initiatives.browse.chips import active_filter_chips
from initiatives.browse.counts import initiative_facets, key_figures
from initiatives.browse.filters import (
    NEWEST,
    ORDERING_CHOICES,
    RELEVANCE,
    InitiativeDataFilterSet,
    InitiativeFilterSet,
)
from initiatives.browse.index import public_results
from initiatives.content import interface_language
from initiatives.models import Initiative
from initiatives.published import citation_context, gone_or_404, initiative_gone, version_citation
from initiatives.published_counts import PublishedCounts
from initiatives.versions import latest_version, record_versions
from learning.practices.reads import practices_used
from reference.models import Modality
from ssdc_portal.languages import address_in_language
from ssdc_portal.links import absolute_url

LIST_PAGE_SIZE = 20
HOME_RECENT = 6


def home(request):
    published = Initiative.objects.visible_to(request.user).published()
    figures = key_figures(published)
    # The list holds what the visitor may see; the home page counts published records (from
    # the facet index of them): the same for visitors, whom the links are for.
    counts = PublishedCounts()
    context = {
        "figures": figures,
        "flow_map": charts.flow_map(counts, linked=True, flows_listed=charts.FLOWS_LISTED),
        "charts": [
            charts.funding_model_chart(counts, total=figures.initiatives, linked=True),
            charts.modality_chart(counts, total=figures.initiatives, linked=True),
        ],
        "initiative_count": figures.initiatives,
        "initiatives": published.newest_first()
        .only("title", "slug", "summary", "language")
        .with_translated_summary()[:HOME_RECENT],
    }
    return render(request, "initiatives/home.html", context)


@vary_on_headers("HX-Request")
def initiative_list(request):
    filterset = InitiativeFilterSet(
        request.GET, queryset=Initiative.objects.visible_to(request.user)
    )
    public = Initiative.objects.sees_only_published(request.user)
    rows = Initiative.objects.published().for_listing()
    results = public_results(filterset, rows, public=public)
    if results is None:
        results = filterset.qs.for_listing()
    page = Paginator(results, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    facets = initiative_facets(filterset, public=public)
    context = {
        "filterset": filterset,
        "page": page,
        "facets": facets,
        "chips": active_filter_chips(request.GET, filterset, facets),
        "ordering": next(iter(filterset.selected("ordering")), ""),
        "ordering_choices": _ordering_choices(searching=bool(filterset.selected("q"))),
        "report_filters": InitiativeDataFilterSet.present_in(request.GET),
        "csv_url": _csv_url(request, filterset),
    }
    if request.htmx:
        return render(request, "initiatives/_list_results.html", context)
    return render(request, "initiatives/initiative_list.html", context)


def _csv_url(request, filterset: InitiativeFilterSet) -> str:
    """The address of these results as CSV: the API's (one code path, behind the same
    visibility gate, for everyone), with the filters the list applied. Filters the list
    could not apply are left out, as on the page."""
    query = [("format", "csv")]
    for name, values in InitiativeDataFilterSet.present_in(request.GET).items():
        if name not in filterset.errors:
            query.extend((name, value) for value in values if value.strip())
    return f"{reverse('api:initiative-list')}?{urlencode(query)}"


def _ordering_choices(*, searching: bool) -> list[tuple[str, str]]:
    """The sort menu: the default first (best match for a search, else newest), so that a
    new search is ranked by relevance whatever was sorted before."""
    default = _("Best match") if searching else _("Newest first")
    return [("", default)] + [
        (value, label)
        for value, label in ORDERING_CHOICES
        if value != RELEVANCE and (value != NEWEST or searching)
    ]


def initiative_detail(request, slug: str):
    initiative = Initiative.objects.visible_to(request.user).for_detail().filter(slug=slug).first()
    if initiative is None or initiative.is_archived:
        # A withdrawn record was public: its address says it is gone, for everyone.
        return initiative_gone(request, gone_or_404(slug))
    return render(
        request, "initiatives/initiative_detail.html", detail_context(request, initiative)
    )


def detail_context(request, initiative: Initiative) -> dict:
    """What the public page of ``initiative`` shows (and the editors' preview of it)."""
    original_language = interface_language(initiative.language)
    version = latest_version(initiative) if initiative.is_published else None
    citing = {}
    if initiative.is_published:
        citation = version_citation(request, initiative, version)
        citing = citation_context(citation, description=initiative.summary)
    return {
        **citing,
        "current_version": version,
        "versions": record_versions(initiative) if version else [],
        "initiative": initiative,
        # The same page in the language the record was written in, if the portal has it.
        "original_page": original_language
        and address_in_language(request.get_full_path(), original_language),
        "funding_mix": funding_mix(initiative.funding_contributions.all()),
        "permanent_url": absolute_url(initiative.get_absolute_url(), request),
        "accessed": timezone.localdate(),
        "practice_uses": practices_used(request.user, initiative),
    }


def modality_vocabulary(request):
    """The portal's vocabulary of cooperation modalities: the codes its IATI exports use in
    ``tag`` elements (vocabulary 99) point here."""
    modalities = Modality.objects.order_by("position", "name")
    return render(request, "initiatives/modality_vocabulary.html", {"modalities": modalities})
