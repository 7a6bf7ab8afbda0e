"""The dataset export: initiatives and their principle evidence as CSV (zipped), XLSX or JSON.

:mod:`.columns` declares the tables and their columns (and fetches what they read);
:mod:`.formats` writes them, with a data dictionary built from the column descriptions.
"""

from collections.abc import Iterable, Iterator
from typing import BinaryIO, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from initiatives.models import Initiative
from reports.builders import Progress, no_progress
from reports.builders.dataset.columns import (
    EVIDENCE_CHUNK,
    EVIDENCE_COLUMNS,
    INITIATIVE_CHUNK,
    INITIATIVE_COLUMNS,
    Column,
    evidence_rows,
    initiative_rows,
)
from reports.builders.dataset.formats import EXCEL_CELL_LIMIT, FORMATS, About, Format, csv_cell
from ssdc_portal import links

__all__ = [
    "EVIDENCE_COLUMNS",
    "EXCEL_CELL_LIMIT",
    "FORMATS",
    "INITIATIVE_COLUMNS",
    "Column",
    "Format",
    "csv_cell",
    "write_dataset",
]

T = TypeVar("T")


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
    if fmt not in FORMATS:
        raise ValueError(f"Unknown dataset format {fmt!r}; use one of: {', '.join(FORMATS)}.")
    evidence = evidence_rows(initiatives)
    about = About(
        portal=links.site_url(),
        licence=getattr(settings, "DATA_LICENCE", "CC BY 4.0"),
        exported_at=timezone.now(),
        filters={name: list(values) for name, values in (filters or {}).items()},
        initiative_count=initiatives.count(),
        evidence_count=evidence.count(),
    )
    counter = _Counter(about.initiative_count + about.evidence_count, progress)
    progress(0, counter.total)
    return FORMATS[fmt].write(
        out,
        about,
        counter.rows(initiative_rows(initiatives), INITIATIVE_CHUNK),
        counter.rows(evidence.iterator(chunk_size=EVIDENCE_CHUNK), EVIDENCE_CHUNK),
    )
