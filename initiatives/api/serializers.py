"""Output serializers of the reference resources: countries, organisations, dialogue spaces."""

from rest_framework import serializers

from initiatives.models import Actor, CivicSpaceRating, Country, DialogueMechanism


class CivicSpaceRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CivicSpaceRating
        fields = ["year", "source", "rating", "score", "source_url"]


class CountrySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.code", help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField(help_text="English name.")
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
        model = Actor
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
