"""The current page in each portal language: the language switcher and the ``hreflang``
alternates of every page (templates/_language_switcher.html, templates/base.html)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ssdc_portal import languages, links

register = template.Library()


@dataclass(frozen=True)
class PageLanguage:
    code: str  # as in LANGUAGES and the address: pt-br
    tag: str  # BCP 47, for lang and hreflang: pt-BR
    name: str  # in the language itself: português brasileiro
    address: str  # this page in this language, query kept
    absolute_address: str
    switch_address: str  # the same through the switch, which remembers the choice
    is_current: bool
    is_default: bool


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[PageLanguage]:
    """This page (path and query) in every portal language."""
    request = context.get("request")
    here = request.get_full_path() if request is not None else "/"
    current = translation.get_language()
    found = []
    for code, _name in settings.LANGUAGES:
        # An address that is not a page (the API's documentation) is the same in each.
        address = languages.page_address_in_language(here, code)
        found.append(
            PageLanguage(
                code=code,
                tag=languages.language_tag(code),
                name=translation.get_language_info(code)["name_local"],
                address=address,
                absolute_address=links.absolute_url(address, request),
                switch_address=reverse("language-switch", args=[code])
                + "?"
                + urlencode({"next": address}),
                is_current=code == current,
                is_default=code == settings.LANGUAGE_CODE,
            )
        )
    return found


@register.filter
def language_tag(code: str) -> str:
    """``pt-br`` as BCP 47 writes it: ``pt-BR``."""
    return languages.language_tag(code or settings.LANGUAGE_CODE)
