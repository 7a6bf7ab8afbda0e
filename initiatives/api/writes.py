"""Writing initiatives through the API.

An input serializer checks the JSON body: each field's type and range, the rows of each
list, and the rules of the content the editor's page also checks (``initiatives.rules``).
The record is then saved by ``services.initiative_save``, as the page saves it. A list given
in the body (``countries``, ``participants``…) replaces the record's rows of that kind; a
list left out is kept as it is. Changes need ``If-Match`` with the record's ETag (its
version).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import get_error_detail

from funding.models import FundingModel
from initiatives import rules, services
from initiatives.models import (
    ContentLanguage,
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    OutcomeTranslation,
    Participation,
    Source,
)
from learning.models import Lesson, LessonTranslation, Practice, Theme
from organisations.models import Organisation, OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.iati import ActivityStatus, ResultType, currency_choices, language_choices
from reference.models import Country, Modality, Sector, SustainableDevelopmentGoal
from ssdc_portal.api.errors import PreconditionFailed, PreconditionRequired
from ssdc_portal.api.inputs import (
    CheckedSerializer,
    LookupListField,
    NumberLookupField,
    RowIn,
    RowsIn,
    SlugLookupField,
)

# What a small positive number column (a year, a count) holds.
SMALL_NUMBER = {"min_value": 0, "max_value": 32767}
# An empty text where one is needed is refused in the words the page uses.
REQUIRED = {"blank": gettext_lazy("This field is required.")}


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


def _add_row_notes(row_errors: list[dict], row_notes: list[dict], api_names: dict) -> None:
    for errors, notes in zip(row_errors, row_notes, strict=True):
        for name, note in notes.items():
            errors.setdefault(api_names.get(name, name), []).append(note)


# ---- the rows of each part ----


class CountryLookupField(SlugLookupField):
    """A country, by its code."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Country.objects.all(),
            to_field="code",
            unknown=gettext_lazy("Unknown country: “%(value)s”."),
            **kwargs,
        )


class OrganisationLookupField(SlugLookupField):
    """An organisation the caller may see (as on the editor's menus), by its slug."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Organisation.objects.none(),
            unknown=gettext_lazy("Unknown organisation: “%(value)s”."),
            **kwargs,
        )

    def get_queryset(self):
        return Organisation.objects.visible_to(self.context["user"])


@extend_schema_serializer(component_name="_CountryRow")
class CountryRowIn(RowIn):
    """A country the initiative works from (provider) or in (recipient)."""

    country = CountryLookupField(help_text="ISO 3166-1 alpha-2 code.")
    role = serializers.ChoiceField(choices=InitiativeCountry.Role.choices)
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Share in %, 0–100; if given, each role's shares add up to 100.",
    )

    def part_notes(self, rows, row_errors):
        row_notes, part_notes = rules.country_rows_notes(rows)
        _add_row_notes(row_errors, row_notes, {})
        return part_notes


@extend_schema_serializer(component_name="_ParticipantRow")
class ParticipantRowIn(RowIn):
    """An organisation taking part, with its role."""

    organisation = OrganisationLookupField(
        source="actor", required=False, help_text="Slug of an organisation already in the portal…"
    )
    new_organisation_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="…or a new one."
    )
    new_organisation_type = serializers.ChoiceField(
        choices=OrganisationType.choices, required=False, allow_blank=True
    )
    new_organisation_country = CountryLookupField(required=False, allow_null=True)
    role = serializers.ChoiceField(choices=Participation.Role.choices)

    def notes(self, values):
        return rules.participant_row_notes(values, by=self.context["user"])

    def part_notes(self, rows, row_errors):
        _add_row_notes(row_errors, rules.participant_rows_notes(rows), {"actor": "organisation"})
        return []


@extend_schema_serializer(component_name="_FundingRow")
class FundingRowIn(RowIn):
    """A funding contribution; a currency (ISO 4217) goes with an amount."""

    funding_model = SlugLookupField(
        queryset=FundingModel.objects.all(),
        unknown=gettext_lazy("Unknown funding model: “%(value)s”."),
        help_text="Slug of a funding model.",
    )
    funder = OrganisationLookupField(required=False, allow_null=True)
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    currency = serializers.ChoiceField(choices=currency_choices(), required=False, allow_blank=True)
    year_start = serializers.IntegerField(required=False, allow_null=True, **SMALL_NUMBER)
    year_end = serializers.IntegerField(required=False, allow_null=True, **SMALL_NUMBER)
    date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The exact date the amount was committed, if known.",
    )
    in_kind = serializers.BooleanField(source="is_in_kind", required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def notes(self, values):
        return rules.funding_row_notes(values)


class SourceLookupField(NumberLookupField):
    """One of the record's own sources, by ID."""

    def get_queryset(self):
        initiative = self.context["initiative"]
        return initiative.sources.all() if initiative.pk else Source.objects.none()


