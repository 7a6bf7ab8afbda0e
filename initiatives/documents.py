"""Downloads of documents attached to sources, behind the same visibility gate as the record."""

import mimetypes
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from initiatives.models import Initiative, Source


@require_GET
def source_document(request, pk: int):
    """Serve the file as an attachment, never inline: an uploaded file is not a web page."""
    source = get_object_or_404(
        Source.objects.filter(initiative__in=Initiative.objects.visible_to(request.user)),
        pk=pk,
    )
    if not source.document:
        raise Http404
    try:
        handle = source.document.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    filename = PurePath(source.document.name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
