"""Read endpoint for organisations."""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from organisations.models import Organisation, OrganisationType
from ssdc_portal.api.routers import SLUG_LOOKUP


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="slug"
    )
    home_country = serializers.CharField(
        source="home_country_id", allow_null=True, help_text="ISO 3166-1 alpha-2 code."
    )
    iati_organisation_type = serializers.IntegerField(
        help_text="IATI OrganisationType code derived from the actor type."
    )
    networks = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "url",
            "name",
            "acronym",
            "actor_type",
            "iati_organisation_type",
            "home_country",
            "iati_identifier",
            "website",
            "description",
            "networks",
        ]


class OrganisationFilter(django_filters.FilterSet):
    actor_type = django_filters.MultipleChoiceFilter(choices=OrganisationType.choices)
    home_country = django_filters.CharFilter(
        field_name="home_country_id", help_text="ISO 3166-1 alpha-2 code."
    )

    class Meta:
        model = Organisation
        fields = ["actor_type", "home_country"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations named in records the caller may see, or with members on the portal."""

    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_LOOKUP
    filterset_class = OrganisationFilter
    ordering = "slug"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("networks", queryset=Organisation.objects.only("slug"))
        )
