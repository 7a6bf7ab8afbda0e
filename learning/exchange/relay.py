"""E-mails of the exchange: messages relayed between organisations, reports of abuse for
moderators, and reminders that a listing is about to end.

How a message travels without anyone's address being published: the sender writes on a
portal page, to an organisation, never to a person or an address. The portal keeps the
message (:class:`~learning.models.ContactMessage`) and e-mails it to each editor and
manager of the receiving organisation, each in their own language. The e-mail names the
sender and their organisation and links to a portal page where the message can be answered
(the answer is relayed the same way). It carries no address of the sender: no Reply-To, and
the sender's address is not in its text; it comes from the portal's own address. Pages of
the exchange never show an e-mail address either: a person learns someone's address only
if that person writes it in a message.
"""

from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from learning.models import ContactMessage, Listing
from ssdc_portal import links

REMIND_DAYS_BEFORE = 14
RETRY = {"autoretry_for": (ConnectionError, TimeoutError, OSError), "retry_backoff": True}


def sender_name(user: User) -> str:
    """How a message names its sender: the name on the account, else the username unless
    it is an address."""
    name = user.get_full_name().strip()
    if name:
        return name
    return "" if "@" in user.username else user.username


def _written(template: str, context: dict) -> tuple[str, str]:
    subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
    return subject, render_to_string(f"{template}.txt", context)


def _in_each_language(users, template: str, context: dict) -> list[tuple]:
    """One e-mail per person, written in their language."""
    messages, written = [], {}
    for user in users:
        language = user.preferred_language
        if language not in written:
            with translation.override(language):
                written[language] = _written(template, context())
        messages.append((*written[language], None, [user.email]))
    return messages


@shared_task(**RETRY, max_retries=5)
def contact_message_relay(*, message_id: int, site_url: str = "") -> int:
    """Relay a saved message to its organisation's team; once only (a redelivered task
    finds it relayed). Returns how many people it was sent to."""
    from learning.exchange.services import organisation_team

    with transaction.atomic():
        message = (
            ContactMessage.objects.select_for_update(of=("self",))
            .select_related(
                "sender", "sender_organisation", "recipient_organisation", "listing", "initiative"
            )
            .filter(pk=message_id, relayed_at__isnull=True)
            .first()
        )
        if message is None:
            return 0
        team = list(
            organisation_team(message.recipient_organisation_id)
            .order_by("pk")
            .only("email", "language")
        )
        with links.recorded_site_url(site_url):

            def context():
                return {
                    "message": message,
                    "sender_name": sender_name(message.sender) if message.sender else "",
                    "reply_url": links.absolute_url(
                        reverse("exchange-message-reply", args=[message.pk])
                    ),
                    "messages_url": links.absolute_url(reverse("exchange-messages")),
                    "about_url": links.absolute_url(_about_path(message)),
                }

            mails = _in_each_language(team, "learning/exchange/email/message", context)
        sent = send_mass_mail(mails, fail_silently=False) if mails else 0
        message.relayed_at = timezone.now()
        message.relayed_to = sent
        message.save(update_fields=["relayed_at", "relayed_to", "updated_at"])
    return sent


def _about_path(message: ContactMessage) -> str:
    if message.listing_id:
        return reverse("exchange-detail", args=[message.listing_id])
    if message.initiative_id:
        return message.initiative.get_absolute_url()
    return reverse("exchange-messages")


@shared_task(**RETRY, max_retries=5)
def contact_message_report_notify(*, message_id: int, site_url: str = "") -> int:
    """Tell the moderators that a message was reported as abuse."""
    message = (
        ContactMessage.objects.select_related("sender_organisation", "recipient_organisation")
        .filter(pk=message_id, reported_at__isnull=False)
        .first()
    )
    if message is None:
        return 0
    moderators = User.objects.moderators().exclude(email="").order_by("pk")
    with links.recorded_site_url(site_url):
        admin_url = links.absolute_url(
            reverse("admin:learning_contactmessage_change", args=[message.pk])
        )
        mails = _in_each_language(
            moderators,
            "learning/exchange/email/report",
            lambda: {"message": message, "admin_url": admin_url},
        )
    return send_mass_mail(mails, fail_silently=False) if mails else 0


@shared_task(**RETRY, max_retries=5)
def listing_expiry_reminders(*, site_url: str = "") -> int:
    """Remind each organisation's team that a published listing ends in 14 days, with a link
    to renew it. Meant to run once a day (CELERY_BEAT_SCHEDULE): each listing's reminder
    falls on the one day that is 14 days before its end."""
    from learning.exchange.services import organisation_team

    day = timezone.localdate() + timedelta(days=REMIND_DAYS_BEFORE)
    listings = Listing.objects.filter(state=Listing.State.PUBLISHED, open_until=day).select_related(
        "organisation"
    )
    sent = 0
    with links.recorded_site_url(site_url):
        my_listings = links.absolute_url(reverse("exchange-mine"))
        for listing in listings:
            team = organisation_team(listing.organisation_id).order_by("pk")
            mails = _in_each_language(
                team,
                "learning/exchange/email/expiry",
                lambda listing=listing: {"listing": listing, "my_listings_url": my_listings},
            )
            if mails:
                sent += send_mass_mail(mails, fail_silently=False)
    return sent
