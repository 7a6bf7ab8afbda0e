from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def reference_tables(self) -> dict:
        """The tables ``load_reference_data`` reloads (see there)."""
        from funding.models import FundingModel
        from funding.vocabularies import load_funding_models

        return {"funding models": lambda: load_funding_models(FundingModel)}
