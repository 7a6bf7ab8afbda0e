"""The project's own copies of IATI codelists and World Bank income groups (see NOTICE).

The JSON files are derived by ``scripts/derive_reference_data.py``; at run time the portal
reads only these files, never the original sources.
"""

import json
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict:
    """Parsed content of one reference file, e.g. ``load("iati_sector")`` (read-only)."""
    with (FOLDER / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def codelist_items(name: str, *, active_only: bool = True) -> list[dict]:
    items = load(name)["items"]
    return [item for item in items if item["status"] == "active" or not active_only]


def codelist_choices(name: str) -> list[tuple[str, str]]:
    """(code, English name) pairs of a codelist's active items, for model field choices."""
    return [(item["code"], item["name"]["en"]) for item in codelist_items(name)]
