"""The portal's spreadsheet template (XLSX or CSV): one row per initiative, its parts in
documented columns, for networks that surveyed their members.

The first row names the columns (:data:`COLUMNS`, in any order; only ``title``, ``summary``
and ``cooperation_type`` are required). A cell holding several values separates them with
the data set's list separator (``; ``). A row is matched with the owner's record by its
``slug``; a row without one gets the slug of the owner's slug and the title, so that the
same sheet imported again updates the records it created.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.xml import DEFUSEDXML

from funding.models import FundingModel
from initiatives.models import Initiative, Participation
from opendata.imports.plan import Incoming, Problem
from organisations.models import Organisation
from reference.iati import ActivityStatus
from reference.models import Country, Modality, Sector, SustainableDevelopmentGoal
from reports.builders.dataset.formats import LIST_SEPARATOR

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
ITEM = LIST_SEPARATOR.strip()
PAIR = ":"


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    help: str
    example: str
    required: bool = False


COLUMNS = [
    TemplateColumn(
        "slug",
        gettext_lazy(
            "The record's address in the portal, to update a draft of yours; leave empty for "
            "a new record."
        ),
        "",
    ),
    TemplateColumn("title", gettext_lazy("Title."), "Community seed banks", required=True),
    TemplateColumn(
        "summary",
        gettext_lazy("Short description (up to 1,000 characters)."),
        "Farmers' unions share how they run seed banks.",
        required=True,
    ),
    TemplateColumn("description", gettext_lazy("Longer description."), ""),
    TemplateColumn(
        "language", gettext_lazy("Language of the text (ISO 639-1, e.g. en, es, pt, fr)."), "en"
    ),
    TemplateColumn(
        "cooperation_type",
        gettext_lazy("bilateral, triangular or regional."),
        "bilateral",
        required=True,
    ),
    TemplateColumn(
        "activity_status",
        gettext_lazy(
            "IATI activity status: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, "
            "5 cancelled, 6 suspended."
        ),
        "2",
    ),
    TemplateColumn("planned_start", gettext_lazy("Planned start date (YYYY-MM-DD)."), ""),
    TemplateColumn("actual_start", gettext_lazy("Actual start date (YYYY-MM-DD)."), "2022-03-01"),
    TemplateColumn("planned_end", gettext_lazy("Planned end date (YYYY-MM-DD)."), ""),
    TemplateColumn("actual_end", gettext_lazy("Actual end date (YYYY-MM-DD)."), ""),
    TemplateColumn("start_year", gettext_lazy("Year work began, if the date is not known."), ""),
    TemplateColumn("end_year", gettext_lazy("Year work ended, if the date is not known."), ""),
    TemplateColumn(
        "provider_countries",
        gettext_lazy("Countries the work comes from (ISO codes), each with its share if known."),
        "BR",
    ),
    TemplateColumn(
        "recipient_countries",
        gettext_lazy("Countries the work is done in (ISO codes), each with its share if known."),
        "HT:60; DO:40",
    ),
    TemplateColumn("sectors", gettext_lazy("OECD DAC 5-digit sector codes."), "31120; 12220"),
    TemplateColumn("sdg_goals", gettext_lazy("Numbers of the Sustainable Development Goals."), "2"),
    TemplateColumn("modalities", gettext_lazy("The portal's modality codes."), "exchange-visits"),
    TemplateColumn(
        "participants",
        gettext_lazy(
            "Organisations already in the portal (name or IATI identifier), each with its role: "
            "lead, implementing, funding, partner or accountable."
        ),
        "",
    ),
    TemplateColumn(
        "funding",
        gettext_lazy(
            "Funding contributions: funding model code, then amount, currency and year if known."
        ),
        "",
    ),
    TemplateColumn("outcomes", gettext_lazy("Titles of the outcomes reported."), ""),
    TemplateColumn(
        "sources", gettext_lazy("Sources: a citation, then “|” and its link if there is one."), ""
    ),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]
DATE_COLUMNS = ["planned_start", "actual_start", "planned_end", "actual_end"]


def template_xlsx() -> bytes:
    """The template as a workbook: the columns with an example row, and a sheet that
    explains each column."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "initiatives"
    sheet.append(COLUMN_NAMES)
    sheet.append([column.example for column in COLUMNS])
    guide = book.create_sheet("columns")
    guide.append([_("column"), _("required"), _("what it holds")])
    for column in COLUMNS:
        guide.append([column.name, _("yes") if column.required else "", str(column.help)])
    guide.append([])
    guide.append([_("Several values in one cell are separated by “%s”.") % LIST_SEPARATOR])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    writer.writerow([column.example for column in COLUMNS])
    return out.getvalue().encode("utf-8")


