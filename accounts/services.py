"""Writes with business rules for organisation teams: each ``<noun>_<verb>`` write is
keyword-only and runs in one transaction; the helpers beside them only read.

Every change a manager makes first locks the organisation's row, so two managers acting at
the same time are serialised and the "at least one manager" rule cannot be raced past.
People join a team only by accepting an invitation sent to their e-mail address.
"""

import re
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, Membership, User
from accounts.tasks import invitation_send_email
from organisations.models import Organisation
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


def _lock_team(*, organisation: Organisation, acting_user: User) -> list[Membership]:
    """Lock the organisation's row, then return its managers as they are now.

    Raises PermissionDenied unless ``acting_user`` is one of them.
    """
    Organisation.objects.select_for_update(no_key=True).only("pk").get(pk=organisation.pk)
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


def _send_invitation_after_commit(invitation: Invitation) -> None:
    transaction.on_commit(
        partial(
            invitation_send_email.delay,
            invitation_id=invitation.pk,
            language=translation.get_language() or "en",
            site_url=site_url(),  # the address of this request, unless SITE_URL is set
        ),
        robust=True,
    )


def _expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: User
) -> Invitation:
    """Invite the person with this e-mail address to the team, by e-mail.

    Nothing here depends on whether the address has an account: the invitation, the e-mail
    and the answer to the manager are the same. The person becomes a member only by
    accepting (``invitation_accept``). Inviting an address already invited renews that
    invitation with the new role and a new expiry, and sends it again.
    """
    _lock_team(organisation=organisation, acting_user=invited_by)
    if role not in Membership.Role.values:
        raise MembershipError(_("Choose a role: editor or manager."), field="role")
    email = User.objects.normalize_email(email.strip())
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise MembershipError(
            _("%(email)s is already a member of %(organisation)s.")
            % {"email": email, "organisation": organisation.name},
            field="email",
        )
    invitation = (
        Invitation.objects.open().filter(organisation=organisation, email__iexact=email).first()
    ) or Invitation(organisation=organisation, email=email)
    invitation.role = role
    invitation.invited_by = invited_by
    invitation.expires_at = _expiry()
    invitation.save()
    _send_invitation_after_commit(invitation)
    return invitation


def _open_invitation_of_team(invitation: Invitation, *, acting_user: User) -> Invitation:
    """Lock the team (``acting_user`` must manage it), then re-read the invitation, which
    must still be waiting for an answer."""
    _lock_team(organisation=invitation.organisation, acting_user=acting_user)
    current = Invitation.objects.select_related("organisation").get(pk=invitation.pk)
    if current.state != Invitation.State.PENDING:
        raise MembershipError(
            _("The invitation to %(email)s was already answered or withdrawn.")
            % {"email": current.email}
        )
    return current


@transaction.atomic
def invitation_resend(*, invitation: Invitation, resent_by: User) -> Invitation:
    """Send a waiting invitation again, valid for another INVITATION_VALID_DAYS."""
    invitation = _open_invitation_of_team(invitation, acting_user=resent_by)
    invitation.expires_at = _expiry()
    invitation.save(update_fields=["expires_at", "updated_at"])
    _send_invitation_after_commit(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> Invitation:
    """Withdraw a waiting invitation: its link stops working."""
    invitation = _open_invitation_of_team(invitation, acting_user=revoked_by)
    invitation.state = Invitation.State.REVOKED
    invitation.save(update_fields=["state", "updated_at"])
    return invitation


def _answerable(invitation: Invitation) -> Invitation:
    """Lock and re-read the invitation; it must be waiting and not expired."""
    current = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )
    if current.state != Invitation.State.PENDING:
        raise MembershipError(_("This invitation was already answered or withdrawn."))
    if current.is_expired:
        raise MembershipError(
            _("This invitation has expired. Ask a manager of %(organisation)s to send it again.")
            % {"organisation": current.organisation.name}
        )
    return current


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    return user.email.casefold() == invitation.email.casefold()


def _refuse_other_accounts(invitation: Invitation, user: User) -> None:
    if not invitation_is_for(invitation, user):
        raise MembershipError(
            _(
                "This invitation was sent to another e-mail address than your account's. "
                "Sign out, then sign in with the account that has the invited address."
            )
        )


def _answer(invitation: Invitation, state: str, user: User | None) -> None:
    invitation.state = state
    invitation.answered_at = timezone.now()
    invitation.answered_by = user
    invitation.save(update_fields=["state", "answered_at", "answered_by", "updated_at"])


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the team as invited. The account must have the invited address."""
    invitation = _answerable(invitation)
    _refuse_other_accounts(invitation, user)
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    _answer(invitation, Invitation.State.ACCEPTED, user)
    return membership


@transaction.atomic
def invitation_accept_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the account of an invited person who has none, with the invited address, and
    join the team. Only someone who received the invitation has its link, so the link is
    the proof that the address is theirs."""
    invitation = _answerable(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise MembershipError(
            _("An account with this address exists already: sign in to accept the invitation.")
        )
    user = User(
        username=_username_for(invitation.email),
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the address or the username was taken meanwhile
        raise MembershipError(
            _("We could not create your account just now. Please try again.")
        ) from None
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User | None) -> Invitation:
    """Say no. Signed out, the link is enough; signed in, the account must have the
    invited address."""
    invitation = _answerable(invitation)
    if user is not None:
        _refuse_other_accounts(invitation, user)
    _answer(invitation, Invitation.State.DECLINED, user)
    return invitation


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


def user_set_language(*, user: User, language: str) -> None:
    """Remember the language ``user`` chose; their e-mails and reports are written in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Not a portal language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
