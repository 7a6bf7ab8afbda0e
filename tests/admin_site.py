"""The admin site as the admin tests see it: its models, which of them have no add page, and
the address of each of its pages."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from reversion.models import Revision

from accounts.models import Invitation
from initiatives.models import ROW_PARTS
from learning.models import ContactMessage, Listing
from opendata.models import DatasetRelease
from reports.models import Report

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)

# Rows of an initiative are added and changed on its own page only (one revision, version
# check).
RECORD_PARTS = {part.model for part in ROW_PARTS.values()}
# Sign-in attempts and lockouts are recorded by django-axes; moderators lift a lockout by
# deleting its attempt.
SIGN_IN_RECORDS = {AccessAttempt, AccessLog, AccessFailureLog}
# Models whose add page the admin refuses on purpose (403): the audit (revisions, the admin
# log) and the sign-in records are written by the portal, never by hand; reports are asked
# for on /reports/ and the API, and the admin only looks at them; invitations are sent by
# organisations' managers from their team page, which e-mails the link, and the admin looks
# them up and may delete them.
# Organisations write their own exchange listings, and messages are sent on the portal's
# pages: the admin moderates the first and reads the second.
EXCHANGE_RECORDS = {Listing, ContactMessage}
NO_ADD_PAGE = {
    Revision,
    LogEntry,
    Report,
    Invitation,
    *RECORD_PARTS,
    *SIGN_IN_RECORDS,
    *EXCHANGE_RECORDS,
    DatasetRelease,  # made by the change list's button, in the background
}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
