"""Input serializers' plumbing: references by slug read in one query per list, and
serializers whose content rules run on whatever passed the field checks."""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty, get_error_detail

from ssdc_portal.api.routers import SLUG_LOOKUP

SLUG = re.compile(SLUG_LOOKUP)


class LookupMixin:
    """A row of ``queryset`` named by its ``to_field`` (a slug, a code, a number). A list of
    them (``LookupListField``, ``RowsIn``) looks all its values up in one query first;
    ``unknown`` is the note for a value that names nothing (with ``%(value)s``)."""

    def __init__(self, *, queryset, unknown, to_field: str = "slug", **kwargs):
        self.queryset, self.unknown, self.to_field = queryset, unknown, to_field
        self.found: dict[str, Model] | None = None
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.queryset

    def is_name(self, value) -> bool:
        return True

    def look_up(self, values) -> None:
        names = {str(value) for value in values if self.is_name(value)}
        rows = self.get_queryset().filter(**{f"{self.to_field}__in": names}) if names else []
        self.found = {str(getattr(row, self.to_field)): row for row in rows}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if self.found is None:  # on its own, not in a list
            self.look_up([value])
        row = self.found.get(str(value)) if self.is_name(value) else None
        if row is None:
            raise ValidationError(str(self.unknown) % {"value": value}, code="unknown")
        return row


class SlugLookupField(LookupMixin, serializers.CharField):
    def is_name(self, value) -> bool:
        return isinstance(value, str) and SLUG.fullmatch(value) is not None


class NumberLookupField(LookupMixin, serializers.IntegerField):
    def is_name(self, value) -> bool:
        return isinstance(value, int | str) and str(value).isdigit() and len(str(value)) < 10


class LookupListField(serializers.ListField):
    """A list of references (sectors, SDG goals, modalities), read in one query."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            self.child.look_up(data)
        try:
            return super().to_internal_value(data)
        except ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            # One list of notes, as for any other field, rather than notes by position.
            notes = [note for notes in exc.detail.values() for note in notes]
            raise ValidationError(notes) from exc


class CheckedSerializer(serializers.Serializer):
    """A serializer whose content rules (``notes``) run even when some fields failed, on
    the values that passed, as the editor's forms run theirs: every note comes back at once
    (a field that failed its own check gets no further note).
    Notes are named by model field (``actor``) and reported under the API's name
    (``organisation``)."""

    def notes(self, values: dict) -> dict[str, str]:
        return {}

    def check(self, data) -> tuple[dict, dict]:
        values, errors = {}, {}
        for field in self._writable_fields:
            primitive = field.get_value(data)
            if primitive is empty:
                # Rows are whole even within a change (DRF would skip their missing fields).
                if field.required and not self.partial:
                    errors[field.field_name] = [field.error_messages["required"]]
                continue
            try:
                value = field.run_validation(primitive)
            except ValidationError as exc:
                errors[field.field_name] = exc.detail
            except DjangoValidationError as exc:
                errors[field.field_name] = get_error_detail(exc)
            except SkipField:
                continue
            else:
                values[field.source] = value
        api_names = {field.source: field.field_name for field in self._writable_fields}
        for name, note in self.notes(values).items():
            errors.setdefault(api_names.get(name, name), [note])  # one note per field
        return values, errors

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        values, errors = self.check(data)
        if errors:
            raise ValidationError(errors)
        return values


class RowsIn(serializers.ListSerializer):
    """The rows of one part of a record. Errors come back as ``{"rows": [one object of
    notes per row sent], "errors": [notes on the part as a whole]}``."""

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(isinstance(row, Mapping) for row in data):
            raise ValidationError([_("Give a list of objects.")])
        for field in self.child.fields.values():
            if isinstance(field, LookupMixin):
                field.look_up([row[field.field_name] for row in data if field.field_name in row])
        checked = [self.child.check(row) for row in data]
        rows = [values for values, _errors in checked]
        row_errors = [errors for _values, errors in checked]
        part_errors = self.child.part_notes(rows, row_errors)
        if any(row_errors) or part_errors:
            raise ValidationError({"rows": row_errors, "errors": part_errors})
        return rows


class RowIn(CheckedSerializer):
    class Meta:
        list_serializer_class = RowsIn

    def part_notes(self, rows: list[dict], row_errors: list[dict]) -> list[str]:
        """Notes on the part as a whole; may add notes to ``row_errors``."""
        return []
