"""The rules of an initiative's content, written once.

The editor's forms (``initiatives.editor.forms``) and the write API's input serializers
(``initiatives.api.writes``) both call these, so a record gets the same notes whichever way
it is written. Each rule reads the values that passed their own field checks (a mapping of
field names to cleaned values, where a missing or ``None`` value means "not given or not
valid") and returns the notes it has, by field: ``{}`` when all is well.
"""

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives.models import InitiativeCountry, NonMonetaryContribution
from organisations.services import organisation_proposal_errors
from principles.models import PrincipleEvidence

Notes = dict[str, str]

# The most rows one part of a record may have. Far above any real record (dozens of
# countries at most), and low enough that a tampered row count cannot make the server build
# and render thousands of forms: more rows than this are refused with a note.
MAX_ROWS = 100

# Pairs of fields where the second may not come before the first, with the note for it.
ORDERED_FIELDS = [
    ("planned_start", "planned_end", gettext_lazy("The end cannot come before the start.")),
    ("actual_start", "actual_end", gettext_lazy("The end cannot come before the start.")),
    ("start_year", "end_year", gettext_lazy("The end year cannot come before the start year.")),
]


def initiative_notes(values: Mapping) -> Notes:
    """The record's own fields: dates and years in order."""
    notes = {}
    for start, end, note in ORDERED_FIELDS:
        if values.get(start) and values.get(end) and values[end] < values[start]:
            notes[end] = str(note)
    return notes


def _repeats(rows: Sequence[Mapping], fields: Sequence[str], note: str) -> list[Notes]:
    """``note`` on the first of ``fields`` of each row that repeats an earlier row's values
    of ``fields`` (rows without that first value are not compared)."""
    notes: list[Notes] = []
    seen = set()
    for row in rows:
        key = tuple(getattr(row.get(name), "pk", row.get(name)) for name in fields)
        notes.append({fields[0]: note} if key[0] and key in seen else {})
        seen.add(key)
    return notes


def country_rows_notes(rows: Sequence[Mapping]) -> tuple[list[Notes], list[str]]:
    """Countries: each country once per role, and each role's shares (where given) adding up
    to 100. Returns the notes of each row and the notes of the part as a whole."""
    row_notes = _repeats(
        rows, ["country", "role"], _("This country is already listed with this role.")
    )
    shares: dict[str, list[Decimal]] = {"provider": [], "recipient": []}
    for row in rows:
        if row.get("country") and row.get("share") is not None and row.get("role") in shares:
            shares[row["role"]].append(row["share"])
    part_notes = [
        _("The %(role)s shares add up to %(total)s%%; they should add up to 100%%.")
        % {"role": InitiativeCountry.Role(role).label.lower(), "total": sum(values)}
        for role, values in shares.items()
        if values and sum(values) != 100
    ]
    return row_notes, part_notes


def participant_row_notes(values: Mapping, *, by) -> Notes:
    """A participant is an organisation already in the portal or a new one proposed by name
    (with its type, and not the name of one ``by`` could have picked)."""
    name = (values.get("new_organisation_name") or "").strip()
    if values.get("actor") and name:
        return {
            "new_organisation_name": _(
                "Choose an existing organisation or name a new one, not both."
            )
        }
    if not values.get("actor") and not name:
        return {"actor": _("Choose an organisation or name a new one.")}
    if name:
        return organisation_proposal_errors(
            name=name, organisation_type=values.get("new_organisation_type") or "", by=by
        )
    return {}


def participant_rows_notes(rows: Sequence[Mapping]) -> list[Notes]:
    """Each organisation once per role."""
    return _repeats(
        rows, ["actor", "role"], _("This organisation is already listed with this role.")
    )


