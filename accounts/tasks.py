"""Background work for accounts: the e-mail inviting a person to an organisation's team, and
those of signing up."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.invitations import invitation_url_token
from accounts.models import Invitation, User
from ssdc_portal import links


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_email(*, invitation_id: int, language: str, site_url: str = "") -> None:
    """E-mail the invitation's link to the invited address. The link starts with SITE_URL,
    else ``site_url``: the address the manager invited from. The e-mail is written in the
    language of the address's account, if it has one; else in ``language``, the
    manager's when they invited.

    Re-reads the invitation: if it was answered, withdrawn or has expired before the
    e-mail went out, nothing is sent. But for its language, the e-mail is the same whether
    or not the address has an account; the link's page offers to sign in or to create one.
    """
    invitation = (
        Invitation.objects.open()
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.is_expired:
        return
    account = User.objects.filter(email__iexact=invitation.email).first()
    if account is not None:
        language = account.preferred_language
    with translation.override(language), links.recorded_site_url(site_url):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "role": invitation.get_role_display(),
            "invited_by": invitation.invited_by,
            "invitation_url": links.absolute_url(
                reverse("invitation", kwargs={"token": invitation_url_token(invitation)})
            ),
        }
        subject = "".join(
            render_to_string("accounts/invitation_email_subject.txt", context).splitlines()
        )
        body = render_to_string("accounts/invitation_email.txt", context)
        send_mail(subject, body, None, [invitation.email])


def _send_signup_mail(user: User, template: str, context: dict) -> None:
    subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
    send_mail(subject, render_to_string(f"{template}.txt", context), None, [user.email])


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def signup_send_link(*, user_id: int, language: str, site_url: str = "") -> None:
    """E-mail the link that confirms a new account's address, written in ``language`` (the
    page's where the person signed up or asked again) and leading to a page in it. Nothing
    is sent if the account no longer waits for one."""
    from accounts.signup import awaiting_confirmation, signup_url_token

    user = User.objects.filter(pk=user_id).first()
    if user is None or not awaiting_confirmation(user):
        return
    with translation.override(language), links.recorded_site_url(site_url):
        context = {
            "user": user,
            "valid_hours": settings.SIGNUP_LINK_VALID_HOURS,
            "confirm_url": links.absolute_url(
                reverse("signup-confirm", kwargs={"token": signup_url_token(user)})
            ),
            "resend_url": links.absolute_url(reverse("signup-resend")),
        }
        _send_signup_mail(user, "accounts/signup_email", context)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def signup_send_address_in_use(*, user_id: int, language: str, site_url: str = "") -> None:
    """Tell the owner of an address that someone tried to sign up with it: the page said
    only "check your e-mail". Written in the account's language, else ``language``."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    with (
        translation.override(user.language or language),
        links.recorded_site_url(site_url),
    ):
        context = {
            "user": user,
            "login_url": links.absolute_url(reverse("login")),
            "password_reset_url": links.absolute_url(reverse("password_reset")),
        }
        _send_signup_mail(user, "accounts/signup_address_in_use_email", context)
