"""Background work for accounts: the e-mail inviting a person to an organisation's team."""

from celery import shared_task
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
