"""Reads of lessons. Every one starts from :func:`lessons_visible_to`, which goes through
``Initiative.objects.visible_to``: a lesson is as visible as its initiative."""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from initiatives.browse.search import SEARCH_CONFIG, fold_accents_sql, search_query
from initiatives.models import Initiative, InitiativeCountry
from learning.models import AUDIENCES, Lesson, LessonTranslation, Practice


def lessons_visible_to(user) -> QuerySet:
    """The lessons of the initiatives ``user`` may see."""
    return Lesson.objects.filter(initiative__in=Initiative.objects.visible_to(user))


def for_listing(lessons: QuerySet) -> QuerySet:
    """What a lesson shows in a list (its text in the reader's language, theme, practice,
    initiative), in a fixed number of queries."""
    # The initiative's title in the reader's language is annotated: no query for its
    # translations.
    initiatives = Initiative.objects.defer("search_vector").with_translated_summary()
    return lessons.select_related("theme", "practice").prefetch_related(
        "translations", Prefetch("initiative", queryset=initiatives)
    )


def concerning_country(lessons: QuerySet, code: str) -> QuerySet:
    """Lessons of initiatives that work from (provider) or in (recipient) country ``code``."""
    links = InitiativeCountry.objects.filter(country=code.upper())
    return lessons.filter(initiative__in=links.values("initiative"))


def for_audience(lessons: QuerySet, audience: str) -> QuerySet:
    """Lessons meant for ``audience`` (a key of ``AUDIENCES``)."""
    return lessons.filter(**{AUDIENCES[audience]: True})


def matching(lessons: QuerySet, text: str) -> QuerySet:
    """Lessons whose text, or one of its translations, has the words of ``text`` (the
    search syntax of the initiative list; accents and case aside)."""
    query = search_query(text)
    if query is None:
        return lessons
    translated = Subquery(
        LessonTranslation.objects.filter(lesson=OuterRef("pk"))
        .values("lesson")
        .annotate(joined=StringAgg("text", delimiter=" "))
        .values("joined")
    )
    vector = SearchVector(fold_accents_sql("text"), config=SEARCH_CONFIG) + SearchVector(
        fold_accents_sql(translated), config=SEARCH_CONFIG
    )
    return lessons.alias(lesson_vector=vector).filter(lesson_vector=query)


def shown_practice(lesson: Lesson) -> Practice | None:
    """The lesson's practice where readers may see it (accepted by the moderators)."""
    practice = lesson.practice
    if practice is not None and practice.status == Practice.Status.ACCEPTED:
        return practice
    return None
