"""Write the carried reference tables into the database (idempotent upserts).

Each loader takes the model class so that data migrations can pass their historical models
and the ``load_reference_data`` command the current ones.
"""

from django.utils.translation import gettext_noop
from django_countries import countries

from reference.data import codelist_items, load

INCOME_GROUP_FILE = "world_bank_income_groups_fy2025"

MODALITIES = [
    (
        "peer-dialogue",
        gettext_noop("Peer-to-peer strategic dialogue"),
        gettext_noop(
            "Organisations facing similar problems discuss strategy and politics as equals."
        ),
    ),
    (
        "exchange-visits",
        gettext_noop("Learning exchange visits"),
        gettext_noop(
            "People travel to see another community's practice at first hand and host return "
            "visits."
        ),
    ),
    (
        "training",
        gettext_noop("Capacity-building training"),
        gettext_noop("Structured sessions that pass on skills, methods or knowledge."),
    ),
    (
        "tools-and-methods",
        gettext_noop("Design and application of tools and methods"),
        gettext_noop(
            "Partners adapt and use a concrete tool, such as a social audit or a seed register."
        ),
    ),
    (
        "mentoring",
        gettext_noop("Mentoring and coaching"),
        gettext_noop("Ongoing accompaniment of participants after the first exchange or training."),
    ),
]


def _upsert(model, rows: list[dict], key: str) -> int:
    objects = [model(**row) for row in rows]
    fields = [name for name in rows[0] if name != key]
    model.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=[key], update_fields=fields
    )
    return len(objects)


def load_countries(country_model) -> int:
    """Every ISO 3166-1 country, with its World Bank income group and region where known."""
    data = load(INCOME_GROUP_FILE)
    economies = {row["iso2"]: row for row in data["economies"] if row["iso2"]}
    rows = []
    for code, _name in countries:
        economy = economies.get(code, {})
        income_group = economy.get("income_group") or ""
        rows.append(
            {
                "code": code,
                "income_group": income_group,
                "income_group_fiscal_year": data["fiscal_year"] if income_group else None,
                "region": economy.get("region") or "",
            }
        )
    return _upsert(country_model, rows, "code")


def load_sectors(sector_model) -> int:
    categories = {
        item["code"]: item["name"]["en"]
        for item in codelist_items("iati_sector_category", active_only=False)
    }
    rows = [
        {
            "code": item["code"],
            "name": item["name"]["en"],
            "translated_names": {lang: name for lang, name in item["name"].items() if lang != "en"},
            "category_code": item["category"],
            "category_name": categories.get(item["category"], ""),
            "is_active": item["status"] == "active",
        }
        for item in codelist_items("iati_sector", active_only=False)
    ]
    return _upsert(sector_model, rows, "code")


def load_sdg_goals(goal_model) -> int:
    rows = [
        {
            "number": int(item["code"]),
            "name": item["name"]["en"],
            "translated_names": {lang: name for lang, name in item["name"].items() if lang != "en"},
        }
        for item in codelist_items("iati_unsdg_goals")
    ]
    return _upsert(goal_model, rows, "number")


def load_modalities(modality_model) -> int:
    rows = [
        {"slug": slug, "name": name, "description": description, "position": position}
        for position, (slug, name, description) in enumerate(MODALITIES, start=1)
    ]
    return _upsert(modality_model, rows, "slug")
