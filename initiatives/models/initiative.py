"""The initiative — the portal's central record — and the rows that hang off it."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchRank, SearchVectorExact, SearchVectorField
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatives.search import search_query
from initiatives.uploads import DOCUMENT_EXTENSIONS, DocumentValidator
from reference.iati import (
    ActivityStatus,
    OrganisationRole,
    ResultType,
    language_choices,
)
from ssdc_portal.models import TimeStampedModel

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
# The years the database accepts (see the check constraints), as notes next to the field.
RECORD_YEAR_VALIDATORS = [MinValueValidator(1950), MaxValueValidator(2100)]
SOURCE_YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


def dates_in_order(start: str, end: str) -> Q:
    return (
        Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{end + "__gte": F(start)})
    )


class InitiativeQuerySet(models.QuerySet):
    """Reads of initiatives. ``visible_to`` is the one gate every public read goes through."""

    def published(self):
        return self.filter(state=Initiative.State.PUBLISHED)

    def visible_to(self, user):
        """What ``user`` may see: moderators everything, editors also their organisations'
        records in any state, everyone else only what is published."""
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

    def search(self, text: str | None):
        """Initiatives matching ``text`` (see ``initiatives.search``), best first: those whose
        title matches the whole query, then by rank (title, then summary and organisation
        names, then description). Blank text leaves the queryset as it is."""
        query = search_query(text or "")
        if query is None:
            return self
        title_vector = Func(
            F("search_vector"),
            template="ts_filter(%(expressions)s, '{a}')",
            output_field=SearchVectorField(),
        )
        return (
            self.filter(search_vector=query)
            .annotate(
                search_title_match=SearchVectorExact(title_vector, query),
                search_rank=SearchRank(F("search_vector"), query),
            )
            .order_by("-search_title_match", "-search_rank", "-pk")
        )

    def changed_since_review(self):
        """Published records edited after a moderator last approved them (the database
        form of :attr:`Initiative.is_changed_since_review`, limited to published ones)."""
        return self.filter(
            state=Initiative.State.PUBLISHED,
            reviewed_version__isnull=False,
            version__gt=F("reviewed_version"),
        )

    def involving_country(self, code: str, role: str | None = None):
        """Initiatives with ``code`` among their countries (as ``role``, if given)."""
        links = InitiativeCountry.objects.filter(initiative=OuterRef("pk"), country=code)
        if role is not None:
            links = links.filter(role=role)
        return self.filter(Exists(links))

    def with_participant(self, organisation):
        """Initiatives ``organisation`` owns or takes part in."""
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
            started_year=Coalesce(
                ExtractYear("actual_start"),
                ExtractYear("planned_start"),
                "start_year",
                output_field=IntegerField(),
            )
        )

    def with_ended_year(self):
        """Alias ``ended_year``: the actual end year, else the planned one, else ``end_year``."""
        return self.alias(
            ended_year=Coalesce(
                ExtractYear("actual_end"),
                ExtractYear("planned_end"),
                "end_year",
                output_field=IntegerField(),
            )
        )

    def newest_first(self):
        """Most recently published first; unpublished records (their owners') last."""
        return self.order_by(F("published_at").desc(nulls_last=True), "-pk")

    def for_listing(self):
        """What a row in a list of results shows, in a fixed number of queries."""
        return (
            self.select_related("owner")
            .defer("search_vector")
            .prefetch_related(*_country_prefetches())
        )

    def for_detail(self):
        """Everything the public page of one initiative shows, in a fixed number of queries."""
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
                "sdg_goals",
                "modalities",
                Prefetch(
                    "funding_contributions",
                    queryset=_funding_contributions().select_related("funding_model", "funder"),
                ),
                "non_monetary_contributions",
                Prefetch(
                    "outcomes",
                    queryset=Outcome.objects.prefetch_related(
                        Prefetch("indicators", queryset=Indicator.objects.order_by("pk"))
                    ),
                ),
                Prefetch("sources", queryset=Source.objects.order_by("-year", "citation")),
                Prefetch("principle_evidence", queryset=evidence),
            )
        )


def _country_prefetches() -> list[Prefetch]:
    """An initiative's countries (read through ``provider_links`` and ``recipient_links``),
    largest share first, in one query."""
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
    return Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(Participation.Role.values)),
        output_field=IntegerField(),
    )


def _funding_contributions():
    from funding.models import FundingContribution

    return FundingContribution.objects.order_by("funding_model__position", "pk")


