from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and memberships")

    def organisation_visibility(self, user):
        """An organisation with a member account on the portal is public (see
        organisations.extensions)."""
        from django.db.models import Exists, OuterRef

        from accounts.models import Membership

        return Exists(Membership.objects.filter(organisation=OuterRef("pk")))
