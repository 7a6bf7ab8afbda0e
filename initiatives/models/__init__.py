from initiatives.models.actors import IATI_ORGANISATION_TYPE, Actor, ActorType, NetworkMembership
from initiatives.models.initiative import (
    Indicator,
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from initiatives.models.reference import (
    CivicSpaceRating,
    Country,
    DialogueMechanism,
    Modality,
    Sector,
    SustainableDevelopmentGoal,
)

__all__ = [
    "IATI_ORGANISATION_TYPE",
    "Actor",
    "ActorType",
    "CivicSpaceRating",
    "Country",
    "DialogueMechanism",
    "Indicator",
    "Initiative",
    "InitiativeCountry",
    "Modality",
    "NetworkMembership",
    "NonMonetaryContribution",
    "Outcome",
    "Participation",
    "Sector",
    "Source",
    "SustainableDevelopmentGoal",
]
