"""Requesting, producing and cleaning up generated reports.

The page, the API and ``manage.py make_report`` all come through here:

- :func:`request_report` records a request (or hands back an identical recent one) and
  queues its production once the transaction commits;
- :func:`run_report` produces the file for a report ID. It may be called again for the same
  report — a redelivered task, a retry — and does the right thing: a finished report is left
  alone, an interrupted one is produced again from the start and replaces its file;
- :func:`produce` writes a report's file to any open binary file (``make_report`` uses it
  directly, without a ``Report`` row);
- :func:`fail_stuck_reports` and :func:`delete_expired_reports` keep the table honest.

What a report may contain is decided once, by :func:`report_scope`, which starts from the
visibility gate ``Initiative.objects.visible_to``: published records only, plus the
requester's own organisations' records when they asked for their drafts.
"""

import hashlib
import json
import logging
import tempfile
import time
from datetime import timedelta
from typing import BinaryIO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from initiatives.models import Initiative
from reports.builders import Produced, Progress, ReportFailure, ReportInvalid, no_progress
from reports.kinds import KINDS, Job
from reports.models import Report
from ssdc_portal import links

logger = logging.getLogger(__name__)

State = Report.State

# Errors worth another try later: the database or the file store was briefly unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


# ---------------------------------------------------------------------------------------------
# What a report may contain


def report_scope(
    user: User | AnonymousUser, *, include_drafts: bool = False
) -> QuerySet[Initiative]:
    """The initiatives a report for ``user`` may draw on: published ones, and with
    ``include_drafts`` also the unpublished records of ``user``'s own organisations."""
    visible = Initiative.objects.visible_to(user)
    if include_drafts:
        return visible.published() | visible.editable_by(user)
    return visible.published()


