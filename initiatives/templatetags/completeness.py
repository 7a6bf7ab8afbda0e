"""``{% completeness_box initiative %}`` on the editor's page and
``{% completeness_summary initiative %}`` on the editor's dashboard: the same gaps (see
``initiatives.completeness``), linked to the sections of the editor's page."""

from django import template
from django.urls import reverse

from initiatives.completeness import completeness

register = template.Library()


@register.inclusion_tag("initiatives/editor/_completeness_box.html")
def completeness_box(initiative, worked_out=None):
    """The box at the top of the editor's page (nothing for a record not saved yet);
    ``worked_out`` is the record's completeness when the page has it already."""
    if not initiative.pk:
        worked_out = None
    elif worked_out is None:
        worked_out = completeness(initiative)
    return {"initiative": initiative, "completeness": worked_out}


@register.inclusion_tag("initiatives/editor/_completeness_summary.html")
def completeness_summary(initiative):
    """A dashboard row's few words: how complete, and what to add, each linked to its section
    of the editor's page (read from ``with_completeness``'s counts: no query)."""
    return {
        "initiative": initiative,
        "completeness": completeness(initiative),
        "edit_url": reverse("editor-initiative-edit", args=[initiative.slug]),
    }
