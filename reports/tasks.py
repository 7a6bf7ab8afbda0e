"""Background work for reports: producing one, and the periodic housekeeping.

``generate_report`` takes only the report's ID and may safely run more than once for it
(see ``services.run_report``). It is acknowledged only when it ends (``acks_late``) and put
back in the queue if its worker dies (``reject_on_worker_lost``), so a killed worker loses
nothing; the broker's visibility timeout (settings) is longer than its hard time limit.

When the database stays unreachable for longer than all the retries, the report's failure
cannot be written at that moment either: ``record_report_failure`` writes it once the
database answers again, so the requester reads why instead of watching it run forever.
"""

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from reports import services

MAX_RETRIES = settings.REPORT_MAX_RETRIES
RETRY_DELAY = settings.REPORT_RETRY_DELAY


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def generate_report(self, report_id: str) -> str | None:
    """Produce report ``report_id``; returns its final state (``None`` if already done)."""
    try:
        report = services.run_report(report_id)
    except services.TRANSIENT_ERRORS as error:
        if self.request.retries >= MAX_RETRIES:
            record_report_failure.delay(
                report_id,
                _("The report could not be produced: a service it needs was unavailable."),
            )
            return "failed"
        # Pauses double (10 s, 20 s, 40 s… by default), so a restarting database can return.
        countdown = RETRY_DELAY * 2**self.request.retries
        raise self.retry(exc=error, countdown=countdown) from error
    return report.state if report else None


@shared_task(
    acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    max_retries=None,
    retry_backoff=RETRY_DELAY,  # the same doubling pauses, up to 320 s by default
    retry_backoff_max=RETRY_DELAY * 2**MAX_RETRIES,
    retry_jitter=False,
)
def record_report_failure(report_id: str, message: str) -> None:
    """Fail a report with ``message``, trying again until the database can be written."""
    services.fail_report(report_id, message)


@shared_task
def sweep_reports() -> int:
    """Fail reports that stopped making progress (see ``services.fail_stuck_reports``)."""
    return services.fail_stuck_reports()


@shared_task
def delete_expired_reports() -> int:
    """Delete reports and files past their retention time."""
    return services.delete_expired_reports()
