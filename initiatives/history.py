"""Change history: every save of an initiative is one revision of the record and its rows.

django-reversion stores each revision as serialised copies of the initiative and all the
rows that hang off it (followed below), so a revision can be compared and reverted as a whole.
"""

import reversion

from initiatives.models import ROW_PARTS, Initiative, InitiativeSector

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
# The record's sectors with their shares: a table of their own, versioned with the record
# (the admin edits no inline of them, so they are not among the parts above).
SECTOR_LINKS = "sector_links"


def register_history() -> None:
    if not reversion.is_registered(Initiative):
        reversion.register(
            Initiative, follow=[*INITIATIVE_PARTS, SECTOR_LINKS], exclude=["search_vector"]
        )
    if not reversion.is_registered(InitiativeSector):
        reversion.register(InitiativeSector)
    for name, part in ROW_PARTS.items():
        if not reversion.is_registered(part.model):
            reversion.register(part.model, follow=FOLLOWED.get(name, ()))
