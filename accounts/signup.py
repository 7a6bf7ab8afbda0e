"""Self-service accounts for researchers: sign up, confirm the e-mail address, go on.

An account made here starts inactive, with no organisation: it cannot sign in until its
owner opens the link e-mailed to the address. The link is a signed, timestamped token
(``django.core.signing``) naming the account and a fingerprint of its state; activating the
account changes that state, so each link works once, and expires after
SIGNUP_LINK_VALID_HOURS.

What anyone sees after asking never depends on whether the address has an account (as
for password resets): the owner of an address already in use is told by e-mail instead.
"""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import translation
from django.utils.crypto import salted_hmac

from accounts.models import User
from accounts.tasks import signup_send_address_in_use, signup_send_link
from ssdc_portal.links import site_url

# "." rather than ":" between the parts, so that the token needs no escaping in a URL.
SIGNER = signing.TimestampSigner(salt="accounts.signup", sep=".")


def awaiting_confirmation(user: User) -> bool:
    """Whether the account was made by signing up and its address is not confirmed yet:
    inactive, never signed in, in no organisation. An account a moderator switched off has
    signed in before (or belongs to a team), so no link can switch it back on."""
    return (
        not user.is_active
        and user.last_login is None
        and not user.memberships.exists()
        and not user.is_staff
    )


def _fingerprint(user: User) -> str:
    """Changes when the account is activated, or its address or password changes."""
    state = f"{user.pk}|{user.is_active}|{user.email}|{user.password}|{user.last_login}"
    return salted_hmac("accounts.signup.state", state).hexdigest()[:20]


def signup_url_token(user: User) -> str:
    return SIGNER.sign_object({"user": user.pk, "state": _fingerprint(user)})


@dataclass(frozen=True)
class LinkCheck:
    """What a link from a sign-up e-mail leads to: the account to activate (``user``), or
    why not: ``expired``, ``used`` (already active) or ``invalid`` (anything else)."""

    user: User | None = None
    problem: str = ""


def signup_check_token(token: str) -> LinkCheck:
    try:
        data = SIGNER.unsign_object(token, max_age=settings.SIGNUP_LINK_VALID_HOURS * 3600)
    except signing.SignatureExpired:
        return LinkCheck(problem="expired")
    except (signing.BadSignature, ValueError):
        return LinkCheck(problem="invalid")
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return LinkCheck(problem="invalid")
    user = User.objects.filter(pk=data["user"]).first()
    if user is None:
        return LinkCheck(problem="invalid")
    if user.is_active:
        return LinkCheck(problem="used")
    if data.get("state") != _fingerprint(user) or not awaiting_confirmation(user):
        return LinkCheck(problem="invalid")
    return LinkCheck(user=user)


def _send_after_commit(task, **kwargs) -> None:
    transaction.on_commit(
        partial(
            task.delay,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            site_url=site_url(),  # the address of this request, unless SITE_URL is set
            **kwargs,
        ),
        robust=True,
    )


@transaction.atomic
def signup_create(*, username: str, email: str, password: str) -> User | None:
    """Make an inactive account and e-mail its confirmation link, in the language of the
    request. If the address is already in use, make nothing and tell its owner instead;
    returns the new account, or None.

    An account still waiting for confirmation is not anyone's yet: signing up again with
    its address replaces its username and password and sends a new link, so that a person
    who mistyped, or forgot what they chose, can start again.
    """
    email = User.objects.normalize_email(email.strip())
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is None:
        user = User(username=username, email=email, is_active=False)
        user.set_password(password)
        user.save()
    elif awaiting_confirmation(existing):
        user = existing
        if not User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
            user.username = username
        user.set_password(password)
        user.save(update_fields=["username", "password"])
    else:
        _send_after_commit(signup_send_address_in_use, user_id=existing.pk)
        return None
    _send_after_commit(signup_send_link, user_id=user.pk)
    return user


def signup_resend(*, email: str) -> None:
    """E-mail a new link to the account with this address, if it is waiting for one;
    nothing otherwise (what the visitor sees is the same)."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None and awaiting_confirmation(user):
        _send_after_commit(signup_send_link, user_id=user.pk)


@transaction.atomic
def signup_activate(*, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
