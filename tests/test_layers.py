"""Imports point one way: each app may import itself, the apps below it and the project's
plumbing, never an app above it; migrations included. A new app is placed in LAYERS."""

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. An app may import the apps of its own layer and of the layers below.
LAYERS = [
    {"reference"},
    {"organisations"},
    {"accounts", "funding", "principles"},
    # A lesson and a practice used are rows of an initiative, written with it.
    {"initiatives", "learning"},
    {"reports", "opendata"},
    {"devtools"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
# Drawing and project plumbing (settings, API errors, middleware) are usable from every layer;
# the drawing package itself knows no app.
SHARED = {"charts", "ssdc_portal"}


def imported_top_packages(path: Path) -> set[tuple[str, str]]:
    """(top-level package, full module) of every absolute import in ``path``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update((name.split(".")[0], name) for name in names)
    return found


def imports_in(package: str, breaks_the_rule: Callable[[str, str], bool]) -> list[str]:
    """Every import in ``package`` for which ``breaks_the_rule(top-level package, module)``."""
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for top, module in imported_top_packages(path)
        if breaks_the_rule(top, module)
    ]


@pytest.mark.parametrize("app", sorted(RANK))
def test_an_app_imports_only_its_own_layer_and_those_below(app):
    upward = imports_in(app, lambda top, module: top in RANK and RANK[top] > RANK[app])

    assert upward == []


def test_the_drawing_package_knows_no_app():
    imports = imports_in("charts", lambda top, module: top in RANK)

    assert imports == []


def test_reports_use_no_app_s_api_package():
    imports = imports_in(
        "reports",
        lambda top, module: (
            top in RANK and top != "reports" and ".api" in f".{module}."[len(top) + 1 :]
        ),
    )

    assert imports == []


def test_every_app_of_the_project_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}

    assert apps - SHARED == set(RANK)
