"""Read endpoints of principles, and the shape and filters of the evidence endpoint (its view
lives in ``initiatives.api.evidence``: what evidence a caller may see follows the initiative)."""

from datetime import datetime

import django_filters
from rest_framework import serializers, viewsets

from principles.models import Principle, PrincipleEvidence
from ssdc_portal.api.routers import ID_LOOKUP


class PrincipleSerializer(serializers.ModelSerializer):
    set = serializers.SlugRelatedField(source="principle_set", slug_field="slug", read_only=True)

    class Meta:
        model = Principle
        fields = ["id", "set", "slug", "name", "short_name", "description"]


class PrincipleViewSet(viewsets.ReadOnlyModelViewSet):
    """Principles of development effectiveness (the Busan set and any others)."""

    serializer_class = PrincipleSerializer
    lookup_value_regex = ID_LOOKUP
    queryset = Principle.objects.select_related("principle_set").order_by(
        "principle_set__slug", "position"
    )
    filterset_fields = {"principle_set__slug": ["exact"]}
    pagination_class = None


class ConfirmationSerializer(serializers.Serializer):
    """Whether a second organisation of the initiative confirmed or disputed the evidence:
    which one, when, and (for a dispute) why."""

    state = serializers.ChoiceField(
        source="confirmation", choices=PrincipleEvidence.Confirmation.choices, read_only=True
    )
    organisation = serializers.CharField(
        source="confirmed_by_organisation.slug", read_only=True, allow_null=True
    )
    at = serializers.DateTimeField(source="confirmed_at", read_only=True, allow_null=True)
    note = serializers.CharField(source="confirmation_note", read_only=True)


class ConfirmedFields(serializers.Serializer):
    """The partner's answer, as ``confirmation``; ``confirmed_by_organisation`` and
    ``confirmed_at`` name only a confirmation (not a dispute), as they always did."""

    confirmation = ConfirmationSerializer(source="*", read_only=True)
    confirmed_by_organisation = serializers.SerializerMethodField()

    def get_confirmed_by_organisation(self, evidence) -> str | None:
        return evidence.confirmed_by_organisation.slug if evidence.is_co_attested else None


class EvidenceSerializer(ConfirmedFields, serializers.ModelSerializer):
    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    principle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recorded_by_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    confirmed_at = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()

    class Meta:
        model = PrincipleEvidence
        fields = [
            "id",
            "initiative",
            "principle",
            "stance",
            "strength",
            "narrative",
            "quote",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
            "confirmed_at",
            "confirmation",
        ]

    def get_confirmed_at(self, evidence) -> datetime | None:
        return evidence.confirmed_at if evidence.is_co_attested else None

    def get_source(self, evidence) -> dict | None:
        if evidence.source is None:
            return None
        return {
            "citation": evidence.source.citation,
            "url": evidence.source.url or None,
            "year": evidence.source.year,
        }


class EvidenceFilter(django_filters.FilterSet):
    initiative = django_filters.CharFilter(field_name="initiative__slug")
    principle = django_filters.CharFilter(field_name="principle__slug")
    stance = django_filters.ChoiceFilter(choices=PrincipleEvidence.Stance.choices)
    strength = django_filters.TypedChoiceFilter(
        choices=PrincipleEvidence.Strength.choices, coerce=int
    )
    confirmation = django_filters.ChoiceFilter(
        choices=PrincipleEvidence.Confirmation.choices,
        help_text="Keep evidence a partner organisation confirmed, disputed, or neither.",
    )

    class Meta:
        model = PrincipleEvidence
        fields = ["initiative", "principle", "stance", "strength", "confirmation"]
