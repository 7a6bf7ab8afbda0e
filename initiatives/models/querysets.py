"""Reads of initiatives: the visibility gate, search, and the prefetch bundles of lists and
pages."""

from django.contrib.postgres.search import SearchRank
from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import get_language

from initiatives.browse.search import matches_in_titles, search_query


class InitiativeQuerySet(models.QuerySet):
    """Reads of initiatives. ``visible_to`` is the one gate every public read goes through."""

    def published(self):
        from initiatives.models.initiative import Initiative

        return self.filter(state=Initiative.State.PUBLISHED)

    def ever_published(self):
        """Records that are or were published (archived ones were): the records whose
        published versions anyone may read and cite. Their current state is still read
        through ``visible_to``."""
        from initiatives.models.initiative import Initiative

        return self.filter(state__in=[Initiative.State.PUBLISHED, Initiative.State.ARCHIVED])

    def visible_to(self, user):
        """What ``user`` may see: moderators everything, editors also their organisations'
        records in any state, everyone else only what is published."""
        from initiatives.models.initiative import Initiative

        if user is None or not user.is_authenticated or not user.is_active:
            return self.published()
        if user.is_moderator:
            return self.all()
        own = Q(owner__in=user.memberships.values("organisation"))
        return self.filter(Q(state=Initiative.State.PUBLISHED) | own)

    def sees_only_published(self, user) -> bool:
        """Whether ``visible_to(user)`` holds exactly the published records (visitors, and
        people with no organisation and no moderation rights)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return True
        return not user.is_moderator and not user.memberships.exists()

    def editable_by(self, user):
        """Initiatives whose content ``user`` may change (owners' editors and managers)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(owner__in=user.memberships.values("organisation"))

    def search(self, text: str | None, language: str | None = None):
        """Initiatives matching ``text`` (see ``initiatives.browse.search``), best first:
        those whose title matches the whole query, then by rank (title, then summary and
        organisation names, then description). Words are also matched under the
        configuration of ``language`` (an interface or record language; by default the
        active one). Blank text leaves the queryset as it is."""
        from initiatives.models.translations import content_language

        query = search_query(text or "", content_language(language or get_language()))
        if query is None:
            return self
        return (
            self.filter(search_vector=query)
            .annotate(
                search_title_match=matches_in_titles(F("search_vector"), query),
                search_rank=SearchRank(F("search_vector"), query),
            )
            .order_by("-search_title_match", "-search_rank", "-pk")
        )

    def changed_since_review(self):
        """Published records edited after a moderator last approved them (the database
        form of :attr:`Initiative.is_changed_since_review`, limited to published ones)."""
        from initiatives.models.initiative import Initiative

        return self.filter(
            state=Initiative.State.PUBLISHED,
            reviewed_version__isnull=False,
            version__gt=F("reviewed_version"),
        )

    def involving_country(self, code: str, role: str | None = None):
        """Initiatives with ``code`` among their countries (as ``role``, if given)."""
        from initiatives.models.rows import InitiativeCountry

        links = InitiativeCountry.objects.filter(initiative=OuterRef("pk"), country=code)
        if role is not None:
            links = links.filter(role=role)
        return self.filter(Exists(links))

    def with_participant(self, organisation):
        """Initiatives ``organisation`` owns or takes part in."""
        from initiatives.models.rows import Participation

        return self.filter(
            Q(owner=organisation)
            | Exists(Participation.objects.filter(initiative=OuterRef("pk"), actor=organisation))
        )

    def funded_by(self, organisation):
        """Initiatives with a funding contribution from ``organisation``."""
        from funding.models import FundingContribution

        return self.filter(
            Exists(
                FundingContribution.objects.filter(initiative=OuterRef("pk"), funder=organisation)
            )
        )

    def with_started_year(self):
        """Alias ``started_year``: :attr:`Initiative.started_in`, computed in SQL."""
        return self.alias(
            started_year=_year_of_first("actual_start", "planned_start", "start_year")
        )

    def with_ended_year(self):
        """Alias ``ended_year``: the actual end year, else the planned one, else ``end_year``."""
        return self.alias(ended_year=_year_of_first("actual_end", "planned_end", "end_year"))

    def newest_first(self):
        """Most recently published first; unpublished records (their owners') last."""
        return self.order_by(F("published_at").desc(nulls_last=True), "-pk")

    def for_listing(self, language: str | None = None):
        """What a row in a list of results shows, in a fixed number of queries, with its
        title and summary in ``language`` where translated (see ``with_translated_summary``)."""
        return (
            self.select_related("owner")
            .defer("search_vector")
            .prefetch_related(*_country_prefetches())
            .with_translated_summary(language)
        )

    def with_translated_summary(self, language: str | None = None):
        """Annotate the title, summary and language of each initiative's translation into
        ``language`` (the active language by default; each None without one), which
        ``initiative.shown`` reads: subqueries, no extra query."""
        from initiatives.content import reader_language
        from initiatives.models.translations import InitiativeTranslation

        translation = InitiativeTranslation.objects.filter(
            initiative=OuterRef("pk"), language=reader_language(language)
        )
        return self.annotate(
            **{
                f"translated_{name}": Subquery(translation.values(name)[:1])
                for name in ("title", "summary", "language")
            }
        )

    def for_detail(self):
        """Everything the public page of one initiative shows, in a fixed number of queries."""
        from initiatives.models.rows import Indicator, Outcome, Participation, Source
        from learning.models import Lesson
        from principles.models import PrincipleEvidence

        evidence = PrincipleEvidence.objects.select_related(
            "principle__principle_set",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
        ).order_by("principle__principle_set__name", "principle__position", "-strength", "pk")
        return (
            self.select_related("owner")
            .defer("search_vector")
            .prefetch_related(
                *_country_prefetches(),
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("actor__home_country").order_by(
                        _participation_role_order(), "actor__name"
                    ),
                ),
                "sectors",
                "sector_links",
                "sdg_goals",
                "modalities",
                Prefetch(
                    "funding_contributions",
                    queryset=_funding_contributions().select_related("funding_model", "funder"),
                ),
                "non_monetary_contributions",
                "translations",
                Prefetch(
                    "outcomes",
                    queryset=Outcome.objects.prefetch_related(
                        Prefetch("indicators", queryset=Indicator.objects.order_by("pk")),
                        "translations",
                    ),
                ),
                Prefetch(
                    "lessons",
                    queryset=Lesson.objects.select_related("theme", "practice").prefetch_related(
                        "translations"
                    ),
                ),
                Prefetch("sources", queryset=Source.objects.order_by("-year", "citation")),
                Prefetch("principle_evidence", queryset=evidence),
            )
        )


def _year_of_first(actual: str, planned: str, year: str) -> Coalesce:
    """The year of the most precise of an initiative's fields that is filled in: the actual
    date, else the planned one, else the year given alone."""
    return Coalesce(ExtractYear(actual), ExtractYear(planned), year, output_field=IntegerField())


def _country_prefetches() -> list[Prefetch]:
    """An initiative's countries (read through ``provider_links`` and ``recipient_links``),
    largest share first, in one query."""
    from initiatives.models.rows import InitiativeCountry

    return [
        Prefetch(
            "country_links",
            queryset=InitiativeCountry.objects.select_related("country").order_by(
                F("share").desc(nulls_last=True), "country"
            ),
        )
    ]


def _participation_role_order() -> Case:
    """Lead organisations first, then the other roles in the order they are declared."""
    from initiatives.models.rows import Participation

    return Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(Participation.Role.values)),
        output_field=IntegerField(),
    )


def _funding_contributions():
    from funding.models import FundingContribution

    return FundingContribution.objects.order_by("funding_model__position", "pk")
