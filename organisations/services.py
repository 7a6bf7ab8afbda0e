"""Writes with rules for organisations."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations import extensions
from organisations.models import Organisation
from reference.models import Country
from ssdc_portal.slugs import unused_slug


@transaction.atomic
def organisation_save(*, organisation: Organisation) -> Organisation:
    """Save an organisation; the apps that derive something from it (the search vectors of
    its initiatives hold its name) bring that up to date."""
    organisation.save()
    extensions.after_save(organisation)
    return organisation


def organisation_namesake_exists(*, name: str, by) -> bool:
    """Whether an organisation called ``name`` (in any case) is among those ``by`` may see.
    Only those: one proposed in someone else's draft must not be revealed, so a namesake of
    it may be proposed."""
    return Organisation.objects.visible_to(by).filter(name__iexact=name.strip()).exists()


def organisation_proposal_errors(*, name: str, organisation_type: str, by) -> dict[str, str]:
    """What stops ``by`` from proposing a new organisation, by field (empty if nothing)."""
    if not organisation_type:
        return {"new_organisation_type": _("Say what kind of organisation it is.")}
    if organisation_namesake_exists(name=name, by=by):
        return {
            "new_organisation_name": _(
                "“%(name)s” is already in the portal: choose it from the list."
            )
            % {"name": name.strip()}
        }
    return {}


@transaction.atomic
def organisation_propose(
    *, name: str, organisation_type: str, home_country: Country | None, by: AbstractBaseUser
) -> Organisation:
    """Add an organisation named while recording an initiative (a partner not yet in the
    portal). It stays as private as the records that name it (see ``visible_to``)."""
    errors = organisation_proposal_errors(name=name, organisation_type=organisation_type, by=by)
    if errors:
        raise ValidationError(errors)
    name = name.strip()
    return Organisation.objects.create(
        name=name,
        slug=unused_slug(Organisation, name, fallback="organisation"),
        actor_type=organisation_type,
        home_country=home_country,
    )
