from initiatives.models.initiative import (
    Indicator,
    Initiative,
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
    "NonMonetaryContribution",
    "Outcome",
    "Participation",
    "Source",
]
