"""The public dashboard: charts and a world map of the initiatives the visitor may see.

The public's figures come from the facet index of what is published (milliseconds at a
hundred thousand records); anyone who may see unpublished records is counted in SQL."""

from django.shortcuts import render

from initiatives import charts
from initiatives.models import Initiative
from initiatives.published_counts import PublishedCounts


def dashboard(request):
    if request.user.is_authenticated:
        counts = charts.Counts(Initiative.objects.visible_to(request.user))
    else:
        counts = PublishedCounts()
    totals = counts.totals()
    total = totals.initiatives
    context = {
        "totals": totals,
        "flow_map": charts.flow_map(counts, flows_listed=charts.FLOWS_LISTED),
        "charts": [
            charts.funding_model_chart(counts, total=total),
            charts.modality_chart(counts, total=total),
            charts.sector_chart(counts, total=total),
            charts.principle_chart(counts, total=total),
            charts.start_year_chart(counts, total=total),
        ],
    }
    return render(request, "initiatives/dashboard.html", context)
