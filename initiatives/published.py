"""Public pages of a record's published versions, its citation files, and the page that
says a withdrawn record is gone.

Versions are public once published, so they are read from records that are or were
published (``Initiative.objects.ever_published()``), whoever asks: a withdrawn record's
versions stay readable. Nothing else about a record that was never published is shown.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from initiatives.citation import (
    CITATION_FORMATS,
    Citation,
    citation_file,
    highwire_tags,
    json_ld,
)
from initiatives.content import interface_language
from initiatives.models import Initiative, PublishedVersion, Source
from initiatives.versions import latest_version, record_versions, version_snapshot
from ssdc_portal.languages import address_in_language
from ssdc_portal.links import absolute_url

# <, > and & inside a <script> block could end it or start markup: JSON allows their
# \u escapes (Django's json_script escapes the same).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(data: dict) -> str:
    """``data`` as JSON safe to place inside a ``<script>`` element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


def version_citation(
    request, initiative: Initiative, version: PublishedVersion | None, *, title: str = ""
) -> Citation:
    """The citation of ``version`` of ``initiative`` (of the record as it is, when it has no
    version in its history)."""
    if version is not None:
        url = absolute_url(version.get_absolute_url(), request)
        published = timezone.localdate(version.published_at)
    else:
        url = absolute_url(initiative.get_absolute_url(), request)
        published = timezone.localdate(initiative.published_at or initiative.updated_at)
    return Citation(
        title=title or initiative.title,
        author=initiative.owner.name,
        published=published,
        url=url,
        accessed=timezone.localdate(),
        language=initiative.language,
        version=version.number if version else None,
        key=initiative.slug,
    )


def citation_context(citation: Citation, *, description: str = "") -> dict:
    """What the page head and the cite section show of ``citation``."""
    return {
        "citation": citation,
        "citation_tags": highwire_tags(citation),
        "citation_json_ld": script_json(json_ld(citation, description=description)),
        "citation_formats": list(CITATION_FORMATS),
    }


def _ever_published(slug: str) -> Initiative:
    return get_object_or_404(Initiative.objects.ever_published().select_related("owner"), slug=slug)


def _version(initiative: Initiative, number: int) -> PublishedVersion:
    return get_object_or_404(
        initiative.published_versions.select_related("revision"), number=number
    )


def initiative_version(request, slug: str, number: int):
    initiative = _ever_published(slug)
    version = _version(initiative, number)
    version.initiative = initiative
    # A source of then links its document only where the record's document route still
    # serves that same file.
    served = Source.objects.filter(
        initiative=initiative, initiative__in=Initiative.objects.visible_to(request.user)
    )
    snapshot = version_snapshot(version, document_gate=served)
    current = latest_version(initiative)
    citation = version_citation(request, initiative, version, title=snapshot.record.title)
    original_language = interface_language(snapshot.record.language)
    context = {
        # The same page in the language the version was written in, if the portal has it.
        "original_page": original_language
        and address_in_language(request.get_full_path(), original_language),
        "initiative": initiative,
        "snapshot": snapshot,
        "record": snapshot.record,
        "version": version,
        "current": current,
        "versions": record_versions(initiative),
        "is_latest": current is not None and current.number == version.number,
        "permanent_url": absolute_url(initiative.get_absolute_url(), request),
        **citation_context(citation, description=snapshot.record.summary),
    }
    return render(request, "initiatives/initiative_version.html", context)


def initiative_gone(request, initiative: Initiative):
    """The answer at a withdrawn record's address: 410, with its last published version."""
    context = {"initiative": initiative, "last_version": latest_version(initiative)}
    return render(request, "initiatives/initiative_gone.html", context, status=410)


def _citation_response(citation: Citation, kind: str) -> HttpResponse:
    content_type, extension = CITATION_FORMATS[kind]
    response = HttpResponse(
        citation_file(citation, kind), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{citation.file_stem}.{extension}"'
    return response


def _citation_format(request) -> str:
    kind = request.GET.get("format", "")
    if kind not in CITATION_FORMATS:
        message = _("Ask for one of these formats: %(formats)s.") % {
            "formats": ", ".join(CITATION_FORMATS)
        }
        return HttpResponse(escape(message), status=400, content_type="text/plain; charset=utf-8")
    return kind


def initiative_cite(request, slug: str):
    """The citation of the record as it is published now."""
    kind = _citation_format(request)
    if isinstance(kind, HttpResponse):
        return kind
    initiative = _ever_published(slug)
    if initiative.is_archived:
        return initiative_gone(request, initiative)
    citation = version_citation(request, initiative, latest_version(initiative))
    return _citation_response(citation, kind)


def initiative_version_cite(request, slug: str, number: int):
    kind = _citation_format(request)
    if isinstance(kind, HttpResponse):
        return kind
    initiative = _ever_published(slug)
    version = _version(initiative, number)
    version.initiative = initiative
    title = version_snapshot(version).record.title
    return _citation_response(version_citation(request, initiative, version, title=title), kind)


def gone_or_404(slug: str) -> Initiative:
    """The withdrawn record at ``slug``, else Http404."""
    withdrawn = (
        Initiative.objects.filter(slug=slug, state=Initiative.State.ARCHIVED)
        .select_related("owner")
        .first()
    )
    if withdrawn is None:
        raise Http404
    return withdrawn
