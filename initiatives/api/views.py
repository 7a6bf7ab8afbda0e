"""Read endpoints for countries, organisations and dialogue mechanisms."""

import django_filters
from django.db.models import Prefetch
from rest_framework import viewsets

from initiatives.api.serializers import (
    CountrySerializer,
    DialogueMechanismSerializer,
    OrganisationSerializer,
)
from initiatives.models import Actor, ActorType, Country, DialogueMechanism
from ssdc_portal.api.routers import ID_LOOKUP, SLUG_LOOKUP


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


class OrganisationFilter(django_filters.FilterSet):
    actor_type = django_filters.MultipleChoiceFilter(choices=ActorType.choices)
    home_country = django_filters.CharFilter(
        field_name="home_country_id", help_text="ISO 3166-1 alpha-2 code."
    )

    class Meta:
        model = Actor
        fields = ["actor_type", "home_country"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations named in records the caller may see, or with members on the portal."""

    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_LOOKUP
    filterset_class = OrganisationFilter
    ordering = "slug"

    def get_queryset(self):
        return Actor.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("networks", queryset=Actor.objects.only("slug"))
        )


class DialogueMechanismViewSet(viewsets.ReadOnlyModelViewSet):
    """Spaces for state–civil-society dialogue on development cooperation, by country."""

    serializer_class = DialogueMechanismSerializer
    queryset = DialogueMechanism.objects.all()
    lookup_value_regex = ID_LOOKUP
    filterset_fields = ["country", "kind"]
    ordering = "id"
