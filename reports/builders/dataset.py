"""The dataset export: initiatives and their principle evidence as CSV (zipped), XLSX or JSON.

Two tables are written: ``initiatives`` (one row per initiative, related records flattened
into lists) and ``principle_evidence`` (one row per evidence item), with a data dictionary
built from the column descriptions. Column getters return plain Python values (str, int,
Decimal, date, datetime, bool, list or None); each format renders them its own way.
"""

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, BinaryIO, Generic, TypeVar

import xlsxwriter
from django.conf import settings
from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from funding.models import FundingContribution, funding_mix
from initiatives.models import (
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from principles.models import PrincipleEvidence
from reports.builders import Progress, ReportInvalid, no_progress
from ssdc_portal import links
from ssdc_portal.csv_cells import csv_text_cell

T = TypeVar("T")
CellValue = str | int | Decimal | date | datetime | bool | list | None

FORMATS = {
    "csv": ("zip", "application/zip"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("json", "application/json"),
}
"""Each format's file extension and media type."""

LIST_SEPARATOR = "; "
INITIATIVE_CHUNK = 500
EVIDENCE_CHUNK = 2000
EXCEL_CELL_LIMIT = 32_767
EXCEL_ROW_LIMIT = 1_048_576
TRUNCATED = " […truncated]"
TITLE = "SSDC Portal: civil-society-led South-South development cooperation"


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a table: its name, what it holds, and how to read it from a row."""

    name: str
    description: str
    value: Callable[[T], CellValue]
    width: int = 16


# ---- initiatives ----


def _page(initiative: Initiative) -> str:
    return links.absolute_url(initiative.get_absolute_url())


def _ended_in(initiative: Initiative) -> int | None:
    end = initiative.actual_end or initiative.planned_end
    return end.year if end else initiative.end_year


def _share(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _recipient_shares(initiative: Initiative) -> list[str]:
    return [
        f"{link.country_id} {_share(link.share)}"
        for link in initiative.recipient_links
        if link.share is not None
    ]


def _funding_totals(initiative: Initiative) -> list[str]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for contribution in initiative.funding_contributions.all():
        if contribution.amount is not None:
            totals[contribution.currency] += contribution.amount
    return [f"{currency} {total:.2f}" for currency, total in sorted(totals.items())]


def _non_monetary(contribution: NonMonetaryContribution) -> str:
    text = f"{contribution.kind} {_share(contribution.quantity)}"
    if contribution.unit:
        text += f" {contribution.unit}"
    if contribution.year:
        text += f" ({contribution.year})"
    return text


def _contexts(initiative: Initiative) -> list[str]:
    flags = {
        "fragile_state": initiative.is_fragile_state,
        "post_disaster": initiative.is_post_disaster,
        "conflict_affected": initiative.is_conflict_affected,
    }
    return [name for name, flag in flags.items() if flag]


def _principles_evidenced(initiative: Initiative) -> list[str]:
    principles = {e.principle for e in initiative.principle_evidence.all()}
    return [
        f"{p.principle_set.slug}/{p.slug}"
        for p in sorted(principles, key=lambda p: (p.principle_set.slug, p.position, p.slug))
    ]


INITIATIVE_COLUMNS: list[Column[Initiative]] = [
    Column("slug", "Identifier of the record, unique and stable.", lambda i: i.slug, 28),
    Column("page", "Address of the record's public page.", _page, 40),
    Column("title", "Title.", lambda i: i.title, 40),
    Column("summary", "Short description.", lambda i: i.summary, 60),
    Column("language", "Language the text is written in (ISO 639-1).", lambda i: i.language, 10),
    Column(
        "state",
        "Moderation state (draft, submitted, returned, published, archived); every row is "
        "'published' unless the export included unpublished records.",
        lambda i: i.state,
        12,
    ),
    Column(
        "cooperation_type",
        "bilateral, triangular (with a traditional donor or multilateral) or regional.",
        lambda i: i.cooperation_type,
    ),
    Column(
        "activity_status",
        "IATI activity status code (1 pipeline to 6 suspended).",
        lambda i: i.activity_status,
        10,
    ),
    Column(
        "activity_status_label",
        "Name of the IATI activity status.",
        lambda i: str(i.get_activity_status_display()),
    ),
    Column(
        "start_year",
        "Year work began: from the actual start date, else the planned one, else the year given.",
        lambda i: i.started_in,
        10,
    ),
    Column(
        "end_year",
        "Year work ended: from the actual end date, else the planned one, else the year given.",
        _ended_in,
        10,
    ),
    Column("planned_start", "Planned start date.", lambda i: i.planned_start, 12),
    Column("planned_end", "Planned end date.", lambda i: i.planned_end, 12),
    Column("actual_start", "Actual start date.", lambda i: i.actual_start, 12),
    Column("actual_end", "Actual end date.", lambda i: i.actual_end, 12),
    Column("owner", "Slug of the organisation that keeps the record.", lambda i: i.owner.slug, 28),
    Column("owner_name", "Name of that organisation.", lambda i: i.owner.name, 32),
    Column(
        "provider_countries",
        "Countries the cooperation comes from (ISO 3166-1 alpha-2), largest share first.",
        lambda i: [link.country_id for link in i.provider_links],
    ),
    Column(
        "recipient_countries",
        "Countries the cooperation takes place in (ISO 3166-1 alpha-2), largest share first.",
        lambda i: [link.country_id for link in i.recipient_links],
    ),
    Column(
        "recipient_shares",
        "Share (%) of the effort in each recipient country, as 'code share'; countries with "
        "no share recorded are left out.",
        _recipient_shares,
        20,
    ),
    Column(
        "participants",
        "Organisations taking part, as 'slug (role)'; roles: lead, implementing, funding, "
        "partner, accountable.",
        lambda i: [f"{p.actor.slug} ({p.role})" for p in i.participations.all()],
        40,
    ),
    Column(
        "participant_types",
        "Kinds of organisation taking part (portal organisation type codes), each once.",
        lambda i: sorted({p.actor.actor_type for p in i.participations.all()}),
        28,
    ),
    Column(
        "sectors",
        "OECD DAC 5-digit purpose codes.",
        lambda i: [sector.code for sector in i.sectors.all()],
    ),
    Column(
        "sdg_goals",
        "Sustainable Development Goals addressed (numbers 1–17).",
        lambda i: [goal.number for goal in i.sdg_goals.all()],
        12,
    ),
    Column(
        "modalities",
        "How knowledge is shared (portal modality slugs).",
        lambda i: [modality.slug for modality in i.modalities.all()],
        24,
    ),
    Column(
        "funding_models",
        "Ways the initiative is financed (portal funding model slugs).",
        lambda i: sorted({c.funding_model.slug for c in i.funding_contributions.all()}),
        24,
    ),
    Column(
        "funding_mix",
        "Share (%) of each funding model, as 'slug share'. Shares follow the amounts when "
        "every contribution gives one in the same currency; otherwise each contribution "
        "counts equally.",
        lambda i: [
            f"{model.slug} {share}" for model, share in funding_mix(i.funding_contributions.all())
        ],
        28,
    ),
    Column(
        "funding_totals",
        "Sum of the amounts recorded, per currency, as 'currency amount' (ISO 4217). "
        "Contributions without an amount are not counted.",
        _funding_totals,
        20,
    ),
    Column(
        "in_kind",
        "Whether any funding contribution is given in kind rather than as money.",
        lambda i: any(c.is_in_kind for c in i.funding_contributions.all()),
        10,
    ),
    Column(
        "non_monetary_contributions",
        "Effort given in kind, as 'kind quantity unit (year)': person_days, participants, "
        "exchange_visits, training_sessions or other.",
        lambda i: [_non_monetary(c) for c in i.non_monetary_contributions.all()],
        32,
    ),
    Column(
        "contexts",
        "Difficult settings the work takes place in: fragile_state, post_disaster, "
        "conflict_affected.",
        _contexts,
        20,
    ),
    Column(
        "provider_government_involvement",
        "Part played by the provider country's government: none, informed, consulted, "
        "collaborating or co_implementing; empty when not recorded.",
        lambda i: i.provider_government_involvement or None,
    ),
    Column(
        "recipient_government_involvement",
        "Part played by the recipient country's government, on the same scale.",
        lambda i: i.recipient_government_involvement or None,
    ),
    Column(
        "coordinates_with_other_donors",
        "Whether the work is coordinated with other donors or international NGOs; empty when "
        "not recorded.",
        lambda i: i.coordinates_with_other_donors,
        10,
    ),
    Column("outcome_count", "Number of outcomes reported.", lambda i: len(i.outcomes.all()), 10),
    Column("source_count", "Number of sources cited.", lambda i: len(i.sources.all()), 10),
    Column(
        "evidence_count",
        "Number of principle evidence items (rows of the principle_evidence table).",
        lambda i: len(i.principle_evidence.all()),
        10,
    ),
    Column(
        "principles_evidenced",
        "Principles with at least one evidence item, of either stance, as 'set/principle'.",
        _principles_evidenced,
        32,
    ),
    Column("published_at", "When the record was first published (UTC).", lambda i: i.published_at),
    Column("updated_at", "When the record last changed (UTC).", lambda i: i.updated_at),
]


# ---- principle evidence ----


EVIDENCE_COLUMNS: list[Column[PrincipleEvidence]] = [
    Column("initiative", "Slug of the initiative.", lambda e: e.initiative_slug, 28),
    Column("initiative_title", "Title of the initiative.", lambda e: e.initiative_title, 40),
    Column(
        "principle_set", "Slug of the set of principles.", lambda e: e.principle.principle_set.slug
    ),
    Column("principle", "Slug of the principle within its set.", lambda e: e.principle.slug, 24),
    Column("principle_name", "Name of the principle.", lambda e: e.principle.name, 32),
    Column(
        "stance",
        "supports (the principle was practised) or challenges (a gap or shortfall).",
        lambda e: e.stance,
        12,
    ),
    Column(
        "strength",
        "1 claimed by the initiative, 2 documented in a source, 3 independently evaluated.",
        lambda e: e.strength,
        10,
    ),
    Column("narrative", "What happened.", lambda e: e.narrative, 60),
    Column("quote", "A quotation backing the evidence.", lambda e: e.quote or None, 40),
    Column(
        "source_citation",
        "The source the evidence rests on.",
        lambda e: e.source.citation if e.source else None,
        40,
    ),
    Column(
        "source_url",
        "Link to that source.",
        lambda e: (e.source.url or None) if e.source else None,
        32,
    ),
    Column(
        "recorded_by_organisation",
        "Slug of the organisation that recorded the evidence.",
        lambda e: e.recorded_by_organisation.slug,
        28,
    ),
    Column(
        "confirmed_by_organisation",
        "Slug of a second organisation of the initiative that attests it; empty if none.",
        lambda e: e.confirmed_by_organisation.slug if e.confirmed_by_organisation else None,
        28,
    ),
    Column("confirmed_at", "When it was attested (UTC).", lambda e: e.confirmed_at),
]


# ---- reading ----


def _participation_order() -> Case:
    """Lead organisations first, then the other roles in the order they are declared."""
    return Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(Participation.Role.values)),
        output_field=IntegerField(),
    )


def _initiative_rows(initiatives: QuerySet[Initiative]) -> Iterator[Initiative]:
    """The initiatives with what the columns read, a fixed number of queries per chunk."""
    countries = [
        Prefetch(
            "country_links",
            queryset=InitiativeCountry.objects.order_by(
                F("share").desc(nulls_last=True), "country"
            ),
        )
    ]
    evidence = PrincipleEvidence.objects.select_related("principle__principle_set").only(
        "initiative_id",
        "principle__slug",
        "principle__position",
        "principle__principle_set__slug",
    )
    return (
        initiatives.prefetch_related(None)
        .select_related("owner")
        .defer("search_vector", "description", "lessons_learned", "coordination_note")
        .prefetch_related(
            *countries,
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor").order_by(
                    _participation_order(), "actor__name"
                ),
            ),
            "sectors",
            "sdg_goals",
            "modalities",
            Prefetch(
                "funding_contributions",
                queryset=FundingContribution.objects.select_related("funding_model").order_by(
                    "funding_model__position", "pk"
                ),
            ),
            Prefetch(
                "non_monetary_contributions",
                queryset=NonMonetaryContribution.objects.order_by("year", "kind", "pk"),
            ),
            Prefetch("outcomes", queryset=Outcome.objects.only("initiative_id")),
            Prefetch("sources", queryset=Source.objects.only("initiative_id")),
            Prefetch("principle_evidence", queryset=evidence),
        )
        .order_by("pk")
        .iterator(chunk_size=INITIATIVE_CHUNK)
    )


def _evidence(initiatives: QuerySet[Initiative]) -> QuerySet[PrincipleEvidence]:
    """Evidence of exactly the initiatives given, grouped by initiative."""
    return (
        PrincipleEvidence.objects.filter(initiative__in=initiatives)
        .annotate(initiative_slug=F("initiative__slug"), initiative_title=F("initiative__title"))
        .select_related(
            "principle__principle_set",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
        )
        .order_by(
            "initiative_id",
            "principle__principle_set__slug",
            "principle__position",
            "-strength",
            "pk",
        )
    )


class _Counter:
    """Counts rows written and reports progress once per chunk and at the end of a table."""

    def __init__(self, total: int, progress: Progress):
        self.done = 0
        self.total = total
        self.progress = progress

    def rows(self, rows: Iterable[T], chunk: int) -> Iterator[T]:
        written = 0
        for row in rows:
            yield row
            written += 1
            self.done += 1
            if written % chunk == 0:
                self.progress(self.done, self.total)
        if written % chunk:
            self.progress(self.done, self.total)


# ---- the data dictionary ----


@dataclass(frozen=True)
class _About:
    """What the dictionary says about the export as a whole."""

    portal: str
    licence: str
    exported_at: datetime
    filters: dict[str, list[str]]
    initiative_count: int
    evidence_count: int

    def facts(self) -> list[tuple[str, str]]:
        return [
            ("Portal", self.portal),
            ("Licence", self.licence),
            ("Exported at", _iso(self.exported_at)),
            ("Filters", _describe_filters(self.filters)),
            ("Initiatives", str(self.initiative_count)),
            ("Principle evidence rows", str(self.evidence_count)),
        ]


def _describe_filters(filters: dict[str, list[str]]) -> str:
    chosen = [f"{name} = {', '.join(values)}" for name, values in filters.items() if values]
    return "; ".join(chosen) if chosen else "none (every record in the export's scope)"


CONVENTIONS = {
    "csv": [
        "Files are UTF-8 CSV with a header row.",
        f'A cell holding several values separates them with "{LIST_SEPARATOR}".',
        "Dates are ISO 8601 (YYYY-MM-DD); times are ISO 8601 in UTC; true/false for yes/no.",
        "An empty cell means nothing was recorded.",
        "Text that begins with =, +, -, @, a tab or a carriage return is written with a "
        "single quote (') before it, so that a spreadsheet program shows it as text instead "
        "of running it as a formula; remove that quote to get the text exactly as recorded "
        "(the JSON and XLSX exports keep it unchanged). Numbers are written as they are.",
    ],
    "xlsx": [
        f'A cell holding several values separates them with "{LIST_SEPARATOR}".',
        "Dates and times are spreadsheet dates; times are in UTC.",
        "An empty cell means nothing was recorded.",
        "Text is always stored as text, never as a formula.",
        f"Text longer than a cell can hold ({EXCEL_CELL_LIMIT:,} characters) is cut and ends "
        f'with "{TRUNCATED.strip()}".',
    ],
    "json": [
        "Columns holding several values are arrays.",
        "Dates are ISO 8601 (YYYY-MM-DD); times are ISO 8601 in UTC.",
        "Decimal numbers are strings, to keep them exact.",
        "null means nothing was recorded.",
    ],
}

TABLES = {
    "initiatives": ("One row per initiative.", INITIATIVE_COLUMNS),
    "principle_evidence": (
        "One row per item of evidence that an initiative practised a principle, or fell "
        "short of it.",
        EVIDENCE_COLUMNS,
    ),
}


def _readme_text(about: _About) -> str:
    """README.txt of the CSV archive."""
    lines = [TITLE, ""]
    lines += [f"{label}: {value}" for label, value in about.facts()]
    lines += ["", "Conventions", *(f"- {rule}" for rule in CONVENTIONS["csv"])]
    for table, (description, columns) in TABLES.items():
        lines += ["", f"{table}.csv: {description}"]
        lines += [f"- {column.name}: {column.description}" for column in columns]
    return "\n".join(lines) + "\n"


# ---- rendering ----


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _text(value: CellValue) -> str:
    """A value as CSV (and list items in CSV and XLSX) show it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    return str(value)


def csv_cell(value: CellValue) -> str:
    """A value as a CSV cell: text a spreadsheet would run as a formula gets a leading
    ``'``; numbers (and lists of numbers) are written as they are."""
    text = _text(value)
    first = value[0] if isinstance(value, list) and value else value
    return csv_text_cell(text) if isinstance(first, str) else text


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _cell_text(text: str) -> str:
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    return text[: EXCEL_CELL_LIMIT - len(TRUNCATED)] + TRUNCATED


# ---- writers ----


def _write_csv(out: BinaryIO, about: _About, initiatives: Iterable, evidence: Iterable) -> int:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme_text(about).encode())
        written = _write_csv_table(archive, "initiatives.csv", INITIATIVE_COLUMNS, initiatives)
        _write_csv_table(archive, "principle_evidence.csv", EVIDENCE_COLUMNS, evidence)
    return written


def _write_csv_table(
    archive: zipfile.ZipFile, name: str, columns: list[Column], rows: Iterable
) -> int:
    count = 0
    with (
        archive.open(name, "w", force_zip64=True) as member,
        io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
    ):
        writer = csv.writer(text)
        writer.writerow([column.name for column in columns])
        for row in rows:
            writer.writerow([csv_cell(column.value(row)) for column in columns])
            count += 1
    return count


class _XlsxSheet:
    """A worksheet written row by row, each value written as its type calls for."""

    def __init__(self, workbook: xlsxwriter.Workbook, name: str, columns: list[Column]):
        self.sheet = workbook.add_worksheet(name)
        self.columns = columns
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        header = workbook.add_format({"bold": True})
        for col, column in enumerate(columns):
            self.sheet.set_column(col, col, column.width)
            self.sheet.write_string(0, col, column.name, header)
        self.sheet.freeze_panes(1, 0)

    def write_rows(self, rows: Iterable) -> int:
        count = 0
        for row in rows:
            count += 1
            for col, column in enumerate(self.columns):
                self.write(count, col, column.value(row))
        self.sheet.autofilter(0, 0, count, len(self.columns) - 1)
        return count

    def write(self, row: int, col: int, value: CellValue) -> None:
        if value is None or value == []:
            return
        if isinstance(value, bool):
            self.sheet.write_boolean(row, col, value)
        elif isinstance(value, int | Decimal):
            self.sheet.write_number(row, col, float(value))
        elif isinstance(value, datetime):
            naive = value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
            self.sheet.write_datetime(row, col, naive, self.datetime)
        elif isinstance(value, date):
            self.sheet.write_datetime(row, col, value, self.date)
        else:
            self.sheet.write_string(row, col, _cell_text(_text(value)))


def _write_xlsx(out: BinaryIO, about: _About, initiatives: Iterable, evidence: Iterable) -> int:
    too_long = [
        f"{table} has {count:,} rows; a worksheet holds at most {EXCEL_ROW_LIMIT - 1:,}"
        for table, count in [
            ("initiatives", about.initiative_count),
            ("principle_evidence", about.evidence_count),
        ]
        if count >= EXCEL_ROW_LIMIT
    ]
    if too_long:
        raise ReportInvalid(too_long)
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    _write_xlsx_readme(workbook, about)
    written = _XlsxSheet(workbook, "initiatives", INITIATIVE_COLUMNS).write_rows(initiatives)
    _XlsxSheet(workbook, "principle_evidence", EVIDENCE_COLUMNS).write_rows(evidence)
    workbook.close()
    return written


def _write_xlsx_readme(workbook: xlsxwriter.Workbook, about: _About) -> None:
    """The README sheet: facts about the export, conventions, then every column."""
    sheet = workbook.add_worksheet("README")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 32)
    sheet.set_column(2, 2, 100)
    lines: list[tuple[tuple[str, ...], bool]] = [((TITLE,), True), ((), False)]
    lines += [(fact, False) for fact in about.facts()]
    lines += [((), False), (("Conventions",), True)]
    lines += [((rule,), False) for rule in CONVENTIONS["xlsx"]]
    lines += [((), False), (("Sheet", "Column", "Description"), True)]
    for table, (description, columns) in TABLES.items():
        lines.append(((table, "", description), False))
        lines += [((table, column.name, column.description), False) for column in columns]
    for row, (cells, heading) in enumerate(lines):
        for col, text in enumerate(cells):
            if text:
                sheet.write_string(row, col, text, bold if heading else None)


