"""The rows that hang off an initiative: countries, participants, contributions in kind,
outcomes and their indicators, sources.

Each row model names its ``EDITABLE_FIELDS``: what an editor fills in, in the order the
editor's page, the admin and the API show it (funding contributions and principle evidence,
in their own apps, do the same)."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from initiatives.models.initiative import PERCENT_VALIDATORS, SOURCE_YEARS, Initiative
from initiatives.uploads import DOCUMENT_EXTENSIONS, DocumentValidator
from organisations.models import organisation_link
from reference.iati import (
    OrganisationRole,
    ResultType,
    language_choices,
)
from ssdc_portal.models import TimeStampedModel, dates_in_order


def part_of_initiative(related_name: str) -> models.ForeignKey:
    """A row's link to its initiative: the row is part of the record and goes with it."""
    return models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("initiative"),
    )


class InitiativeCountry(TimeStampedModel):
    """A country an initiative works from (provider) or in (recipient), with its share."""

    class Role(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        RECIPIENT = "recipient", _("Recipient")

    initiative = part_of_initiative("country_links")
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

    EDITABLE_FIELDS = ["country", "role", "share"]

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


class InitiativeSector(models.Model):
    """A DAC sector of an initiative, with its share of the effort when the editor gave one.

    The table is the one the plain many-to-many field used; the share came later."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="sector_links",
        verbose_name=_("initiative"),
    )
    sector = models.ForeignKey(
        "reference.Sector",
        on_delete=models.CASCADE,
        related_name="initiative_links",
        verbose_name=_("sector"),
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Share of the initiative's effort in this sector, if known."),
    )

    class Meta:
        db_table = "initiatives_initiative_sectors"
        verbose_name = _("initiative sector")
        verbose_name_plural = _("initiative sectors")
        ordering = ["sector"]
        # As the plain many-to-many field declared it, so the existing index stays.
        unique_together = [("initiative", "sector")]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="initiative_sector_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.sector)


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

    initiative = part_of_initiative("participations")
    # Indexed with the initiative (Meta.indexes): an organisation's profile reads only these.
    actor = organisation_link(_("organisation"), related_name="participations", db_index=False)
    role = models.CharField(_("role"), max_length=16, choices=Role)

    EDITABLE_FIELDS = ["actor", "role"]

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [
            models.Index(fields=["actor", "initiative"], name="participation_actor_initiative")
        ]
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

    initiative = part_of_initiative("non_monetary_contributions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    EDITABLE_FIELDS = ["kind", "quantity", "unit", "year", "note"]

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

    initiative = part_of_initiative("outcomes")
    title = models.CharField(_("title"), max_length=250)
    narrative = models.TextField(_("what changed"), blank=True)
    result_type = models.PositiveSmallIntegerField(
        _("result type"), choices=ResultType, default=ResultType.OUTCOME
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    EDITABLE_FIELDS = ["title", "narrative", "result_type"]

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="outcome_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def shown(self):
        """The outcome's title and narrative for the reader (see ``initiatives.content``);
        prefetch ``translations`` for lists of outcomes."""
        from initiatives.content import outcome_text

        return outcome_text(self, original_language=self.initiative.language)


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

    # The figures; which outcome an indicator measures is picked apart (see the editor's page).
    EDITABLE_FIELDS = [
        "name",
        "unit",
        "baseline",
        "baseline_year",
        "target",
        "target_year",
        "actual",
        "actual_year",
    ]

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

    initiative = part_of_initiative("sources")
    citation = models.CharField(
        _("citation"),
        max_length=500,
        help_text=_("Author, title, publisher and year, as you would cite it."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType, default=DocumentType.OTHER
    )
    year = SOURCE_YEARS.optional_field(_("year"))
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

    EDITABLE_FIELDS = ["citation", "url", "document_type", "year", "language", "document"]

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-year", "citation"]
        constraints = [
            models.CheckConstraint(condition=~Q(citation=""), name="source_citation_not_empty"),
            SOURCE_YEARS.constraint("year", name="source_year_range"),
        ]

    def __str__(self) -> str:
        return self.citation
