"""Themes seeded with the portal. Moderators may add others in the admin."""

from django.utils.translation import gettext_noop

# (slug, name, description): names and descriptions are catalogue messages.
THEMES = [
    (
        "seeds-agroecology",
        gettext_noop("Seeds and agroecology"),
        gettext_noop("Native seeds, seed banks, farming without agrochemicals."),
    ),
    (
        "food-security",
        gettext_noop("Food security and nutrition"),
        gettext_noop("Growing, storing and sharing enough food, and eating well."),
    ),
    (
        "social-accountability",
        gettext_noop("Social accountability"),
        gettext_noop("Citizens holding public services and officials to account."),
    ),
    (
        "participatory-governance",
        gettext_noop("Participatory governance"),
        gettext_noop("Local planning, budgets and decisions made with the people concerned."),
    ),
    (
        "savings-finance",
        gettext_noop("Community savings and finance"),
        gettext_noop("Savings groups, revolving funds and credit the community controls."),
    ),
    (
        "housing-land",
        gettext_noop("Housing, land and informal settlements"),
        gettext_noop("Secure tenure, settlement upgrading, counting and mapping settlements."),
    ),
    (
        "disaster-recovery",
        gettext_noop("Disaster recovery and resilience"),
        gettext_noop("Rebuilding after disasters and preparing for the next one."),
    ),
    (
        "health",
        gettext_noop("Health"),
        gettext_noop("Community health, prevention and access to care."),
    ),
    (
        "education",
        gettext_noop("Education and literacy"),
        gettext_noop("Schools, adult literacy and popular education."),
    ),
    (
        "gender-equality",
        gettext_noop("Gender equality"),
        gettext_noop("Women's rights, leadership and economic autonomy."),
    ),
    (
        "water-sanitation",
        gettext_noop("Water and sanitation"),
        gettext_noop("Safe water, sanitation and hygiene run by communities."),
    ),
    (
        "organisational-strengthening",
        gettext_noop("Organisational strengthening"),
        gettext_noop("Running, funding and governing a civil-society organisation."),
    ),
]


def load_themes(theme_model) -> int:
    """Create or update the seeded themes (``theme_model``: the model, or the migration's
    historical one); themes moderators added are kept."""
    for position, (slug, name, description) in enumerate(THEMES):
        theme_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    return len(THEMES)
