"""Markup of the list page's facet options.

A facet can offer hundreds of options (organisations, countries), and the list page shows
about six hundred in all. Written by the template language that took most of the page's
time, so each option is one ``format_html`` here; the markup is the same as before.
"""

from django import template
from django.utils.html import format_html, format_html_join

from charts.svg import figure

register = template.Library()

OPTION = (
    '<li><input type="checkbox" name="{name}" value="{value}" id="{id}"{checked}>'
    ' <label for="{id}">{label} <span class="facet-count">({count})</span></label></li>'
)


@register.simple_tag
def facet_options(facet, options):
    """``options`` of ``facet`` as checkbox list items (the caller writes the ``<ul>``)."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    OPTION,
                    name=facet.name,
                    value=option.value,
                    id=f"f-{facet.name}-{option.dom_id}",
                    checked=" checked" if option.selected else "",
                    label=option.label,
                    count=figure(option.count),
                ),
            )
            for option in options
        ),
    )
