"""Admin building blocks shared by the apps.

Admin lists of the rows that make up an initiative (countries, participants, funding…) are
for searching and reading across records. Changes are made on the initiative's own
page, where they go through ``initiative_save``: one attributed revision, a version bump and
the conflict check. Editing a row on its own would bypass all three.

Inlines: every inline of the portal's admin is one of ``TabularInline``, ``StackedInline`` or
``ReadOnlyInline`` below, which give each control of a row its own accessible name (see
``NamedControlsMixin``).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget, RelatedFieldWidgetWrapper
from django.db import models
from django.forms.utils import pretty_name
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The admin is the moderators' desk of the portal: it carries the portal's name, and its
# "View site" link leads to the public home page in the moderator's language.
admin.site.site_header = gettext_lazy("SSDC Portal")
admin.site.site_title = gettext_lazy("SSDC Portal")
admin.site.index_title = gettext_lazy("Moderation")
admin.site.site_url = reverse_lazy("home")

# Every table carries them; the admin shows them read-only.
TIMESTAMPS = ("created_at", "updated_at")


class ReadOnlyAdminMixin:
    """Nothing can be added, changed or deleted here: the rows are only looked at."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TimestampedAdmin(admin.ModelAdmin):
    """An admin of one of the portal's tables, showing its timestamps read-only."""

    readonly_fields = TIMESTAMPS


class RecordPartAdmin(ReadOnlyAdminMixin, TimestampedAdmin):
    pass


def name_control(widget: forms.Widget, name: str) -> None:
    """Give ``widget``'s control(s) ``name`` as their accessible name (``aria-label``), unless
    they already have one. A date-and-time field's two inputs are told apart."""
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget  # the wrapper shares its attributes with the select it wraps
    if widget.is_hidden:
        return
    if isinstance(widget, forms.SplitDateTimeWidget):
        date, time = widget.widgets
        date.attrs.setdefault("aria-label", _("%(field)s: date") % {"field": name})
        time.attrs.setdefault("aria-label", _("%(field)s: time") % {"field": name})
    elif isinstance(widget, forms.MultiWidget):
        for part in widget.widgets:
            part.attrs.setdefault("aria-label", name)
    else:
        widget.attrs.setdefault("aria-label", name)


class NamedControlsMixin:
    """Each control of an inline's rows carries its field's label as ``aria-label``.

    A tabular inline shows a field's label once, in the column header, and leaves the inputs
    of its rows without a label: a screen reader then announces "edit text" or "combo box"
    with no name (an accessibility failure, WCAG 1.3.1 and 4.1.2). Stacked inlines have
    visible labels, except the date and time inputs of a date-and-time field; the name given
    here is the visible label's own text. The formset is built for each request, so the names
    are in the moderator's language.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field_name, field in formset.form.base_fields.items():
            name_control(field.widget, str(field.label or pretty_name(field_name)))
        # The "delete" checkbox is added to each row by the formset itself.
        formset.deletion_widget = forms.CheckboxInput(attrs={"aria-label": _("Delete")})
        return formset


class TabularInline(NamedControlsMixin, admin.TabularInline):
    extra = 0


class StackedInline(NamedControlsMixin, admin.StackedInline):
    extra = 0
    # A row's long texts start at a few lines (the box grows as the moderator drags it), so
    # that the rows of a part can be seen together.
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 4})}}


class ReadOnlyInline(ReadOnlyAdminMixin, TabularInline):
    pass
