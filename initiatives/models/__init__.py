from initiatives.models.initiative import Initiative
from initiatives.models.parts import ROW_PARTS, RowPart
from initiatives.models.querysets import InitiativeQuerySet
from initiatives.models.rows import (
    Indicator,
    InitiativeCountry,
    InitiativeSector,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from initiatives.models.translations import (
    ContentLanguage,
    InitiativeTranslation,
    OutcomeTranslation,
    content_language,
)
from initiatives.models.versions import PublishedVersion

__all__ = [
    "ContentLanguage",
    "Indicator",
    "Initiative",
    "InitiativeCountry",
    "InitiativeQuerySet",
    "InitiativeSector",
    "InitiativeTranslation",
    "NonMonetaryContribution",
    "Outcome",
    "OutcomeTranslation",
    "Participation",
    "PublishedVersion",
    "ROW_PARTS",
    "RowPart",
    "Source",
    "content_language",
]