@extend_schema_serializer(component_name="_EvidenceRow")
class EvidenceRowIn(RowIn):
    """Evidence that a principle was practised (or fell short)."""

    principle = SlugLookupField(
        queryset=Principle.objects.all(),
        unknown=gettext_lazy("Unknown principle: “%(value)s”."),
        help_text="Slug of a principle, e.g. ownership.",
    )
    stance = serializers.ChoiceField(choices=PrincipleEvidence.Stance.choices)
    strength = serializers.ChoiceField(choices=PrincipleEvidence.Strength.choices)
    narrative = serializers.CharField(error_messages=REQUIRED)
    quote = serializers.CharField(required=False, allow_blank=True)
    source = SourceLookupField(
        queryset=Source.objects.none(),
        to_field="pk",
        unknown=gettext_lazy("This record has no source %(value)s."),
        required=False,
        allow_null=True,
        help_text="ID of one of its sources.",
    )

    def notes(self, values):
        return rules.evidence_row_notes(values)

    def part_notes(self, rows, row_errors):
        _add_row_notes(row_errors, rules.evidence_rows_notes(rows), {})
        return []


@extend_schema_serializer(component_name="_OutcomeRow")
class OutcomeRowIn(RowIn):
    """A result the initiative reports."""

    title = serializers.CharField(max_length=250, error_messages=REQUIRED)
    narrative = serializers.CharField(required=False, allow_blank=True)
    result_type = serializers.ChoiceField(choices=ResultType.choices, required=False)


class PracticeLookupField(SlugLookupField):
    """A practice the caller may link a record to: an accepted one, or one their
    organisations proposed."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Practice.objects.none(),
            unknown=gettext_lazy("Unknown practice: “%(value)s”."),
            **kwargs,
        )

    def get_queryset(self):
        return Practice.objects.offered_to(self.context["user"])


class LearnedFromField(SlugLookupField):
    """Another initiative the caller may see, by its slug."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Initiative.objects.none(),
            unknown=gettext_lazy("Unknown initiative: “%(value)s”."),
            **kwargs,
        )

    def get_queryset(self):
        initiative = self.context["initiative"]
        visible = Initiative.objects.visible_to(self.context["user"])
        return visible.exclude(pk=initiative.pk) if initiative.pk else visible


@extend_schema_serializer(component_name="_PracticeRow")
class PracticeRowIn(RowIn):
    """A practice the initiative used, and the initiative it was learned from."""

    practice = PracticeLookupField(help_text="Slug of a practice (see /api/v1/practices/).")
    learned_from = LearnedFromField(
        required=False, allow_null=True, help_text="Slug of another initiative."
    )
    adaptation = serializers.CharField(required=False, allow_blank=True)

    def part_notes(self, rows, row_errors):
        seen = set()
        for row, errors in zip(rows, row_errors, strict=True):
            practice = row.get("practice")
            if practice is not None and practice.pk in seen:
                errors.setdefault("practice", []).append(_("This practice is listed twice."))
            elif practice is not None:
                seen.add(practice.pk)
        return []


@extend_schema_serializer(component_name="_SourceRow")
class SourceRowIn(RowIn):
    """A document or page that backs the record."""

    citation = serializers.CharField(max_length=500, error_messages=REQUIRED)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    document_type = serializers.ChoiceField(choices=Source.DocumentType.choices, required=False)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    language = serializers.ChoiceField(choices=language_choices(), required=False, allow_blank=True)

    def part_notes(self, rows, row_errors):
        # The list replaces the record's sources: none that evidence cites may go.
        initiative = self.context["initiative"]
        return rules.sources_removal_notes(initiative.sources.all()) if initiative.pk else []


