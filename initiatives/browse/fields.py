"""The kinds of filter field the facets and the other filters of the list use.

Every value a visitor gives is validated (an unknown country, a malformed sector code, a
modality that does not exist…) and reported as a form error — the page shows it, the API
answers 400 — never a server error.
"""

import datetime
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
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


# An offset written with "+" reaches the server as a space when the client does not encode it.
_UNENCODED_OFFSET = re.compile(r" (\d\d(?::?\d\d)?)$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def moment_since(value: str) -> datetime.datetime | None:
    """A moment from an ISO 8601 date-time with its time zone ("2025-03-01T09:30:00Z",
    "…+02:00"), or from a date (the start of that day, in the portal's time zone); None if
    ``value`` is neither, or is a date-time without a time zone."""
    value = _UNENCODED_OFFSET.sub(r"+\1", value.strip())
    try:
        if _DATE.fullmatch(value):
            day = parse_date(value)
            return day and timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        moment = parse_datetime(value)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


class MomentField(forms.CharField):
    """A date, or a date-time with its time zone: see :func:`moment_since`."""

    default_error_messages = {
        "invalid": _(
            "Give a date (2025-03-01) or a date and time with its time zone (2025-03-01T09:30:00Z)."
        ),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        moment = moment_since(value)
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


class MomentFilter(django_filters.Filter):
    field_class = MomentField