def _write_json(out: BinaryIO, about: _About, initiatives: Iterable, evidence: Iterable) -> int:
    meta = {
        "title": TITLE,
        "licence": about.licence,
        "exported_at": _iso(about.exported_at),
        "portal": about.portal,
        "filters": about.filters,
        "counts": {
            "initiatives": about.initiative_count,
            "principle_evidence": about.evidence_count,
        },
        "conventions": CONVENTIONS["json"],
        "columns": {column.name: column.description for column in INITIATIVE_COLUMNS},
        "evidence_columns": {column.name: column.description for column in EVIDENCE_COLUMNS},
    }
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    try:
        text.write('{"meta": ' + json.dumps(meta, ensure_ascii=False))
        written = _write_json_array(text, "initiatives", INITIATIVE_COLUMNS, initiatives)
        _write_json_array(text, "principle_evidence", EVIDENCE_COLUMNS, evidence)
        text.write("}\n")
    finally:
        text.detach()  # flushes, and leaves ``out`` open for the caller
    return written


def _write_json_array(text: io.TextIOBase, key: str, columns: list[Column], rows: Iterable) -> int:
    text.write(f',\n"{key}": [')
    count = 0
    for row in rows:
        record = {column.name: column.value(row) for column in columns}
        text.write(("\n" if count == 0 else ",\n") + _json_dumps(record))
        count += 1
    text.write("\n]")
    return count


