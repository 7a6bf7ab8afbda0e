"""How the API shows a lesson: in an initiative's record and at ``/api/v1/lessons/``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from learning.lessons.queries import shown_practice
from learning.models import AUDIENCES, Lesson, LessonTranslation


class LessonTextSerializer(serializers.Serializer):
    language = serializers.CharField()
    text = serializers.CharField()


class LessonSerializer(serializers.ModelSerializer):
    """A lesson as a row of its record."""

    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=list(AUDIENCES)),
        read_only=True,
        help_text="Whom the lesson is for: civil_society, governments, funders.",
    )
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    practice = serializers.SerializerMethodField(
        help_text="Slug of the practice the lesson is about (once the practice is accepted)."
    )
    shown = serializers.SerializerMethodField(
        help_text="The lesson in the asked language where translated, else as written."
    )

    class Meta:
        model = Lesson
        # ``id``: what the write API's lesson translations name a lesson by.
        fields = [
            "id",
            "text",
            "audiences",
            "for_civil_society",
            "for_governments",
            "for_funders",
            "theme",
            "practice",
            "shown",
        ]

    def get_practice(self, lesson) -> str | None:
        practice = shown_practice(lesson)
        return practice.slug if practice else None

    @extend_schema_field(LessonTextSerializer)
    def get_shown(self, lesson) -> dict:
        shown = lesson.shown.text
        return {"language": shown.language, "text": shown.text}


class LessonTranslationSerializer(serializers.ModelSerializer):
    """A translation of a lesson, as the write API takes it."""

    lesson = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = LessonTranslation
        fields = ["lesson", *LessonTranslation.EDITABLE_FIELDS]


class LessonListSerializer(LessonSerializer):
    """A lesson at ``/api/v1/lessons/``: with its initiative and translations."""

    url = serializers.HyperlinkedIdentityField(view_name="api:lesson-detail")
    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    translations = serializers.SerializerMethodField()

    class Meta(LessonSerializer.Meta):
        fields = ["id", "url", "initiative", *LessonSerializer.Meta.fields[1:], "translations"]

    @extend_schema_field(LessonTextSerializer(many=True))
    def get_translations(self, lesson) -> list[dict]:
        return [{"language": row.language, "text": row.text} for row in lesson.translations.all()]