def _rows_of(data: bytes, filename: str) -> list[list]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        book.close()
        return rows
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[: MAX_ROWS + 2]


def read_spreadsheet(
    data: bytes, filename: str, *, owner: Organisation
) -> tuple[list[Incoming], list[Problem]]:
    """The initiatives of a filled-in template, or the problems (by row and column) that stop
    it being imported."""
    if len(data) > MAX_BYTES:
        return [], [Problem(_("The file is larger than %(size)s MB.") % {"size": 5})]
    if filename.lower().endswith(".xlsx") and not DEFUSEDXML:
        # openpyxl reads hostile XML (entity expansion) safely only with defusedxml.
        raise ImproperlyConfigured("defusedxml is required to read uploaded workbooks")
    try:
        rows = _rows_of(data, filename)
    except UnicodeDecodeError:
        return [], [Problem(_("The CSV file is not in UTF-8."), row=1)]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [Problem(_("This is not an XLSX workbook."), row=1)]
    if not rows:
        return [], [Problem(_("The file is empty."), row=1)]
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    problems = [
        Problem(_("This column is missing."), row=1, column=name)
        for name in REQUIRED
        if name not in header
    ]
    unknown = [name for name in header if name and name not in COLUMN_NAMES]
    problems += [Problem(_("Unknown column."), row=1, column=name) for name in unknown]
    if problems:
        return [], problems
    if len(rows) > MAX_ROWS + 1:
        too_many = _("At most %(count)s rows can be imported at once.") % {"count": MAX_ROWS}
        return [], [Problem(too_many)]
    reader = _Reader(owner)
    records = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {
            name: cells[index] if index < len(cells) else None
            for index, name in enumerate(header)
            if name
        }
        if all(value is None or str(value).strip() == "" for value in values.values()):
            continue
        records.append(reader.row(number, values))
    return records, reader.problems


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _items(value) -> list[str]:
    return [item.strip() for item in _cell(value).split(ITEM) if item.strip()]


