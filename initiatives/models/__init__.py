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
    "ROW_PARTS",
    "RowPart",
    "Source",
    "content_language",
]
