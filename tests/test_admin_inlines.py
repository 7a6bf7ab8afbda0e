"""Every inline of the portal's admin names each of its controls for screen readers: a
tabular inline shows a field's label only once, in its column header."""

import pytest
from django.contrib import admin
from lxml import html

from tests.factories import UserFactory

INLINES = [
    (model_admin, inline)
    for model_admin in admin.site._registry.values()
    for inline in model_admin.inlines
]


def unnamed_controls(markup: str) -> list[str]:
    page = html.fragment_fromstring(markup, create_parent="div")
    return [
        control.get("name")
        for control in page.xpath(".//input | .//select | .//textarea")
        if control.get("type") != "hidden" and not (control.get("aria-label") or "").strip()
    ]


@pytest.mark.parametrize(
    ("model_admin", "inline"),
    INLINES,
    ids=[f"{admin.model._meta.label}.{inline.__name__}" for admin, inline in INLINES],
)
def test_every_control_of_an_inline_row_has_an_accessible_name(rf, db, model_admin, inline):
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    inline_admin = inline(model_admin.model, admin.site)
    formset = inline_admin.get_formset(request, None)(instance=model_admin.model())
    row = formset.empty_form

    controls = "".join(str(row[name]) for name in row.fields)

    assert row.fields, "the row has fields"
    assert unnamed_controls(controls) == []
