"""Pages of the dataset releases and their files. Releases hold published records only."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata.models import DatasetRelease
from opendata.releases.citation import citation
from opendata.releases.services import DATAPACKAGE, media_type


@require_safe
def release_list(request):
    return render(
        request,
        "opendata/release_list.html",
        {"releases": DatasetRelease.objects.for_listing()},
    )


@require_safe
def release_detail(request, number: int):
    release = get_object_or_404(DatasetRelease, number=number)
    return render(
        request,
        "opendata/release_detail.html",
        {
            "release": release,
            "citation": citation(release, request),
            "files": [
                {**entry, "rows": release.counts.get(entry["name"].removesuffix(".csv"))}
                for entry in release.files
            ],
            "changes": [
                (_("Added"), release.added, True),
                (_("Updated"), release.updated, True),
                (_("Withdrawn"), release.withdrawn, False),
            ],
        },
    )


@require_safe
def release_file(request, number: int, filename: str):
    """A file of a release, byte for byte as written; its ETag is its SHA-256."""
    release = get_object_or_404(DatasetRelease, number=number)
    entry = release.file(filename)
    if entry is None:
        raise Http404
    etag = f'"{entry["sha256"]}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            default_storage.open(f"{release.directory}/{filename}", "rb"),
            content_type=f"{media_type(filename)}; charset=utf-8",
            as_attachment=filename != DATAPACKAGE,
            filename=filename,
        )
        response["Content-Length"] = str(entry["bytes"])
    response["ETag"] = etag
    # A release never changes: caches may keep its files.
    patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    return response