class Initiative(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to the organisation")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class CooperationType(models.TextChoices):
        BILATERAL = "bilateral", _("South-South bilateral")
        TRIANGULAR = "triangular", _("Triangular (with a traditional donor or multilateral)")
        REGIONAL = "regional", _("Regional")

    class GovernmentInvolvement(models.TextChoices):
        NONE = "none", _("None")
        INFORMED = "informed", _("Informed")
        CONSULTED = "consulted", _("Consulted")
        COLLABORATING = "collaborating", _("Collaborating")
        CO_IMPLEMENTING = "co_implementing", _("Co-implementing")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), max_length=1000)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of the text"), max_length=2, choices=language_choices, default="en"
    )
    activity_status = models.PositiveSmallIntegerField(
        _("activity status"), choices=ActivityStatus, default=ActivityStatus.IMPLEMENTATION
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start year"),
        null=True,
        blank=True,
        validators=RECORD_YEAR_VALIDATORS,
        help_text=_("The year work began, when the exact date is not known."),
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"),
        null=True,
        blank=True,
        validators=RECORD_YEAR_VALIDATORS,
        help_text=_("The year work ended, when the exact date is not known."),
    )
    cooperation_type = models.CharField(
        _("cooperation type"), max_length=16, choices=CooperationType
    )
    countries = models.ManyToManyField(
        "reference.Country",
        through="InitiativeCountry",
        related_name="initiatives",
        verbose_name=_("countries"),
    )
    sectors = models.ManyToManyField(
        "reference.Sector", related_name="initiatives", blank=True, verbose_name=_("sectors")
    )
    sdg_goals = models.ManyToManyField(
        "reference.SustainableDevelopmentGoal",
        related_name="initiatives",
        blank=True,
        verbose_name=_("SDG goals"),
    )
    modalities = models.ManyToManyField(
        "reference.Modality", related_name="initiatives", blank=True, verbose_name=_("modalities")
    )
    participants = models.ManyToManyField(
        "organisations.Organisation",
        through="Participation",
        related_name="initiatives",
        verbose_name=_("participating organisations"),
    )
    is_fragile_state = models.BooleanField(_("fragile state context"), default=False)
    is_post_disaster = models.BooleanField(_("post-disaster context"), default=False)
    is_conflict_affected = models.BooleanField(_("conflict-affected context"), default=False)
    provider_government_involvement = models.CharField(
        _("provider-side government involvement"),
        max_length=16,
        choices=GovernmentInvolvement,
        blank=True,
    )
    recipient_government_involvement = models.CharField(
        _("recipient-side government involvement"),
        max_length=16,
        choices=GovernmentInvolvement,
        blank=True,
    )
    coordinates_with_other_donors = models.BooleanField(
        _("coordinates with other donors or INGOs"), null=True, blank=True
    )
    coordination_note = models.TextField(_("coordination note"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)

    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_initiatives",
        verbose_name=_("owner organisation"),
    )
    state = models.CharField(
        _("moderation state"), max_length=16, choices=State, default=State.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    reviewed_version = models.PositiveIntegerField(_("reviewed version"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-updated_at", "-id"]
        permissions = [("moderate_initiative", _("Can review, publish and archive initiatives"))]
        indexes = [
            GinIndex(fields=["search_vector"], name="initiative_search_gin"),
            models.Index(fields=["state", "-updated_at"], name="initiative_state_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="initiative_title_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="initiative_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "returned", "published", "archived"]),
                name="initiative_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(cooperation_type__in=["bilateral", "triangular", "regional"]),
                name="initiative_cooperation_type_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="initiative_version_positive"),
            models.CheckConstraint(
                condition=dates_in_order("planned_start", "planned_end"),
                name="initiative_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=dates_in_order("actual_start", "actual_end"),
                name="initiative_actual_end_after_start",
            ),
            models.CheckConstraint(
                condition=dates_in_order("start_year", "end_year"),
                name="initiative_end_year_after_start_year",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=1950, start_year__lte=2100),
                name="initiative_start_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiative-detail", kwargs={"slug": self.slug})

    @property
    def started_in(self) -> int | None:
        """The year work began, from the most precise date recorded."""
        start = self.actual_start or self.planned_start
        return start.year if start else self.start_year

    @property
    def provider_links(self) -> list["InitiativeCountry"]:
        """The countries the initiative works from (prefetch ``country_links`` for lists)."""
        return [link for link in self.country_links.all() if link.role == "provider"]

    @property
    def recipient_links(self) -> list["InitiativeCountry"]:
        """The countries the initiative works in."""
        return [link for link in self.country_links.all() if link.role == "recipient"]

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_changed_since_review(self) -> bool:
        """A published record edited after a moderator last approved it."""
        return self.reviewed_version is not None and self.version > self.reviewed_version


class InitiativeCountry(TimeStampedModel):
    """A country an initiative works from (provider) or in (recipient), with its share."""

    class Role(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        RECIPIENT = "recipient", _("Recipient")

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="country_links",
        verbose_name=_("initiative"),
    )
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        related_name="initiative_links",
        verbose_name=_("country"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Share of the initiative's effort in this country, if known."),
    )

    class Meta:
        verbose_name = _("initiative country")
        verbose_name_plural = _("initiative countries")
        ordering = ["role", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "country", "role"], name="initiative_country_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["provider", "recipient"]),
                name="initiative_country_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="initiative_country_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} ({self.get_role_display()})"


class Participation(TimeStampedModel):
    """An organisation's role in an initiative."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        IMPLEMENTING = "implementing", _("Implementing")
        FUNDING = "funding", _("Funding")
        PARTNER = "partner", _("Partner")
        ACCOUNTABLE = "accountable", _("Accountable")

    IATI_ROLE = {
        Role.LEAD: OrganisationRole.ACCOUNTABLE,
        Role.IMPLEMENTING: OrganisationRole.IMPLEMENTING,
        Role.FUNDING: OrganisationRole.FUNDING,
        Role.PARTNER: OrganisationRole.IMPLEMENTING,
        Role.ACCOUNTABLE: OrganisationRole.ACCOUNTABLE,
    }

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("initiative"),
    )
    actor = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "actor", "role"], name="participation_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "implementing", "funding", "partner", "accountable"]),
                name="participation_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} · {self.get_role_display()}"

    @property
    def iati_role(self) -> OrganisationRole:
        return self.IATI_ROLE[self.role]


class NonMonetaryContribution(TimeStampedModel):
    """Effort given in kind: person-days, participants, exchange visits and the like."""

    class Kind(models.TextChoices):
        PERSON_DAYS = "person_days", _("Person-days")
        PARTICIPANTS = "participants", _("Participants")
        EXCHANGE_VISITS = "exchange_visits", _("Exchange visits")
        TRAINING_SESSIONS = "training_sessions", _("Training sessions")
        OTHER = "other", _("Other (give the unit)")

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="non_monetary_contributions",
        verbose_name=_("initiative"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("non-monetary contribution")
        verbose_name_plural = _("non-monetary contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="non_monetary_quantity_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(unit=""), name="non_monetary_other_has_unit"
            ),
        ]

    def __str__(self) -> str:
        unit = self.unit or self.get_kind_display()
        return f"{self.quantity.normalize():f} {unit}"


class Outcome(TimeStampedModel):
    """A result the initiative reports, in words and optionally with indicators."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("initiative")
    )
    title = models.CharField(_("title"), max_length=250)
    narrative = models.TextField(_("what changed"), blank=True)
    result_type = models.PositiveSmallIntegerField(
        _("result type"), choices=ResultType, default=ResultType.OUTCOME
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="outcome_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(TimeStampedModel):
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("outcome")
    )
    name = models.CharField(_("indicator"), max_length=250)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    actual = models.DecimalField(
        _("actual"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual_year = models.PositiveSmallIntegerField(_("actual year"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="indicator_name_not_empty"),
            models.CheckConstraint(
                condition=dates_in_order("baseline_year", "target_year"),
                name="indicator_target_year_after_baseline",
            ),
            models.CheckConstraint(
                condition=dates_in_order("baseline_year", "actual_year"),
                name="indicator_actual_year_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Source(TimeStampedModel):
    """A document or page that backs the record: evaluation, report, article…"""

    class DocumentType(models.TextChoices):
        EVALUATION = "evaluation", _("Evaluation")
        ANNUAL_REPORT = "annual_report", _("Annual report")
        CASE_STUDY = "case_study", _("Case study")
        RESEARCH = "research", _("Research publication")
        PROJECT_DOCUMENT = "project_document", _("Project document")
        NEWS = "news", _("News or media article")
        WEB_PAGE = "web_page", _("Web page")
        OTHER = "other", _("Other")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="sources", verbose_name=_("initiative")
    )
    citation = models.CharField(
        _("citation"),
        max_length=500,
        help_text=_("Author, title, publisher and year, as you would cite it."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType, default=DocumentType.OTHER
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=SOURCE_YEAR_VALIDATORS
    )
    language = models.CharField(_("language"), max_length=2, choices=language_choices, blank=True)
    document = models.FileField(
        _("document"),
        upload_to="sources/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), DocumentValidator()],
        help_text=_(
            "PDF, DOCX, ODT or an image (PNG, JPEG, WebP), within the portal's size limit."
        ),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-year", "citation"]
        constraints = [
            models.CheckConstraint(condition=~Q(citation=""), name="source_citation_not_empty"),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100),
                name="source_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.citation
