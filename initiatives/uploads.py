"""Checks on uploaded documents: the content must match the file's type, not only its name,
and the file must fit the size limit (``MAX_DOCUMENT_MB``)."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The first bytes each accepted kind of file starts with. DOCX and ODT are ZIP containers,
# whose members are checked as well (see _is_office_document).
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "docx": [b"PK\x03\x04"],
    "odt": [b"PK\x03\x04"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "webp": [b"RIFF"],
}
DOCUMENT_EXTENSIONS = list(SIGNATURES)
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def max_document_bytes() -> int:
    return settings.MAX_DOCUMENT_MB * 1024 * 1024


def _has_signature(head: bytes, extension: str) -> bool:
    if extension == "webp" and head[8:12] != b"WEBP":
        return False
    return any(head.startswith(signature) for signature in SIGNATURES[extension])


def _is_office_document(document, extension: str) -> bool:
    """A word-processing file is a ZIP archive with known members: ``word/document.xml`` in
    DOCX, a ``mimetype`` member naming the ODF text type in ODT. Any other archive (a
    renamed program, a bundle of scripts) is refused. Only the directory and a few bytes
    are read, never the packed contents."""
    try:
        with zipfile.ZipFile(document) as archive:
            names = set(archive.namelist())
            if extension == "docx":
                return {"[Content_Types].xml", "word/document.xml"} <= names
            if "mimetype" not in names:
                return False
            with archive.open("mimetype") as member:
                return member.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


@deconstructible
class DocumentValidator:
    """Refuses files whose size or content does not fit an accepted document type."""

    def __call__(self, document) -> None:
        if getattr(document, "_committed", False):
            return  # a stored file was checked when it was uploaded
        extension = PurePath(document.name).suffix.lower().lstrip(".")
        if extension not in SIGNATURES:
            return  # the extension validator reports this one
        if document.size > max_document_bytes():
            raise ValidationError(
                _(
                    "The file is larger than %(limit)s MB. Upload a smaller copy, or give "
                    "a link to the document instead."
                ),
                params={"limit": settings.MAX_DOCUMENT_MB},
                code="too_large",
            )
        position = document.tell() if hasattr(document, "tell") else 0
        try:
            document.seek(0)
            matches = _has_signature(document.read(12), extension)
            if matches and extension in {"docx", "odt"}:
                document.seek(0)
                matches = _is_office_document(document, extension)
        finally:
            document.seek(position)
        if not matches:
            raise ValidationError(
                _("This file does not look like a %(kind)s document; it may be damaged."),
                params={"kind": extension.upper()},
                code="content_mismatch",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DocumentValidator)
