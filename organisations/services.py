"""Writes with rules for organisations."""

from django.db import transaction

from organisations import extensions
from organisations.models import Organisation


@transaction.atomic
def organisation_save(*, organisation: Organisation) -> Organisation:
    """Save an organisation; the apps that derive something from it (the search vectors of
    its initiatives hold its name) bring that up to date."""
    organisation.save()
    extensions.after_save(organisation)
    return organisation