@extend_schema_serializer(component_name="_NonMonetaryRow")
class NonMonetaryRowIn(RowIn):
    """Effort given in kind."""

    kind = serializers.ChoiceField(choices=NonMonetaryContribution.Kind.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text="Needed when kind is other."
    )
    year = serializers.IntegerField(required=False, allow_null=True, **SMALL_NUMBER)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def notes(self, values):
        return rules.non_monetary_row_notes(values)


@extend_schema_serializer(component_name="_TranslationRow")
class TranslationRowIn(RowIn):
    """The record's text in another portal language than its own (``language``); the
    original stays as written. Readers of that language are shown the translation."""

    language = serializers.ChoiceField(
        choices=ContentLanguage.choices,
        help_text="One translation per language, other than the record's own.",
    )
    title = serializers.CharField(max_length=250, error_messages=REQUIRED)
    summary = serializers.CharField(max_length=1000, error_messages=REQUIRED)
    description = serializers.CharField(required=False, allow_blank=True)

    def part_notes(self, rows, row_errors):
        notes = rules.translation_rows_notes(rows, original_language=self.context["language"])
        _add_row_notes(row_errors, notes, {})
        return []


class PracticeLookupField(SlugLookupField):
    """A practice the caller may see (accepted, or proposed by their organisation)."""

    def get_queryset(self):
        return Practice.objects.visible_to(self.context["user"])


class OutcomeLookupField(NumberLookupField):
    """One of the record's own outcomes, by ID."""

    def get_queryset(self):
        initiative = self.context["initiative"]
        return initiative.outcomes.all() if initiative.pk else Outcome.objects.none()


@extend_schema_serializer(component_name="_OutcomeTranslationRow")
class OutcomeTranslationRowIn(RowIn):
    """An outcome's title and narrative in another portal language than the record's."""

    outcome = OutcomeLookupField(
        queryset=Outcome.objects.none(),
        to_field="pk",
        unknown=gettext_lazy("This record has no outcome %(value)s."),
        help_text="ID of one of its outcomes.",
    )
    language = serializers.ChoiceField(
        choices=ContentLanguage.choices,
        help_text="One translation per language and outcome, other than the record's own.",
    )
    title = serializers.CharField(max_length=250, error_messages=REQUIRED)
    narrative = serializers.CharField(required=False, allow_blank=True)

    def part_notes(self, rows, row_errors):
        notes = rules.outcome_translation_rows_notes(
            rows, original_language=self.context["language"]
        )
        _add_row_notes(row_errors, notes, {})
        return []


@extend_schema_serializer(component_name="_LessonRow")
class LessonRowIn(RowIn):
    """A lesson the initiative drew, and whom it is for."""

    text = serializers.CharField(error_messages=REQUIRED)
    for_civil_society = serializers.BooleanField(required=False)
    for_governments = serializers.BooleanField(required=False)
    for_funders = serializers.BooleanField(required=False)
    theme = SlugLookupField(
        queryset=Theme.objects.all(),
        unknown=gettext_lazy("Unknown theme: “%(value)s”."),
        required=False,
        allow_null=True,
        help_text="Slug of a theme, e.g. seeds-agroecology.",
    )
    practice = PracticeLookupField(
        queryset=Practice.objects.none(),
        unknown=gettext_lazy("Unknown practice: “%(value)s”."),
        required=False,
        allow_null=True,
        help_text="Slug of a practice the lesson is about.",
    )


class LessonLookupField(NumberLookupField):
    """One of the record's own lessons, by ID."""

    def get_queryset(self):
        initiative = self.context["initiative"]
        return initiative.lessons.all() if initiative.pk else Lesson.objects.none()


@extend_schema_serializer(component_name="_LessonTranslationRow")
class LessonTranslationRowIn(RowIn):
    """A lesson's text in another portal language than the record's."""

    lesson = LessonLookupField(
        queryset=Lesson.objects.none(),
        to_field="pk",
        unknown=gettext_lazy("This record has no lesson %(value)s."),
        help_text="ID of one of its lessons.",
    )
    language = serializers.ChoiceField(
        choices=ContentLanguage.choices,
        help_text="One translation per language and lesson, other than the record's own.",
    )
    text = serializers.CharField(error_messages=REQUIRED)

    def part_notes(self, rows, row_errors):
        notes = rules.lesson_translation_rows_notes(
            rows, original_language=self.context["language"]
        )
        _add_row_notes(row_errors, notes, {})
        return []


# ---- the record ----

