from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """Open data: the IATI mapping and files. It sits above initiatives and is imported by no
    lower app."""

    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        # The public IATI files derive from published records, saved by apps that may not
        # import this one: a save only queues a coalesced rebuild (opendata.iati.tasks).
        from django.db.models.signals import post_delete, post_save

        from initiatives.models import Initiative
        from opendata import checks  # noqa: F401 - registers the start-up checks
        from opendata.iati import changes
        from principles.models import PrincipleEvidence

        for signal in (post_save, post_delete):
            signal.connect(changes.initiative_changed, sender=Initiative, dispatch_uid="iati")
            signal.connect(changes.evidence_changed, sender=PrincipleEvidence, dispatch_uid="iati")

    def organisation_saved(self, organisation):
        """A renamed organisation reads differently in the files (organisations.extensions)."""
        from opendata.iati import changes

        changes.organisation_changed(organisation)
