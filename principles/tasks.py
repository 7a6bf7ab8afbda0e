"""Background work for principle evidence: telling an initiative's owner that a partner
confirmed or disputed its evidence."""

from datetime import datetime

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from principles.models import PrincipleEvidence
from ssdc_portal import links


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def evidence_notify_owner(*, evidence_id: int, answered_at: str, site_url: str = "") -> None:
    """E-mail each editor of the initiative's owner that a partner confirmed or disputed
    the evidence, each in their own language. Nothing is sent if the evidence no longer
    carries the answer given at ``answered_at`` (changed or answered again since)."""
    evidence = (
        PrincipleEvidence.objects.select_related(
            "initiative__owner", "principle", "confirmed_by_organisation"
        )
        .filter(pk=evidence_id, confirmed_at=datetime.fromisoformat(answered_at))
        .exclude(confirmation=PrincipleEvidence.Confirmation.UNCONFIRMED)
        .first()
    )
    if evidence is None:
        return
    initiative = evidence.initiative
    recipients = User.objects.filter(
        is_active=True, memberships__organisation=initiative.owner_id
    ).order_by("pk")
    for user in recipients:
        with translation.override(user.preferred_language), links.recorded_site_url(site_url):
            context = {
                "user": user,
                "evidence": evidence,
                "initiative": initiative,
                "principle": evidence.principle,
                "partner": evidence.confirmed_by_organisation,
                "edit_url": links.absolute_url(
                    reverse("editor-initiative-edit", args=[initiative.slug])
                ),
            }
            subject = "".join(
                render_to_string(
                    "principles/evidence_answer_email_subject.txt", context
                ).splitlines()
            )
            body = render_to_string("principles/evidence_answer_email.txt", context)
            send_mail(subject, body, None, [user.email])
