"""Principle sets seeded with the portal. Moderators may add other sets in the admin."""

BUSAN = {
    "slug": "busan",
    "name": "Busan principles for effective development cooperation",
    "description": "The four shared principles agreed at the Busan High-Level Forum (2011).",
    "principles": [
        (
            "ownership",
            "Ownership of development priorities",
            "Ownership",
            "Partners in the receiving country set the priorities and shape the approach.",
        ),
        (
            "results",
            "Focus on results",
            "Results",
            "The work aims at lasting change for people living in poverty, and tracks it.",
        ),
        (
            "inclusive-partnerships",
            "Inclusive development partnerships",
            "Inclusive partnerships",
            "Relationships rest on trust and mutual respect and include all relevant actors, "
            "including women and grassroots groups.",
        ),
        (
            "transparency-accountability",
            "Transparency and mutual accountability",
            "Transparency",
            "Partners account to each other and to the people served, and make information open.",
        ),
    ],
}


def load_principle_set(principle_set_model, principle_model, definition: dict = BUSAN) -> int:
    principle_set, _created = principle_set_model.objects.update_or_create(
        slug=definition["slug"],
        defaults={"name": definition["name"], "description": definition["description"]},
    )
    for position, (slug, name, short_name, description) in enumerate(
        definition["principles"], start=1
    ):
        principle_model.objects.update_or_create(
            principle_set=principle_set,
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "description": description,
                "position": position,
            },
        )
    return len(definition["principles"])
