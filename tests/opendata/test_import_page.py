"""The import page: who may use it, problems and preview, and the confirmation step."""

import os
import re
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from initiatives.models import Initiative
from opendata.imports.spreadsheet import COLUMN_NAMES
from tests.factories import InitiativeFactory, OrganisationFactory

UPLOAD = "/my/import/"
CONFIRM = "/my/import/confirm/"
HEADER = ",".join(COLUMN_NAMES)


def sheet(*rows: str, name="survey.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADER, *rows]).encode(), "text/csv")


def row(title="Seed banks", countries="HT:60; DO:40") -> str:
    values = dict.fromkeys(COLUMN_NAMES, "")
    values.update(
        title=title,
        summary="Farmers share seeds.",
        cooperation_type="bilateral",
        recipient_countries=countries,
    )
    return ",".join(f'"{values[name]}"' for name in COLUMN_NAMES)


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_addresses_are_the_expected_ones():
    assert reverse("import-upload") == UPLOAD
    assert reverse("import-confirm") == CONFIRM


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_signed_in_person_without_an_organisation_may_not_import(client, researcher):
    client.force_login(researcher)

    assert client.get(UPLOAD).status_code == 403


def test_the_dashboard_links_the_page(signed_in):
    assert UPLOAD in signed_in.get(reverse("editor-dashboard")).content.decode()


def test_an_editor_chooses_only_their_own_organisations(signed_in, organisation):
    other = OrganisationFactory(name="Someone Else")

    page = signed_in.get(UPLOAD).content.decode()
    assert organisation.name in page and other.name not in page

    response = signed_in.post(UPLOAD, {"owner": other.pk, "file": sheet(row())})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Initiative.objects.exists()


def test_preview_then_confirm_writes_drafts(signed_in, organisation, editor):
    preview = signed_in.post(UPLOAD, {"owner": organisation.pk, "file": sheet(row())})

    page = preview.content.decode()
    assert "Seed banks" in page and "create a draft" in page
    assert not Initiative.objects.exists()

    done = signed_in.post(CONFIRM, {"token": token_of(preview)})

    assert done.status_code == 302
    initiative = Initiative.objects.get()
    assert (initiative.owner, initiative.state) == (organisation, Initiative.State.DRAFT)
    revision = Version.objects.get_for_object(initiative).get().revision
    assert (revision.user, revision.comment) == (editor, "Imported from survey.csv")


def test_problems_are_listed_by_row_and_column_and_nothing_can_be_confirmed(
    signed_in, organisation
):
    response = signed_in.post(
        UPLOAD, {"owner": organisation.pk, "file": sheet(row(), row("Two", "XX"))}
    )

    page = response.content.decode()
    assert "row 3, column “recipient_countries”" in page
    assert "Unknown country code XX" in page
    assert 'name="token"' not in page
    assert not Initiative.objects.exists()


def test_an_iati_file_with_an_old_version_is_called_unsupported(signed_in, organisation):
    old = SimpleUploadedFile("old.xml", b'<?xml version="1.0"?>\n<iati-activities version="1.05"/>')

    page = signed_in.post(UPLOAD, {"owner": organisation.pk, "file": old}).content.decode()

    assert "Unsupported version" in page and "line 2" in page


def test_another_user_cannot_confirm_someone_else_s_upload(
    client, signed_in, organisation, sign_in_editor
):
    preview = signed_in.post(UPLOAD, {"owner": organisation.pk, "file": sheet(row())})
    token = token_of(preview)
    sign_in_editor(organisation)  # a colleague, signed in in the same client

    assert client.post(CONFIRM, {"token": token}).status_code == 403
    assert client.post(CONFIRM, {"token": token + "x"}).status_code == 404
    assert not Initiative.objects.exists()


def test_a_moderator_imports_for_any_organisation(moderator_client):
    owner = OrganisationFactory()
    preview = moderator_client.post(UPLOAD, {"owner": owner.pk, "file": sheet(row())})

    moderator_client.post(CONFIRM, {"token": token_of(preview)})

    assert Initiative.objects.get().owner == owner


def test_a_published_record_is_not_changed_by_a_confirmed_upload(signed_in, organisation):
    InitiativeFactory(owner=organisation, slug="seeds", title="Seeds")
    values = row().replace('""', '"seeds"', 1)  # the slug column comes first

    page = signed_in.post(UPLOAD, {"owner": organisation.pk, "file": sheet(values)})

    assert "an import only updates drafts" in page.content.decode()
    assert Initiative.objects.get().title == "Seeds"


def test_the_template_downloads(signed_in):
    response = signed_in.get(reverse("import-template", args=["csv"]))

    assert response.content.decode().splitlines()[0] == HEADER
    assert signed_in.get(reverse("import-template", args=["xlsx"])).status_code == 200
    assert signed_in.get(reverse("import-template", args=["exe"])).status_code == 404


def test_a_file_of_another_kind_is_refused(signed_in, organisation):
    upload = SimpleUploadedFile("virus.exe", b"MZ")

    page = signed_in.post(UPLOAD, {"owner": organisation.pk, "file": upload}).content.decode()

    assert "Upload an .xml, .xlsx or .csv file." in page


def test_a_confirmed_upload_is_deleted_and_an_expired_one_forgotten(signed_in, organisation):
    first = signed_in.post(UPLOAD, {"owner": organisation.pk, "file": sheet(row())})
    _folders, waiting = default_storage.listdir("imports/pending/")
    assert len(waiting) == 1
    stale = default_storage.path(f"imports/pending/{waiting[0]}")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))

    second = signed_in.post(UPLOAD, {"owner": organisation.pk, "file": sheet(row("Other"))})

    assert not os.path.exists(stale)
    assert signed_in.post(CONFIRM, {"token": token_of(first)}).status_code == 404
    signed_in.post(CONFIRM, {"token": token_of(second)})
    assert default_storage.listdir("imports/pending/") == ([], [])
    assert Initiative.objects.get().title == "Other"
