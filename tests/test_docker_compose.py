"""docker-compose.yml describes the production-like topology (checked by reading it)."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_of_the_topology(compose):
    assert set(compose["services"]) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert compose["services"]["db"]["image"].startswith("postgres:16")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_web_runs_gunicorn_and_worker_runs_celery(compose):
    assert compose["services"]["web"]["command"][0] == "gunicorn"
    assert "ssdc_portal.wsgi" in compose["services"]["web"]["command"]
    assert compose["services"]["worker"]["command"][:3] == ["celery", "--app", "ssdc_portal"]
    assert compose["services"]["beat"]["command"][:4] == ["celery", "--app", "ssdc_portal", "beat"]


def test_every_long_running_service_has_a_healthcheck(compose):
    for name in ("db", "redis", "web", "worker"):
        assert compose["services"][name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_portal_services_point_at_the_database_and_broker(compose):
    for name in ("migrate", "web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert (
            environment["DATABASE_URL"].startswith("postgres://")
            and "@db:5432/" in (environment["DATABASE_URL"])
        )
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "secret must be required"
        assert environment["DEBUG"] == "False"


def test_state_lives_in_named_volumes_and_migrations_run_first(compose):
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    for name in ("web", "worker"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
