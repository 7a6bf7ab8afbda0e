"""The API negotiates the language of an answer along with its format.

Accept-Language (or the language cookie) is followed already by the language middleware
(ssdc_portal/languages.py); on reads, a ``lang`` query parameter overrides it, for clients
that cannot set headers (a link, a spreadsheet's web query). Vocabulary names, translated
content, links to pages and error messages follow.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import SAFE_METHODS

LANGUAGE_PARAMETER = "lang"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class LanguageNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        chosen = super().select_renderer(request, renderers, format_suffix)
        language = request.query_params.get(LANGUAGE_PARAMETER)
        if language is not None and request.method in SAFE_METHODS:
            if language not in language_codes():
                # DRF answers in its first renderer (JSON) when negotiation fails.
                raise ValidationError(
                    {
                        LANGUAGE_PARAMETER: [
                            _("Choose one of: %(languages)s.")
                            % {"languages": ", ".join(language_codes())}
                        ]
                    }
                )
            translation.activate(language)
        return chosen
