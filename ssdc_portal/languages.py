"""The language of a page is in its address: ``/es/…``, ``/pt-br/…``, ``/fr/…``, and English
at the root, without a prefix. A link therefore opens in the language it was shared in.

Addresses that are not pages (the API, ``/healthz``, the language switch, the benchmark's
views) have no prefix and answer in the language the request asks for. The routes decide
which is which: pages are those of ``i18n_patterns`` in ``ssdc_portal/urls.py``.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import LocalePrefixPattern, get_resolver, get_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path, iri_to_uri

# The first segment of a path, when it looks like a language code (as Django reads it).
LANGUAGE_SEGMENT = re.compile(r"^/(\w+(?:[@-]\w+){0,2})(?=/|$)")
SAFE_METHODS = ("GET", "HEAD")


def portal_language(code: str) -> str | None:
    """The portal language ``code`` stands for (``pt`` and ``pt-PT`` give ``pt-br``,
    ``es-MX`` gives ``es``), or None."""
    try:
        return translation.get_supported_language_variant(code).lower()
    except LookupError:
        return None


def language_of_path(path: str) -> tuple[str, str] | None:
    """``(prefix, language)`` when the path starts with a language: ``("pt", "pt-br")`` for
    ``/pt/…``; None for a path without one."""
    match = LANGUAGE_SEGMENT.match(path)
    language = match and portal_language(match[1])
    return (match[1], language) if language else None


def path_in_language(path: str, language: str) -> str:
    """``path`` (with any language prefix or none) as the address of the same page in
    ``language``: ``/es/initiatives/`` in French is ``/fr/initiatives/``, in English
    ``/initiatives/``. Addresses have no translated words, so only the prefix changes."""
    found = language_of_path(path)
    if found:
        path = path[len(found[0]) + 1 :]
    # One leading slash: "//host" would be another site to a browser.
    path = "/" + path.lstrip("/")
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def address_in_language(address: str, language: str) -> str:
    """A local address (``request.get_full_path()``, query included) in ``language``."""
    parts = urlsplit(address)
    script = get_script_prefix().rstrip("/")
    path = path_in_language(parts.path.removeprefix(script), language)
    return urlunsplit(("", "", script + path, parts.query, ""))


def language_tag(code: str) -> str:
    """The BCP 47 form of a language code, for ``lang`` and ``hreflang``: ``pt-BR``."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def is_page(path: str, urlconf=None) -> bool:
    """Whether ``path`` (without the script prefix) belongs to the language-prefixed routes
    (or to none): ``/initiatives/`` does, ``/api/initiatives/`` does not."""
    path = path.removeprefix("/")
    return not any(
        not isinstance(route.pattern, LocalePrefixPattern) and route.pattern.match(path)
        for route in get_resolver(urlconf).url_patterns
    )


def page_address_in_language(address: str, language: str) -> str:
    """``address_in_language`` for a page; any other local address as it is."""
    path = urlsplit(address).path.removeprefix(get_script_prefix().rstrip("/"))
    return address_in_language(address, language) if is_page(path) else address


def _is_page(request) -> bool:
    return is_page(request.path_info, getattr(request, "urlconf", None))


def _redirect(request, path: str, redirect_class):
    query = request.META.get("QUERY_STRING", "")
    location = escape_uri_path(get_script_prefix().rstrip("/") + path)
    return redirect_class(location + ("?" + iri_to_uri(query) if query else ""))


class LanguageMiddleware:
    """Chooses the language of each request; it takes the place of Django's
    LocaleMiddleware (after the sessions, before CommonMiddleware).

    - A prefixed page is in the language of its prefix, whoever asks. A prefix that only
      stands for a portal language — ``/pt/`` or ``/pt-PT/`` for ``/pt-br/``, ``/en/`` for
      English's none — is redirected permanently to the one that names it, query kept.
    - An unprefixed page is English for those who prefer English or say nothing. The others
      (their language cookie first, else Accept-Language) are redirected (302) to the same
      page under their language's prefix, query kept; both answers vary on those headers.
      Only GET and HEAD are redirected: the portal's own forms post to prefixed addresses.
    - Other addresses answer in the language asked for; the API may override it with
      ``?lang=`` (``ssdc_portal.api.negotiation``).

    The language cookie is written by the language switch, and on signing in for a person
    whose account has a language (``accounts.views``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = language_of_path(request.path_info)
        if found is not None:
            prefix, language = found
            if prefix != language or language == settings.LANGUAGE_CODE:
                target = path_in_language(request.path_info, language)
                return _redirect(request, target, HttpResponsePermanentRedirect)
            return self._answer(request, language)
        preferred = translation.get_language_from_request(request).lower()
        if not _is_page(request):
            response = self._answer(request, preferred)
        elif preferred != settings.LANGUAGE_CODE and request.method in SAFE_METHODS:
            target = path_in_language(request.path_info, preferred)
            response = _redirect(request, target, HttpResponseRedirect)
        else:
            response = self._answer(request, settings.LANGUAGE_CODE)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _answer(self, request, language: str):
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # The API may have answered in the language its ``lang`` parameter named.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
