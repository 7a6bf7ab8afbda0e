"""Cross-cutting views: the health check."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# How long the health check waits for a Celery worker to answer its ping. It stops at the
# first answer, so a healthy portal answers in milliseconds; only a portal with no worker
# waits this long (still well inside a load balancer's usual 3-5 s).
WORKER_PING_TIMEOUT = 2.0


def _check_database() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 — any failure means "down"
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def _check_migrations() -> dict:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    return {"ok": not plan, "unapplied": len(plan)}


def _check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    from ssdc_portal.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "mode": "broker"}


def _check_workers(*, broker_is_up: bool) -> dict:
    """Whether a Celery worker answers a ping: queued reports are produced only if one
    does. ``workers`` counts the answers received before the check stopped waiting."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}  # tasks run in the web process itself
    if not broker_is_up:
        return {"ok": False, "error": "no broker"}
    from ssdc_portal.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as connection:
            answers = app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1, connection=connection)
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    if not answers:
        return {"ok": False, "workers": 0, "error": "no worker answered"}
    return {"ok": True, "workers": len(answers)}


@never_cache
@require_GET
def healthz(request):
    """Readiness of the portal's dependencies, for load balancers and operators."""
    checks = {"database": _check_database()}
    checks["migrations"] = (
        _check_migrations() if checks["database"]["ok"] else {"ok": False, "error": "no database"}
    )
    checks["broker"] = _check_broker()
    checks["workers"] = _check_workers(broker_is_up=checks["broker"]["ok"])
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
