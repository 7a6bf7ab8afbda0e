"""Reference data: countries and their context, sectors, SDGs and activity modalities.

Edited by moderators in the admin only; loaded from ``reference/data``. The tables keep the
names they had when these models belonged to the initiatives app: raw SQL (the content
version triggers, the benchmarks' ``COPY``) and existing databases know them by those names.
"""

from collections.abc import Callable
from functools import lru_cache, partial

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from reference.data import codelist_items
from ssdc_portal.models import TimeStampedModel, YearRange


def country_name(code: str) -> str:
    """The name of the country ``code`` in the active language, looked up once per language:
    pages name the same countries many times (a map of every flow, tens of thousands)."""
    return _country_name_in(get_language(), code)


def country_namer() -> Callable[[str], str]:
    """``country_name`` with the active language looked up now, once: for naming or sorting
    thousands of countries in one request (looking the language up costs more than the name)."""
    return partial(_country_name_in, get_language())


@lru_cache(maxsize=4096)
def _country_name_in(language: str | None, code: str) -> str:
    return str(countries.name(code) or code)


class Country(TimeStampedModel):
    class IncomeGroup(models.TextChoices):
        LOW = "low", _("Low income")
        LOWER_MIDDLE = "lower_middle", _("Lower-middle income")
        UPPER_MIDDLE = "upper_middle", _("Upper-middle income")
        HIGH = "high", _("High income")

    code = CountryField(_("country"), primary_key=True)
    income_group = models.CharField(
        _("income group"), max_length=16, choices=IncomeGroup, blank=True
    )
    income_group_fiscal_year = models.PositiveSmallIntegerField(
        _("income group fiscal year"),
        null=True,
        blank=True,
        help_text=_("World Bank fiscal year of the classification, e.g. 2025."),
    )
    region = models.CharField(_("region"), max_length=64, blank=True)

    class Meta:
        db_table = "initiatives_country"
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(income_group="", income_group_fiscal_year__isnull=True)
                | (~Q(income_group="") & Q(income_group_fiscal_year__isnull=False)),
                name="country_income_group_has_fiscal_year",
            ),
            models.CheckConstraint(
                condition=Q(income_group__in=["", "low", "lower_middle", "upper_middle", "high"]),
                name="country_income_group_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return country_name(self.code.code)


# The years a civic-space rating may be given for: the oldest indices began in the 1990s.
CIVIC_SPACE_YEARS = YearRange(1990, 2100)


class CivicSpaceRating(TimeStampedModel):
    """One year's assessment of a country's space for civil society by one source."""

    class Source(models.TextChoices):
        CIVICUS_MONITOR = "civicus_monitor", _("CIVICUS Monitor")
        ENABLING_ENVIRONMENT_INDEX = "enabling_environment_index", _("Enabling Environment Index")
        OTHER = "other", _("Other")

    class Rating(models.TextChoices):
        OPEN = "open", _("Open")
        NARROWED = "narrowed", _("Narrowed")
        OBSTRUCTED = "obstructed", _("Obstructed")
        REPRESSED = "repressed", _("Repressed")
        CLOSED = "closed", _("Closed")

    country = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        related_name="civic_space_ratings",
        verbose_name=_("country"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=32, choices=Source)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("On a 0–100 scale; rescale indices published on 0–1."),
    )
    source_url = models.URLField(_("source URL"), blank=True)

    class Meta:
        db_table = "initiatives_civicspacerating"
        verbose_name = _("civic space rating")
        verbose_name_plural = _("civic space ratings")
        ordering = ["country", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year", "source"], name="civic_space_rating_unique_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(rating="") | Q(score__isnull=False),
                name="civic_space_rating_has_rating_or_score",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="civic_space_rating_score_0_100",
            ),
            CIVIC_SPACE_YEARS.constraint(
                "year", name="civic_space_rating_year_range", optional=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.year} · {self.get_source_display()}"


class DialogueMechanism(TimeStampedModel):
    """A country's standing space for state–civil-society dialogue on cooperation."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National participatory space")
        BILATERAL = "bilateral", _("Bilateral dialogue")
        MULTILATERAL = "multilateral", _("Multilateral mechanism")

    country = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        related_name="dialogue_mechanisms",
        verbose_name=_("country"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    year_started = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    source_citation = models.CharField(_("source"), max_length=500, blank=True)
    source_url = models.URLField(_("source URL"), blank=True)

    class Meta:
        db_table = "initiatives_dialoguemechanism"
        verbose_name = _("dialogue mechanism")
        verbose_name_plural = _("dialogue mechanisms")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"], name="dialogue_mechanism_unique_name"
            ),
            YearRange(1900, 2100).constraint("year_started", name="dialogue_mechanism_year_range"),
        ]

    def __str__(self) -> str:
        return self.name


def _language_of_codelists() -> str:
    """The current language as the IATI codelists name it: Brazilian Portuguese is ``pt``."""
    return (get_language() or "en")[:2]


def sector_category_name(code: str, english: str) -> str:
    """A DAC sector category's name in the current language, as the carried IATI codelist
    gives it, else ``english`` (the name the table holds)."""
    names = {item["code"]: item["name"] for item in codelist_items("iati_sector_category")}
    return names.get(code, {}).get(_language_of_codelists()) or english


class NamedInLanguages:
    """A codelist entry named in English (``name``) and in the languages its codelist gives
    (``translated_names``, by two-letter code: Brazilian Portuguese reads ``pt``)."""

    @property
    def local_name(self) -> str:
        """The name in the current language where the codelist has it, else in English."""
        return self.translated_names.get(_language_of_codelists()) or self.name


class NamedInCatalogue:
    """A vocabulary entry seeded with the portal: its English ``name`` and ``description``
    are messages of the translation catalogue, shown in the reader's language. Words a
    moderator gives in the admin are shown as they were given."""

    @property
    def local_name(self) -> str:
        return in_catalogue(self.name)

    @property
    def local_description(self) -> str:
        return in_catalogue(self.description)


def in_catalogue(text: str) -> str:
    """``text`` in the current language, where the catalogue has it (empty stays empty:
    the catalogue's empty message is its header)."""
    return gettext(text) if text else ""


class Sector(NamedInLanguages, TimeStampedModel):
    """An OECD DAC 5-digit purpose code (IATI Sector codelist)."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=300)
    translated_names = models.JSONField(_("translated names"), default=dict, blank=True)
    category_code = models.CharField(_("category code"), max_length=3)
    category_name = models.CharField(_("category"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "initiatives_sector"
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{5}$"), name="sector_code_five_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.local_name}"

    @property
    def local_category_name(self) -> str:
        return sector_category_name(self.category_code, self.category_name)


class SustainableDevelopmentGoal(NamedInLanguages, TimeStampedModel):
    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    name = models.CharField(_("name"), max_length=300)
    translated_names = models.JSONField(_("translated names"), default=dict, blank=True)

    class Meta:
        db_table = "initiatives_sustainabledevelopmentgoal"
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="sdg_number_1_17"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class Modality(NamedInCatalogue, TimeStampedModel):
    """How knowledge is shared: dialogue, exchange visits, training, tools, mentoring."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "initiatives_modality"
        verbose_name = _("modality")
        verbose_name_plural = _("modalities")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.local_name
