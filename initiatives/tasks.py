"""Background work for initiatives: notification e-mails after moderation events, and pruning
the log of public changes the facet index follows."""

from celery import shared_task
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from initiatives.models import Initiative
from ssdc_portal import links

# Who hears about each event: moderators about submissions, the organisation about decisions.
EVENT_AUDIENCE = {
    "submit": "moderators",
    "approve": "organisation",
    "return": "organisation",
    "archive": "organisation",
}


def _recipients(initiative: Initiative, audience: str) -> list[User]:
    if audience == "moderators":
        users = User.objects.moderators()
    else:
        users = User.objects.filter(is_active=True, memberships__organisation=initiative.owner_id)
    return list(users.exclude(email="").distinct().order_by("email").only("email", "language"))


def _message(initiative: Initiative, event: str, audience: str) -> tuple[str, str]:
    """The subject and body, in the active language (links included)."""
    path = (
        reverse("admin:initiatives_initiative_change", args=[initiative.pk])
        if audience == "moderators"
        else reverse("editor-initiative-edit", args=[initiative.slug])
    )
    context = {
        "initiative": initiative,
        "event": event,
        "audience": audience,
        "link": links.absolute_url(path),
    }
    subject = render_to_string("initiatives/email/event_subject.txt", context).strip()
    body = render_to_string("initiatives/email/event_body.txt", context)
    return subject, body


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def notify_initiative_event(initiative_id: int, event: str, site_url: str = "") -> int:
    """E-mail the people concerned by ``event`` on an initiative, each in their language;
    returns messages sent. Links start with SITE_URL, else ``site_url``: the address the
    event happened at."""
    initiative = Initiative.objects.select_related("owner").filter(pk=initiative_id).first()
    if initiative is None or event not in EVENT_AUDIENCE:
        return 0
    audience = EVENT_AUDIENCE[event]
    messages, written = [], {}
    with links.recorded_site_url(site_url):
        for user in _recipients(initiative, audience):
            language = user.preferred_language
            if language not in written:
                with translation.override(language):
                    written[language] = _message(initiative, event, audience)
            messages.append((*written[language], None, [user.email]))
    if not messages:
        return 0
    return send_mass_mail(messages, fail_silently=False)


@shared_task(name="initiatives.tasks.prune_public_changes")
def prune_public_changes() -> int:
    """Drop the log of public changes older than a day (see ``initiatives.browse.index``)."""
    from initiatives.browse.index import prune_public_changes as prune

    return prune()
