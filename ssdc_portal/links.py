"""The portal's own address, for absolute links: permanent links and citations on pages, the
files of reports, e-mails.

SITE_URL wins whenever it is set. Without it, links point to the address the request that
led to them was sent to, so that ``make run PORT=8101`` links to port 8101: a page uses its
own request; work done later (a report, an e-mail sent by a task) uses the address recorded
when it was asked for, which :class:`SiteUrlMiddleware` makes available while a request is
answered, as Django's LocaleMiddleware does for the language.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

# For work done where no request ever told the address (``manage.py make_report`` without
# --site-url): where ``make run`` serves by default.
FALLBACK_SITE_URL = "http://127.0.0.1:8000"

_recorded: ContextVar[str] = ContextVar("site_url", default="")


def site_url(request: HttpRequest | None = None) -> str:
    """The address absolute links start with, without a trailing slash: SITE_URL if set;
    else the address ``request`` was sent to (its host was checked against ALLOWED_HOSTS);
    else the one recorded for the work at hand (:func:`recorded_site_url`); else
    FALLBACK_SITE_URL."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return (_recorded.get() or FALLBACK_SITE_URL).rstrip("/")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (from ``reverse`` or ``get_absolute_url``) as an absolute link."""
    return site_url(request) + path


@contextmanager
def recorded_site_url(address: str) -> Iterator[None]:
    """Within this block, links without a request start with ``address`` (unless SITE_URL
    is set): the address recorded when a report or an e-mail was asked for."""
    token = _recorded.set(address)
    try:
        yield
    finally:
        _recorded.reset(token)


class SiteUrlMiddleware:
    """Records the address each request was sent to while it is answered, for the services
    it calls to hand on to the tasks they queue (see :func:`site_url`). It comes after
    CommonMiddleware, which refuses a host that is not in ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with recorded_site_url(site_url(request)):
            return self.get_response(request)
