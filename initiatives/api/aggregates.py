"""Counts of the initiatives a caller may see, grouped one way, under the list's filters."""

import csv
import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from initiatives import aggregates
from initiatives.api.schema import describe_filters, filter_data
from initiatives.browse.filters import InitiativeDataFilterSet
from initiatives.models import Initiative
from ssdc_portal.api.renderers import CSVRenderer, JSONErrorsMixin
from ssdc_portal.csv_cells import CSV_CELLS_NOTE, csv_text_cell


def _tallies(tallies):
    return [{"key": t.key, "label": t.label, "initiatives": t.initiatives} for t in tallies]


KINDS = {
    "country-pairs": lambda qs: [
        {"provider": f.provider, "recipient": f.recipient, "initiatives": f.initiatives}
        for f in aggregates.count_flows(qs)
    ],
    "countries": lambda qs: [
        {
            "country": c.code,
            "as_provider": c.as_provider,
            "as_recipient": c.as_recipient,
            "initiatives": c.initiatives,
        }
        for c in aggregates.count_by_country(qs)
    ],
    "funding-models": lambda qs: _tallies(aggregates.tally_funding_models(qs)),
    "modalities": lambda qs: _tallies(aggregates.tally_modalities(qs)),
    "sectors": lambda qs: _tallies(aggregates.tally_sector_categories(qs)),
    "principles": lambda qs, confirmation="": [
        {
            "key": p.key,
            "label": p.principle,
            "supports": p.supports,
            "challenges": p.challenges,
            "confirmed": p.confirmed,
        }
        for p in aggregates.count_by_principle(qs, confirmation=confirmation)
    ],
    "years": lambda qs: [
        {"year": year, "initiatives": count} for year, count in aggregates.count_by_start_year(qs)
    ],
}


class AggregateView(JSONErrorsMixin, APIView):
    """Counts of visible initiatives by one dimension, accepting the initiatives' filters.

    Kinds: country-pairs (provider → recipient), countries, funding-models, modalities,
    sectors (DAC categories), principles (× stance, and confirmed by a partner), years
    (start year).
    """

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]

    @staticmethod
    def describe_query_parameters():
        return describe_filters()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=["json", "csv"], description=CSV_CELLS_NOTE
            ),
        ],
        responses={
            (200, "application/json"): inline_serializer(
                "Aggregate",
                {"kind": serializers.CharField(), "results": serializers.ListField()},
            ),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request, kind: str):
        if kind not in KINDS:
            raise NotFound(f"Unknown aggregate. Use one of: {', '.join(KINDS)}.")
        visible = Initiative.objects.visible_to(request.user)
        filterset = InitiativeDataFilterSet(filter_data(request.query_params), queryset=visible)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        # Under ?confirmation=…, only evidence in that state is counted by principle.
        confirmation = filterset.form.cleaned_data.get("confirmation")
        options = {"confirmation": confirmation} if kind == "principles" and confirmation else {}
        rows = KINDS[kind](filterset.narrow(visible), **options)
        if request.accepted_renderer.format == "csv":
            return _csv(kind, rows)
        return Response({"kind": kind, "results": rows})


def _csv(kind: str, rows: list[dict]) -> HttpResponse:
    """The rows as CSV; text (names, keys) that a spreadsheet would run as a formula gets a
    leading ``'``, counts are written as they are."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(
            {
                name: csv_text_cell(value) if isinstance(value, str) else value
                for name, value in row.items()
            }
            for row in rows
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response
