"""Markup of the list page's facet options.

A facet can offer hundreds of options (organisations, countries), and the list page shows
about six hundred in all. Written by the template language that took most of the page's
time, so the options are written here, from parts escaped once per process.
"""

import functools

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from charts.svg import figure

register = template.Library()


@register.simple_tag
def facet_options(facet, options):
    """``options`` of ``facet`` as checkbox list items (the caller writes the ``<ul>``)."""
    language = get_language()
    parts = []
    for option in options:
        opening, label = _option_parts(facet.name, option.value, option.dom_id, option.label)
        parts += [
            opening,
            " checked" if option.selected else "",
            label,
            _figure(option.count, language),
            ")</span></label></li>",
        ]
    return mark_safe("".join(parts))  # noqa: S308 - escaped by _option_parts and _figure


@functools.lru_cache(maxsize=16384)
def _option_parts(name: str, value: str, dom_id: str, label: str) -> tuple[str, str]:
    """An option's markup up to where it is checked, and from there up to its count, escaped.

    The same few hundred options appear on every list page: escaping their names, values
    and labels again each time took a good part of the page's time."""
    dom_id = f"f-{name}-{dom_id}"
    return (
        format_html('<li><input type="checkbox" name="{}" value="{}" id="{}"', name, value, dom_id),
        format_html('> <label for="{}">{} <span class="facet-count">(', dom_id, label),
    )


@functools.lru_cache(maxsize=4096)
def _figure(count: int, language: str | None) -> str:
    """``count`` as people read it in ``language`` (the active one), escaped."""
    return escape(figure(count))
