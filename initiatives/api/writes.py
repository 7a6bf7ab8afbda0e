"""Writing initiatives through the API with the browser form's own validation.

A JSON body is turned into the form data the record's form page would post, then validated
and saved by :class:`InitiativeEditor` — one set of rules for both. A list given in the body
(``countries``, ``participants``…) replaces the record's rows of that kind; a list left out
is kept as it is. Changes need ``If-Match`` with the record's ETag (its version).
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from funding.models import FundingModel
from initiatives.editor.editing import InitiativeEditor
from initiatives.editor.forms import MAX_ROWS, InitiativeForm
from initiatives.models import (
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Participation,
    Source,
)
from organisations.models import Organisation, OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.iati import ResultType
from reference.models import Modality
from ssdc_portal.api.errors import PreconditionFailed, PreconditionRequired
from ssdc_portal.api.routers import SLUG_LOOKUP

# API list name → (formset prefix, {API field: (form field, model to look a slug up in)}).
PARTS = {
    "countries": ("countries", {}),
    "participants": ("participants", {"organisation": ("actor", Organisation)}),
    "funding": (
        "funding",
        {"funding_model": ("funding_model", FundingModel), "funder": ("funder", Organisation)},
    ),
    "outcomes": ("outcomes", {}),
    "non_monetary_contributions": ("nonmonetary", {}),
    "sources": ("sources", {}),
    "evidence": ("evidence", {"principle": ("principle", Principle)}),
}
RENAMED = {"in_kind": "is_in_kind"}
# Every list a body may carry; none may be longer than a record's part may be.
LISTS = {*PARTS, "sectors", "sdg_goals", "modalities"}
SLUG = re.compile(SLUG_LOOKUP)


def etag(initiative: Initiative) -> str:
    return f'"v{initiative.version}"'


def expected_version(request, initiative: Initiative) -> int:
    """The version the client read, from If-Match; 428 without it, 412 if it is stale."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header != "*" and header.removeprefix("W/") != etag(initiative):
        raise PreconditionFailed()
    return initiative.version


def _pks_by_slug(model, values) -> dict[str, int]:
    """The pk of each row of ``model`` whose slug is among ``values``, in one query. Values
    that cannot be slugs (a NUL byte, an object) are not looked up."""
    slugs = {str(value) for value in values if SLUG.fullmatch(str(value))}
    if not slugs:
        return {}
    return dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))


def _pk_or_unknown(pks_by_slug: dict[str, int], slug):
    """A slug as the form expects it: the row's pk, empty for none, or a value the form
    refuses as an unknown choice."""
    if slug in (None, ""):
        return ""
    found = pks_by_slug.get(str(slug))
    return found if found is not None else f"unknown:{slug}"


def _slugs_to_pks(model, slugs: list) -> list:
    found = _pks_by_slug(model, slugs)
    return [_pk_or_unknown(found, slug) for slug in slugs]


def _check_list_sizes(payload: dict) -> None:
    """Refuses any list longer than a record may hold before a single item is read."""
    too_long = {
        name: [
            ngettext(
                "Send at most %(limit)d item (%(count)d were sent).",
                "Send at most %(limit)d items (%(count)d were sent).",
                MAX_ROWS,
            )
            % {"limit": MAX_ROWS, "count": len(value)}
        ]
        for name, value in payload.items()
        if name in LISTS and isinstance(value, list) and len(value) > MAX_ROWS
    }
    if too_long:
        raise ValidationError(too_long)


def _field_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    return value if isinstance(value, list) else str(value)


