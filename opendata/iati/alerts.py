"""Telling moderators that a build of the public IATI files did not validate."""

from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from ssdc_portal import links

SHOWN_PROBLEMS = 20


def tell_moderators(problems: list[str], *, site_url: str = "") -> int:
    """E-mail every moderator, each in their language; returns the messages sent."""
    moderators = User.objects.moderators().exclude(email="").order_by("email")
    messages, written = [], {}
    with links.recorded_site_url(site_url):
        for user in moderators.only("email", "language"):
            language = user.preferred_language
            if language not in written:
                with translation.override(language):
                    context = {
                        "problems": problems[:SHOWN_PROBLEMS],
                        "more": max(len(problems) - SHOWN_PROBLEMS, 0),
                        "link": links.absolute_url(reverse("data-home") + "#data-iati"),
                    }
                    subject = render_to_string("opendata/email/iati_invalid_subject.txt", context)
                    body = render_to_string("opendata/email/iati_invalid_body.txt", context)
                    written[language] = (subject.strip(), body)
            messages.append((*written[language], None, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
