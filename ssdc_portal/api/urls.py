"""The REST API under /api/v1/ and its OpenAPI description."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from funding.api import FundingModelViewSet
from initiatives.api.aggregates import AggregateView
from initiatives.api.initiatives import InitiativeViewSet
from initiatives.api.views import CountryViewSet, DialogueMechanismViewSet, OrganisationViewSet
from principles.api import EvidenceViewSet, PrincipleViewSet
from reports.api import ReportViewSet


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request):
    raise NotFound()


router = DefaultRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("countries", CountryViewSet, basename="country")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("dialogue-mechanisms", DialogueMechanismViewSet, basename="dialoguemechanism")
router.register("funding-models", FundingModelViewSet, basename="fundingmodel")
router.register("principles", PrincipleViewSet, basename="principle")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("reports", ReportViewSet, basename="report")

api_v1 = [
    *router.urls,
    path("aggregates/<slug:kind>/", AggregateView.as_view(), name="aggregate"),
]

urlpatterns = [
    path("v1/", include((api_v1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(r"^[\s\S]*$", not_found),  # every other /api/ address answers in the error body
]
