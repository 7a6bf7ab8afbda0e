"""The learning app's background work, where Celery's autodiscovery finds it."""

from learning.exchange.relay import (  # noqa: F401
    contact_message_relay,
    contact_message_report_notify,
    listing_expiry_reminders,
)
