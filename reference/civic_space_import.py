"""Civic-space ratings from a CSV file, one rating a row (``country,year,source,rating,score,url``).

The whole file is read and checked first; every problem is named by its row (the header is
row 1, as a spreadsheet numbers them) and column. Only a file without problems is written,
all of it in one transaction: a row whose country, year and source already have a rating
replaces its rating, score and URL, any other row adds a rating. The admin's import page and
the ``import_civic_space`` command both call ``civic_space_ratings_import``.
"""

import csv
import io
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from reference.models import CIVIC_SPACE_YEARS, CivicSpaceRating, Country

COLUMNS = ("country", "year", "source", "rating", "score", "url")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
DELIMITERS = (",", ";", "\t")
SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # XLSX and ODS; old XLS
URL_MAX_LENGTH = CivicSpaceRating._meta.get_field("source_url").max_length
# The model's fields a row sets, by the column that gives each.
FIELDS = {"rating": "rating", "score": "score", "url": "source_url"}


@dataclass(frozen=True)
class Problem:
    """Something wrong in the file: at a row (or the file as a whole: ``row`` is None) and
    in some columns (or the whole row)."""

    message: str
    row: int | None = None
    columns: tuple[str, ...] = ()

    def __str__(self) -> str:
        names = get_text_list([f"“{column}”" for column in self.columns], _("and"))
        if self.row is None:
            return self.message
        if not self.columns:
            return _("Row %(row)s: %(problem)s") % {"row": self.row, "problem": self.message}
        return ngettext(
            "Row %(row)s, column %(columns)s: %(problem)s",
            "Row %(row)s, columns %(columns)s: %(problem)s",
            len(self.columns),
        ) % {"row": self.row, "columns": names, "problem": self.message}


class CivicSpaceImportError(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class RatingRow:
    """One row of the file, checked."""

    row: int
    country: str  # ISO 3166-1 alpha-2
    year: int
    source: str  # a CivicSpaceRating.Source value
    rating: str  # a CivicSpaceRating.Rating value, or ""
    score: Decimal | None
    source_url: str

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.country, self.year, self.source)

    def changes_to(self, rating: CivicSpaceRating) -> list[str]:
        """The fields of ``rating`` this row would change."""
        return [name for name in FIELDS.values() if getattr(rating, name) != getattr(self, name)]

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country))

    def get_source_display(self) -> str:
        return CivicSpaceRating.Source(self.source).label

    def get_rating_display(self) -> str:
        return CivicSpaceRating.Rating(self.rating).label if self.rating else ""


