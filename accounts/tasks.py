"""Background work for accounts: e-mails to people added to an organisation's team."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Membership, User
from ssdc_portal import links


def _absolute(path: str) -> str:
    return links.absolute_url(path)


def _set_password_url(user: User) -> str:
    """The standard password-reset link: the invited person chooses a password with it."""
    return _absolute(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def membership_send_invitation(
    *, membership_id: int, invited_by_id: int, language: str, site_url: str = ""
) -> None:
    """Tell a person they were added to a team; invite them to choose a password if needed.
    Links start with SITE_URL, else ``site_url``: the address they were invited at.

    Re-reads the membership: if it was removed before the e-mail went out, nothing is sent.
    """
    with links.recorded_site_url(site_url):
        _send_invitation(membership_id, invited_by_id, language)


def _send_invitation(membership_id: int, invited_by_id: int, language: str) -> None:
    membership = (
        Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    )
    if membership is None:
        return
    user = membership.user
    context = {
        "user": user,
        "organisation": membership.organisation,
        "role": membership.get_role_display(),
        "invited_by": User.objects.filter(pk=invited_by_id).first(),
        "members_url": _absolute(
            reverse("organisation-members", kwargs={"slug": membership.organisation.slug})
        ),
        "login_url": _absolute(reverse("login")),
        "link_valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
    }
    if user.has_usable_password():
        template = "accounts/membership_added_email"
    else:
        template = "accounts/membership_invitation_email"
        context["set_password_url"] = _set_password_url(user)
    with translation.override(language):
        subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [user.email])
