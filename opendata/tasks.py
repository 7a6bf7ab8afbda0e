"""Background work of the open-data app: a release asked for by a moderator.

``make_release`` may run more than once for one request (redelivery after a lost worker):
it makes a release only if none was made since the request.
"""

from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from opendata.models import DatasetRelease
from opendata.releases.services import release_make


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def make_release(requested_at: str, requested_by: int | None = None) -> int:
    """Make a release unless one was made since ``requested_at``; return its number."""
    done = (
        DatasetRelease.objects.filter(created_at__gte=datetime.fromisoformat(requested_at))
        .order_by("number")
        .first()
    )
    if done is not None:
        return done.number
    by = get_user_model().objects.filter(pk=requested_by).first() if requested_by else None
    return release_make(by=by).number
