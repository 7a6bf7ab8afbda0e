"""Request bodies the API reads: JSON, and the forms of the browsable API.

Every body is held to ``API_MAX_BODY_KB`` before it is read (413 beyond it), and JSON may be
nested at most ``MAX_JSON_DEPTH`` levels deep (400 beyond it): deeper nesting would exhaust
the parser's recursion, and no body the API accepts comes near it.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from ssdc_portal.api.errors import PayloadTooLarge

MAX_JSON_DEPTH = 32


class BodySizeLimit:
    """Refuses a body whose declared length is over ``API_MAX_BODY_KB``, unread. (Django
    never reads past the declared length, so a body cannot be longer than it says.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.API_MAX_BODY_KB * 1024:
                raise PayloadTooLarge(
                    _("The request body is larger than %(limit)s KB.")
                    % {"limit": settings.API_MAX_BODY_KB}
                )
        return super().parse(stream, media_type, parser_context)


def _deeper_than(data, limit: int) -> bool:
    """Whether ``data`` nests lists and objects more than ``limit`` levels deep (walked
    without recursion, so that the check cannot fail the way the parser did)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class JSONParser(BodySizeLimit, parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(
            _("The JSON is nested too deeply (at most %(depth)s levels).")
            % {"depth": MAX_JSON_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _deeper_than(data, MAX_JSON_DEPTH):
            raise too_deep
        return data


class FormParser(BodySizeLimit, parsers.FormParser):
    pass


class MultiPartParser(BodySizeLimit, parsers.MultiPartParser):
    pass