# API list name → the record's part it replaces (see ``initiatives.models.ROW_PARTS``).
PARTS = {
    "countries": "countries",
    "participants": "participants",
    "funding": "funding",
    "outcomes": "outcomes",
    "practices": "practices",
    "non_monetary_contributions": "nonmonetary",
    "sources": "sources",
    "evidence": "evidence",
    "translations": "translations",
    "outcome_translations": "outcome_translations",
    "lessons": "lessons",
    "lesson_translations": "lesson_translations",
}
RELATIONS = ["sectors", "sdg_goals", "modalities"]
# Every list a body may carry; none may be longer than a record's part may be.
LISTS = {*PARTS, *RELATIONS}


def _rows(row_serializer: type[RowIn], **kwargs) -> RowsIn:
    return row_serializer(many=True, required=False, max_length=rules.MAX_ROWS, **kwargs)


def _list_of(lookup: SlugLookupField | NumberLookupField) -> LookupListField:
    return LookupListField(child=lookup, required=False, max_length=rules.MAX_ROWS)


class OwnerField(SlugLookupField):
    """One of the caller's own organisations."""

    def get_queryset(self):
        return Organisation.objects.filter(memberships__user=self.context["user"])


@extend_schema_serializer(component_name="InitiativeWriteSchema")
class InitiativeWriteIn(CheckedSerializer):
    """What a create or change may carry; on a change every key is optional."""

    owner = OwnerField(
        queryset=Organisation.objects.none(),
        unknown=gettext_lazy("“%(value)s” is not one of your organisations."),
        help_text="On create: slug of one of your organisations.",
    )
    title = serializers.CharField(max_length=250, error_messages=REQUIRED)
    summary = serializers.CharField(max_length=1000, error_messages=REQUIRED)
    description = serializers.CharField(required=False, allow_blank=True)
    # The enums of the OpenAPI document list the codes: ISO 639-1, IATI ActivityStatus.
    language = serializers.ChoiceField(choices=language_choices(), required=False)
    activity_status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    cooperation_type = serializers.ChoiceField(choices=Initiative.CooperationType.choices)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_end = serializers.DateField(required=False, allow_null=True)
    start_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1950, max_value=2100
    )
    end_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1950, max_value=2100
    )
    sectors = _list_of(
        SlugLookupField(
            queryset=Sector.objects.filter(is_active=True),
            to_field="code",
            unknown=gettext_lazy("Unknown sector: “%(value)s”."),
        )
    )
    sdg_goals = _list_of(
        NumberLookupField(
            queryset=SustainableDevelopmentGoal.objects.all(),
            to_field="number",
            unknown=gettext_lazy("Unknown SDG goal: %(value)s."),
        )
    )
    modalities = _list_of(
        SlugLookupField(
            queryset=Modality.objects.all(), unknown=gettext_lazy("Unknown modality: “%(value)s”.")
        )
    )
    is_fragile_state = serializers.BooleanField(required=False)
    is_post_disaster = serializers.BooleanField(required=False)
    is_conflict_affected = serializers.BooleanField(required=False)
    provider_government_involvement = serializers.ChoiceField(
        choices=Initiative.GovernmentInvolvement.choices, required=False, allow_blank=True
    )
    recipient_government_involvement = serializers.ChoiceField(
        choices=Initiative.GovernmentInvolvement.choices, required=False, allow_blank=True
    )
    coordinates_with_other_donors = serializers.BooleanField(required=False, allow_null=True)
    coordination_note = serializers.CharField(required=False, allow_blank=True)
    countries = _rows(CountryRowIn, help_text="Replaces the countries.")
    participants = _rows(ParticipantRowIn)
    funding = _rows(FundingRowIn)
    evidence = _rows(EvidenceRowIn)
    outcomes = _rows(
        OutcomeRowIn,
        help_text="Replaces the outcomes, and with them their indicators and translations.",
    )
    practices = _rows(PracticeRowIn, help_text="Replaces the practices the initiative used.")
    sources = _rows(SourceRowIn, help_text="Documents are uploaded on the page.")
    non_monetary_contributions = _rows(NonMonetaryRowIn)
    translations = _rows(
        TranslationRowIn, help_text="Replaces the translations of the record's text."
    )
    outcome_translations = _rows(
        OutcomeTranslationRowIn,
        help_text="Replaces the translations of the outcomes; not together with outcomes.",
    )
    lessons = _rows(
        LessonRowIn, help_text="Replaces the lessons, and with them their translations."
    )
    lesson_translations = _rows(
        LessonTranslationRowIn,
        help_text="Replaces the translations of the lessons; not together with lessons.",
    )

    def notes(self, values):
        # On a change the rules see the record as it would be saved.
        initiative = self.context["initiative"]
        current = {start: getattr(initiative, start) for start, _end, _note in rules.ORDERED_FIELDS}
        current |= {end: getattr(initiative, end) for _start, end, _note in rules.ORDERED_FIELDS}
        notes = rules.initiative_notes(current | values)
        if values.get("outcome_translations") and "outcomes" in values:
            # The outcomes they name would be replaced by new ones in the same write.
            notes["outcome_translations"] = _(
                "Send the translations of the outcomes after replacing the outcomes, in a "
                "second request: they name the outcomes by their IDs."
            )
        if values.get("lesson_translations") and "lessons" in values:
            notes["lesson_translations"] = _(
                "Send the translations of the lessons after replacing the lessons, in a "
                "second request: they name the lessons by their IDs."
            )
        language = values.get("language")
        changed = initiative.pk and language and language != initiative.language
        if changed and self._keeps_translation_into(language, values):
            notes["language"] = _(
                "The record has a translation into this language: remove that "
                "translation (send the translations without it) before changing the "
                "record's language."
            )
        return notes

    def _keeps_translation_into(self, language: str, values: dict) -> bool:
        """Whether a translation this write leaves as it is is into ``language``."""
        initiative = self.context["initiative"]
        kept = []
        if "translations" not in values:
            kept.append(initiative.translations.filter(language=language))
        if "outcome_translations" not in values and "outcomes" not in values:
            kept.append(
                OutcomeTranslation.objects.filter(outcome__initiative=initiative, language=language)
            )
        if "lesson_translations" not in values and "lessons" not in values:
            kept.append(
                LessonTranslation.objects.filter(lesson__initiative=initiative, language=language)
            )
        return any(rows.exists() for rows in kept)


