"""Change history: every save of an initiative is one revision of the record and its rows.

django-reversion stores each revision as serialised copies of the initiative and all the
rows that hang off it (followed below), so a revision can be compared and reverted as a whole.
"""

import reversion

from initiatives.models import ROW_PARTS, Initiative

# Relations of Initiative whose rows belong to the record and are versioned with it.
INITIATIVE_PARTS = [
    "country_links",
    "participations",
    "funding_contributions",
    "principle_evidence",
    "outcomes",
    "practice_uses",
    "non_monetary_contributions",
    "sources",
    "translations",
    "lessons",
]
# Rows that carry rows of their own: an outcome its indicators and translations, a lesson
# its translations.
FOLLOWED = {"outcomes": ("indicators", "translations"), "lessons": ("translations",)}


def register_history() -> None:
    if not reversion.is_registered(Initiative):
        reversion.register(Initiative, follow=INITIATIVE_PARTS, exclude=["search_vector"])
    for name, part in ROW_PARTS.items():
        if not reversion.is_registered(part.model):
            reversion.register(part.model, follow=FOLLOWED.get(name, ()))
