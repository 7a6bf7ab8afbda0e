"""One error body for every API failure:

    {"error": {"status": 400, "code": "invalid", "message": "…", "details": {…}}}

``details`` holds field-level messages for validation errors.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy("The request conflicts with the current state of the record.")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = gettext_lazy(
        "The record changed since you read it: fetch it again, then retry."
    )


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = gettext_lazy("The request body is too large.")


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = gettext_lazy("Send the record's ETag in an If-Match header to change it.")


def _first_message(detail) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_message(next(iter(detail.values())))
    return str(detail)


def api_exception_handler(exc, context):
    if isinstance(exc, IntegrityError):
        exc = Conflict(
            _("This would break a rule of the data: %(reason)s")
            % {"reason": str(exc).splitlines()[0]}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    is_field_level = isinstance(detail, dict | list)
    body = {
        "status": response.status_code,
        "code": codes if isinstance(codes, str) else getattr(exc, "default_code", "error"),
        "message": _("Some values are not valid: see details.")
        if isinstance(detail, dict)
        else _first_message(detail),
    }
    if is_field_level:
        body["details"] = detail
    response.data = {"error": body}
    return response


def error_response(status_code: int, code: str, message: str) -> Response:
    return Response(
        {"error": {"status": status_code, "code": code, "message": message}}, status=status_code
    )
