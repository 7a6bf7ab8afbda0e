"""The REST API under /api/v1/ and its OpenAPI description."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from funding.api import FundingModelViewSet
from initiatives.api.views import CountryViewSet, DialogueMechanismViewSet, OrganisationViewSet
from principles.api import EvidenceViewSet, PrincipleViewSet

router = DefaultRouter()
router.register("countries", CountryViewSet, basename="country")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("dialogue-mechanisms", DialogueMechanismViewSet, basename="dialoguemechanism")
router.register("funding-models", FundingModelViewSet, basename="fundingmodel")
router.register("principles", PrincipleViewSet, basename="principle")
router.register("evidence", EvidenceViewSet, basename="evidence")

urlpatterns = [
    path("v1/", include((router.urls, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
