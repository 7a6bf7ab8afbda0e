"""Translations of a record's text into the portal's other languages.

A record is written in one language (``Initiative.language``) and keeps that text in its own
columns: exports, IATI and sorting read the original; search reads the original and every
translation (``initiatives.browse.search``). Editors may add one translation
per other portal language; each is a row of the record (a part in ``ROW_PARTS``), so the
editor's page, the write API, the admin and the history treat it like any other row.
Pages and the API show the reader's language where a translation exists
(``initiatives.content``), else the original, marked with its language.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from initiatives.models.initiative import Initiative
from initiatives.models.rows import Outcome
from ssdc_portal.models import TimeStampedModel


class ContentLanguage(models.TextChoices):
    """The languages a record's text can be translated into: the portal's four (record
    languages use ISO 639-1 codes, so Brazilian Portuguese is ``pt``)."""

    # Named as inside a sentence ("no translation into French yet"): lower case in Spanish,
    # Portuguese and French.
    ENGLISH = "en", pgettext_lazy("language name in a sentence", "English")
    SPANISH = "es", pgettext_lazy("language name in a sentence", "Spanish")
    PORTUGUESE = "pt", pgettext_lazy("language name in a sentence", "Portuguese")
    FRENCH = "fr", pgettext_lazy("language name in a sentence", "French")


def content_language(interface_language: str | None) -> str:
    """The record language of an interface language: ``pt-br`` gives ``pt``."""
    return (interface_language or "en").split("-")[0].lower()


class InitiativeTranslation(TimeStampedModel):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("initiative"),
    )
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), max_length=1000)
    description = models.TextField(_("description"), blank=True)

    EDITABLE_FIELDS = ["language", "title", "summary", "description"]

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "language"], name="initiative_translation_unique_language"
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="initiative_translation_title_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values),
                name="initiative_translation_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.title}"


class OutcomeTranslation(TimeStampedModel):
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("outcome"),
    )
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage)
    title = models.CharField(_("title"), max_length=250)
    narrative = models.TextField(_("what changed"), blank=True)

    EDITABLE_FIELDS = ["language", "title", "narrative"]

    class Meta:
        verbose_name = _("outcome translation")
        verbose_name_plural = _("outcome translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "language"], name="outcome_translation_unique_language"
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="outcome_translation_title_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values),
                name="outcome_translation_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.title}"
