"""Evidence documents uploaded on the editor's page: checked by what they contain, held to a
size limit, stored outside the code, and handed back only as downloads."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiatives.models import Initiative, Source
from tests.factories import InitiativeFactory, SourceFactory
from tests.test_editor_pages import edit_url, open_form
from tests.test_settings import production_environment, run_python

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as packed:
        for name, content in members.items():
            packed.writestr(name, content)
    return buffer.getvalue()


DOCX = archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = archive({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<c/>"})
NOT_A_DOCUMENT = archive({"payload.exe": b"MZ\x90\x00", "run.bat": b"payload.exe"})
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00"
WEB_PAGE = b"<!doctype html><title>Report</title><script>alert(document.cookie)</script>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editing(client, editor, media):
    """The editor's page for one of her organisation's published records, opened in the
    browser with one source row filled in; ``upload(name, content)`` saves the page."""
    client.force_login(editor)
    initiative = InitiativeFactory(owner=editor.memberships.get().organisation)
    url = edit_url(initiative)
    data = open_form(client, url)
    data.update({"sources-0-citation": "Seed bank evaluation, 2016", "sources-0-year": "2016"})

    def upload(name: str, content: bytes):
        document = SimpleUploadedFile(name, content, "application/octet-stream")
        return client.post(url, {**data, "sources-0-document": document})

    upload.initiative = initiative
    return upload


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def document_errors(response) -> list[str]:
    sources = response.context["formsets"]["sources"]
    return sources.forms[0].errors.get("document", [])


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("report.pdf", WEB_PAGE, "PDF"),
        ("report.pdf", WINDOWS_PROGRAM, "PDF"),
        ("report.docx", NOT_A_DOCUMENT, "DOCX"),
        ("report.odt", DOCX, "ODT"),
        ("photo.png", PDF, "PNG"),
    ],
    ids=["web page as PDF", "program as PDF", "archive as DOCX", "DOCX as ODT", "PDF as PNG"],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(
    editing, media, name, content, kind
):
    response = editing(name, content)

    assert response.status_code == 200
    assert document_errors(response) == [
        f"This file does not look like a {kind} document; it may be damaged."
    ]
    assert "There is a problem" in response.content.decode()
    assert not Source.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "name, content",
    [("report.pdf", PDF), ("report.docx", DOCX), ("report.odt", ODT)],
    ids=["PDF", "DOCX", "ODT"],
)
def test_real_documents_are_accepted_and_stored_under_the_media_root(editing, media, name, content):
    response = editing(name, content)

    assert response.status_code == 302
    source = editing.initiative.sources.get()
    assert Path(source.document.path).is_relative_to(media)
    assert Path(source.document.path).read_bytes() == content


def test_a_file_over_the_configured_limit_is_refused_and_nothing_is_kept(editing, media, settings):
    settings.MAX_DOCUMENT_MB = 1
    response = editing("report.pdf", PDF + b"0" * (1024 * 1024 - len(PDF) + 1))

    assert response.status_code == 200
    assert document_errors(response) == [
        "The file is larger than 1 MB. Upload a smaller copy, or give a link to the "
        "document instead."
    ]
    assert not Source.objects.exists()
    assert stored_files(media) == []

    accepted = editing("report.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    assert accepted.status_code == 302


def test_the_form_states_the_configured_limit(client, editor, settings):
    settings.MAX_DOCUMENT_MB = 25
    client.force_login(editor)
    initiative = InitiativeFactory(owner=editor.memberships.get().organisation)

    page = client.get(edit_url(initiative)).content.decode()

    assert "PDF, DOCX, ODT or an image (PNG, JPEG, WebP), up to 25 MB." in page
    assert 'accept=".pdf,.docx,.odt,.png,.jpg,.jpeg,.webp"' in page


def test_an_uploaded_document_comes_back_only_as_a_download(editing, client):
    editing("evaluation.pdf", PDF)
    source = editing.initiative.sources.get()
    client.logout()

    response = client.get(reverse("source-document", args=[source.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF


def test_a_record_whose_stored_document_went_missing_can_still_be_saved(client, editor, media):
    """Stored documents were checked when they came in; saving the record again does not
    read them back."""
    client.force_login(editor)
    initiative = InitiativeFactory(
        owner=editor.memberships.get().organisation, state=Initiative.State.DRAFT
    )
    source = SourceFactory(initiative=initiative)
    source.document.save("lost.pdf", ContentFile(PDF))
    Path(source.document.path).unlink()
    data = open_form(client, edit_url(initiative))

    response = client.post(edit_url(initiative), {**data, "title": "Renamed"})

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Renamed"


def test_uploads_are_stored_outside_the_code_by_default():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'MEDIA_ROOT': str(settings.MEDIA_ROOT), "
        "'DATA_DIR': str(settings.DATA_DIR), 'STATIC_ROOT': str(settings.STATIC_ROOT), "
        "'code': [str(path) for path in settings.STATICFILES_DIRS] "
        "+ [str(path) for template in settings.TEMPLATES for path in template['DIRS']]}))"
    )
    result = run_python("-c", code, **production_environment())
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    media_root = Path(found["MEDIA_ROOT"])

    assert media_root == Path(found["DATA_DIR"]) / "media"
    code_directories = [
        *found["code"],
        found["STATIC_ROOT"],
        *(config.path for config in apps.get_app_configs()),
    ]
    for directory in code_directories:
        assert not media_root.is_relative_to(directory), directory
