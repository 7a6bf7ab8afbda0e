"""``/api/v1/lessons/``: the lessons of the initiatives the caller may see, with filters."""

import django_filters
from rest_framework import viewsets

from learning.lessons import queries
from learning.lessons.serializers import LessonListSerializer
from learning.models import AUDIENCES, Lesson
from ssdc_portal.api.routers import ID_LOOKUP


class LessonFilter(django_filters.FilterSet):
    initiative = django_filters.CharFilter(
        field_name="initiative__slug", help_text="Slug of an initiative."
    )
    country = django_filters.CharFilter(
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code: lessons of initiatives from or in the country.",
    )
    theme = django_filters.CharFilter(field_name="theme__slug", help_text="Slug of a theme.")
    practice = django_filters.CharFilter(
        method="filter_practice", help_text="Slug of an accepted practice."
    )
    audience = django_filters.ChoiceFilter(
        choices=[(name, name) for name in AUDIENCES],
        method="filter_audience",
        help_text="Whom the lessons are for.",
    )
    q = django_filters.CharFilter(
        method="filter_text",
        help_text="Words in the lesson or one of its translations (the search syntax of "
        "the initiatives' `q`).",
    )

    class Meta:
        model = Lesson
        fields = ["initiative", "country", "theme", "practice", "audience", "q"]

    def filter_country(self, lessons, name, value):
        return queries.concerning_country(lessons, value)

    def filter_practice(self, lessons, name, value):
        return lessons.filter(practice__slug=value, practice__status="accepted")

    def filter_audience(self, lessons, name, value):
        return queries.for_audience(lessons, value)

    def filter_text(self, lessons, name, value):
        return queries.matching(lessons, value)


class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    """Lessons learned by initiatives: what they learned and for whom, with the theme and
    practice they concern. Only lessons of initiatives the caller may see."""

    serializer_class = LessonListSerializer
    lookup_value_regex = ID_LOOKUP
    filterset_class = LessonFilter
    ordering = "-id"

    def get_queryset(self):
        return queries.for_listing(queries.lessons_visible_to(self.request.user))
