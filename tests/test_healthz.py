"""/healthz: 200 when the database, its migrations, the broker and a worker are all there;
503 naming whichever is missing."""

import os
import time
import uuid

import pytest
from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import ConnectionHandler
from django.urls import reverse

from ssdc_portal import views
from tests.celery_workers import RedisServer, Worker, wait_for
from tests.test_api_fuzz import url_of_the_test_database

pytestmark = pytest.mark.django_db


def health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, response.json()


def test_healthy_portal_answers_200_with_each_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert response["Cache-Control"].startswith("max-age=0")


def test_unreachable_database_gives_503(client, monkeypatch):
    unreachable = {
        **settings.DATABASES["default"],
        "HOST": "127.0.0.1",
        "PORT": "9",
        "NAME": "nowhere",
        "OPTIONS": {"connect_timeout": 2},
    }
    monkeypatch.setattr(views, "connections", ConnectionHandler({"default": unreachable}))

    status, body = health(client)

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["migrations"]["ok"] is False


def test_unapplied_migrations_give_503(client):
    # As if the code were deployed before `migrate` ran: a newest migration is not recorded.
    # (Not the newest row: `migrate` records a squashed migration last, and takes it as
    # applied as long as the migrations it replaces are recorded.)
    MigrationRecorder.Migration.objects.get(app="reports", name="0002_report_site_url").delete()

    status, body = health(client)

    assert status == 503
    assert body["checks"]["migrations"] == {"ok": False, "unapplied": 1}
    assert body["checks"]["database"] == {"ok": True}


def test_unreachable_broker_gives_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"

    status, body = health(client)

    assert status == 503
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["workers"] == {"ok": False, "error": "no broker"}


def test_without_a_broker_tasks_run_eagerly(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _status, body = health(client)
    assert body["checks"]["broker"] == {"ok": True, "mode": "eager"}
    assert body["checks"]["workers"] == {"ok": True, "mode": "eager"}


# ---- with a broker of the test's own, and a real worker on it ----


@pytest.fixture
def private_broker(settings, tmp_path):
    """A ``redis-server`` that no other worker uses, set as the portal's broker."""
    server = RedisServer(tmp_path / "redis.log")
    try:
        server.start()
    except FileNotFoundError:
        if os.environ.get("REQUIRE_WORKER"):
            raise
        pytest.skip("redis-server is not installed (CI runs these tests)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = server.url()
    try:
        yield server
    finally:
        server.stop()


def test_a_broker_with_no_worker_gives_503(client, private_broker):
    started = time.monotonic()
    status, body = health(client)

    assert status == 503
    assert body["checks"]["broker"] == {"ok": True, "mode": "broker"}
    assert body["checks"]["workers"] == {"ok": False, "workers": 0, "error": "no worker answered"}
    assert time.monotonic() - started < views.WORKER_PING_TIMEOUT + 5, "the ping gives up"


def test_a_worker_answering_the_ping_makes_the_portal_healthy(client, private_broker, tmp_path):
    worker = Worker(
        broker=private_broker.url(),
        database_url=url_of_the_test_database(),
        queue=f"healthz-{uuid.uuid4().hex[:8]}",
        media=tmp_path / "media",
        log=tmp_path / "worker.log",
    )
    worker.start()
    try:
        status, body = wait_for(
            lambda: (answer := health(client))[0] == 200 and answer,
            timeout=90,
            what="the worker to answer the health check's ping",
            every=0.5,
        )
        assert body["checks"]["workers"] == {"ok": True, "workers": 1}
        assert body["checks"]["broker"] == {"ok": True, "mode": "broker"}

        # A healthy check returns at the first answer, not after the ping's whole timeout.
        durations = []
        for _ in range(3):
            started = time.monotonic()
            assert health(client)[0] == 200
            durations.append(time.monotonic() - started)
        assert min(durations) < views.WORKER_PING_TIMEOUT / 2, durations
    finally:
        worker.stop()
