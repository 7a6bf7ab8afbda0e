"""The ``iati`` report: the initiatives a request selects, as an IATI 2.03 activities file.

The writer and the validator are the portal's own IATI files' (:mod:`opendata.iati`); this
report writes them in chunks of ``CHUNK_SIZE`` initiatives.
"""

from typing import BinaryIO

from django.db.models import QuerySet

from initiatives.models import Initiative
from opendata.iati import activities
from opendata.iati.activities import PORTAL_NS
from opendata.iati.validation import validate_iati
from reports.builders import Progress, no_progress

__all__ = ["CHUNK_SIZE", "PORTAL_NS", "validate_iati", "write_iati"]

CHUNK_SIZE = activities.CHUNK_SIZE


def write_iati(
    initiatives: QuerySet[Initiative],
    out: BinaryIO,
    *,
    progress: Progress = no_progress,
    left_out: list[tuple[Initiative, str]] | None = None,
) -> int:
    """Write ``initiatives`` to ``out`` as an IATI 2.03 activities file; return how many
    (``left_out``: see :func:`opendata.iati.activities.write_activities`)."""
    return activities.write_activities(
        initiatives, out, progress=progress, chunk_size=CHUNK_SIZE, left_out=left_out
    )
