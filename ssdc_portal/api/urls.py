"""The REST API under /api/v1/ and its OpenAPI description."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from funding.api import FundingModelViewSet
from initiatives.api.aggregates import AggregateView
from initiatives.api.evidence import EvidenceViewSet
from initiatives.api.initiatives import InitiativeViewSet
from learning.exchange.api import ListingViewSet
from learning.lessons.api import LessonViewSet
from learning.practices.api import PracticeViewSet
from organisations.api import OrganisationViewSet
from principles.api import PrincipleViewSet
from reference.api import CountryViewSet, DialogueMechanismViewSet
from reports.api import ReportViewSet
from ssdc_portal.api.routers import PortalRouter


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request):
    raise NotFound()


# The documentation pages are bundled viewers (drf-spectacular-sidecar) that style
# themselves inline (Redoc writes its CSS at run time) and draw icons as data: images;
# Redoc also searches in a worker it makes from a blob. Only these two pages allow that.
# Scripts stay the portal's own files: Swagger UI's start-up script is served from
# /api/docs/?script= rather than written into the page. The Swagger UI page is a portal
# page (templates/api/docs.html: header, footer, how to get a token).
DOCS_CSP = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]}
REDOC_CSP = {**DOCS_CSP, "worker-src": ["blob:"]}

router = PortalRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("countries", CountryViewSet, basename="country")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("dialogue-mechanisms", DialogueMechanismViewSet, basename="dialoguemechanism")
router.register("funding-models", FundingModelViewSet, basename="fundingmodel")
router.register("principles", PrincipleViewSet, basename="principle")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("reports", ReportViewSet, basename="report")
router.register("practices", PracticeViewSet, basename="practice")
router.register("exchange", ListingViewSet, basename="listing")

api_v1 = [
    *router.urls,
    path("aggregates/<slug:kind>/", AggregateView.as_view(), name="aggregate"),
]

urlpatterns = [
    path("v1/", include((api_v1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        csp_update(DOCS_CSP)(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/docs.html"
            )
        ),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_update(REDOC_CSP)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    re_path(r"^[\s\S]*$", not_found),  # every other /api/ address answers in the error body
]
