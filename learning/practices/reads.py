"""Reads of practices for pages and the API, each in a fixed number of queries. Every
initiative read goes through ``Initiative.objects.visible_to`` and every practice through
``Practice.objects.visible_to``."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from initiatives.content import reader_language
from initiatives.models import Initiative
from learning.models import Lesson, Practice, PracticeUse, Theme
from learning.practices.content import practice_text


def visible_practices(user) -> QuerySet[Practice]:
    return Practice.objects.visible_to(user)


def practice_index(user, *, theme: Theme | None = None, language: str | None = None) -> list:
    """The practices ``user`` may see (in a theme), each with its text in the reader's
    language, its themes, and how many initiatives ``user`` may see used it, in how many
    countries."""
    visible = Initiative.objects.visible_to(user).order_by().values("pk")
    seen = Q(uses__initiative__in=visible)
    practices = (
        visible_practices(user)
        .with_translation(reader_language(language))
        .annotate(
            initiative_count=Count("uses__initiative", filter=seen, distinct=True),
            country_count=Count(
                "uses__initiative__country_links__country", filter=seen, distinct=True
            ),
        )
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position")))
        .order_by("name")
    )
    if theme is not None:
        practices = practices.filter(themes=theme)
    rows = list(practices)
    for practice in rows:
        practice.shown = practice_text(practice, language)
    return sorted(rows, key=lambda practice: practice.shown.name.text.casefold())


def practice_for_page(user, slug: str) -> Practice | None:
    practice = (
        visible_practices(user)
        .prefetch_related("themes", "modalities", "translations")
        .filter(slug=slug)
        .first()
    )
    if practice is not None:
        practice.shown = practice_text(practice)
    return practice


@dataclass
class Step:
    """One initiative on a practice's path: the initiative that used it (or one it was
    learned from) and, where it used the practice, the initiative it learned it from."""

    initiative: Initiative
    learned_from: Initiative | None = None
    adaptation: str = ""
    used: bool = True
    taught: list[Initiative] = field(default_factory=list)

    @property
    def started(self) -> datetime.date | None:
        record = self.initiative
        if record.actual_start or record.planned_start:
            return record.actual_start or record.planned_start
        return datetime.date(record.start_year, 1, 1) if record.start_year else None

    @property
    def providers(self) -> list[str]:
        return [link.country.name for link in self.initiative.provider_links]

    @property
    def recipients(self) -> list[str]:
        return [link.country.name for link in self.initiative.recipient_links]


def practice_path(user, practice: Practice) -> list[Step]:
    """The initiatives ``user`` may see that used ``practice``, with the initiative each one
    learned it from (only if ``user`` may see that one too), oldest first. An initiative it
    was learned from that does not record the practice itself is on the path as well."""
    visible = Initiative.objects.visible_to(user)
    uses = list(
        PracticeUse.objects.filter(practice=practice, initiative__in=visible.values("pk"))
        .annotate(
            learned_from_visible=Exists(visible.filter(pk=OuterRef("learned_from")).values("pk"))
        )
        .values("initiative_id", "learned_from_id", "learned_from_visible", "adaptation")
    )
    wanted = {use["initiative_id"] for use in uses} | {
        use["learned_from_id"] for use in uses if use["learned_from_visible"]
    }
    initiatives = {
        initiative.pk: initiative for initiative in visible.filter(pk__in=wanted).for_listing()
    }
    steps = {}
    for use in uses:
        initiative = initiatives.get(use["initiative_id"])
        if initiative is None:
            continue
        source = initiatives.get(use["learned_from_id"]) if use["learned_from_visible"] else None
        steps[initiative.pk] = Step(initiative, source, use["adaptation"])
    for step in list(steps.values()):
        source = step.learned_from
        if source is not None and source.pk not in steps:
            steps[source.pk] = Step(source, used=False)
    for step in steps.values():
        if step.learned_from is not None:
            steps[step.learned_from.pk].taught.append(step.initiative)
    return sorted(
        steps.values(),
        key=lambda step: (step.started or datetime.date.max, step.initiative.shown.title.text),
    )


def practice_lessons(user, practice: Practice) -> QuerySet[Lesson]:
    """Lessons about ``practice`` drawn by initiatives ``user`` may see."""
    visible = Initiative.objects.visible_to(user).order_by().values("pk")
    return (
        Lesson.objects.filter(practice=practice, initiative__in=visible)
        .select_related("initiative", "theme", "practice")
        .prefetch_related("translations")
        .order_by("initiative__title", "position", "pk")
    )


def practices_used(user, initiative: Initiative) -> list[PracticeUse]:
    """The practices ``initiative`` used that ``user`` may see, each with the initiative it
    was learned from only if ``user`` may see that one (``learned_from_shown``, else None)."""
    visible = Initiative.objects.visible_to(user)
    uses = list(
        PracticeUse.objects.filter(
            initiative=initiative, practice__in=visible_practices(user).values("pk")
        )
        .select_related("practice", "learned_from")
        .prefetch_related("practice__translations", "learned_from__translations")
        .annotate(
            learned_from_visible=Exists(visible.filter(pk=OuterRef("learned_from")).values("pk"))
        )
        .order_by("practice__name")
    )
    for use in uses:
        use.practice.shown = practice_text(use.practice)
        use.learned_from_shown = use.learned_from if use.learned_from_visible else None
    return uses
