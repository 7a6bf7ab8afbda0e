"""Change history: every save of an initiative is one revision of the record and its rows.

django-reversion stores each revision as serialised copies of the initiative and all the
rows that hang off it (followed below), so a revision can be compared and reverted as a whole.
"""

import reversion
from django.apps import apps

# Relations of Initiative whose rows belong to the record and are versioned with it.
INITIATIVE_PARTS = [
    "country_links",
    "participations",
    "funding_contributions",
    "principle_evidence",
    "outcomes",
    "non_monetary_contributions",
    "sources",
]

CHILD_MODELS = [
    ("initiatives", "InitiativeCountry", ()),
    ("initiatives", "Participation", ()),
    ("initiatives", "NonMonetaryContribution", ()),
    ("initiatives", "Outcome", ("indicators",)),
    ("initiatives", "Indicator", ()),
    ("initiatives", "Source", ()),
    ("funding", "FundingContribution", ()),
    ("principles", "PrincipleEvidence", ()),
]


def register_history() -> None:
    initiative = apps.get_model("initiatives", "Initiative")
    if not reversion.is_registered(initiative):
        reversion.register(initiative, follow=INITIATIVE_PARTS, exclude=["search_vector"])
    for app_label, model_name, follow in CHILD_MODELS:
        model = apps.get_model(app_label, model_name)
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)
