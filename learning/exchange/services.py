"""What editors and moderators do with exchange listings, and the messages the portal relays
between organisations. Pages and the API call these same functions."""

import calendar
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from learning.models import ContactMessage, Listing
from organisations.models import Organisation
from ssdc_portal import links

OPEN_MONTHS = 6  # a new listing is open for this long by default; a renewal adds as much
LONGEST_OPEN_DAYS = 366  # and never for more than a year from the day it is saved
RENEWABLE_WITHIN_DAYS = 30  # renewal is offered this close to the end, or after it


class ExchangeRefused(Exception):
    """An action the rules do not allow; ``message`` says why, for the person who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def months_later(day: date, months: int) -> date:
    """The same day ``months`` months later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def default_open_until(today: date | None = None) -> date:
    return months_later(today or timezone.localdate(), OPEN_MONTHS)


def latest_open_until(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=LONGEST_OPEN_DAYS - 1)


def is_renewable(listing: Listing, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return listing.state != Listing.State.WITHDRAWN and listing.open_until <= today + timedelta(
        days=RENEWABLE_WITHIN_DAYS
    )


@transaction.atomic
def listing_create(*, by: User, countries=(), **fields) -> Listing:
    """A new listing, submitted for review: the public sees it once a moderator publishes it."""
    listing = Listing.objects.create(created_by=by, state=Listing.State.SUBMITTED, **fields)
    listing.countries.set(countries)
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, by: User, countries=None, **fields) -> Listing:
    """Save an editor's changes. A listing that was published, or returned with a note, goes
    back to moderators for review; a withdrawn one stays withdrawn."""
    for name, value in fields.items():
        setattr(listing, name, value)
    if listing.state in (Listing.State.PUBLISHED, Listing.State.RETURNED):
        listing.state = Listing.State.SUBMITTED
    listing.save()
    if countries is not None:
        listing.countries.set(countries)
    return listing


@transaction.atomic
def listing_renew(*, listing: Listing, by: User) -> Listing:
    """Keep a listing open for another six months, counted from its end (or from today if it
    has ended)."""
    today = timezone.localdate()
    if not is_renewable(listing, today):
        raise ExchangeRefused(
            _("A listing can be renewed in its last 30 days or once it has ended.")
        )
    listing.open_until = months_later(max(listing.open_until, today), OPEN_MONTHS)
    listing.save(update_fields=["open_until", "updated_at"])
    return listing


@transaction.atomic
def listing_withdraw(*, listing: Listing, by: User) -> Listing:
    listing.state = Listing.State.WITHDRAWN
    listing.save(update_fields=["state", "updated_at"])
    return listing


@transaction.atomic
def listing_approve(*, listing: Listing, by: User) -> Listing:
    listing.state = Listing.State.PUBLISHED
    listing.reviewed_at = timezone.now()
    listing.review_note = ""
    listing.save(update_fields=["state", "reviewed_at", "review_note", "updated_at"])
    return listing


@transaction.atomic
def listing_return(*, listing: Listing, by: User, note: str) -> Listing:
    listing.state = Listing.State.RETURNED
    listing.reviewed_at = timezone.now()
    listing.review_note = note
    listing.save(update_fields=["state", "reviewed_at", "review_note", "updated_at"])
    return listing


# ---- messages ----


def organisation_team(organisation_id: int):
    """The people a message to the organisation is relayed to: its active editors and
    managers with an address."""
    return (
        User.objects.filter(is_active=True, memberships__organisation=organisation_id)
        .exclude(email="")
        .distinct()
    )


def messages_left_today(sender: User) -> int:
    since = timezone.now() - timedelta(days=1)
    sent = ContactMessage.objects.filter(sender=sender, created_at__gte=since).count()
    return max(settings.CONTACT_MESSAGES_PER_DAY - sent, 0)


@transaction.atomic
def message_send(
    *,
    sender: User,
    sender_organisation: Organisation,
    recipient_organisation: Organisation,
    subject: str,
    body: str,
    listing: Listing | None = None,
    initiative=None,
) -> ContactMessage:
    """Save a message from ``sender`` (an editor of ``sender_organisation``) to
    ``recipient_organisation`` and relay it, once saved, to that organisation's team.

    The caller found ``recipient_organisation`` behind an open listing or a published
    initiative (or a message it answers); this checks what the sender may do."""
    if not sender.memberships.filter(organisation=sender_organisation).exists():
        raise ExchangeRefused(_("Choose one of your own organisations."))
    if sender_organisation.pk == recipient_organisation.pk:
        raise ExchangeRefused(_("This is your own organisation: there is no need to write to it."))
    if not organisation_team(recipient_organisation.pk).exists():
        raise ExchangeRefused(
            _(
                "Nobody at this organisation uses the portal yet, so the message could not "
                "reach anyone. It has not been sent."
            )
        )
    # Rows of the sender are locked so that two messages sent at once count one after the
    # other against the limit.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    if messages_left_today(sender) <= 0:
        raise ExchangeRefused(
            _(
                "You have sent %(limit)s messages in the last 24 hours, the most the portal "
                "relays for one person. Please try again tomorrow."
            )
            % {"limit": settings.CONTACT_MESSAGES_PER_DAY}
        )
    message = ContactMessage.objects.create(
        sender=sender,
        sender_organisation=sender_organisation,
        recipient_organisation=recipient_organisation,
        listing=listing,
        initiative=initiative,
        subject=subject,
        body=body,
    )
    from learning.exchange.relay import contact_message_relay

    transaction.on_commit(
        partial(
            contact_message_relay.delay,
            message_id=message.pk,
            site_url=links.site_url(),
        )
    )
    return message


@transaction.atomic
def message_report(*, message: ContactMessage, by: User, note: str) -> ContactMessage:
    """Mark a received message as abusive and tell the moderators."""
    from learning.exchange.relay import contact_message_report_notify

    first_report = message.reported_at is None
    message.reported_at = timezone.now()
    message.reported_by = by
    message.report_note = note
    message.save(update_fields=["reported_at", "reported_by", "report_note", "updated_at"])
    if first_report:
        transaction.on_commit(
            partial(
                contact_message_report_notify.delay,
                message_id=message.pk,
                site_url=links.site_url(),
            )
        )
    return message
