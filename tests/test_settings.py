"""Settings come from the environment and refuse unsafe combinations."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.CELERY_TASK_ALWAYS_EAGER, settings.ALLOWED_HOSTS)"
)


def run_settings(**environment):
    base = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    base |= {
        "DJANGO_SETTINGS_MODULE": "ssdc_portal.settings",
        # A URL is enough: importing settings does not connect.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "CELERY_BROKER_URL": "",
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=base | environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_settings(DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_mode_starts_without_secret_key_and_runs_tasks_eagerly():
    result = run_settings(DEBUG="True")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "True"]


def test_production_values_come_from_the_environment():
    result = run_settings(
        DEBUG="False",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="ssdc.example.org,www.ssdc.example.org",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False ['ssdc.example.org', 'www.ssdc.example.org']"
