"""Initiatives in the REST API: list (filtered, searched, cursor-paged, or as CSV), detail,
and the writes of editors. The list's rows come from ``rows.py``, its CSV from
``csv_export.py``, the record's shape from ``serializers.py``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from initiatives import services
from initiatives.api.csv_export import csv_response
from initiatives.api.rows import list_rows, shaped_rows
from initiatives.api.schema import describe_filters, filter_data
from initiatives.api.serializers import InitiativeDetailSerializer, InitiativeListSerializer
from initiatives.api.withdrawals import WithdrawalListOut, withdrawal_rows
from initiatives.api.writes import (
    InitiativeChangeIn,
    InitiativeWriteIn,
    etag,
    expected_version,
    initiative_write,
    validated_write,
)
from initiatives.browse.filters import InitiativeDataFilterSet
from initiatives.models import Initiative
from ssdc_portal.api.errors import Conflict, PreconditionFailed
from ssdc_portal.api.renderers import CSVRenderer, JSONErrorsMixin
from ssdc_portal.api.routers import SLUG_LOOKUP
from ssdc_portal.csv_cells import CSV_CELLS_NOTE

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the record as you last read it, e.g. "v3".',
)


WRITE_EXAMPLE = OpenApiExample(
    "A new draft",
    request_only=True,
    value={
        "owner": "brazilian-native-seed-coalition",
        "title": "Seed fairs across the border",
        "summary": "Family farmers swap native seeds and ways to keep them.",
        "cooperation_type": "bilateral",
        "start_year": 2014,
        "sectors": ["31120"],
        "modalities": ["exchange-visits"],
        "countries": [
            {"country": "BR", "role": "provider"},
            {"country": "MZ", "role": "recipient"},
        ],
        "participants": [{"organisation": "brazilian-native-seed-coalition", "role": "lead"}],
        "funding": [{"funding_model": "provider-government"}],
    },
)
PATCH_EXAMPLE = OpenApiExample(
    "Change the title and replace the recipient countries",
    request_only=True,
    value={
        "title": "Seed fairs in Mozambique and South Africa",
        "countries": [
            {"country": "BR", "role": "provider"},
            {"country": "MZ", "role": "recipient", "share": 60},
            {"country": "ZA", "role": "recipient", "share": 40},
        ],
    },
)


ORDERINGS = {
    "-updated_at": ("-updated_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-id": ("-id",),
    "title": ("title", "id"),
}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "ordering", OpenApiTypes.STR, enum=list(ORDERINGS), description="Sort order."
            ),
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "csv"],
                description="csv streams every matching row (no pages) as flat columns. "
                + CSV_CELLS_NOTE,
            ),
        ],
        responses={
            (200, "application/json"): InitiativeListSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
        description=(
            "Initiatives the caller may see (published ones; editors also their "
            "organisations' records), filtered like the /initiatives/ page. `q` searches "
            "titles, summaries, descriptions and organisation names."
        ),
    ),
)
class InitiativeViewSet(JSONErrorsMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_LOOKUP
    filter_backends: list = []  # the shared filter set is applied in get_queryset

    @staticmethod
    def describe_query_parameters():
        return describe_filters()

    def get_renderers(self):
        renderers = super().get_renderers()
        return [*renderers, CSVRenderer()] if self.action == "list" else renderers

    def get_serializer_class(self):
        return InitiativeListSerializer if self.action == "list" else InitiativeDetailSerializer

    @property
    def ordering(self):
        key = self.request.query_params.get("ordering", "-updated_at")
        if key not in ORDERINGS:
            raise ValidationError({"ordering": [f"Use one of: {', '.join(ORDERINGS)}."]})
        return ORDERINGS[key]

    def get_queryset(self):
        visible = Initiative.objects.visible_to(self.request.user)
        if self.action != "list":
            return visible.for_detail()
        data = filter_data(self.request.query_params)
        if not data:
            return visible  # nothing to narrow (and building the filter set is not free)
        filterset = InitiativeDataFilterSet(data, queryset=visible)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.narrow(visible)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            self.paginator.get_page_size(request)  # refuse a malformed one here too
            return csv_response(self.get_queryset().order_by(*self.ordering))
        # The page's rows are read as values in one query (see rows.py) rather than as
        # model instances and serializers.
        page = self.paginate_queryset(list_rows(self.get_queryset()))
        response = self.get_paginated_response(shaped_rows(page, request))
        response.add_post_render_callback(self._release_page)
        return response

    def _release_page(self, response) -> None:
        """Once the page is written, let go of its rows. The view, its request and its
        answer refer to one another (and DRF's answer to itself, through its renderer
        context), so the rows in the paginator and in the answer waited for Python's cycle
        collector, which spent about half a millisecond a request on them; without these
        references they are freed with the answer."""
        del self.response, self._paginator, response.renderer_context["response"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                {
                    "oneOf": [
                        {"type": "string", "format": "date-time"},
                        {"type": "string", "format": "date"},
                    ]
                },
                description="Only records withdrawn at or after this moment: an ISO 8601 "
                "date-time with its time zone, or a date (from the start of that day, UTC).",
            )
        ],
        responses={200: WithdrawalListOut},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def withdrawn(self, request):
        """Records withdrawn from the portal (archived by a moderator), oldest first: a
        client that keeps a copy of the published records removes these. Each names its
        last published version, which stays readable and citable."""
        since = request.query_params.get("since")
        return Response({"results": withdrawal_rows(request, since)})

    # ---- writes (editors of the owning organisation) ----

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag(self.get_object())
        return response

    def _detail_response(self, initiative: Initiative, status: int = 200) -> Response:
        fresh = Initiative.objects.for_detail().get(pk=initiative.pk)
        serializer = InitiativeDetailSerializer(fresh, context=self.get_serializer_context())
        response = Response(serializer.data, status=status)
        response["ETag"] = etag(fresh)
        return response

    def _editable_object(self) -> Initiative:
        initiative = self.get_object()  # 404 unless the caller may see it
        user = self.request.user
        if not (user.is_moderator or services.user_can_edit(user, initiative)):
            raise PermissionDenied(_("You may only change your own organisations' initiatives."))
        return initiative

    def _save(self, initiative: Initiative, *, expected: int | None, status: int) -> Response:
        data = validated_write(
            payload=self.request.data, initiative=initiative, user=self.request.user
        )
        try:
            saved = initiative_write(
                initiative=initiative, data=data, by=self.request.user, expected_version=expected
            )
        except services.EditConflict as conflict:
            raise PreconditionFailed(str(conflict)) from conflict
        except services.InvalidTransition as refusal:
            raise Conflict(str(refusal)) from refusal
        return self._detail_response(saved, status=status)

    @extend_schema(
        request=InitiativeWriteIn,
        responses={201: InitiativeDetailSerializer},
        examples=[WRITE_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        """Record a new initiative (a draft) for one of your organisations (`owner`)."""
        return self._save(Initiative(), expected=None, status=201)

    @extend_schema(
        request=InitiativeChangeIn,
        parameters=[IF_MATCH],
        examples=[PATCH_EXAMPLE],
        responses={200: InitiativeDetailSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change fields or replace lists of rows; send the ETag you read in If-Match."""
        initiative = self._editable_object()
        return self._save(initiative, expected=expected_version(request, initiative), status=200)

    @extend_schema(
        request=None,
        parameters=[IF_MATCH],
        responses={200: InitiativeDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, slug=None):
        """Submit a draft (or returned) initiative for review by a moderator."""
        initiative = self._editable_object()
        expected_version(request, initiative)
        try:
            services.initiative_submit(initiative=initiative, by=request.user)
        except (services.IncompleteInitiative, services.InvalidTransition) as refusal:
            raise Conflict(str(refusal)) from refusal
        return self._detail_response(initiative)
