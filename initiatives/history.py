"""Change history: every save of an initiative is one revision of the record and its rows.

django-reversion stores each revision as serialised copies of the initiative and all the
rows that hang off it (followed below), so a revision can be compared and reverted as a whole.
"""

import reversion
from django.db.models import Prefetch, prefetch_related_objects

from funding.models import FundingContribution
from initiatives.models import (
    ROW_PARTS,
    Initiative,
    InitiativeCountry,
    InitiativeSector,
    Participation,
)
from learning.models import PracticeUse
from principles.models import PrincipleEvidence

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


def prefetch_followed_rows(initiative: Initiative) -> None:
    """Read the rows a revision of ``initiative`` follows (above) in one query a relation,
    with what their labels name (``__str__``: the country, the organisation…), onto
    ``initiative``. Saving a record inside a revision then adds them without a query a row:
    django-reversion follows each relation with ``.all()``, and Django's serialiser lists
    many-to-many fields, from a prefetch when there is one."""
    labelled = {
        "country_links": InitiativeCountry.objects.select_related("country"),
        "participations": Participation.objects.select_related("actor"),
        "funding_contributions": FundingContribution.objects.select_related("funding_model"),
        "principle_evidence": PrincipleEvidence.objects.select_related("principle"),
        "practice_uses": PracticeUse.objects.select_related("practice"),
        SECTOR_LINKS: InitiativeSector.objects.select_related("sector"),
    }
    lookups = []
    for relation in [*INITIATIVE_PARTS, SECTOR_LINKS]:
        lookups.append(Prefetch(relation, labelled.get(relation)))
        lookups += [f"{relation}__{followed}" for followed in FOLLOWED.get(relation, ())]
    # The many-to-many fields the record's own copy lists (SDG goals, modalities).
    lookups += [
        field.name
        for field in Initiative._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    prefetch_related_objects([initiative], *lookups)


def forget_prefetched_rows(initiative: Initiative) -> None:
    """Drop what :func:`prefetch_followed_rows` read: once rows are written it is out of date."""
    initiative.__dict__.pop("_prefetched_objects_cache", None)