def fingerprint(
    kind: str, parameters: dict, include_drafts: bool, site_url: str, language: str
) -> str:
    """The same for two requests that would produce the same file (links and language
    included)."""
    canonical = json.dumps(
        {
            "kind": kind,
            "parameters": parameters,
            "include_drafts": include_drafts,
            "site_url": site_url,
            "language": language,
        },
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Requesting


def request_report(
    *, user: User, kind: str, parameters: dict, include_drafts: bool = False
) -> tuple[Report, bool]:
    """Record ``user``'s request and queue it; returns ``(report, created)``.

    An identical request still in progress, or finished within ``REPORT_REUSE_WINDOW``
    seconds and not yet deleted, is handed back instead of producing the same file again.
    ``parameters`` must come from :class:`reports.forms.ReportRequestForm`. The address of
    the request being answered is recorded for the links in the file (see ``links``).
    """
    from reports.tasks import generate_report

    address = links.site_url()
    key = fingerprint(kind, parameters, include_drafts, address, user.preferred_language)
    now = timezone.now()
    with transaction.atomic():
        # One request at a time per user, so a double click cannot queue the work twice.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = now - timedelta(seconds=settings.REPORT_REUSE_WINDOW)
        reusable = (
            Report.objects.filter(requested_by=user, fingerprint=key)
            .filter(
                Q(state__in=[State.QUEUED, State.RUNNING])
                | Q(state=State.SUCCEEDED, finished_at__gte=recent, expires_at__gt=now)
            )
            .order_by("-created_at")
            .first()
        )
        if reusable is not None:
            return reusable, False
        report = Report.objects.create(
            kind=kind,
            parameters=parameters,
            include_drafts=include_drafts,
            fingerprint=key,
            site_url=address,
            requested_by=user,
        )
        report_id = str(report.pk)
        transaction.on_commit(lambda: generate_report.delay(report_id))
    return report, True


# ---------------------------------------------------------------------------------------------
# Producing


class ProgressRecorder:
    """Records a running report's progress (and that it is alive), at most twice a second."""

    INTERVAL = 0.5

    def __init__(self, report: Report):
        self.report_id, self.attempt = report.pk, report.attempts
        self.recorded, self.recorded_at = -1, 0.0

    def __call__(self, done: int, total: int) -> None:
        percent = min(int(99 * done / total), 99) if total else 99
        moment = time.monotonic()
        if percent <= self.recorded or moment - self.recorded_at < self.INTERVAL:
            return
        self.recorded, self.recorded_at = percent, moment
        Report.objects.filter(pk=self.report_id, state=State.RUNNING, attempts=self.attempt).update(
            progress=percent, heartbeat_at=timezone.now()
        )


def produce(
    kind: str,
    parameters: dict,
    out: BinaryIO,
    *,
    user: User | AnonymousUser,
    include_drafts: bool = False,
    progress: Progress = no_progress,
) -> Produced:
    """Write the report ``kind`` with ``parameters`` (as :class:`ReportRequestForm` gives
    them) to ``out``, drawing only on what ``user`` may put in a report."""
    kind_of_report = KINDS.get(kind)
    if kind_of_report is None:
        raise ReportFailure(_("Unknown kind of report: %(kind)s") % {"kind": kind})
    scope = report_scope(user, include_drafts=include_drafts)
    subject = kind_of_report.scope.resolve(scope, parameters.get(kind_of_report.scope.field))
    job = Job(subject, parameters, scope, out, progress, timezone.localdate().isoformat())
    return kind_of_report.produce(job)


def run_report(report_id) -> Report | None:
    """Produce the file of report ``report_id`` unless it is already finished.

    Errors in :data:`TRANSIENT_ERRORS` are raised for the task to retry; every other failure
    is recorded on the report with a message for its requester. The file, its links and
    the message are in the requester's language.
    """
    report = _claim(report_id)
    if report is None:
        return None
    with translation.override(report.requested_by.preferred_language):
        return _produce_claimed(report)


def _produce_claimed(report: Report) -> Report:
    try:
        with (
            tempfile.TemporaryFile() as scratch,  # unlinked at once: a crash leaves nothing
            links.recorded_site_url(report.site_url),
        ):
            produced = produce(
                report.kind,
                report.parameters,
                scratch,
                user=report.requested_by,
                include_drafts=report.include_drafts,
                progress=ProgressRecorder(report),
            )
            return _finish(report, scratch, produced)
    except TRANSIENT_ERRORS:
        raise
    except ReportInvalid as invalid:
        messages = "\n".join(invalid.messages[:50])
        return _fail(
            report, _("The file did not pass validation:") + "\n" + messages, expected=True
        )
    except ReportFailure as failure:
        return _fail(report, str(failure), expected=True)
    except SoftTimeLimitExceeded:
        minutes = round(settings.CELERY_TASK_SOFT_TIME_LIMIT / 60)
        return _fail(
            report,
            _(
                "The report took longer than the limit of %(minutes)s minutes. Narrow the "
                "selection with filters and ask again."
            )
            % {"minutes": minutes},
        )
    except Exception:
        logger.exception("Report %s failed", report.pk)
        return _fail(
            report,
            _(
                "The report could not be produced because of an error on our side. It has "
                "been logged; please try again later."
            ),
        )


def _claim(report_id) -> Report | None:
    """Mark the report running for a new attempt; ``None`` when it is finished or gone."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.is_finished:
            return None
        now = timezone.now()
        report.state = State.RUNNING
        report.attempts += 1
        report.progress = 0
        report.started_at = report.heartbeat_at = now
        report.save(update_fields=["state", "attempts", "progress", "started_at", "heartbeat_at"])
    return report


def _delete_files(report: Report) -> None:
    """Remove whatever an earlier attempt of ``report`` stored."""
    storage = report.file.storage
    folder = f"reports/{report.pk}"
    try:
        _dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")


def _finish(report: Report, scratch: BinaryIO, produced: Produced) -> Report:
    scratch.flush()
    scratch.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: scratch.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    scratch.seek(0)
    now = timezone.now()
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.state != State.RUNNING or current.attempts != report.attempts:
            return current  # a later attempt owns the report now: its files are left alone
        # Only the attempt that owns the report (the row stays locked until it is saved)
        # clears what earlier attempts left and stores its file.
        _delete_files(report)
        report.file.save(produced.filename, File(scratch), save=False)
        current.file = report.file.name
        current.filename = produced.filename
        current.content_type = produced.content_type
        current.size = size
        current.checksum = digest.hexdigest()
        current.row_count = produced.rows
        current.state = State.SUCCEEDED
        current.progress = 100
        current.error = ""
        current.finished_at = current.heartbeat_at = now
        current.expires_at = now + timedelta(seconds=settings.REPORT_RETENTION)
        current.save()
    return current


def _fail(report: Report, message: str, *, expected: bool = False) -> Report:
    """Record that ``report`` failed with ``message`` (shown to its requester). An
    ``expected`` failure (bad data, nothing to export) gets a line in the log; unexpected
    ones have been logged with their traceback by the caller."""
    if expected:
        logger.info("Report %s failed: %s", report.pk, message.splitlines()[0])
    now = timezone.now()
    Report.objects.filter(pk=report.pk, attempts=report.attempts).exclude(
        state=State.SUCCEEDED
    ).update(
        state=State.FAILED,
        error=message,
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + timedelta(seconds=settings.REPORT_RETENTION),
    )
    report.refresh_from_db()
    return report


def fail_report(report_id, message: str) -> None:
    """Fail a report from outside its run (e.g. when its retries are used up)."""
    now = timezone.now()
    Report.objects.filter(pk=report_id).unfinished().update(
        state=State.FAILED,
        error=message,
        finished_at=now,
        expires_at=now + timedelta(seconds=settings.REPORT_RETENTION),
    )


# ---------------------------------------------------------------------------------------------
# Housekeeping


def fail_stuck_reports() -> int:
    """Fail reports that will never finish: running with no sign of life for longer than
    ``REPORT_STUCK_AFTER`` seconds, or waiting for longer than ``REPORT_QUEUED_LIMIT``."""
    now = timezone.now()
    silent = now - timedelta(seconds=settings.REPORT_STUCK_AFTER)
    waiting = now - timedelta(seconds=settings.REPORT_QUEUED_LIMIT)
    stuck = Report.objects.filter(
        Q(state=State.RUNNING, heartbeat_at__lt=silent)
        | Q(state=State.QUEUED, created_at__lt=waiting)
    )
    return stuck.update(
        state=State.FAILED,
        error=_("The report stopped making progress and was abandoned. Please ask for it again."),
        finished_at=now,
        expires_at=now + timedelta(seconds=settings.REPORT_RETENTION),
    )


def delete_expired_reports() -> int:
    """Delete reports (and their files) past their ``expires_at``; returns how many."""
    expired = Report.objects.filter(expires_at__lte=timezone.now())
    count = 0
    for report in expired.iterator():
        _delete_files(report)
        report.delete()
        count += 1
    return count
