"""``{% completeness_box initiative %}`` on the editor's page and
``{% completeness_summary initiative %}`` on the editor's dashboard: the same gaps (see
``initiatives.completeness``), linked to the sections of the editor's page."""

from django import template
from django.urls import reverse

from initiatives.completeness import completeness

register = template.Library()


@register.inclusion_tag("initiatives/editor/_completeness_box.html")
def completeness_box(initiative):
    """The box at the top of the editor's page (nothing for a record not saved yet)."""
    return {
        "initiative": initiative,
        "completeness": completeness(initiative) if initiative.pk else None,
    }


@register.inclusion_tag("initiatives/editor/_completeness_summary.html")
def completeness_summary(initiative):
    """A dashboard row's few words: how complete, and what to add, each linked to its section
    of the editor's page (read from ``with_completeness``'s counts: no query)."""
    return {
        "initiative": initiative,
        "completeness": completeness(initiative),
        "edit_url": reverse("editor-initiative-edit", args=[initiative.slug]),
    }