def funding_row_notes(values: Mapping) -> Notes:
    """An amount has a currency (and the other way round); years in order, and the exact
    date within them."""
    notes = {}
    if values.get("amount") is not None and not values.get("currency"):
        notes["currency"] = _("Give the currency of the amount.")
    if values.get("currency") and values.get("amount") is None:
        notes["amount"] = _("Give the amount, or leave the currency empty.")
    start, end = values.get("year_start"), values.get("year_end")
    if start and end and end < start:
        notes["year_end"] = _("The last year cannot come before the first.")
    date = values.get("date")
    if date and ((start and date.year < start) or (end and date.year > end)):
        notes["date"] = _("The date falls outside the years given.")
    return notes


def non_monetary_row_notes(values: Mapping) -> Notes:
    """A contribution in kind has a unit when its kind is "other", and a quantity above 0."""
    notes = {}
    if values.get("kind") == NonMonetaryContribution.Kind.OTHER and not values.get("unit"):
        notes["unit"] = _("Give the unit, e.g. “seed packets”.")
    if values.get("quantity") is not None and values["quantity"] <= 0:
        notes["quantity"] = _("Give a number above zero.")
    return notes


def evidence_row_notes(values: Mapping) -> Notes:
    """Evidence stronger than a claim names its source. (That the source is one of the
    record's own is checked where the source is picked: the form's menu, the API's lookup,
    and again by ``initiative_rows_replace``.)"""
    if (values.get("strength") or 1) > 1 and not values.get("source"):
        return {"source": _("Evidence that is documented or evaluated needs its source.")}
    return {}


def evidence_rows_notes(rows: Sequence[Mapping]) -> list[Notes]:
    """Each principle once per source (and once without one)."""
    return _repeats(
        rows, ["principle", "source"], _("This principle is already evidenced with this source.")
    )


def translation_rows_notes(rows: Sequence[Mapping], *, original_language: str) -> list[Notes]:
    """Translations of the record's text: each into a language other than the one the record
    is written in (``original_language``), and one per language."""
    return _translation_notes(
        rows,
        ["language"],
        _("There is already a translation into this language."),
        original_language,
    )


def outcome_translation_rows_notes(
    rows: Sequence[Mapping], *, original_language: str
) -> list[Notes]:
    """Translations of the outcomes: as for the record's text, one per language per outcome."""
    return _translation_notes(
        rows,
        ["language", "outcome"],
        _("This outcome already has a translation into this language."),
        original_language,
    )


def lesson_translation_rows_notes(
    rows: Sequence[Mapping], *, original_language: str
) -> list[Notes]:
    """Translations of the lessons: one per language per lesson, as for the outcomes."""
    return _translation_notes(
        rows,
        ["language", "lesson"],
        _("This lesson already has a translation into this language."),
        original_language,
    )


def _translation_notes(rows, fields, repeated: str, original_language: str) -> list[Notes]:
    notes = _repeats(rows, fields, repeated)
    for row, row_notes in zip(rows, notes, strict=True):
        if original_language and row.get("language") == original_language:
            row_notes["language"] = _(
                "The record is written in this language already; choose another."
            )
    return notes


def removed_outcome_notes(values: Mapping, removed: Collection[int]) -> Notes:
    """A row kept for an outcome (an indicator, a translation) whose outcome is being removed
    (its id among ``removed``): the outcome's rows go with it."""
    outcome = values.get("outcome")
    # (A new outcome, typed in the same sitting, has no id yet.)
    if getattr(outcome, "pk", None) in removed:
        return {"outcome": _("This outcome is being removed: remove this row as well, or keep it.")}
    return {}


def removed_lesson_notes(values: Mapping, removed: Collection[int]) -> Notes:
    """A translation kept for a lesson that is being removed: it goes with its lesson."""
    if getattr(values.get("lesson"), "pk", None) in removed:
        return {"lesson": _("This lesson is being removed: remove this row as well, or keep it.")}
    return {}


def sources_removal_notes(removed) -> list[str]:
    """Sources that principle evidence cites cannot be removed (the evidence would lose its
    backing): one note for each such source among ``removed``."""
    ids = [source.pk for source in removed if source.pk]
    cited = (
        PrincipleEvidence.objects.filter(source__in=ids).values("source").distinct().count()
        if ids
        else 0
    )
    return [_("This source backs principle evidence: change or remove it first.")] * cited
