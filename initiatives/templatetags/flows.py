"""``{% flow initiative %}``: where an initiative works from and where it works in, as the
lists of initiatives show it ("Brazil, Mexico → Haiti"). Written in Python rather than by
an included template: a page lists up to forty initiatives, and an include costs more to
render than the few names it writes."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


def _names(links) -> str:
    return ", ".join(str(link.country.name) for link in links)


@register.simple_tag
def flow(initiative) -> str:
    """Needs the initiative's ``country_links`` with their countries (``for_listing``)."""
    return format_html(
        '<span class="flow">{} <span aria-hidden="true">→</span>'
        '<span class="visually-hidden">{}</span> {}</span>',
        _names(initiative.provider_links) or gettext("provider not given"),
        gettext("to"),
        _names(initiative.recipient_links) or gettext("recipient not given"),
    )
