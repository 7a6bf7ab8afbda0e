"""Build the project's reference tables (JSON) from the upstream reference sources.

The source folder holds the IATI 2.03 codelists as XML and the World Bank income
classification as CSV. This script turns them into small, stable JSON files under
``reference/data/`` which are committed to the repository; the application
only ever reads those JSON files, never the source folder.

Usage::

    .venv/bin/python scripts/derive_reference_data.py --source /path/to/reference [--output DIR]

``django_countries`` (installed in the project virtualenv) supplies the ISO alpha-3 to
alpha-2 mapping; only its plain data module is imported, so no Django settings are needed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from django_countries.data import ALT_CODES

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "reference" / "data"

IATI_ATTRIBUTION = "IATI Standard (iatistandard.org), CC BY 4.0"
IATI_CODELISTS = [
    "ActivityStatus",
    "ActivityDateType",
    "CollaborationType",
    "Currency",
    "DocumentCategory",
    "FinanceType",
    "FlowType",
    "AidType",
    "OrganisationRole",
    "OrganisationType",
    "ResultType",
    "Sector",
    "SectorCategory",
    "UNSDG-Goals",
    "UNSDG-Targets",
    "IndicatorMeasure",
    "Language",
    "Region",
    "TagVocabulary",
    "SectorVocabulary",
]
LANGUAGES = ("en", "es", "fr", "pt")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

WB_CSV = "world-bank-income-groups-fy2025.csv"
WB_FISCAL_YEAR = 2025
# GNI per capita (Atlas method, 2023) cut-offs for FY2025, as stated in the source README.
WB_THRESHOLDS = {
    "low": "<= 1145",
    "lower_middle": "1146-4515",
    "upper_middle": "4516-14005",
    "high": "> 14005",
}
WB_INCOME_GROUPS = {
    "low income": "low",
    "lower middle income": "lower_middle",
    "upper middle income": "upper_middle",
    "high income": "high",
}


def snake_case(name: str) -> str:
    """``ActivityStatus`` -> ``activity_status``; ``UNSDG-Goals`` -> ``unsdg_goals``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def read_codelist(path: Path) -> dict[str, Any]:
    """Parse one IATI codelist file into the project's compact JSON shape."""
    # The input is a trusted, local, read-only copy of the IATI codelists.
    root = ET.parse(path).getroot()  # noqa: S314 - a trusted local copy, see above
    default_lang = root.get(XML_LANG, "en")
    name = root.get("name", path.stem)
    items: list[dict[str, Any]] = []
    for element in root.iterfind("codelist-items/codelist-item"):
        code = (element.findtext("code") or "").strip()
        labels: dict[str, str] = {}
        for narrative in element.iterfind("name/narrative"):
            lang = narrative.get(XML_LANG, default_lang)
            text = (narrative.text or "").strip()
            if lang in LANGUAGES and text and lang not in labels:
                labels[lang] = text
        item: dict[str, Any] = {
            "code": code,
            "name": {lang: labels[lang] for lang in LANGUAGES if lang in labels},
            "status": element.get("status", "active"),
        }
        if name == "Sector":
            item["category"] = (element.findtext("category") or code[:3]).strip()
        items.append(item)
    # Purely numeric lists are put in numeric order; others keep the order of the file.
    if all(item["code"].isdigit() for item in items):
        items.sort(key=lambda item: int(item["code"]))
    return {"codelist": name, "attribution": IATI_ATTRIBUTION, "items": items}


def read_income_groups(path: Path) -> dict[str, Any]:
    """Parse the World Bank CSV, adding ISO alpha-2 codes where one exists."""
    alpha3_to_alpha2 = {alpha3: alpha2 for alpha2, (alpha3, _num) in ALT_CODES.items()}
    economies: list[dict[str, Any]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            iso3 = row["iso3"].strip()
            group = row["income_group"].strip().lower()
            economies.append(
                {
                    "iso3": iso3,
                    "iso2": alpha3_to_alpha2.get(iso3),
                    "economy": row["economy"].strip(),
                    "region": row["region"].strip(),
                    "income_group": WB_INCOME_GROUPS[group] if group else None,
                    "lending_category": row["lending_category"].strip() or None,
                }
            )
    return {
        "source": "World Bank country income classification (CLASS), fiscal year 2025",
        "attribution": "World Bank, CC BY 4.0",
        "fiscal_year": WB_FISCAL_YEAR,
        "thresholds_usd": WB_THRESHOLDS,
        "economies": economies,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` in a stable layout so that re-running produces no diff."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="reference folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="target folder")
    args = parser.parse_args()

    args.output.mkdir(parents=True, exist_ok=True)
    for name in IATI_CODELISTS:
        data = read_codelist(args.source / "iati-codelists" / f"{name}.xml")
        target = args.output / f"iati_{snake_case(name)}.json"
        write_json(target, data)
        print(f"{target}: {len(data['items'])} items")
    data = read_income_groups(args.source / WB_CSV)
    target = args.output / f"world_bank_income_groups_fy{WB_FISCAL_YEAR}.json"
    write_json(target, data)
    print(f"{target}: {len(data['economies'])} economies")


if __name__ == "__main__":
    main()
