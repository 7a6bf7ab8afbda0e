"""Evidence that initiatives practised a principle, as far as the caller may see the
initiative."""

from rest_framework import viewsets

from initiatives.models import Initiative
from principles.api import EvidenceFilter, EvidenceSerializer
from principles.models import PrincipleEvidence
from ssdc_portal.api.routers import ID_LOOKUP


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Evidence that initiatives practised — or fell short of — a principle."""

    serializer_class = EvidenceSerializer
    lookup_value_regex = ID_LOOKUP
    filterset_class = EvidenceFilter
    ordering = "-id"

    def get_queryset(self):
        return PrincipleEvidence.objects.filter(
            initiative__in=Initiative.objects.visible_to(self.request.user)
        ).select_related(
            "initiative",
            "principle",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
        )
