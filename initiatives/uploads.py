"""Checks on uploaded documents: the content must match the file's type, not only its name."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# The first bytes each accepted kind of file starts with. DOCX and ODT are ZIP containers.
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


@deconstructible
class DocumentValidator:
    """Refuses files whose size or first bytes do not fit an accepted document type."""

    def __call__(self, document) -> None:
        extension = PurePath(document.name).suffix.lower().lstrip(".")
        if extension not in SIGNATURES:
            return  # the extension validator reports this one
        if document.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB."),
                params={"limit": MAX_DOCUMENT_BYTES // 2**20},
                code="too_large",
            )
        position = document.tell() if hasattr(document, "tell") else 0
        document.seek(0)
        head = document.read(12)
        document.seek(position)
        if not any(head.startswith(signature) for signature in SIGNATURES[extension]) or (
            extension == "webp" and head[8:12] != b"WEBP"
        ):
            raise ValidationError(
                _("This file does not look like a %(kind)s document; it may be damaged."),
                params={"kind": extension.upper()},
                code="content_mismatch",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DocumentValidator)
