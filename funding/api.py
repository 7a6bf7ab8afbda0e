from rest_framework import serializers, viewsets

from funding.models import FundingModel
from ssdc_portal.api.routers import SLUG_LOOKUP


class FundingModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingModel
        fields = [
            "slug",
            "name",
            "description",
            "iati_flow_type",
            "iati_finance_type",
            "iati_collaboration_type",
        ]


class FundingModelViewSet(viewsets.ReadOnlyModelViewSet):
    """How initiatives are financed, with the IATI codes used when exporting."""

    serializer_class = FundingModelSerializer
    queryset = FundingModel.objects.all()
    lookup_field = "slug"
    lookup_value_regex = SLUG_LOOKUP
    pagination_class = None
