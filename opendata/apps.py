from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """Open data: the IATI mapping and files. It sits above initiatives and is imported by no
    lower app."""

    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from opendata import checks  # noqa: F401 - registers the start-up checks
