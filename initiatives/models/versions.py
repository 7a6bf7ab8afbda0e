"""Published versions: the states of a record its public page has shown, numbered.

A record's first publication is version 1; each later change that takes effect while it is
published (an edit, a revert, a partner's confirmation) is the next. Each version points at
the revision of the history that holds the record as it then was, so an earlier version can
be shown, and cited, as it was read. Changes made before publication (drafts, submissions)
are never versions.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision

from ssdc_portal.models import TimeStampedModel


class PublishedVersion(TimeStampedModel):
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="published_versions",
        verbose_name=_("initiative"),
    )
    number = models.PositiveIntegerField(_("version number"))
    # The history keeps its revisions; a version without one could not be shown.
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="+", verbose_name=_("revision")
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["initiative", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "number"], name="published_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="published_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "initiative-version", kwargs={"slug": self.initiative.slug, "number": self.number}
        )
