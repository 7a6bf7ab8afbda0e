"""The initiative — the portal's central record."""

from typing import TYPE_CHECKING

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from initiatives.models.querysets import InitiativeQuerySet
from organisations.models import organisation_link
from reference.iati import ActivityStatus, language_choices
from ssdc_portal.models import TimeStampedModel, YearRange, account_link, dates_in_order

if TYPE_CHECKING:
    from initiatives.content import ShownText
    from initiatives.models.rows import InitiativeCountry

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
# The years of the work itself, and of the sources that document it.
RECORD_YEARS = YearRange(1950, 2100)
SOURCE_YEARS = YearRange(1900, 2100)


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
    start_year = RECORD_YEARS.optional_field(
        _("start year"), help_text=_("The year work began, when the exact date is not known.")
    )
    end_year = RECORD_YEARS.optional_field(
        _("end year"), help_text=_("The year work ended, when the exact date is not known.")
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
        "reference.Sector",
        through="initiatives.InitiativeSector",
        related_name="initiatives",
        blank=True,
        verbose_name=_("sectors"),
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

    # Indexed with the primary key (Meta.indexes): an organisation's profile reads only these.
    owner = organisation_link(
        _("owner organisation"), related_name="owned_initiatives", db_index=False
    )
    state = models.CharField(
        _("moderation state"), max_length=16, choices=State, default=State.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    reviewed_version = models.PositiveIntegerField(_("reviewed version"), null=True, blank=True)
    reviewed_by = account_link(_("reviewed by"))
    review_note = models.TextField(_("reviewer's note"), blank=True)
    created_by = account_link(_("created by"))
    updated_by = account_link(_("last changed by"))
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    # What an editor fills in, in the order the editor's page shows it (the owner aside: it is
    # chosen once, when the record is created).
    EDITABLE_FIELDS = [
        "title",
        "summary",
        "description",
        "language",
        "activity_status",
        "cooperation_type",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "start_year",
        "end_year",
        "sectors",
        "sdg_goals",
        "modalities",
        "is_fragile_state",
        "is_post_disaster",
        "is_conflict_affected",
        "provider_government_involvement",
        "recipient_government_involvement",
        "coordinates_with_other_donors",
        "coordination_note",
    ]

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-updated_at", "-id"]
        permissions = [("moderate_initiative", _("Can review, publish and archive initiatives"))]
        indexes = [
            GinIndex(fields=["search_vector"], name="initiative_search_gin"),
            models.Index(fields=["state", "-updated_at"], name="initiative_state_updated"),
            models.Index(fields=["owner", "id"], name="initiative_owner_id"),
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
            RECORD_YEARS.constraint("start_year", name="initiative_start_year_range"),
            RECORD_YEARS.constraint("end_year", name="initiative_end_year_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiative-detail", kwargs={"slug": self.slug})

    @cached_property
    def shown(self) -> "ShownText":
        """The record's text for the reader: in the active language where a translation
        exists, else in the original (see ``initiatives.content``)."""
        from initiatives.content import record_text

        return record_text(self)

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
    def is_archived(self) -> bool:
        return self.state == self.State.ARCHIVED

    @property
    def is_changed_since_review(self) -> bool:
        """A published record edited after a moderator last approved it."""
        return self.reviewed_version is not None and self.version > self.reviewed_version
