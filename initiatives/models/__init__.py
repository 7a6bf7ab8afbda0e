from initiatives.models.initiative import Initiative
from initiatives.models.parts import ROW_PARTS, RowPart
from initiatives.models.querysets import InitiativeQuerySet
from initiatives.models.rows import (
    Indicator,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)

__all__ = [
    "Indicator",
    "Initiative",
    "InitiativeCountry",
    "InitiativeQuerySet",
    "NonMonetaryContribution",
    "Outcome",
    "Participation",
    "ROW_PARTS",
    "RowPart",
    "Source",
]
