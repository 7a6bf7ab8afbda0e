"""The data set's file formats: a ZIP of CSV files, an XLSX workbook, or one JSON document.

Each format is declared once in :data:`FORMATS` (its label, file extension, media type,
conventions and writer). Every file carries the data dictionary: facts about the export,
the format's conventions and a description of every column.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

import xlsxwriter
from django.utils.translation import gettext_lazy as _

from initiatives.columns import LIST_SEPARATOR
from reports.builders import ReportInvalid
from reports.builders.dataset.columns import (
    EVIDENCE_COLUMNS,
    INITIATIVE_COLUMNS,
    TABLES,
    CellValue,
    Column,
)
from ssdc_portal.csv_cells import csv_text_cell

EXCEL_CELL_LIMIT = 32_767
EXCEL_ROW_LIMIT = 1_048_576
TRUNCATED = " […truncated]"
TITLE = "SSDC Portal: civil-society-led South-South development cooperation"


# ---- the data dictionary ----


@dataclass(frozen=True)
class About:
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


def _readme_text(about: About) -> str:
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


def _write_csv(out: BinaryIO, about: About, initiatives: Iterable, evidence: Iterable) -> int:
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


def _write_xlsx(out: BinaryIO, about: About, initiatives: Iterable, evidence: Iterable) -> int:
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


def _write_xlsx_readme(workbook: xlsxwriter.Workbook, about: About) -> None:
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
        lines.append(((table, "", str(description)), False))
        lines += [((table, column.name, column.description), False) for column in columns]
    for row, (cells, heading) in enumerate(lines):
        for col, text in enumerate(cells):
            if text:
                sheet.write_string(row, col, text, bold if heading else None)


def _write_json(out: BinaryIO, about: About, initiatives: Iterable, evidence: Iterable) -> int:
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


@dataclass(frozen=True)
class Format:
    """A file format of the data set: what the request form calls it, and how it is written."""

    label: str
    extension: str
    content_type: str
    write: Callable[[BinaryIO, About, Iterable, Iterable], int]


FORMATS = {
    "csv": Format(_("CSV (in a ZIP)"), "zip", "application/zip", _write_csv),
    "xlsx": Format(
        _("Excel (XLSX)"),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _write_xlsx,
    ),
    "json": Format(_("JSON"), "json", "application/json", _write_json),
}
"""Each format by the name a request gives."""
