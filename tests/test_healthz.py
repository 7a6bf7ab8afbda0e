import socket

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler
from django.urls import reverse

from ssdc_portal import views


def redis_is_running() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.django_db
def test_healthy_portal_answers_200_with_each_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_unreachable_database_gives_503(client, monkeypatch):
    unreachable = {
        **settings.DATABASES["default"],
        "HOST": "127.0.0.1",
        "PORT": "9",
        "NAME": "nowhere",
        "OPTIONS": {"connect_timeout": 2},
    }
    monkeypatch.setattr(views, "connections", ConnectionHandler({"default": unreachable}))

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["migrations"]["ok"] is False


@pytest.mark.django_db
def test_unreachable_broker_gives_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.django_db
@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_reachable_broker_is_reported(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"ok": True, "mode": "broker"}


@pytest.mark.django_db
def test_without_a_broker_tasks_run_eagerly(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.get(reverse("healthz")).json()["checks"]["broker"] == {
        "ok": True,
        "mode": "eager",
    }