def _record_data(form) -> dict:
    """The record's current values as the form page would post them."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            data[name] = value
        elif value is None:
            data[name] = ""
        else:
            data[name] = str(value.pk if hasattr(value, "pk") else value)
    return data


def _part_data(editor: InitiativeEditor, api_name: str, rows) -> dict:
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError({api_name: [_("Give a list of objects.")]})
    prefix, lookups = PARTS[api_name]
    found = {
        key: _pks_by_slug(model, [row[key] for row in rows if key in row])
        for key, (_field, model) in lookups.items()
    }
    existing = list(editor.formsets[prefix].get_queryset().values_list("pk", flat=True))
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(existing) + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
    }
    for index, pk in enumerate(existing):
        data[f"{prefix}-{index}-id"] = str(pk)
        data[f"{prefix}-{index}-DELETE"] = "on"
    for offset, row in enumerate(rows, start=len(existing)):
        for key, value in row.items():
            if key in lookups:
                data[f"{prefix}-{offset}-{lookups[key][0]}"] = _pk_or_unknown(found[key], value)
            else:
                data[f"{prefix}-{offset}-{RENAMED.get(key, key)}"] = _field_value(value)
    return data


def bind_editor(*, user, initiative: Initiative, payload) -> InitiativeEditor:
    """An editor bound to ``payload`` over the record's current values."""
    if not isinstance(payload, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    writable = set(InitiativeForm.Meta.fields) - ({"owner"} if initiative.pk else set())
    unknown = set(payload) - set(PARTS) - writable
    if unknown:
        raise ValidationError(
            {name: [_("This field is unknown or read-only.")] for name in unknown}
        )
    _check_list_sizes(payload)
    parts = [PARTS[name][0] for name in PARTS if name in payload]
    current = InitiativeEditor(user=user, initiative=initiative, parts=parts)
    data = _record_data(current.form)
    for name, value in payload.items():
        if name in PARTS:
            data.update(_part_data(current, name, value))
        elif name == "owner":
            data[name] = _slugs_to_pks(Organisation, [value])[0]
        elif name == "modalities":
            slugs = value if isinstance(value, list) else [value]
            data[name] = [str(pk) for pk in _slugs_to_pks(Modality, slugs)]
        else:
            data[name] = _field_value(value)
    data["version"] = str(initiative.version) if initiative.pk else ""
    return InitiativeEditor(user=user, initiative=initiative, data=data, parts=parts)


def editor_errors(editor: InitiativeEditor) -> dict:
    """The form's notes keyed like the JSON body: fields, and rows of each list by position."""
    errors = dict(editor.form.errors)
    errors.pop("version", None)
    for api_name, (prefix, lookups) in PARTS.items():
        formset = editor.formsets.get(prefix)
        if formset is None:
            continue
        initial = formset.initial_form_count()
        reverse_names = {form_field: key for key, (form_field, _model) in lookups.items()}
        reverse_names |= {value: key for key, value in RENAMED.items()}
        rows = [
            {reverse_names.get(field, field): messages for field, messages in form.errors.items()}
            for form in formset.forms[initial:]
        ]
        if any(rows) or formset.non_form_errors():
            errors[api_name] = {"rows": rows, "errors": list(formset.non_form_errors())}
    return errors


# ---- the write body, described for the OpenAPI document ----


class _CountryRow(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    role = serializers.ChoiceField(choices=InitiativeCountry.Role.choices)
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Share in %, 0–100; if given, each role's shares add up to 100.",
    )


class _ParticipantRow(serializers.Serializer):
    organisation = serializers.CharField(
        required=False, help_text="Slug of an organisation already in the portal…"
    )
    new_organisation_name = serializers.CharField(required=False, help_text="…or a new one.")
    new_organisation_type = serializers.ChoiceField(
        choices=OrganisationType.choices, required=False
    )
    new_organisation_country = serializers.CharField(required=False)
    role = serializers.ChoiceField(choices=Participation.Role.choices)


class _FundingRow(serializers.Serializer):
    funding_model = serializers.CharField(help_text="Slug of a funding model.")
    funder = serializers.CharField(required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    currency = serializers.CharField(required=False, help_text="ISO 4217, with an amount.")
    year_start = serializers.IntegerField(required=False)
    year_end = serializers.IntegerField(required=False)
    in_kind = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False)


class _EvidenceRow(serializers.Serializer):
    principle = serializers.CharField(help_text="Slug of a principle, e.g. ownership.")
    stance = serializers.ChoiceField(choices=PrincipleEvidence.Stance.choices)
    strength = serializers.ChoiceField(choices=PrincipleEvidence.Strength.choices)
    narrative = serializers.CharField()
    quote = serializers.CharField(required=False)
    source = serializers.IntegerField(required=False, help_text="ID of one of its sources.")


class _OutcomeRow(serializers.Serializer):
    title = serializers.CharField()
    narrative = serializers.CharField(required=False)
    result_type = serializers.ChoiceField(choices=ResultType.choices, required=False)


class _SourceRow(serializers.Serializer):
    citation = serializers.CharField()
    url = serializers.URLField(required=False)
    document_type = serializers.ChoiceField(choices=Source.DocumentType.choices, required=False)
    year = serializers.IntegerField(required=False)
    language = serializers.CharField(required=False, help_text="ISO 639-1.")


class _NonMonetaryRow(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NonMonetaryContribution.Kind.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit = serializers.CharField(required=False, help_text="Needed when kind is other.")
    year = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False)


class InitiativeWriteSchema(serializers.Serializer):
    """What a create or change may carry; on a change every key is optional."""

    owner = serializers.CharField(help_text="On create: slug of one of your organisations.")
    title = serializers.CharField(max_length=250)
    summary = serializers.CharField(max_length=1000)
    description = serializers.CharField(required=False)
    language = serializers.CharField(required=False, help_text="ISO 639-1, e.g. en, pt.")
    activity_status = serializers.IntegerField(required=False, help_text="IATI ActivityStatus.")
    cooperation_type = serializers.ChoiceField(choices=Initiative.CooperationType.choices)
    planned_start = serializers.DateField(required=False)
    planned_end = serializers.DateField(required=False)
    actual_start = serializers.DateField(required=False)
    actual_end = serializers.DateField(required=False)
    start_year = serializers.IntegerField(required=False)
    end_year = serializers.IntegerField(required=False)
    sectors = serializers.ListField(child=serializers.CharField(), required=False)
    sdg_goals = serializers.ListField(child=serializers.IntegerField(), required=False)
    modalities = serializers.ListField(child=serializers.CharField(), required=False)
    is_fragile_state = serializers.BooleanField(required=False)
    is_post_disaster = serializers.BooleanField(required=False)
    is_conflict_affected = serializers.BooleanField(required=False)
    provider_government_involvement = serializers.CharField(required=False)
    recipient_government_involvement = serializers.CharField(required=False)
    coordinates_with_other_donors = serializers.BooleanField(required=False, allow_null=True)
    coordination_note = serializers.CharField(required=False)
    lessons_learned = serializers.CharField(required=False)
    countries = _CountryRow(many=True, required=False, help_text="Replaces the countries.")
    participants = _ParticipantRow(many=True, required=False)
    funding = _FundingRow(many=True, required=False)
    evidence = _EvidenceRow(many=True, required=False)
    outcomes = _OutcomeRow(many=True, required=False)
    sources = _SourceRow(many=True, required=False, help_text="Documents are uploaded on the page.")
    non_monetary_contributions = _NonMonetaryRow(many=True, required=False)
