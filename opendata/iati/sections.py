"""What the ``/data/`` page shows of the public IATI files (see ``opendata.sections``)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime

from opendata.iati import files
from opendata.iati.activities import IATI_VERSION, PORTAL_NS
from opendata.iati.mapping import reporting_org
from ssdc_portal import links


def iati_files_context() -> dict:
    registry = files.current_registry()
    language = translation.get_language() or settings.LANGUAGE_CODE
    context = {
        "iati_version": IATI_VERSION,
        "reporting_org": reporting_org(),
        "licence": settings.DATA_LICENCE,
        "registry_url": _address("iati-registry"),
        "namespace": PORTAL_NS,
        "namespace_url": reverse("iati-namespace"),
        "registry": registry,
        "is_built": bool(registry and registry.build),
    }
    if registry is None:
        return context
    context["failed_at"] = parse_datetime(registry.failed_at) if registry.failed_at else None
    if not registry.build:
        return context
    context.update(
        built_at=parse_datetime(registry.built_at),
        all_activities=_row(registry.file(files.ALL_ACTIVITIES), "iati-activities"),
        organisation_file=_row(registry.file(files.ORGANISATION_FILE), "iati-organisation"),
        organisation_files=[
            _row(built, "iati-organisation-activities", built.organisation_slug)
            for built in registry.organisation_files
        ],
        left_out=[
            {
                "title": row.title,
                "organisation": row.organisation,
                "url": reverse("initiative-detail", args=[row.slug]),
                "reason": row.reason(language),
            }
            for row in registry.left_out
        ],
    )
    return context


def _address(name: str, *args) -> str:
    """The absolute address of a file: the same in every language, so without a prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        return links.absolute_url(reverse(name, args=args))


def _row(built: files.BuiltFile | None, name: str, *args) -> dict | None:
    if built is None:
        return None
    return {"file": built, "url": _address(name, *args)}
