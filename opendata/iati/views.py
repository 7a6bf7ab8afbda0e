"""The public IATI files, their registry metadata and the portal namespace's documentation.

The files are read from the latest published build (:mod:`opendata.iati.files`); nothing is
built here. Before the first build the addresses answer 503 with ``Retry-After``.
"""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata.iati import files, namespace
from opendata.iati.activities import IATI_VERSION, PORTAL_NS
from opendata.iati.mapping import reporting_org
from ssdc_portal import links

RETRY_AFTER = 300  # seconds: a first build is queued on the next change or by the command
MAX_AGE = 300


def _not_built_yet(request, *, as_json: bool = False):
    message = _(
        "The IATI files have not been built yet. They are built in the background shortly "
        "after records are published; please try again in a few minutes."
    )
    if as_json:
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "opendata/iati/not_built.html", {"message": message}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _serve(request, name: str):
    registry = files.current_registry()
    if registry is None or not registry.build:
        return _not_built_yet(request)
    built = registry.file(name)
    if built is None:
        raise Http404
    etag = f'"{built.sha256}"'
    last_modified = parse_datetime(registry.built_at).timestamp()
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FileResponse(
            open(files.file_path(registry, name), "rb"),  # noqa: SIM115 (closed by Django)
            content_type="application/xml; charset=utf-8",
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def activities(request):
    """``/data/iati/activities.xml``: every published initiative."""
    return _serve(request, files.ALL_ACTIVITIES)


@require_safe
def organisation_activities(request, slug: str):
    """The published initiatives of one organisation (as their owner)."""
    return _serve(request, files.organisation_activities(slug))


@require_safe
def organisation(request):
    """``/data/iati/organisation.xml``: the reporting organisation."""
    return _serve(request, files.ORGANISATION_FILE)


def file_url(request, built: files.BuiltFile) -> str:
    if built.organisation_slug:
        path = reverse("iati-organisation-activities", args=[built.organisation_slug])
    elif built.kind == "organisation":
        path = reverse("iati-organisation")
    else:
        path = reverse("iati-activities")
    return links.absolute_url(path, request)


@require_safe
def registry_json(request):
    """``/data/iati/registry.json``: what a publisher registers, for machines.

    Addresses are absolute and in English (no language prefix): the files are the same in
    every language."""
    registry = files.current_registry()
    if registry is None or not registry.build:
        return _not_built_yet(request, as_json=True)
    with translation.override(settings.LANGUAGE_CODE):
        data = registry_data(request, registry)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def registry_data(request, registry: files.Registry) -> dict:
    reporting = reporting_org()
    return {
        "reporting_org": {"ref": reporting.ref, "type": reporting.type, "name": reporting.name},
        "iati_version": IATI_VERSION,
        "licence": settings.DATA_LICENCE,
        "languages": registry.languages,
        "last_updated": registry.built_at,
        "activities": registry.activities,
        "files": [
            {
                "url": file_url(request, built),
                "kind": built.kind,
                "organisation": (
                    {"slug": built.organisation_slug, "name": built.organisation_name}
                    if built.organisation_slug
                    else None
                ),
                "activities": built.activities if built.kind == "activities" else None,
                "sha256": built.sha256,
                "size": built.size,
                "last_updated": registry.built_at,
            }
            for built in registry.files
        ],
        "left_out_count": len(registry.left_out),
        "left_out": [
            {
                "url": links.absolute_url(reverse("initiative-detail", args=[row.slug]), request),
                "title": row.title,
                "organisation": row.organisation,
                "reason": row.reason(settings.LANGUAGE_CODE),
            }
            for row in registry.left_out
        ],
        "namespace": {
            "uri": PORTAL_NS,
            "documentation": links.absolute_url(reverse("iati-namespace"), request),
        },
    }


def namespace_page(request):
    """``/data/iati/ns/1/``: every element and attribute of the portal's namespace."""
    return render(
        request,
        "opendata/iati/namespace.html",
        {"namespace": PORTAL_NS, "elements": namespace.portal_elements()},
    )