@dataclass
class ImportPlan:
    """What importing the rows does: the ratings it adds, those it changes (with the fields
    changed) and the rows that already match what is recorded."""

    created: list[RatingRow] = field(default_factory=list)
    updated: list[tuple[RatingRow, list[str]]] = field(default_factory=list)
    unchanged: list[RatingRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


# Reading the file ----------------------------------------------------------------------------


def _folded(text: str) -> str:
    """``text`` compared loosely: no accents, case, underscores or extra spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


def _names_in_every_language(choices) -> dict[str, str]:
    """Each value of ``choices`` by its code and by its label in each language of the portal,
    folded; a label two values share in some language is left out."""
    names: dict[str, set[str]] = defaultdict(set)
    for value in choices.values:
        names[_folded(value)].add(value)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                names[_folded(str(label))].add(value)
    return {name: values.pop() for name, values in names.items() if len(values) == 1}


def _decoded(content: bytes) -> str:
    if not content.strip():
        raise CivicSpaceImportError([Problem(_("The file is empty."))])
    if len(content) > MAX_FILE_BYTES:
        raise CivicSpaceImportError([too_large(len(content))])
    if content.startswith(SPREADSHEET_SIGNATURES):
        raise CivicSpaceImportError(
            [
                Problem(
                    _(
                        "This is a spreadsheet, not a CSV file: save it as “CSV UTF-8 "
                        "(comma delimited)” and upload that file."
                    )
                )
            ]
        )
    try:
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = content.decode("utf-16")
        else:
            text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = content[: error.start].count(b"\n") + 1
        raise CivicSpaceImportError(
            [
                Problem(
                    _(
                        "The file is not in UTF-8: this row has a character that cannot be "
                        "read. Save the file as “CSV UTF-8” and upload it again."
                    ),
                    row=row,
                )
            ]
        ) from None
    if "\x00" in text:
        raise CivicSpaceImportError([Problem(_("This is not a CSV file."))])
    return text


def too_large(size: int) -> Problem:
    return Problem(
        _("The file is %(size)s; the largest accepted is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)}
    )


def _delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most known column names."""

    def known(delimiter: str) -> int:
        names = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(_folded(name) in COLUMNS for name in names)

    return max(DELIMITERS, key=known)


def _header_problems(header: list[str], row: int) -> list[Problem]:
    names = [_folded(name) for name in header]
    expected = ",".join(COLUMNS)
    problems = [
        Problem(
            _("“%(name)s” is not a column of this file; the header is: %(header)s")
            % {"name": given, "header": expected},
            row=row,
        )
        for given, name in zip(header, names, strict=True)
        if name and name not in COLUMNS
    ]
    problems += [
        Problem(_("The column “%(name)s” is given twice.") % {"name": name}, row=1)
        for name in COLUMNS
        if names.count(name) > 1
    ]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        quoted = get_text_list([f"“{name}”" for name in missing], _("and"))
        problems.append(
            Problem(
                ngettext(
                    "The header lacks the column %(names)s; it must be: %(header)s",
                    "The header lacks the columns %(names)s; it must be: %(header)s",
                    len(missing),
                )
                % {"names": quoted, "header": expected},
                row=row,
            )
        )
    return problems


class _RowReader:
    """Checks the cells of one row at a time, collecting the problems."""

    def __init__(self):
        self.countries = {code.upper() for code in Country.objects.values_list("code", flat=True)}
        self.sources = _names_in_every_language(CivicSpaceRating.Source)
        self.ratings = _names_in_every_language(CivicSpaceRating.Rating)
        self.last_year = min(timezone.localdate().year, CIVIC_SPACE_YEARS.last)
        self.url_validator = URLValidator(schemes=["http", "https"])
        self.problems: list[Problem] = []

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(message, row=row, columns=(column,)))

    def country(self, row: int, value: str) -> str | None:
        code = value.strip().upper()
        if not code:
            self.problem(row, "country", _("The country is missing."))
        elif code not in self.countries:
            self.problem(
                row,
                "country",
                _(
                    "“%(value)s” is not a country the portal knows: give its two-letter "
                    "ISO 3166-1 code, such as BR."
                )
                % {"value": value.strip()},
            )
        else:
            return code
        return None

    def year(self, row: int, value: str) -> int | None:
        value = value.strip()
        first, last = CIVIC_SPACE_YEARS.first, self.last_year
        if value.isascii() and value.isdigit() and first <= int(value) <= last:
            return int(value)
        if not value:
            self.problem(row, "year", _("The year is missing."))
        else:
            self.problem(
                row,
                "year",
                _("“%(value)s” is not a year from %(first)s to %(last)s.")
                % {"value": value, "first": first, "last": last},
            )
        return None

    def source(self, row: int, value: str) -> str | None:
        source = self.sources.get(_folded(value))
        if source is None:
            names = get_text_list(
                [f"“{label}”" for label in CivicSpaceRating.Source.labels], _("or")
            )
            message = (
                _("The source is missing: give %(names)s.") % {"names": names}
                if not value.strip()
                else _("“%(value)s” is not a source the portal knows: give %(names)s.")
                % {"value": value.strip(), "names": names}
            )
            self.problem(row, "source", message)
        return source

    def rating(self, row: int, value: str) -> str | None:
        if not value.strip():
            return ""
        rating = self.ratings.get(_folded(value))
        if rating is None:
            names = get_text_list(
                [f"“{label}”" for label in CivicSpaceRating.Rating.labels], _("or")
            )
            self.problem(
                row,
                "rating",
                _("“%(value)s” is not on the scale: give %(names)s, or leave it empty.")
                % {"value": value.strip(), "names": names},
            )
        return rating

    def score(self, row: int, value: str) -> Decimal | None | bool:
        """The score, None when empty, False when wrong."""
        value = value.strip()
        if not value:
            return None
        number = value.replace(",", ".") if value.count(",") == 1 and "." not in value else value
        try:
            score = Decimal(number)  # a decimal comma is read as a point
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite():
            message = _("“%(value)s” is not a number.") % {"value": value}
        elif not 0 <= score <= 100:
            message = _(
                "%(value)s is outside 0 to 100: rescale scores published on another scale "
                "(0 to 1: multiply by 100)."
            ) % {"value": value}
        elif score.as_tuple().exponent < -2:  # the column keeps two
            message = _("%(value)s has more than two decimal places.") % {"value": value}
        else:
            return score
        self.problem(row, "score", message)
        return False

    def url(self, row: int, value: str) -> str | None:
        value = value.strip()
        if not value:
            return ""
        if len(value) > URL_MAX_LENGTH:
            self.problem(
                row,
                "url",
                _("The address is longer than %(limit)s characters.") % {"limit": URL_MAX_LENGTH},
            )
            return None
        try:
            self.url_validator(value)
        except ValidationError:
            self.problem(
                row,
                "url",
                _("“%(value)s” is not a web address (https://…).") % {"value": value},
            )
            return None
        return value

    def read(self, row: int, cells: dict[str, str]) -> RatingRow | None:
        found = len(self.problems)
        country = self.country(row, cells["country"])
        year = self.year(row, cells["year"])
        source = self.source(row, cells["source"])
        rating = self.rating(row, cells["rating"])
        score = self.score(row, cells["score"])
        url = self.url(row, cells["url"])
        if rating == "" and score is None:
            self.problems.append(
                Problem(_("Give a rating, a score or both."), row=row, columns=("rating", "score"))
            )
        if len(self.problems) > found:
            return None
        return RatingRow(row, country, year, source, rating, score, url)


