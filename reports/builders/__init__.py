"""Writers of report files, one module per kind of file.

Every writer takes what it describes (a queryset of initiatives already limited to what the
requester may see, or one record), a binary file object open for writing, and a ``progress``
callable. Writers stream: they read rows with ``iterator()`` and write as they go, so memory
stays flat however many rows there are. They call ``progress(done, total)`` now and then
(cheap to call often; the caller decides how often to record it).

Writers never decide who may see what: the queryset they are given is the whole scope.
A writer that finds its own output unusable raises :class:`ReportInvalid` with the reasons.
"""

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """A ``progress`` callable for callers that do not follow progress."""


def stage(progress: Progress, start: int, end: int) -> Progress:
    """``progress`` for one stage of the work, mapped onto ``start``–``end`` per cent."""

    def record(done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 1.0
        progress(start + round(share * (end - start)), 100)

    return record


@dataclass(frozen=True)
class Produced:
    """The file a report kind wrote: its name, media type and, for tables, its rows."""

    filename: str
    content_type: str
    rows: int | None = None


class ReportFailure(Exception):
    """A report cannot be produced for a reason its requester should read."""


class ReportInvalid(Exception):
    """The file produced does not meet its standard; ``messages`` say why."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages[:5]))
