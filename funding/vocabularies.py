"""The funding models seen in civil-society-led South-South cooperation, with IATI defaults.

Flow, finance and collaboration types are the defaults used when exporting to IATI; moderators
can refine them in the admin. Which model's defaults an activity takes, and when the
cooperation type overrides them, is decided in ``opendata.iati.mapping``.
"""

from django.utils.translation import gettext_noop

from reference.iati import CollaborationType, FinanceType, FlowType

FUNDING_MODELS = [
    {
        "slug": "citizen-donations",
        "name": gettext_noop("Citizen donations in the provider country"),
        "description": gettext_noop(
            "Money given by individuals in the provider country, often through a "
            "faith-based or community organisation."
        ),
        "iati_flow_type": FlowType.PRIVATE_DEVELOPMENT_FINANCE,
        "iati_finance_type": FinanceType.STANDARD_GRANT,
        "iati_collaboration_type": CollaborationType.PRIVATE_SECTOR_OUTFLOWS,
    },
    {
        "slug": "provider-government",
        "name": gettext_noop("Provider-country government funds"),
        "description": gettext_noop(
            "A grant from the provider country's government, for example its "
            "cooperation agency, to a civil-society-led initiative."
        ),
        "iati_flow_type": FlowType.OTHER_FLOWS,
        "iati_finance_type": FinanceType.STANDARD_GRANT,
        "iati_collaboration_type": CollaborationType.BILATERAL,
    },
    {
        "slug": "triangular",
        "name": gettext_noop("Triangular cooperation"),
        "description": gettext_noop(
            "A traditional donor or a multilateral organisation funds partners from "
            "two countries of the South to work together."
        ),
        "iati_flow_type": FlowType.ODA,
        "iati_finance_type": FinanceType.STANDARD_GRANT,
        "iati_collaboration_type": CollaborationType.TRIANGULAR,
    },
    {
        "slug": "beneficiary-resources",
        "name": gettext_noop("Resources mobilised by the beneficiary population"),
        "description": gettext_noop(
            "Savings groups, microfinance and other funds raised by the people the "
            "initiative serves."
        ),
        "iati_flow_type": FlowType.PRIVATE_DEVELOPMENT_FINANCE,
        "iati_finance_type": FinanceType.STANDARD_GRANT,
        "iati_collaboration_type": CollaborationType.PRIVATE_SECTOR_OUTFLOWS,
    },
    {
        "slug": "private-sector",
        "name": gettext_noop("Private sector"),
        "description": gettext_noop("Contributions from companies or business associations."),
        "iati_flow_type": FlowType.PRIVATE_DEVELOPMENT_FINANCE,
        "iati_finance_type": FinanceType.STANDARD_GRANT,
        "iati_collaboration_type": CollaborationType.PRIVATE_SECTOR_OUTFLOWS,
    },
    {
        "slug": "mixed-other",
        "name": gettext_noop("Mixed or other sources"),
        "description": gettext_noop("Any other source, or a blend that cannot be split."),
        "iati_flow_type": FlowType.OTHER_FLOWS,
        "iati_finance_type": FinanceType.STANDARD_GRANT,
        "iati_collaboration_type": CollaborationType.BILATERAL,
    },
]


def load_funding_models(funding_model_model) -> int:
    for position, row in enumerate(FUNDING_MODELS, start=1):
        funding_model_model.objects.update_or_create(
            slug=row["slug"], defaults={**row, "position": position}
        )
    return len(FUNDING_MODELS)
