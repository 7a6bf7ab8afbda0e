"""The project's own copies of IATI codelists and World Bank income groups (see NOTICE).

The JSON files are derived by ``scripts/derive_reference_data.py``; at run time the portal
reads only these files, never the original sources.
"""

import json
from functools import cache
from pathlib import Path

from django.utils.functional import lazy
from django.utils.translation import get_language

FOLDER = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict:
    """Parsed content of one reference file, e.g. ``load("iati_sector")`` (read-only)."""
    with (FOLDER / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def codelist_items(name: str, *, active_only: bool = True) -> list[dict]:
    items = load(name)["items"]
    return [item for item in items if item["status"] == "active" or not active_only]


def name_in_language(names: dict) -> str:
    """A codelist item's name in the current language where the codelist gives it (by
    two-letter code: Brazilian Portuguese reads ``pt``), else in English."""
    return names.get((get_language() or "en")[:2]) or names["en"]


name_in_language_lazy = lazy(name_in_language, str)


def codelist_choices(name: str) -> list[tuple[str, str]]:
    """(code, name) pairs of a codelist's active items, for model field choices; each name
    is read in the language current when it is shown (English where the codelist has no
    other)."""
    return [(item["code"], name_in_language_lazy(item["name"])) for item in codelist_items(name)]
