"""The request ID and the access log: one line per request, without personal data or secrets."""

import logging
import re
import time
import uuid

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.encoding import escape_uri_path

from ssdc_portal.logging import current_request_id

HEADER = "X-Request-ID"
# An ID from a proxy or client is kept only if it cannot disguise or break a log line.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# URL parts that are secrets themselves, such as the token in a password-reset link.
SECRET_URL_PARTS = frozenset({"token"})
REDACTED = "[redacted]"

access_log = logging.getLogger("ssdc_portal.requests")


class RequestIdMiddleware:
    """Gives each request an ID, echoes it in ``X-Request-ID`` and logs the request once.

    It must come first in MIDDLEWARE, so that its duration covers all the others and even
    their early answers (an HTTPS redirect) carry the ID. While the request is handled,
    every log record, from any logger, carries the ID (see ``RequestIdFilter``).

    The line is written when the response's headers are ready. A streamed response (CSV
    exports, files) has not sent its body yet: its size is unknown unless the header gives
    it, and its duration is the time to the first byte. Django turns an exception in a view
    into its 500 page (and logs the traceback, with this ID) before the response gets here;
    an exception it lets through (DEBUG_PROPAGATE_EXCEPTIONS) is logged as a 500 and
    re-raised.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        context = current_request_id.set(request_id)
        started = time.perf_counter()
        response = None
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            return response
        finally:
            log_request(request, response, duration=time.perf_counter() - started)
            current_request_id.reset(context)


def log_request(request, response, *, duration: float) -> None:
    """Write the access line. Never the query string, headers, cookies, body or who the
    user is: only whether someone was signed in."""
    match = request.resolver_match
    status = 500 if response is None else response.status_code
    fields = {
        "method": request.method,
        "path": loggable_path(request),
        "route": match.route if match else None,
        "route_name": match.view_name if match else None,
        "status": status,
        "duration_ms": round(duration * 1000, 1),
        "size": response_size(response),
        "user": user_kind(request),
    }
    access_log.info(
        "%s %s %s %.1fms size=%s user=%s",
        fields["method"],
        fields["path"],
        status,
        fields["duration_ms"],
        "-" if fields["size"] is None else fields["size"],
        fields["user"],
        extra=fields,
    )


def loggable_path(request) -> str:
    """The path, percent-encoded so it cannot break the line, with secret parts hidden."""
    path = escape_uri_path(request.path)
    match = request.resolver_match
    if match:
        for name in SECRET_URL_PARTS.intersection(match.kwargs):
            path = path.replace(escape_uri_path(str(match.kwargs[name])), REDACTED)
    return path


def response_size(response) -> int | None:
    if response is None:
        return None
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    return None if response.streaming else len(response.content)


def user_kind(request) -> str:
    user = getattr(request, "user", None)
    return "authenticated" if user is not None and user.is_authenticated else "anonymous"


class PrivateAnswersMiddleware:
    """Keeps shared caches (proxies, CDNs) from storing or mixing up answers that depend on
    who asks.

    An answer to a signed-in person, or to a request carrying credentials (a token in
    ``Authorization``), is ``private`` and, unless the view said how long it keeps, is
    checked again before reuse (``no-cache``); a view's ``no-store`` stays. API answers
    always name ``Authorization`` and ``Cookie`` in ``Vary``, so that a cache keeps
    anonymous and authenticated readings apart. Place it after the authentication
    middleware; it looks at the user after the view ran, when DRF has set a token's user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        has_credentials = "HTTP_AUTHORIZATION" in request.META
        if has_credentials or request.path_info.startswith("/api/"):
            patch_vary_headers(response, ["Authorization", "Cookie"])
        user = getattr(request, "user", None)
        if has_credentials or (user is not None and user.is_authenticated):
            patch_vary_headers(response, ["Cookie"])
            _make_private(response)
        return response


def _make_private(response) -> None:
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }
    if directives & {"no-store", "no-cache", "max-age", "s-maxage"}:
        patch_cache_control(response, private=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)
