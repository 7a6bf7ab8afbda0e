"""The names of months and weekdays, as Django's dates ask for them (``django.utils.dates``),
marked here so that the portal's catalogues carry them too.

In Spanish, Brazilian Portuguese and French these names are written in lower case, also
inside a date ("6 de dezembro de 2026"); Django's Brazilian Portuguese catalogue gives them
capitalised. The portal's catalogues come before Django's (LOCALE_PATHS), so their
translations of these messages are the ones dates use. Nothing imports this module:
``makemessages`` reads it."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)

# Inside a date ("F" in a date format).
MONTHS = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)

# Standing alone ("E" in a date format).
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
