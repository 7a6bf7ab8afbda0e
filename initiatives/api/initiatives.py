"""Initiatives in the REST API: list (filtered, searched, cursor-paged, or as CSV), detail."""

from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import CharField, F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from funding.models import FundingContribution, funding_mix
from initiatives import services
from initiatives.api.rows import list_rows
from initiatives.api.schema import describe_filters, filter_data
from initiatives.api.writes import (
    InitiativeChangeIn,
    InitiativeWriteIn,
    etag,
    expected_version,
    initiative_write,
    validated_write,
)
from initiatives.filters import InitiativeDataFilterSet
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from principles.models import PrincipleEvidence
from ssdc_portal.api.errors import Conflict, PreconditionFailed
from ssdc_portal.api.renderers import CSVRenderer, JSONErrorsMixin
from ssdc_portal.api.routers import SLUG_LOOKUP
from ssdc_portal.csv_cells import CSV_CELLS_NOTE, CSVTextCell

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


class CountryShareSerializer(serializers.Serializer):
    code = serializers.CharField(source="country_id")
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class ParticipantSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="actor.slug")
    name = serializers.CharField(source="actor.name")
    role = serializers.CharField()
    iati_role = serializers.IntegerField()


class InitiativeListSerializer(serializers.ModelSerializer):
    """The essentials of an initiative, as a list row shows them."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:initiative-detail", lookup_field="slug"
    )
    page = serializers.SerializerMethodField(help_text="The public page of the record.")
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    start_year = serializers.IntegerField(source="started_in", allow_null=True)
    provider_countries = CountryShareSerializer(source="provider_links", many=True)
    recipient_countries = CountryShareSerializer(source="recipient_links", many=True)
    participants = ParticipantSerializer(source="participations", many=True)
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    modalities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    funding_models = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "url",
            "page",
            "title",
            "summary",
            "language",
            "state",
            "version",
            "cooperation_type",
            "activity_status",
            "start_year",
            "owner",
            "provider_countries",
            "recipient_countries",
            "participants",
            "sectors",
            "modalities",
            "funding_models",
            "updated_at",
        ]

    def get_page(self, initiative) -> str:
        return self.context["request"].build_absolute_uri(initiative.get_absolute_url())

    def get_funding_models(self, initiative) -> list[str]:
        return sorted({c.funding_model.slug for c in initiative.funding_contributions.all()})


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "baseline",
            "baseline_year",
            "target",
            "target_year",
            "actual",
            "actual_year",
        ]


class OutcomeSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["title", "narrative", "result_type", "indicators"]


class FundingContributionSerializer(serializers.ModelSerializer):
    funding_model = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    funder = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    in_kind = serializers.BooleanField(source="is_in_kind")

    class Meta:
        model = FundingContribution
        fields = [
            "funding_model",
            "funder",
            "amount",
            "currency",
            "year_start",
            "year_end",
            "in_kind",
            "note",
        ]


class NonMonetaryContributionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NonMonetaryContribution
        fields = ["kind", "quantity", "unit", "year", "note"]


class SourceSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField(help_text="Download link of the document.")

    class Meta:
        model = Source
        fields = ["id", "citation", "url", "document_type", "year", "document"]

    def get_document(self, source) -> str | None:
        if not source.document:
            return None
        url = reverse("source-document", args=[source.pk])
        return self.context["request"].build_absolute_uri(url)


class EvidenceRowSerializer(serializers.ModelSerializer):
    principle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    principle_set = serializers.CharField(source="principle.principle_set.slug")
    source = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    recorded_by_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    confirmed_by_organisation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = PrincipleEvidence
        fields = [
            "id",
            "principle",
            "principle_set",
            "stance",
            "strength",
            "narrative",
            "quote",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
        ]


class InitiativeDetailSerializer(InitiativeListSerializer):
    """Everything the public page of an initiative shows."""

    sdg_goals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    funding_mix = serializers.SerializerMethodField()
    funding_contributions = FundingContributionSerializer(many=True, read_only=True)
    non_monetary_contributions = NonMonetaryContributionSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    principle_evidence = EvidenceRowSerializer(many=True, read_only=True)
    context = serializers.SerializerMethodField()

    class Meta(InitiativeListSerializer.Meta):
        fields = [
            *InitiativeListSerializer.Meta.fields,
            "description",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "sdg_goals",
            "context",
            "provider_government_involvement",
            "recipient_government_involvement",
            "coordinates_with_other_donors",
            "coordination_note",
            "lessons_learned",
            "funding_mix",
            "funding_contributions",
            "non_monetary_contributions",
            "outcomes",
            "sources",
            "principle_evidence",
            "published_at",
            "reviewed_at",
        ]

    def get_context(self, initiative) -> dict:
        return {
            "fragile_state": initiative.is_fragile_state,
            "post_disaster": initiative.is_post_disaster,
            "conflict_affected": initiative.is_conflict_affected,
        }

    def get_funding_mix(self, initiative) -> list[dict]:
        mix = funding_mix(initiative.funding_contributions.all())
        return [{"funding_model": model.slug, "share": share} for model, share in mix]


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
        # The cursor pages over ids and the ordering columns only; the page's rows are then
        # read as values (see rows.py) rather than as model instances and serializers.
        positions = {field.lstrip("-") for field in self.ordering}
        page = self.paginate_queryset(self.get_queryset().values("pk", *positions))
        return self.get_paginated_response(list_rows([entry["pk"] for entry in page], request))

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


CSV_COLUMNS = [
    "slug",
    "title",
    "cooperation_type",
    "activity_status",
    "start_year",
    "owner",
    "provider_countries",
    "recipient_countries",
    "participants",
    "sectors",
    "modalities",
    "funding_models",
    "updated_at",
]


def _joined(rows, value, *, order_by, distinct: bool = False) -> CSVTextCell:
    """The ``value`` of an initiative's ``rows``, space-separated (empty when none), as a
    CSV text cell."""
    joined = (
        rows.order_by()
        .values("initiative")
        .annotate(joined=StringAgg(value, " ", distinct=distinct, order_by=order_by))
        .values("joined")
    )
    return CSVTextCell(Coalesce(Subquery(joined), Value(""), output_field=TextField()))


def csv_rows(queryset):
    """``queryset`` as the flat CSV columns, computed by PostgreSQL in one query. Text that
    a spreadsheet would read as a formula gets a leading ``'`` (see ``ssdc_portal.csv_cells``);
    numbers (activity status, start year) are left as they are."""
    countries = InitiativeCountry.objects.filter(initiative=OuterRef("pk"))
    by_share = (F("share").desc(nulls_last=True), "country_id")
    through = {
        name: getattr(Initiative, name).through.objects.filter(initiative=OuterRef("pk"))
        for name in ("sectors", "modalities")
    }
    columns = {
        "csv_provider": _joined(countries.filter(role="provider"), "country_id", order_by=by_share),
        "csv_recipient": _joined(
            countries.filter(role="recipient"), "country_id", order_by=by_share
        ),
        "csv_participants": _joined(
            Participation.objects.filter(initiative=OuterRef("pk")),
            Concat("actor__slug", Value(":"), "role", output_field=TextField()),
            order_by=("pk",),
        ),
        "csv_sectors": _joined(through["sectors"], "sector_id", order_by=("sector_id",)),
        "csv_modalities": _joined(
            through["modalities"],
            "modality__slug",
            order_by=("modality__position", "modality__name"),
        ),
        "csv_funding": _joined(
            FundingContribution.objects.filter(initiative=OuterRef("pk")),
            "funding_model__slug",
            order_by=("funding_model__slug",),
            distinct=True,
        ),
        "csv_updated": Func(
            F("updated_at"),
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\')',
            output_field=CharField(),
        ),
    }
    return (
        queryset.with_started_year()
        .annotate(csv_start_year=F("started_year"), **columns)
        .values_list(
            CSVTextCell("slug"),
            CSVTextCell("title"),
            "cooperation_type",
            "activity_status",
            "csv_start_year",
            CSVTextCell("owner__slug"),
            *columns,
        )
    )


def csv_response(queryset) -> StreamingHttpResponse:
    """Every matching row as CSV, written by PostgreSQL itself (``COPY … TO STDOUT``) from
    the query Django builds (so the visibility gate and the filters apply), and streamed in
    chunks as it arrives: memory stays flat and the cost is close to the database's own."""
    sql, params = csv_rows(queryset).query.sql_with_params()
    header = ",".join(CSV_COLUMNS).encode() + b"\n"

    def chunks():
        yield header
        with connection.cursor() as cursor:
            copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
            with cursor.cursor.copy(copy_sql, params) as copy:
                yield from (bytes(chunk) for chunk in copy)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
    return response
