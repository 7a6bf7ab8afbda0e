"""The column registry: every column of every tabular export, declared once.

The API's CSV (``?format=csv``), the dataset export (CSV, XLSX, JSON) and the dataset
releases read their column names, types and descriptions from here, and write lists with
the one :data:`LIST_SEPARATOR`; the data dictionary page prints this registry. A surface
picks the columns it writes by name (:meth:`Table.pick`), so a name it does not know is an
error when the module loads, not a drift found by a reader.

Types are those of Frictionless Table Schema (string, integer, number, boolean, date,
datetime). A list column holds several values of its type, written as text joined by the
separator.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LIST_SEPARATOR = "; "

TYPES = {
    "string": _("text"),
    "integer": _("whole number"),
    "number": _("decimal number"),
    "boolean": _("true or false"),
    "date": _("date (YYYY-MM-DD)"),
    "datetime": _("date and time (ISO 8601, UTC)"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: Promise
    is_list: bool = False

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Unknown column type {self.type!r} for {self.name!r}.")

    @property
    def type_label(self) -> str:
        if self.is_list:
            return _("list of %(type)s") % {"type": TYPES[self.type]}
        return str(TYPES[self.type])

    @property
    def schema_type(self) -> str:
        """The Table Schema type of a cell: a list is text."""
        return "string" if self.is_list else self.type


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    description: Promise
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"The {self.name} table has no column {name!r}.")

    def pick(self, *names: str) -> list[Column]:
        return [self[name] for name in names]


def _list(name: str, type_: str, description: Promise) -> Column:
    return Column(name, type_, description, is_list=True)


_TO_INITIATIVE = (ForeignKey(("initiative",), "initiatives", ("slug",)),)

INITIATIVES = Table(
    "initiatives",
    _("One row per initiative."),
    (
        Column("slug", "string", _("Identifier of the record, unique and stable.")),
        Column("page", "string", _("Address of the record's public page.")),
        Column("title", "string", _("Title.")),
        Column("summary", "string", _("Short description.")),
        Column("language", "string", _("Language the text is written in (ISO 639-1).")),
        Column(
            "state",
            "string",
            _(
                "Moderation state (draft, submitted, returned, published, archived); every row "
                "is 'published' unless the export included unpublished records."
            ),
        ),
        Column(
            "cooperation_type",
            "string",
            _("bilateral, triangular (with a traditional donor or multilateral) or regional."),
        ),
        Column(
            "activity_status",
            "integer",
            _("IATI activity status code (1 pipeline to 6 suspended)."),
        ),
        Column("activity_status_label", "string", _("Name of the IATI activity status.")),
        Column(
            "start_year",
            "integer",
            _(
                "Year work began: from the actual start date, else the planned one, else the "
                "year given."
            ),
        ),
        Column(
            "end_year",
            "integer",
            _(
                "Year work ended: from the actual end date, else the planned one, else the year "
                "given."
            ),
        ),
        Column("planned_start", "date", _("Planned start date.")),
        Column("planned_end", "date", _("Planned end date.")),
        Column("actual_start", "date", _("Actual start date.")),
        Column("actual_end", "date", _("Actual end date.")),
        Column("owner", "string", _("Slug of the organisation that keeps the record.")),
        Column("owner_name", "string", _("Name of that organisation.")),
        _list(
            "provider_countries",
            "string",
            _("Countries the cooperation comes from (ISO 3166-1 alpha-2), largest share first."),
        ),
        _list(
            "recipient_countries",
            "string",
            _(
                "Countries the cooperation takes place in (ISO 3166-1 alpha-2), largest share "
                "first."
            ),
        ),
        _list(
            "recipient_shares",
            "string",
            _(
                "Share (%) of the effort in each recipient country, as 'code share'; countries "
                "with no share recorded are left out."
            ),
        ),
        _list(
            "participants",
            "string",
            _(
                "Organisations taking part, as 'slug (role)'; roles: lead, implementing, "
                "funding, partner, accountable."
            ),
        ),
        _list(
            "participant_types",
            "string",
            _("Kinds of organisation taking part (portal organisation type codes), each once."),
        ),
        _list("sectors", "string", _("OECD DAC 5-digit purpose codes.")),
        _list("sdg_goals", "integer", _("Sustainable Development Goals addressed (numbers 1–17).")),
        _list("modalities", "string", _("How knowledge is shared (portal modality slugs).")),
        _list(
            "funding_models",
            "string",
            _("Ways the initiative is financed (portal funding model slugs)."),
        ),
        _list(
            "funding_mix",
            "string",
            _(
                "Share (%) of each funding model, as 'slug share'. Shares follow the amounts "
                "when every contribution gives one in the same currency; otherwise each "
                "contribution counts equally."
            ),
        ),
        _list(
            "funding_totals",
            "string",
            _(
                "Sum of the amounts recorded, per currency, as 'currency amount' (ISO 4217). "
                "Contributions without an amount are not counted."
            ),
        ),
        Column(
            "in_kind",
            "boolean",
            _("Whether any funding contribution is given in kind rather than as money."),
        ),
        _list(
            "non_monetary_contributions",
            "string",
            _(
                "Effort given in kind, as 'kind quantity unit (year)': person_days, "
                "participants, exchange_visits, training_sessions or other."
            ),
        ),
        _list(
            "contexts",
            "string",
            _(
                "Difficult settings the work takes place in: fragile_state, post_disaster, "
                "conflict_affected."
            ),
        ),
        Column(
            "provider_government_involvement",
            "string",
            _(
                "Part played by the provider country's government: none, informed, consulted, "
                "collaborating or co_implementing; empty when not recorded."
            ),
        ),
        Column(
            "recipient_government_involvement",
            "string",
            _("Part played by the recipient country's government, on the same scale."),
        ),
        Column(
            "coordinates_with_other_donors",
            "boolean",
            _(
                "Whether the work is coordinated with other donors or international NGOs; "
                "empty when not recorded."
            ),
        ),
        Column("outcome_count", "integer", _("Number of outcomes reported.")),
        _list(
            "lessons",
            "string",
            _(
                "Lessons learned, each as written (in the record's language), in the record's "
                "order."
            ),
        ),
        _list(
            "lesson_audiences",
            "string",
            _(
                "Whom each lesson is for, in the order of 'lessons': civil_society, governments "
                "and/or funders joined by '+', or 'unspecified'."
            ),
        ),
        Column("source_count", "integer", _("Number of sources cited.")),
        Column(
            "evidence_count",
            "integer",
            _("Number of principle evidence items (rows of the principle_evidence table)."),
        ),
        _list(
            "principles_evidenced",
            "string",
            _("Principles with at least one evidence item, of either stance, as 'set/principle'."),
        ),
        Column("published_at", "datetime", _("When the record was first published (UTC).")),
        Column("updated_at", "datetime", _("When the record last changed (UTC).")),
    ),
    primary_key=("slug",),
)

PRINCIPLE_EVIDENCE = Table(
    "principle_evidence",
    _(
        "One row per item of evidence that an initiative practised a principle, or fell short "
        "of it."
    ),
    (
        Column("initiative", "string", _("Slug of the initiative.")),
        Column("initiative_title", "string", _("Title of the initiative.")),
        Column("principle_set", "string", _("Slug of the set of principles.")),
        Column("principle", "string", _("Slug of the principle within its set.")),
        Column("principle_name", "string", _("Name of the principle.")),
        Column(
            "stance",
            "string",
            _("supports (the principle was practised) or challenges (a gap or shortfall)."),
        ),
        Column(
            "strength",
            "integer",
            _("1 claimed by the initiative, 2 documented in a source, 3 independently evaluated."),
        ),
        Column("narrative", "string", _("What happened.")),
        Column("quote", "string", _("A quotation backing the evidence.")),
        Column("source_citation", "string", _("The source the evidence rests on.")),
        Column("source_url", "string", _("Link to that source.")),
        Column(
            "recorded_by_organisation",
            "string",
            _("Slug of the organisation that recorded the evidence."),
        ),
        Column(
            "confirmed_by_organisation",
            "string",
            _("Slug of a second organisation of the initiative that confirms it; empty if none."),
        ),
        Column("confirmed_at", "datetime", _("When it was confirmed (UTC).")),
        Column(
            "confirmation",
            "string",
            _("unconfirmed, confirmed or disputed by a second organisation of the initiative."),
        ),
        Column(
            "disputed_by_organisation",
            "string",
            _("Slug of a second organisation of the initiative that disputes it; empty if none."),
        ),
        Column("disputed_at", "datetime", _("When it was disputed (UTC).")),
        Column("dispute_note", "string", _("What the disputing organisation says is wrong.")),
    ),
    foreign_keys=_TO_INITIATIVE,
)

INITIATIVE_COUNTRIES = Table(
    "initiative_countries",
    _("One row per country an initiative comes from or takes place in."),
    (
        Column("initiative", "string", _("Slug of the initiative.")),
        Column("country", "string", _("Country (ISO 3166-1 alpha-2).")),
        Column("role", "string", _("provider (the cooperation comes from it) or recipient.")),
        Column(
            "share",
            "number",
            _("Share (%) of the effort in this country; empty when not recorded."),
        ),
    ),
    primary_key=("initiative", "country", "role"),
    foreign_keys=_TO_INITIATIVE,
)

PARTICIPANTS = Table(
    "participants",
    _("One row per organisation taking part in an initiative."),
    (
        Column("initiative", "string", _("Slug of the initiative.")),
        Column("organisation", "string", _("Slug of the organisation.")),
        Column("organisation_name", "string", _("Name of the organisation.")),
        Column("organisation_type", "string", _("Kind of organisation (portal type code).")),
        Column(
            "role",
            "string",
            _("lead, implementing, funding, partner or accountable."),
        ),
    ),
    primary_key=("initiative", "organisation", "role"),
    foreign_keys=_TO_INITIATIVE,
)

FUNDING = Table(
    "funding",
    _("One row per funding contribution recorded for an initiative."),
    (
        Column("initiative", "string", _("Slug of the initiative.")),
        Column("funding_model", "string", _("How it is financed (portal funding model slug).")),
        Column("funder", "string", _("Slug of the organisation giving it; empty if not named.")),
        Column("amount", "number", _("Amount; empty when no figure was reported.")),
        Column("currency", "string", _("Currency of the amount (ISO 4217).")),
        Column("year_start", "integer", _("First year of the contribution.")),
        Column("year_end", "integer", _("Last year of the contribution.")),
        Column("in_kind", "boolean", _("Whether it is given in kind rather than as money.")),
    ),
    foreign_keys=_TO_INITIATIVE,
)

OUTCOMES = Table(
    "outcomes",
    _("One row per result an initiative reports."),
    (
        Column("initiative", "string", _("Slug of the initiative.")),
        Column("position", "integer", _("Order of the outcome within the initiative, from 1.")),
        Column("title", "string", _("Title of the outcome.")),
        Column("narrative", "string", _("What changed, in the record's language.")),
        Column(
            "result_type",
            "integer",
            _("IATI result type code (1 output, 2 outcome, 3 impact)."),
        ),
        Column("indicator_count", "integer", _("Number of indicators measuring it.")),
    ),
    primary_key=("initiative", "position"),
    foreign_keys=_TO_INITIATIVE,
)

LESSONS = Table(
    "lessons",
    _("One row per lesson learned."),
    (
        Column("initiative", "string", _("Slug of the initiative.")),
        Column("position", "integer", _("Order of the lesson within the initiative, from 1.")),
        Column("text", "string", _("The lesson, as written in the record's language.")),
        _list(
            "audiences",
            "string",
            _("Whom it is for: civil_society, governments, funders; empty if unspecified."),
        ),
    ),
    primary_key=("initiative", "position"),
    foreign_keys=_TO_INITIATIVE,
)

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        INITIATIVES,
        PRINCIPLE_EVIDENCE,
        INITIATIVE_COUNTRIES,
        PARTICIPANTS,
        FUNDING,
        OUTCOMES,
        LESSONS,
    )
}

# The columns of the API's CSV: a flat subset of the initiatives table, computed by the
# database so that it streams as fast as ``COPY``.
API_CSV_COLUMNS = INITIATIVES.pick(
    "slug",
    "title",
    "cooperation_type",
    "activity_status",
    "start_year",
    "owner",
    "provider_countries",
    "recipient_countries",
    "participants",
    "sectors",
    "modalities",
    "funding_models",
    "updated_at",
)
