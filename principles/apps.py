from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrinciplesConfig(AppConfig):
    name = "principles"
    verbose_name = _("Principles and evidence")

    def reference_tables(self) -> dict:
        """The tables ``load_reference_data`` reloads (see there)."""
        from principles.models import Principle, PrincipleSet
        from principles.vocabularies import load_principle_set

        return {"Busan principles": lambda: load_principle_set(PrincipleSet, Principle)}
