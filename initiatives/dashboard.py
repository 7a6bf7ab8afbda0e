"""The public dashboard: charts and a world map of the initiatives the visitor may see."""

from django.shortcuts import render

from initiatives import aggregates, charts
from initiatives.models import Initiative


def dashboard(request):
    visible = Initiative.objects.visible_to(request.user)
    totals = aggregates.count_totals(visible)
    total = totals.initiatives
    context = {
        "totals": totals,
        "flow_map": charts.flow_map(visible),
        "charts": [
            charts.funding_model_chart(visible, total=total),
            charts.modality_chart(visible, total=total),
            charts.sector_chart(visible, total=total),
            charts.principle_chart(visible, total=total),
            charts.start_year_chart(visible, total=total),
        ],
    }
    return render(request, "initiatives/dashboard.html", context)