def read_ratings(content: bytes) -> list[RatingRow]:
    """The ratings of a CSV file, checked; ``CivicSpaceImportError`` lists every problem."""
    text = _decoded(content)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(header_line), strict=True
    )
    checker = _RowReader()
    rows: list[RatingRow] = []
    first_row: dict[tuple, int] = {}
    header: list[str] | None = None
    number = data_rows = 0
    try:
        for number, cells in enumerate(reader, start=1):  # noqa: B007 (read after the loop)
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
                problems = _header_problems(header, number)
                if problems:
                    raise CivicSpaceImportError(problems)
                names = [_folded(name) for name in header]
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise CivicSpaceImportError(
                    [
                        Problem(
                            _("The file has more than %(limit)s rows: split it into smaller files.")
                            % {"limit": MAX_ROWS}
                        )
                    ]
                )
            if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
                checker.problems.append(
                    Problem(_("The row has more cells than the header has columns."), row=number)
                )
                continue
            values = dict(zip(names, cells + [""] * (len(names) - len(cells)), strict=False))
            rating = checker.read(number, values)
            if rating is None:
                continue
            if rating.key in first_row:
                checker.problems.append(
                    Problem(
                        _("Row %(first)s already gives this country, year and source.")
                        % {"first": first_row[rating.key]},
                        row=number,
                        columns=("country", "year", "source"),
                    )
                )
                continue
            first_row[rating.key] = number
            rows.append(rating)
    except csv.Error as error:
        checker.problems.append(
            Problem(
                _("The file cannot be read as CSV here: %(error)s") % {"error": error},
                row=number + 1,  # the row being read
            )
        )
    if header is None:
        checker.problems.append(Problem(_("The file is empty.")))
    elif not rows and not checker.problems:
        checker.problems.append(Problem(_("The file has a header but no ratings.")))
    if checker.problems:
        raise CivicSpaceImportError(checker.problems)
    return rows


# Importing -----------------------------------------------------------------------------------


def _recorded(rows: list[RatingRow], *, lock: bool) -> dict[tuple, CivicSpaceRating]:
    ratings = CivicSpaceRating.objects.filter(
        country_id__in={row.country for row in rows},
        year__in={row.year for row in rows},
        source__in={row.source for row in rows},
    )
    if lock:
        ratings = ratings.select_for_update()
    return {(rating.country_id, rating.year, rating.source): rating for rating in ratings}


def plan_import(rows: list[RatingRow], *, lock: bool = False) -> ImportPlan:
    """What importing ``rows`` would add and change, compared with what is recorded."""
    recorded = _recorded(rows, lock=lock)
    plan = ImportPlan()
    for row in rows:
        rating = recorded.get(row.key)
        if rating is None:
            plan.created.append(row)
        elif changed := row.changes_to(rating):
            plan.updated.append((row, changed))
        else:
            plan.unchanged.append(row)
    return plan


def _log(by, ratings: list[CivicSpaceRating], flag: int, message: str) -> None:
    if by is not None and ratings:
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=ratings, action_flag=flag, change_message=message
        )


def _write(plan: ImportPlan, *, by, file_name: str) -> None:
    created = CivicSpaceRating.objects.bulk_create(
        CivicSpaceRating(
            country_id=row.country,
            year=row.year,
            source=row.source,
            rating=row.rating,
            score=row.score,
            source_url=row.source_url,
        )
        for row in plan.created
    )
    _log(by, created, ADDITION, _("Imported from “%(file)s”.") % {"file": file_name})
    if not plan.updated:
        return
    recorded = _recorded([row for row, _changed in plan.updated], lock=False)
    now = timezone.now()
    by_change: dict[tuple[str, ...], list[CivicSpaceRating]] = defaultdict(list)
    for row, changed in plan.updated:
        rating = recorded[row.key]
        for name in changed:
            setattr(rating, name, getattr(row, name))
        rating.updated_at = now
        by_change[tuple(changed)].append(rating)
    CivicSpaceRating.objects.bulk_update(
        [rating for ratings in by_change.values() for rating in ratings],
        [*FIELDS.values(), "updated_at"],
    )
    for changed, ratings in by_change.items():
        labels = [str(CivicSpaceRating._meta.get_field(name).verbose_name) for name in changed]
        message = _("Imported from “%(file)s”: changed the %(fields)s.") % {
            "file": file_name,
            "fields": get_text_list(labels, _("and")),
        }
        _log(by, ratings, CHANGE, message)


def civic_space_ratings_import(
    *, content: bytes, file_name: str, by=None, dry_run: bool = False
) -> ImportPlan:
    """Import the ratings of a CSV file, all or nothing, and record who did it in the admin's
    log (when ``by`` is given). Raises ``CivicSpaceImportError`` when the file has problems;
    ``dry_run`` checks and plans without writing."""
    rows = read_ratings(content)
    try:
        with transaction.atomic():
            plan = plan_import(rows, lock=True)
            if not dry_run:
                _write(plan, by=by, file_name=file_name)
    except IntegrityError:
        # Another import added one of these ratings after this one looked.
        raise CivicSpaceImportError(
            [Problem(_("The ratings changed while the file was being imported: import it again."))]
        ) from None
    return plan
