"""The serializers of initiatives in the REST API: a list row and the whole record.

The list's rows are assembled in SQL (``rows.py``); ``InitiativeListSerializer`` still
describes them in the OpenAPI document, and a test holds the two together.
"""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding.models import FundingContribution, funding_mix
from initiatives.content import RECORD_FIELDS
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeTranslation,
    NonMonetaryContribution,
    Outcome,
    OutcomeTranslation,
    Source,
)
from learning.lessons.serializers import LessonSerializer, LessonTranslationSerializer
from learning.practices.reads import practices_used
from principles.api import ConfirmedFields
from principles.models import PrincipleEvidence


class CountryShareSerializer(serializers.Serializer):
    code = serializers.CharField(source="country_id")
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class ParticipantSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="actor.slug")
    name = serializers.CharField(source="actor.name")
    role = serializers.CharField()
    iati_role = serializers.IntegerField()


class ListTextSerializer(serializers.Serializer):
    """The title and summary for the asked language (``lang``, else Accept-Language)."""

    language = serializers.CharField(
        help_text="The language of this text: the asked one where the record has a "
        "translation into it, else the record's own language (`language`)."
    )
    title = serializers.CharField()
    summary = serializers.CharField()


class DetailTextSerializer(ListTextSerializer):
    description = serializers.CharField()
    from_original = serializers.ListField(
        child=serializers.CharField(),
        help_text="Fields given in the record's own language because its translation "
        "leaves them blank.",
    )


def shown_text(shown, fields) -> dict:
    """A :class:`~initiatives.content.ShownText` as the API gives it."""
    text = {"language": shown.language, **{name: getattr(shown, name).text for name in fields}}
    if len(fields) > 2:
        text["from_original"] = [
            name for name in fields if getattr(shown, name).language != shown.language
        ]
    return text


class InitiativeListSerializer(serializers.ModelSerializer):
    """The essentials of an initiative, as a list row shows them."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:initiative-detail", lookup_field="slug"
    )
    page = serializers.SerializerMethodField(help_text="The public page of the record.")
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    start_year = serializers.IntegerField(source="started_in", allow_null=True)
    provider_countries = CountryShareSerializer(source="provider_links", many=True)
    recipient_countries = CountryShareSerializer(source="recipient_links", many=True)
    participants = ParticipantSerializer(source="participations", many=True)
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    modalities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    funding_models = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField(
        help_text="The title and summary in the asked language where translated; `title` "
        "and `summary` are always the text as written, in `language`."
    )

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "url",
            "page",
            "title",
            "summary",
            "language",
            "state",
            "version",
            "cooperation_type",
            "activity_status",
            "start_year",
            "owner",
            "provider_countries",
            "recipient_countries",
            "participants",
            "sectors",
            "modalities",
            "funding_models",
            "updated_at",
            "text",
        ]

    def get_page(self, initiative) -> str:
        return self.context["request"].build_absolute_uri(initiative.get_absolute_url())

    @extend_schema_field(ListTextSerializer)
    def get_text(self, initiative) -> dict:
        return shown_text(initiative.shown, ("title", "summary"))

    def get_funding_models(self, initiative) -> list[str]:
        return sorted({c.funding_model.slug for c in initiative.funding_contributions.all()})


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = Indicator.EDITABLE_FIELDS


class OutcomeTextSerializer(serializers.Serializer):
    language = serializers.CharField()
    title = serializers.CharField()
    narrative = serializers.CharField()


class OutcomeSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    text = serializers.SerializerMethodField(
        help_text="The title and narrative in the asked language where translated."
    )

    class Meta:
        model = Outcome
        # ``id``: what the write API's outcome translations name an outcome by.
        fields = ["id", *Outcome.EDITABLE_FIELDS, "indicators", "text"]

    @extend_schema_field(OutcomeTextSerializer)
    def get_text(self, outcome) -> dict:
        return shown_text(outcome.shown, ("title", "narrative"))


class TranslationSerializer(serializers.ModelSerializer):
    """A translation of the record's text, as the write API takes it."""

    class Meta:
        model = InitiativeTranslation
        fields = InitiativeTranslation.EDITABLE_FIELDS


class OutcomeTranslationSerializer(serializers.ModelSerializer):
    """A translation of an outcome, as the write API takes it."""

    outcome = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = OutcomeTranslation
        fields = ["outcome", *OutcomeTranslation.EDITABLE_FIELDS]


