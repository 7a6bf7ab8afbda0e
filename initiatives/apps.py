from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from initiatives.history import register_history

        register_history()

    # What initiatives add to organisations (see organisations.extensions).

    def organisation_visibility(self, user):
        from initiatives.organisation_extensions import organisation_visibility

        return organisation_visibility(user)

    def organisation_profile(self, request, organisation):
        from initiatives.organisation_extensions import organisation_profile

        return organisation_profile(request, organisation)

    def organisation_saved(self, organisation) -> None:
        from initiatives.organisation_extensions import organisation_saved

        organisation_saved(organisation)
