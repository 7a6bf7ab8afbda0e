"""Log formatting shared by every logger: the request ID on each line, and JSON lines.

Standard library only, so that the LOGGING setting can load it before Django is ready.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The ID of the request being handled in this thread or task; set by RequestIdMiddleware.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

NO_REQUEST = "-"

# What every LogRecord carries; anything else on a record came from ``extra=``.
_RECORD_ATTRIBUTES = frozenset(
    {*vars(logging.LogRecord("", logging.INFO, "", 0, "", (), None)), "message", "asctime"}
)
_JSON_VALUE_TYPES = (str, int, float, bool, type(None))


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request's ID (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors.

    Fields passed with ``extra=`` are kept when they are plain values. Objects are left out
    on purpose: Django attaches the request itself to its records, and its text holds the
    query string.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {
            name: value
            for name, value in vars(record).items()
            if name not in _RECORD_ATTRIBUTES and isinstance(value, _JSON_VALUE_TYPES)
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry)