class FundingContributionSerializer(serializers.ModelSerializer):
    funding_model = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    funder = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    in_kind = serializers.BooleanField(source="is_in_kind")

    class Meta:
        model = FundingContribution
        # The editable fields, ``is_in_kind`` called ``in_kind`` as in the write API.
        fields = [name.removeprefix("is_") for name in FundingContribution.EDITABLE_FIELDS]


class NonMonetaryContributionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NonMonetaryContribution
        fields = NonMonetaryContribution.EDITABLE_FIELDS


class SourceSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField(help_text="Download link of the document.")

    class Meta:
        model = Source
        fields = ["id", "citation", "url", "document_type", "year", "document"]

    def get_document(self, source) -> str | None:
        if not source.document:
            return None
        url = reverse("source-document", args=[source.pk])
        return self.context["request"].build_absolute_uri(url)


class EvidenceRowSerializer(ConfirmedFields, serializers.ModelSerializer):
    principle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    principle_set = serializers.CharField(source="principle.principle_set.slug")
    source = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    recorded_by_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PrincipleEvidence
        fields = [
            "id",
            "principle",
            "principle_set",
            "stance",
            "strength",
            "narrative",
            "quote",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
            "confirmation",
        ]


class PracticeUsedSerializer(serializers.Serializer):
    """A practice the initiative used (one the caller may see), and the initiative it was
    learned from (null unless the caller may see it)."""

    practice = serializers.SlugField()
    learned_from = serializers.SlugField(allow_null=True)
    adaptation = serializers.CharField()


class SectorShareSerializer(serializers.Serializer):
    code = serializers.CharField(source="sector_id")
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Share of the initiative's effort in this sector (per cent), if recorded.",
    )


class InitiativeDetailSerializer(InitiativeListSerializer):
    """Everything the public page of an initiative shows."""

    sector_shares = SectorShareSerializer(source="sector_links", many=True, read_only=True)
    sdg_goals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    funding_mix = serializers.SerializerMethodField()
    funding_contributions = FundingContributionSerializer(many=True, read_only=True)
    non_monetary_contributions = NonMonetaryContributionSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    principle_evidence = EvidenceRowSerializer(many=True, read_only=True)
    translations = TranslationSerializer(many=True, read_only=True)
    outcome_translations = serializers.SerializerMethodField()
    practices = serializers.SerializerMethodField()
    lessons = LessonSerializer(many=True, read_only=True)
    lesson_translations = serializers.SerializerMethodField()
    context = serializers.SerializerMethodField()

    class Meta(InitiativeListSerializer.Meta):
        fields = [
            *InitiativeListSerializer.Meta.fields,
            "description",
            "sector_shares",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "sdg_goals",
            "context",
            "provider_government_involvement",
            "recipient_government_involvement",
            "coordinates_with_other_donors",
            "coordination_note",
            "funding_mix",
            "funding_contributions",
            "non_monetary_contributions",
            "outcomes",
            "practices",
            "sources",
            "principle_evidence",
            "translations",
            "outcome_translations",
            "lessons",
            "lesson_translations",
            "published_at",
            "reviewed_at",
        ]

    @extend_schema_field(DetailTextSerializer)
    def get_text(self, initiative) -> dict:
        return shown_text(initiative.shown, RECORD_FIELDS)

    def get_context(self, initiative) -> dict:
        return {
            "fragile_state": initiative.is_fragile_state,
            "post_disaster": initiative.is_post_disaster,
            "conflict_affected": initiative.is_conflict_affected,
        }

    @extend_schema_field(OutcomeTranslationSerializer(many=True))
    def get_outcome_translations(self, initiative) -> list[dict]:
        return OutcomeTranslationSerializer(
            [row for outcome in initiative.outcomes.all() for row in outcome.translations.all()],
            many=True,
        ).data

    @extend_schema_field(PracticeUsedSerializer(many=True))
    def get_practices(self, initiative) -> list[dict]:
        request = self.context.get("request")
        user = request.user if request is not None else AnonymousUser()
        return [
            {
                "practice": use.practice.slug,
                "learned_from": use.learned_from_shown.slug if use.learned_from_shown else None,
                "adaptation": use.adaptation,
            }
            for use in practices_used(user, initiative)
        ]

    @extend_schema_field(LessonTranslationSerializer(many=True))
    def get_lesson_translations(self, initiative) -> list[dict]:
        return LessonTranslationSerializer(
            [row for lesson in initiative.lessons.all() for row in lesson.translations.all()],
            many=True,
        ).data

    def get_funding_mix(self, initiative) -> list[dict]:
        mix = funding_mix(initiative.funding_contributions.all())
        return [{"funding_model": model.slug, "share": share} for model, share in mix]
