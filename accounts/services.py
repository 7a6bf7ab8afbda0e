"""Writes with business rules for organisation teams (keyword-only, wrapped in transactions).

Every team change first locks the organisation's row, so two managers acting at the same
time are serialised and the "at least one manager" rule cannot be raced past.
"""

import re
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from accounts.tasks import membership_send_invitation
from initiatives.models import Actor
from ssdc_portal.links import site_url

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


class MembershipError(Exception):
    """A team change the rules refuse; ``message`` is written for the person who tried it.

    ``field`` names the form field the message belongs to, if any.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _lock_team(*, organisation: Actor, acting_user: User) -> list[Membership]:
    """Lock the organisation's row, then return its managers as they are now.

    Raises PermissionDenied unless ``acting_user`` is one of them.
    """
    Actor.objects.select_for_update(no_key=True).only("pk").get(pk=organisation.pk)
    managers = list(
        Membership.objects.filter(organisation=organisation, role=Membership.Role.MANAGER)
    )
    if not any(manager.user_id == acting_user.pk for manager in managers):
        raise PermissionDenied(_("Only the organisation's managers can change its team."))
    return managers


def _current(membership: Membership) -> Membership:
    """Re-read a membership inside the lock: another manager may have changed it."""
    try:
        return Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    except Membership.DoesNotExist:
        raise MembershipError(_("This person is no longer a member of the organisation.")) from None


def _is_last_manager(membership: Membership, managers: list[Membership]) -> bool:
    # Only managers change the team, so the last manager can only be acting on themselves.
    return membership.role == Membership.Role.MANAGER and len(managers) == 1


def _username_for(email: str) -> str:
    """A free username made from the e-mail's local part: ``ana.silva``, ``ana.silva2``…"""
    base = re.sub(r"[^\w.@+-]", "", email.split("@", 1)[0])[: USERNAME_MAX_LENGTH - 6] or "member"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, suffix = base, 1
    while candidate.lower() in taken:
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate


def _user_for_invitation(email: str) -> User:
    """The account with this e-mail address (ignoring case), created if there is none.

    A new account has no usable password: the invited person chooses one from the link in
    the invitation e-mail.
    """
    for _attempt in range(3):
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user
        try:
            with transaction.atomic():
                user = User(username=_username_for(email), email=email)
                user.set_unusable_password()
                user.save()
                return user
        except IntegrityError:
            continue  # someone took the address or the username meanwhile: look again
    raise MembershipError(_("We could not create an account for this address. Please try again."))


def _send_invitation_after_commit(*, membership: Membership, invited_by: User) -> None:
    transaction.on_commit(
        partial(
            membership_send_invitation.delay,
            membership_id=membership.pk,
            invited_by_id=invited_by.pk,
            language=translation.get_language() or "en",
            site_url=site_url(),  # the address of this request, unless SITE_URL is set
        ),
        robust=True,
    )


@transaction.atomic
def membership_invite(
    *, organisation: Actor, email: str, role: str, invited_by: User
) -> Membership:
    """Add the person with this e-mail address to the organisation and tell them by e-mail.

    Unknown addresses get a new account without a password and an e-mail with a link to
    choose one; known people get an e-mail saying they were added.
    """
    _lock_team(organisation=organisation, acting_user=invited_by)
    if role not in Membership.Role.values:
        raise MembershipError(_("Choose a role: editor or manager."), field="role")
    email = User.objects.normalize_email(email.strip())
    user = _user_for_invitation(email)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    except IntegrityError:
        raise MembershipError(
            _("%(email)s is already a member of %(organisation)s.")
            % {"email": email, "organisation": organisation.name},
            field="email",
        ) from None
    _send_invitation_after_commit(membership=membership, invited_by=invited_by)
    return membership


@transaction.atomic
def membership_resend_invitation(*, membership: Membership, resent_by: User) -> Membership:
    """Send a fresh set-password link to a member who has not chosen a password yet."""
    _lock_team(organisation=membership.organisation, acting_user=resent_by)
    membership = _current(membership)
    if membership.user.has_usable_password():
        raise MembershipError(
            _("%(name)s has already set a password and can sign in.") % {"name": membership.user}
        )
    _send_invitation_after_commit(membership=membership, invited_by=resent_by)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, changed_by: User) -> Membership:
    """Make a member an editor or a manager; the organisation always keeps one manager."""
    managers = _lock_team(organisation=membership.organisation, acting_user=changed_by)
    if role not in Membership.Role.values:
        raise MembershipError(_("Choose a role: editor or manager."), field="role")
    membership = _current(membership)
    if membership.role == role:
        return membership
    if _is_last_manager(membership, managers):
        raise MembershipError(
            _(
                "You are the only manager of %(organisation)s, so you cannot stop being one. "
                "Make another member a manager first."
            )
            % {"organisation": membership.organisation.name}
        )
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by: User) -> None:
    """Take a member out of the organisation; the last manager cannot be removed."""
    managers = _lock_team(organisation=membership.organisation, acting_user=removed_by)
    membership = _current(membership)
    if _is_last_manager(membership, managers):
        raise MembershipError(
            _(
                "You are the only manager of %(organisation)s, so you cannot leave it. "
                "Make another member a manager first."
            )
            % {"organisation": membership.organisation.name}
        )
    membership.delete()
