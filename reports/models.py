"""A generated report: what was asked for, by whom, how far it has got, and the file."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def report_file_path(report: "Report", filename: str) -> str:
    """Each report's file sits in a folder named after the report, so that a rerun of the
    same report replaces its file instead of leaving another one beside it."""
    return f"reports/{report.pk}/{filename}"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports ``user`` may follow and download: their own; moderators' all."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_moderator:
            return self.all()
        return self.filter(requested_by=user)

    def unfinished(self):
        return self.filter(state__in=[Report.State.QUEUED, Report.State.RUNNING])


class Report(models.Model):
    class Kind(models.TextChoices):
        INITIATIVE_BRIEF = "initiative-brief", _("Initiative brief (PDF)")
        COUNTRY_PROFILE = "country-profile", _("Country profile (PDF)")
        DATASET = "dataset", _("Data set (CSV, XLSX or JSON)")
        IATI = "iati", _("IATI 2.03 activities (XML)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being produced")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    include_drafts = models.BooleanField(
        _("include my organisations' unpublished records"), default=False
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    # Where the request came from: links in the file start with it unless SITE_URL is set.
    site_url = models.CharField(_("portal address"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("requested by"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("deleted after"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=150, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "fingerprint"], name="report_requester_fp"),
            models.Index(fields=["state", "heartbeat_at"], name="report_state_heartbeat"),
            models.Index(fields=["expires_at"], name="report_expires"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["initiative-brief", "country-profile", "dataset", "iati"]),
                name="report_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "succeeded", "failed"]),
                name="report_state_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_0_100"),
            models.CheckConstraint(
                condition=~Q(state="succeeded") | (~Q(file="") & Q(finished_at__isnull=False)),
                name="report_succeeded_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""), name="report_failed_has_error"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("report-detail", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("report-download", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.SUCCEEDED and bool(self.file)

    @property
    def subject(self) -> str:
        """What the report is about, in a few words (each kind says, see ``reports.kinds``)."""
        from reports.kinds import KINDS  # the kinds read this model

        kind = KINDS.get(self.kind)
        return kind.subject(self.parameters or {}) if kind else ""