def _json_dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, default=_json_default)


WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json}


def write_dataset(
    initiatives: QuerySet[Initiative],
    fmt: str,
    out: BinaryIO,
    *,
    filters: dict[str, list[str]] | None = None,
    progress: Progress = no_progress,
) -> int:
    """Write ``initiatives`` and their principle evidence to ``out`` as ``fmt`` (csv, xlsx or
    json) and return the number of initiatives written.

    The evidence is that of exactly these initiatives. ``filters`` ({name: values}) tells
    the data dictionary how the caller chose the rows. The counts it states are taken before
    the rows are read. ``progress(done, total)`` counts the rows of both tables.
    """
    if fmt not in WRITERS:
        raise ValueError(f"Unknown dataset format {fmt!r}; use one of: {', '.join(WRITERS)}.")
    evidence = _evidence(initiatives)
    about = _About(
        portal=links.site_url(),
        licence=getattr(settings, "DATA_LICENCE", "CC BY 4.0"),
        exported_at=timezone.now(),
        filters={name: list(values) for name, values in (filters or {}).items()},
        initiative_count=initiatives.count(),
        evidence_count=evidence.count(),
    )
    counter = _Counter(about.initiative_count + about.evidence_count, progress)
    progress(0, counter.total)
    return WRITERS[fmt](
        out,
        about,
        counter.rows(_initiative_rows(initiatives), INITIATIVE_CHUNK),
        counter.rows(evidence.iterator(chunk_size=EVIDENCE_CHUNK), EVIDENCE_CHUNK),
    )
