"""Writes of practices: an editor proposes one for their organisation; a moderator accepts
or declines it. The page, the API and the admin call these."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from learning.models import Practice, Theme
from organisations.models import Organisation
from ssdc_portal.slugs import unused_slug


def proposing_organisations(user):
    """The organisations ``user`` may propose a practice for: those they are a member of."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


@transaction.atomic
def practice_propose(
    *,
    by: AbstractBaseUser,
    organisation: Organisation,
    name: str,
    summary: str,
    description: str = "",
    language: str,
    themes: list[Theme] | tuple[Theme, ...] = (),
) -> Practice:
    """A new practice, proposed by ``by`` for ``organisation`` (one of theirs), awaiting a
    moderator's review."""
    if not proposing_organisations(by).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You can only propose a practice for your own organisation."))
    practice = Practice.objects.create(
        name=name.strip(),
        slug=unused_slug(Practice, name, fallback="practice"),
        language=language,
        summary=summary.strip(),
        description=description.strip(),
        status=Practice.Status.PROPOSED,
        proposed_by=by,
        proposed_by_organisation=organisation,
    )
    practice.themes.set(themes)
    return practice


@transaction.atomic
def practice_review(*, practice: Practice, status: str, note: str = "") -> Practice:
    """A moderator's decision on ``practice``: accepted or declined, with a note."""
    practice.status = status
    practice.review_note = note
    practice.save(update_fields=["status", "review_note", "updated_at"])
    return practice
