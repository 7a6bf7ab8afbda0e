"""Start-up checks of the open data configuration.

The IATI files name the portal as their reporting organisation: ``IATI_REPORTING_ORG_REF``
prefixes every ``iati-identifier``, so a file published under a placeholder cannot be
registered and its identifiers would have to change later. ``manage.py check --deploy``
fails on the placeholder or an empty value, on an organisation type that is not in IATI's
OrganisationType codelist, and on an empty name. The demo uses ``XM-DAC-ZZZ-DEMO``
(:data:`DEMO_REF`), plainly not a real identifier; a deploy check fails on it too.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from reference.iati import OrganisationType

PLACEHOLDER_REF = "XX-SSDC"
DEMO_REF = "XM-DAC-ZZZ-DEMO"


@register(Tags.compatibility, deploy=True)
def reporting_organisation_configured(app_configs=None, **kwargs) -> list[Error]:
    """The reporting organisation an IATI file names: a real identifier, an IATI
    organisation type and a name."""
    errors = []
    ref = str(settings.IATI_REPORTING_ORG_REF or "").strip()
    if ref in {"", PLACEHOLDER_REF, DEMO_REF}:
        errors.append(
            Error(
                f"IATI_REPORTING_ORG_REF is {ref or 'empty'!r}: set the portal's own IATI "
                "organisation identifier (https://org-id.guide), which prefixes every "
                "published iati-identifier.",
                id="opendata.E001",
            )
        )
    if settings.IATI_REPORTING_ORG_TYPE not in OrganisationType.values:
        errors.append(
            Error(
                f"IATI_REPORTING_ORG_TYPE {settings.IATI_REPORTING_ORG_TYPE!r} is not a code of "
                "IATI's OrganisationType codelist.",
                id="opendata.E002",
            )
        )
    if not str(settings.IATI_REPORTING_ORG_NAME or "").strip():
        errors.append(
            Error("IATI_REPORTING_ORG_NAME is empty: name the portal.", id="opendata.E003")
        )
    return errors
