"""Rebuilding the public IATI files in the background, shortly after published data changes.

A change to published data calls :func:`iati_files_changed` inside its transaction. Once it
commits, the first change queues one build :data:`BUILD_DELAY` seconds later and marks it
pending in the cache; the changes that follow while it is pending queue nothing, so a burst
of changes (a moderator approving twenty records, an import) leads to one build, and the
build reads everything committed before it starts. The mark is cleared when the build
starts, so a change made during a build queues the next one.

Without a broker (development, tests) tasks would run in the process that queued them, that
is inside a request: then nothing is queued, and ``manage.py build_iati_files`` builds the
files. A periodic task (:func:`refresh_stale_iati_files`) also queues a build whenever the
database's content version has moved since the files were built, for changes made where no
code calls :func:`iati_files_changed` (the admin's reference data, say).
"""

import logging
from functools import partial

from celery import current_app, shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction

from initiatives.browse.index import content_version
from opendata.iati import alerts, files
from ssdc_portal import links

logger = logging.getLogger(__name__)

PENDING = "opendata:iati-files:build-pending"
BUILD_DELAY = settings.IATI_FILES_BUILD_DELAY


def iati_files_changed() -> None:
    """Published data changes in the current transaction: rebuild the files after it."""
    transaction.on_commit(partial(_queue_build, links.site_url()))


def has_worker() -> bool:
    """Whether tasks go to a worker (else they would run in the process that queues them)."""
    return not current_app.conf.task_always_eager


def _queue_build(site_url: str) -> bool:
    """Queue one build unless one is pending already; whether one was queued."""
    if not has_worker():
        return False  # building here would hold up the request
    # The mark outlives the delay by the task's time limit, in case the task is lost.
    if not cache.add(PENDING, site_url or "-", BUILD_DELAY + settings.CELERY_TASK_TIME_LIMIT):
        return False
    build_iati_files.apply_async(kwargs={"site_url": site_url}, countdown=BUILD_DELAY)
    return True


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    max_retries=5,
    retry_backoff=30,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def build_iati_files(site_url: str = "") -> str:
    """Build and publish the IATI files; returns the build's id, or "" when it was invalid
    (the previous files stay, moderators are told)."""
    cache.delete(PENDING)
    return build_now(site_url=site_url)


def build_now(*, site_url: str = "") -> str:
    try:
        registry = files.iati_files_build(site_url=site_url)
    except files.InvalidBuild as invalid:
        logger.error("The IATI files did not validate and were not published: %s", invalid)
        before = files.current_registry()
        recorded = files.record_failure(invalid.problems)
        # Moderators hear of each new set of problems once, not after every change.
        if before is None or before.problems != recorded.problems:
            alerts.tell_moderators(invalid.problems, site_url=site_url)
        return ""
    logger.info("IATI files published: build %s", registry.build)
    return registry.build


@shared_task
def refresh_stale_iati_files() -> bool:
    """Queue a build when data changed since the files were built; whether one was."""
    registry = files.current_registry()
    if registry is not None and registry.content_version == content_version():
        return False
    return _queue_build(registry.site_url if registry else "")
