"""docker-compose.yml describes the production-like topology (checked by reading it)."""

from fnmatch import fnmatch
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


def test_portal_services_run_without_the_development_tools(compose):
    for name in ("migrate", "web", "worker", "beat"):
        assert "DEVTOOLS" not in compose["services"][name]["environment"], name


def test_the_image_keeps_the_demo_loader_for_an_explicit_run():
    """The README's demo step, `docker compose run --rm -e DEVTOOLS=True web python manage.py
    load_demo`, needs devtools/ and its data files in the image."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    kept = [path.relative_to(ROOT).as_posix() for path in (ROOT / "devtools").rglob("*")]
    kept = [path for path in kept if "__pycache__" not in path]
    assert "devtools/demo.py" in kept
    for pattern in patterns:
        assert not [path for path in kept if fnmatch(path, pattern) or path.startswith(pattern)]