class _Reader:
    def __init__(self, owner: Organisation):
        self.owner = owner
        self.problems: list[Problem] = []
        self.countries = set(Country.objects.values_list("code", flat=True))
        self.sectors = {sector.code: sector for sector in Sector.objects.all()}
        self.goals = {str(goal.number): goal for goal in SustainableDevelopmentGoal.objects.all()}
        self.modalities = {m.slug: m for m in Modality.objects.all()}
        self.models = {m.slug: m for m in FundingModel.objects.all()}

    def row(self, number: int, values: dict) -> Incoming:
        title = _cell(values.get("title"))
        slug = _cell(values.get("slug")) or slugify(f"{self.owner.slug}-{title}")[:120].strip("-")
        record = Incoming(identifier=slug, slug=slug, row=number)

        def problem(column: str, message: str) -> None:
            self.problems.append(Problem(message, row=number, column=column))

        record.fields["title"] = title
        record.fields["summary"] = _cell(values.get("summary"))
        for name in ("title", "summary"):
            if not record.fields[name]:
                problem(name, _("This cell is required."))
        record.fields["description"] = _cell(values.get("description"))
        record.fields["language"] = _cell(values.get("language")).lower() or "en"
        cooperation = _cell(values.get("cooperation_type")).lower()
        if cooperation not in Initiative.CooperationType.values:
            problem("cooperation_type", _("Give bilateral, triangular or regional."))
        record.fields["cooperation_type"] = cooperation
        status = _cell(values.get("activity_status")) or str(ActivityStatus.IMPLEMENTATION)
        if not status.isdigit() or int(status) not in ActivityStatus.values:
            problem("activity_status", _("Give an IATI activity status code from 1 to 6."))
        else:
            record.fields["activity_status"] = int(status)
        for name in DATE_COLUMNS:
            value = values.get(name)
            if isinstance(value, datetime):
                record.fields[name] = value.date()
            elif isinstance(value, date):
                record.fields[name] = value
            elif _cell(value):
                try:
                    record.fields[name] = date.fromisoformat(_cell(value))
                except ValueError:
                    problem(name, _("Give a date as YYYY-MM-DD."))
                    record.fields[name] = None
            else:
                record.fields[name] = None
        for name in ("start_year", "end_year"):
            text = _cell(values.get(name))
            if text and not text.isdigit():
                problem(name, _("Give a year, e.g. 2021."))
            record.fields[name] = int(text) if text.isdigit() else None
        countries = []
        for role in ("provider", "recipient"):
            column = f"{role}_countries"
            for item in _items(values.get(column)):
                code, _sep, share = item.partition(PAIR)
                code = code.strip().upper()
                if code not in self.countries:
                    problem(column, _("Unknown country code %(code)s.") % {"code": code})
                    continue
                amount = _decimal(share) if share.strip() else None
                if share.strip() and amount is None:
                    problem(column, _("The share of %(code)s is not a number.") % {"code": code})
                countries.append({"country": Country(code=code), "role": role, "share": amount})
        record.rows["countries"] = countries
        for column, table, label in (
            ("sectors", self.sectors, _("Unknown sector code %(code)s.")),
            ("sdg_goals", self.goals, _("Unknown goal %(code)s.")),
            ("modalities", self.modalities, _("Unknown modality %(code)s.")),
        ):
            chosen = []
            for code in _items(values.get(column)):
                if code in table:
                    chosen.append(table[code])
                else:
                    problem(column, label % {"code": code})
            record.relations[column] = list(dict.fromkeys(chosen))
        participants = []
        for item in _items(values.get("participants")):
            name, sep, role = item.rpartition(PAIR)
            if not sep:
                name, role = role, Participation.Role.IMPLEMENTING
            role = role.strip().lower()
            actor = (
                Organisation.objects.filter(iati_identifier=name.strip()).first()
                or Organisation.objects.filter(name__iexact=name.strip()).first()
            )
            if actor is None:
                problem(
                    "participants",
                    _("%(name)s is not an organisation in the portal.") % {"name": name.strip()},
                )
            elif role not in Participation.Role.values:
                problem("participants", _("Unknown role %(role)s.") % {"role": role})
            else:
                participants.append({"actor": actor, "role": role})
        record.rows["participants"] = participants
        funding = []
        for item in _items(values.get("funding")):
            parts = [part.strip() for part in item.split(PAIR)]
            model = self.models.get(parts[0])
            if model is None:
                problem("funding", _("Unknown funding model %(code)s.") % {"code": parts[0]})
                continue
            amount = _decimal(parts[1]) if len(parts) > 1 and parts[1] else None
            if len(parts) > 1 and parts[1] and amount is None:
                problem("funding", _("The amount %(value)s is not a number.") % {"value": parts[1]})
            year = parts[3] if len(parts) > 3 else ""
            if year and not year.isdigit():
                problem("funding", _("Give a year, e.g. 2021."))
            funding.append(
                {
                    "funding_model": model,
                    "funder": None,
                    "amount": amount,
                    "currency": parts[2].upper() if len(parts) > 2 else "",
                    "year_start": int(year) if year.isdigit() else None,
                    "year_end": None,
                    "is_in_kind": False,
                    "note": "",
                }
            )
        record.rows["funding"] = funding
        record.rows["outcomes"] = [
            {"title": title, "narrative": "", "position": index}
            for index, title in enumerate(_items(values.get("outcomes")))
        ]
        sources = []
        for item in _items(values.get("sources")):
            citation, _sep, url = item.partition("|")
            sources.append({"citation": citation.strip(), "url": url.strip()})
        record.rows["sources"] = sources
        return record


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
