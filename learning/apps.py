from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def reference_tables(self) -> dict:
        """The tables ``load_reference_data`` reloads (see there)."""
        from learning.models import Theme
        from learning.vocabularies import load_themes

        return {"learning themes": lambda: load_themes(Theme)}
