"""Principle sets seeded with the portal. Moderators may add other sets in the admin."""

from django.utils.translation import gettext_noop

BUSAN = {
    "slug": "busan",
    "name": gettext_noop("Busan principles for effective development cooperation"),
    "description": gettext_noop(
        "The four shared principles agreed at the Busan High-Level Forum (2011)."
    ),
    "principles": [
        (
            "ownership",
            gettext_noop("Ownership of development priorities"),
            gettext_noop("Ownership"),
            gettext_noop(
                "Partners in the receiving country set the priorities and shape the approach."
            ),
        ),
        (
            "results",
            gettext_noop("Focus on results"),
            gettext_noop("Results"),
            gettext_noop(
                "The work aims at lasting change for people living in poverty, and tracks it."
            ),
        ),
        (
            "inclusive-partnerships",
            gettext_noop("Inclusive development partnerships"),
            gettext_noop("Inclusive partnerships"),
            gettext_noop(
                "Relationships rest on trust and mutual respect and include all relevant actors, "
                "including women and grassroots groups."
            ),
        ),
        (
            "transparency-accountability",
            gettext_noop("Transparency and mutual accountability"),
            gettext_noop("Transparency"),
            gettext_noop(
                "Partners account to each other and to the people served, and make information "
                "open."
            ),
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