@extend_schema_serializer(component_name="PatchedInitiativeWriteSchema")
class InitiativeChangeIn(InitiativeWriteIn):
    """What a change may carry: any key of a create but the owner, which is fixed."""

    owner = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


def _check_list_sizes(payload: dict) -> None:
    """Refuses any list longer than a record may hold before a single item is read."""
    too_long = {
        name: [
            ngettext(
                "Send at most %(limit)d item (%(count)d were sent).",
                "Send at most %(limit)d items (%(count)d were sent).",
                rules.MAX_ROWS,
            )
            % {"limit": rules.MAX_ROWS, "count": len(value)}
        ]
        for name, value in payload.items()
        if name in LISTS and isinstance(value, list) and len(value) > rules.MAX_ROWS
    }
    if too_long:
        raise ValidationError(too_long)


def validated_write(*, payload, initiative: Initiative, user) -> dict:
    """The body of a create (``initiative`` not saved yet) or a change, checked; a 400 with
    every note by field otherwise."""
    if not isinstance(payload, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    writable = InitiativeChangeIn if initiative.pk else InitiativeWriteIn
    unknown = set(payload) - set(writable._declared_fields)
    if unknown:
        raise ValidationError(
            {name: [_("This field is unknown or read-only.")] for name in unknown}
        )
    _check_list_sizes(payload)
    # The language the record's text is written in once saved: translations are into others.
    language = payload.get("language", initiative.language)
    serializer = writable(
        data=payload, context={"initiative": initiative, "user": user, "language": language}
    )
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def initiative_write(
    *, initiative: Initiative, data: dict, by, expected_version: int | None
) -> Initiative:
    """Save a checked body (see :func:`validated_write`) through the service."""
    data = dict(data)
    rows = {part: data.pop(name) for name, part in PARTS.items() if name in data}
    relations = {name: data.pop(name) for name in RELATIONS if name in data}
    for name, value in data.items():
        setattr(initiative, name, value)
    try:
        return services.initiative_save(
            initiative=initiative,
            by=by,
            expected_version=expected_version,
            relations=relations,
            rows=rows,
        )
    except DjangoValidationError as refusal:  # a rule the service checks again as it writes
        raise ValidationError(get_error_detail(refusal)) from refusal
