"""Read endpoints for countries and dialogue mechanisms."""

import django_filters
from rest_framework import serializers, viewsets

from reference.models import CivicSpaceRating, Country, DialogueMechanism
from ssdc_portal.api.routers import ID_LOOKUP


class CivicSpaceRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CivicSpaceRating
        fields = ["year", "source", "rating", "score", "source_url"]


class CountrySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.code", help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField(help_text="Name, in the language of the answer.")
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail", lookup_field="code")
    civic_space_ratings = CivicSpaceRatingSerializer(many=True, read_only=True)

    class Meta:
        model = Country
        fields = [
            "code",
            "name",
            "url",
            "income_group",
            "income_group_fiscal_year",
            "region",
            "civic_space_ratings",
        ]


class DialogueMechanismSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", help_text="ISO 3166-1 alpha-2 code.")

    class Meta:
        model = DialogueMechanism
        fields = [
            "id",
            "country",
            "name",
            "kind",
            "year_started",
            "description",
            "source_citation",
            "source_url",
        ]


class CountryFilter(django_filters.FilterSet):
    income_group = django_filters.ChoiceFilter(choices=Country.IncomeGroup.choices)
    region = django_filters.CharFilter(help_text="World Bank region, e.g. “South Asia”.")

    class Meta:
        model = Country
        fields = ["income_group", "region"]


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """Countries (ISO 3166-1) with their World Bank income group and civic-space ratings."""

    serializer_class = CountrySerializer
    queryset = Country.objects.prefetch_related("civic_space_ratings")
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    filterset_class = CountryFilter
    ordering = "code"

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class DialogueMechanismViewSet(viewsets.ReadOnlyModelViewSet):
    """Spaces for state–civil-society dialogue on development cooperation, by country."""

    serializer_class = DialogueMechanismSerializer
    queryset = DialogueMechanism.objects.all()
    lookup_value_regex = ID_LOOKUP
    filterset_fields = ["country", "kind"]
    ordering = "id"
