"""IATI 2.03 codes the domain model uses directly.

Values and English names follow the IATI codelists carried in ``reference/data``; a test
checks each enum against those files so the two cannot drift apart.
"""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reference.data import codelist_choices


class ActivityStatus(models.IntegerChoices):
    PIPELINE = 1, _("Pipeline/identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, _("Closed")
    CANCELLED = 5, _("Cancelled")
    SUSPENDED = 6, _("Suspended")


class OrganisationRole(models.IntegerChoices):
    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class OrganisationType(models.IntegerChoices):
    GOVERNMENT = 10, _("Government")
    LOCAL_GOVERNMENT = 11, _("Local Government")
    OTHER_PUBLIC_SECTOR = 15, _("Other Public Sector")
    INTERNATIONAL_NGO = 21, _("International NGO")
    NATIONAL_NGO = 22, _("National NGO")
    REGIONAL_NGO = 23, _("Regional NGO")
    PARTNER_COUNTRY_NGO = 24, _("Partner Country based NGO")
    PUBLIC_PRIVATE_PARTNERSHIP = 30, _("Public Private Partnership")
    MULTILATERAL = 40, _("Multilateral")
    FOUNDATION = 60, _("Foundation")
    PRIVATE_SECTOR = 70, _("Private Sector")
    PRIVATE_SECTOR_PROVIDER = 71, _("Private Sector in Provider Country")
    PRIVATE_SECTOR_RECIPIENT = 72, _("Private Sector in Aid Recipient Country")
    PRIVATE_SECTOR_THIRD = 73, _("Private Sector in Third Country")
    ACADEMIC = 80, _("Academic, Training and Research")
    OTHER = 90, _("Other")


class CollaborationType(models.IntegerChoices):
    BILATERAL = 1, _("Bilateral")
    MULTILATERAL_INFLOWS = 2, _("Multilateral (inflows)")
    BILATERAL_CORE_NGO = (
        3,
        _("Bilateral, core contributions to NGOs and other private bodies / PPPs"),
    )
    MULTILATERAL_OUTFLOWS = 4, _("Multilateral outflows")
    PRIVATE_SECTOR_OUTFLOWS = 6, _("Private sector outflows")
    BILATERAL_EX_POST = (
        7,
        _("Bilateral, ex-post reporting on NGOs’ activities funded through core contributions"),
    )
    TRIANGULAR = 8, _("Bilateral, triangular co-operation.")


class FlowType(models.IntegerChoices):
    ODA = 10, _("ODA")
    NON_EXPORT_CREDIT_OOF = 21, _("Non-export credit OOF")
    EXPORT_CREDITS = 22, _("Officially supported export credits")
    PRIVATE_DEVELOPMENT_FINANCE = 30, _("Private Development Finance")
    PRIVATE_FDI = 36, _("Private Foreign Direct Investment")
    OTHER_PRIVATE_MARKET_TERMS = 37, _("Other Private flows at market terms")
    NON_FLOW = 40, _("Non flow")
    OTHER_FLOWS = 50, _("Other flows")
    PSI = 60, _("PSI")


class FinanceType(models.IntegerChoices):
    """The finance types a CSO-led initiative plausibly reports (a subset of the codelist)."""

    STANDARD_GRANT = 110, _("Standard grant")
    AID_LOAN = 410, _("Aid loan excluding debt reorganisation")
    STANDARD_LOAN = 421, _("Standard loan")
    REIMBURSABLE_GRANT = 422, _("Reimbursable grant")


class ResultType(models.IntegerChoices):
    OUTPUT = 1, _("Output")
    OUTCOME = 2, _("Outcome")
    IMPACT = 3, _("Impact")
    OTHER = 9, _("Other")


def language_choices() -> list[tuple[str, str]]:
    """ISO 639-1 languages (IATI Language codelist) for the language tag of content fields."""
    return codelist_choices("iati_language")


def currency_choices() -> list[tuple[str, str]]:
    """ISO 4217 currencies in use (IATI Currency codelist)."""
    currencies = codelist_choices("iati_currency")
    return [(code, format_lazy("{} · {}", code, name)) for code, name in currencies]
