from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = _("Reference data")

    def reference_tables(self) -> dict:
        """The tables ``load_reference_data`` reloads from this app's files (see there)."""
        from reference import loaders
        from reference.models import Country, Modality, Sector, SustainableDevelopmentGoal

        return {
            "countries": lambda: loaders.load_countries(Country),
            "sectors": lambda: loaders.load_sectors(Sector),
            "SDG goals": lambda: loaders.load_sdg_goals(SustainableDevelopmentGoal),
            "modalities": lambda: loaders.load_modalities(Modality),
        }
