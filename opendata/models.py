"""Dataset releases: numbered, dated snapshots of every published record, never changed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, IntegerField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ssdc_portal.models import TimeStampedModel, account_link


class DatasetReleaseQuerySet(models.QuerySet):
    def for_listing(self):
        """Newest first, with the number of initiatives added, updated and withdrawn
        (``added_count``…) instead of the lists themselves, which may be long."""
        counts = {
            f"{name}_count": Func(
                F(name), function="jsonb_array_length", output_field=IntegerField()
            )
            for name in ("added", "updated", "withdrawn")
        }
        return self.defer("added", "updated", "withdrawn").annotate(**counts).order_by("-number")


class DatasetRelease(TimeStampedModel):
    """Release ``number`` of the data set: its files live under ``releases/<number>/`` in the
    default storage and are written once, before this row is. A release is never edited or
    deleted; the row records what the files hold (names, sizes, SHA-256 checksums, row counts)
    and which initiatives changed since the previous release."""

    number = models.PositiveIntegerField(_("number"), unique=True, editable=False)
    made_by = account_link(_("made by"))
    files = models.JSONField(_("files"), default=list, editable=False)
    counts = models.JSONField(_("row counts"), default=dict, editable=False)
    added = models.JSONField(_("initiatives added"), default=list, editable=False)
    updated = models.JSONField(_("initiatives updated"), default=list, editable=False)
    withdrawn = models.JSONField(_("initiatives withdrawn"), default=list, editable=False)

    objects = DatasetReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset release")
        verbose_name_plural = _("dataset releases")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="release_number_from_1")
        ]

    def __str__(self) -> str:
        return _("Release %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("release-detail", args=[self.number])

    @property
    def directory(self) -> str:
        return f"releases/{self.number}"

    def file(self, name: str) -> dict | None:
        return next((entry for entry in self.files if entry["name"] == name), None)

    @property
    def initiative_count(self) -> int:
        return self.counts.get("initiatives", 0)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A dataset release is never deleted."))

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A dataset release cannot be changed once made."))
        super().save(*args, **kwargs)
