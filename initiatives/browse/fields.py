"""The kinds of filter field the facets and the other filters of the list use.

Every value a visitor gives is validated (an unknown country, a malformed sector code, a
modality that does not exist…) and reported as a form error — the page shows it, the API
answers 400 — never a server error.
"""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class CodeMultipleChoiceField(forms.MultipleChoiceField):
    """Several codes from a vocabulary kept in the database (sectors, modalities…).

    Only the values actually given are looked up, in one query, so an unfiltered request
    costs nothing; a malformed or unknown value is reported by name.
    """

    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not a known %(vocabulary)s."),
    }

    def __init__(self, *, queryset=None, to_field="slug", pattern=r"[-\w]{1,60}", **kwargs):
        kwargs.pop("choices", None)
        self.vocabulary = kwargs.pop("vocabulary", "")
        super().__init__(**kwargs)
        self.queryset, self.to_field, self.pattern = queryset, to_field, re.compile(pattern)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        malformed = [v for v in value if not self.pattern.fullmatch(v)]
        known = set()
        if value and not malformed:
            known = set(
                self.queryset.filter(**{f"{self.to_field}__in": value}).values_list(
                    self.to_field, flat=True
                )
            )
        for item in malformed or [v for v in value if v not in known]:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": item[:60], "vocabulary": self.vocabulary},
            )


class CodeFilter(django_filters.MultipleChoiceFilter):
    field_class = CodeMultipleChoiceField

    def __init__(self, *args, queryset, vocabulary, to_field="slug", pattern=r"[-\w]{1,60}", **kw):
        super().__init__(
            *args,
            queryset=queryset,
            vocabulary=vocabulary,
            to_field=to_field,
            pattern=pattern,
            distinct=False,
            **kw,
        )


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """Several values from a fixed list, applied by the named ``method``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, distinct=False, **kwargs)


YEAR_RANGE = {"min_value": 1950, "max_value": 2100}


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **YEAR_RANGE, **kwargs)
