"""Settings come from the environment and refuse unsafe combinations."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.CELERY_TASK_ALWAYS_EAGER, settings.ALLOWED_HOSTS)"
)


# Variables this process may carry (pytest sets some) that would change what is tested.
OWN_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOW_PLAIN_HTTP",
    "BEHIND_TLS_PROXY",
    "TRUSTED_PROXY_COUNT",
    "DATA_DIR",
    "MEDIA_ROOT",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "MAX_DOCUMENT_MB",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests set it; a deployment never does
    "DEVTOOLS",
    "BENCHMARK_VIEWS",
}
OWN_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")


def run_python(*arguments: str, **environment) -> subprocess.CompletedProcess:
    """Run Python in a fresh process whose settings come from ``environment`` alone."""
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in OWN_VARIABLES and not key.startswith(OWN_PREFIXES)
    }
    base |= {
        "DJANGO_SETTINGS_MODULE": "ssdc_portal.settings",
        # A URL is enough: neither importing settings nor the deploy check connects.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "CELERY_BROKER_URL": "",
    }
    return subprocess.run(
        [sys.executable, *arguments],
        env=base | environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_settings(**environment):
    return run_python("-c", PRINT_SETTINGS, **environment)


def production_environment(**overrides) -> dict:
    """What an operator sets for production: nothing about security beyond the basics."""
    return {
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 random-looking characters
        "ALLOWED_HOSTS": "ssdc.example.org",
        "IATI_REPORTING_ORG_REF": "XI-IATI-EXAMPLE",
        **overrides,
    }


def settings_values(names: list[str], **environment) -> dict:
    """The named settings as the portal computes them from ``environment``."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}, default=str))"
    )
    result = run_python("-c", code, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def deploy_check(**environment) -> subprocess.CompletedProcess:
    return run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", **environment)


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


def test_production_settings_pass_the_deploy_check():
    result = deploy_check(**production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("ref", ["", "XX-SSDC", "XM-DAC-ZZZ-DEMO"])
def test_the_deploy_check_fails_without_the_portal_s_own_iati_identifier(ref):
    result = deploy_check(**production_environment(IATI_REPORTING_ORG_REF=ref))
    assert result.returncode != 0
    assert "opendata.E001" in result.stdout + result.stderr


def test_the_deploy_check_fails_on_an_iati_organisation_type_that_does_not_exist():
    result = deploy_check(**production_environment(IATI_REPORTING_ORG_TYPE="12"))
    assert result.returncode != 0
    assert "opendata.E002" in result.stdout + result.stderr


# What makes production HTTPS-only, with cookies that scripts and other sites cannot use.
HTTPS_ONLY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
]


def test_production_is_https_only_by_default():
    values = settings_values(HTTPS_ONLY_SETTINGS, **production_environment())
    assert values.pop("SECURE_HSTS_SECONDS") >= 180 * 24 * 3600
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
    }


def test_hsts_lifetime_comes_from_the_environment():
    values = settings_values(
        ["SECURE_HSTS_SECONDS"], **production_environment(SECURE_HSTS_SECONDS="63072000")
    )
    assert values == {"SECURE_HSTS_SECONDS": 63072000}


def test_plain_http_is_an_explicit_opt_out_that_the_deploy_check_reports():
    environment = production_environment(ALLOW_PLAIN_HTTP="True")
    values = settings_values(
        ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"], **environment
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }
    result = deploy_check(**environment)
    assert result.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_login_lockout_and_upload_limits_come_from_the_environment():
    values = settings_values(
        ["AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "MAX_DOCUMENT_MB"],
        **production_environment(
            LOGIN_FAILURE_LIMIT="8", LOGIN_COOLOFF_MINUTES="30", MAX_DOCUMENT_MB="25"
        ),
    )
    assert values == {
        "AXES_FAILURE_LIMIT": 8,
        "AXES_COOLOFF_TIME": "0:30:00",
        "MAX_DOCUMENT_MB": 25,
    }


# What the development tools (devtools/) would add: apps, commands and the /bench/ routes.
DEVELOPMENT_COMMANDS = ["load_demo", "generate_synthetic", "benchmark"]
INSTALLED_AND_ROUTED = (
    "import django, json; django.setup(); from django.conf import settings; "
    "from django.urls import get_resolver; "
    "from django.core.management import get_commands; "
    "routes = [str(p.pattern) for p in get_resolver().url_patterns]; "
    "print(json.dumps({'apps': settings.INSTALLED_APPS, 'routes': routes, "
    "'commands': sorted(set(get_commands()) & {'load_demo', 'generate_synthetic', 'benchmark'})}))"
)


def installed_and_routed(**environment) -> dict:
    result = run_python("-c", INSTALLED_AND_ROUTED, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_installs_no_development_tools():
    found = installed_and_routed(**production_environment())

    assert [app for app in found["apps"] if app.startswith("devtools")] == []
    assert [route for route in found["routes"] if route.startswith("bench")] == []
    assert found["commands"] == []
    for command in DEVELOPMENT_COMMANDS:
        result = run_python("manage.py", command, "--help", **production_environment())
        assert result.returncode == 1
        assert f"Unknown command: '{command}'" in result.stderr


def test_development_tools_come_with_debug_or_devtools():
    for environment in ({"DEBUG": "True"}, production_environment(DEVTOOLS="True")):
        found = installed_and_routed(**environment)

        assert "devtools" in found["apps"], environment
        assert found["commands"] == sorted(DEVELOPMENT_COMMANDS), environment
        assert [route for route in found["routes"] if route.startswith("bench")] == []
    with_views = installed_and_routed(
        **production_environment(DEVTOOLS="True", BENCHMARK_VIEWS="True")
    )
    assert [route for route in with_views["routes"] if route.startswith("bench")] == ["bench/"]


def test_benchmark_views_are_refused_without_the_development_tools():
    result = run_settings(**production_environment(BENCHMARK_VIEWS="True"))

    assert result.returncode != 0
    assert "BENCHMARK_VIEWS needs the development tools" in result.stderr


def test_the_deploy_check_reports_development_tools():
    result = deploy_check(**production_environment(DEVTOOLS="True"))

    assert result.returncode != 0
    assert "devtools.W001" in result.stderr
