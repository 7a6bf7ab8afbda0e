"""Reports in the REST API: ask for one (``POST``), follow it (``GET``), then download it.

Only signed-in callers (token or session) may ask; each sees their own reports (moderators
any). Someone else's report answers 404.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from initiatives.browse.filters import InitiativeDataFilterSet
from reports.forms import FORMAT_CHOICES, ReportRequestForm
from reports.kinds import kind_choices
from reports.models import Report
from reports.services import request_report
from reports.views import report_file_response
from ssdc_portal.api.errors import Conflict
from ssdc_portal.api.permissions import KnownMethod
from ssdc_portal.api.renderers import JSONErrorsMixin
from ssdc_portal.api.routers import UUID_LOOKUP


class ReportRequestSerializer(serializers.Serializer):
    """What to produce. Briefs name an ``initiative``, country profiles a ``country``; data
    sets and IATI exports take the initiative list's ``filters``."""

    kind = serializers.ChoiceField(choices=kind_choices())
    format = serializers.ChoiceField(
        choices=FORMAT_CHOICES, required=False, help_text="Data sets only: csv, xlsx or json."
    )
    initiative = serializers.SlugField(required=False, help_text="Briefs: the initiative's slug.")
    country = serializers.CharField(
        required=False, max_length=2, help_text="Country profiles: the ISO 3166-1 code."
    )
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=200), max_length=50),
        required=False,
        help_text=(
            "Data sets and IATI: the filters of GET /api/v1/initiatives/, each a list of "
            'values, e.g. {"recipient": ["MZ", "HT"], "sector": ["31120"]}.'
        ),
    )
    include_drafts = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Editors: also include your organisations' unpublished records.",
    )

    def validate_filters(self, filters):
        unknown = sorted(set(filters) - set(InitiativeDataFilterSet.NARROWING))
        if unknown:
            raise ValidationError(_("Unknown filters: %(names)s.") % {"names": ", ".join(unknown)})
        return filters

    def validate(self, attrs):
        data = {key: value for key, value in attrs.items() if key != "filters"}
        form = ReportRequestForm(
            data, user=self.context["request"].user, filters=attrs.get("filters") or {}
        )
        if not form.is_valid():
            errors = {
                ("non_field_errors" if name == "__all__" else name): messages
                for name, messages in form.errors.items()
            }
            raise ValidationError(errors)
        return {
            "kind": form.cleaned_data["kind"],
            "parameters": form.parameters,
            "include_drafts": form.cleaned_data["include_drafts"],
        }


class ReportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:report-detail")
    page = serializers.SerializerMethodField(help_text="The report's page on the portal.")
    download = serializers.SerializerMethodField(
        help_text="Where to fetch the file, once the state is succeeded."
    )
    rows = serializers.IntegerField(source="row_count", allow_null=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "url",
            "page",
            "kind",
            "parameters",
            "include_drafts",
            "state",
            "progress",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "download",
            "filename",
            "content_type",
            "size",
            "checksum",
            "rows",
        ]
        read_only_fields = fields

    def get_page(self, report) -> str:
        return self.context["request"].build_absolute_uri(report.get_absolute_url())

    def get_download(self, report) -> str | None:
        if not report.is_ready:
            return None
        url = reverse("api:report-download", args=[report.pk])
        return self.context["request"].build_absolute_uri(url)


class AnyFileRenderer(BaseRenderer):
    """Lets a download answer whatever ``Accept`` the client sent; the view sends the file."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


REQUEST_EXAMPLE = OpenApiExample(
    "An Excel data set of the initiatives working in Mozambique",
    request_only=True,
    value={"kind": "dataset", "format": "xlsx", "filters": {"recipient": ["MZ"]}},
)


class ReportViewSet(
    JSONErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ReportSerializer
    lookup_value_regex = UUID_LOOKUP
    permission_classes = [KnownMethod, IsAuthenticated]
    throttle_scope = "reports"

    def get_queryset(self):
        reports = Report.objects.visible_to(self.request.user)
        if self.action == "list":  # moderators follow others' reports by ID, not in a list
            return reports.filter(requested_by__pk=self.request.user.pk)
        return reports

    def get_throttles(self):
        throttles = super().get_throttles()
        return [*throttles, ScopedRateThrottle()] if self.action == "create" else throttles

    def get_renderers(self):
        if self.action == "download":
            return [AnyFileRenderer()]
        return super().get_renderers()

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            202: ReportSerializer,
            200: OpenApiResponse(
                ReportSerializer, description="An identical recent report, handed back."
            ),
        },
        examples=[REQUEST_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        """Ask for a report. It is produced in the background: poll its `url` until `state`
        is `succeeded` (then fetch `download`) or `failed` (then read `error`)."""
        incoming = ReportRequestSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        report, created = request_report(user=request.user, **incoming.validated_data)
        report.refresh_from_db()  # it may already be finished when tasks run in-process
        body = ReportSerializer(report, context=self.get_serializer_context()).data
        code = status.HTTP_202_ACCEPTED if created or not report.is_finished else status.HTTP_200_OK
        return Response(body, status=code, headers={"Location": body["url"]})

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="The report is not ready, or failed."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The report's file, once its state is `succeeded`."""
        report = self.get_object()
        if not report.is_ready:
            if report.state == Report.State.FAILED:
                raise Conflict(_("The report failed: %(error)s") % {"error": report.error})
            raise Conflict(
                _("The report is not ready yet (%(state)s, %(progress)s%%).")
                % {"state": report.get_state_display(), "progress": report.progress}
            )
        return report_file_response(report)
