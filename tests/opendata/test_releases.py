"""Dataset releases: numbered, immutable snapshots of every published record."""

import csv
import hashlib
import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from frictionless import Package, validate

from initiatives.columns import INITIATIVES, PRINCIPLE_EVIDENCE, TABLES
from initiatives.models import Initiative
from opendata.models import DatasetRelease
from opendata.releases.services import release_make
from opendata.tasks import make_release
from reports.builders.dataset import EVIDENCE_COLUMNS, INITIATIVE_COLUMNS
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    PrincipleEvidenceFactory,
    initiative_with_every_row,
)
from tests.unpublished_records import seed_records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example.org"


def stored(release: DatasetRelease, name: str) -> bytes:
    with default_storage.open(f"releases/{release.number}/{name}", "rb") as file:
        return file.read()


def table(release: DatasetRelease, name: str) -> list[dict]:
    text = stored(release, f"{name}.csv").decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_make_release_prints_its_number_and_where_it_is():
    InitiativeFactory()
    out = StringIO()

    call_command("make_release", stdout=out)

    assert "Release 1: 1 initiatives" in out.getvalue()
    assert "releases/1/" in out.getvalue()
    assert "https://portal.example.org/data/releases/1/" in out.getvalue()
    assert DatasetRelease.objects.get().number == 1


def test_the_demo_s_first_release_is_made_once():
    InitiativeFactory()
    out = StringIO()

    call_command("make_release", "--if-none", stdout=out)
    call_command("make_release", "--if-none", stdout=out)

    assert DatasetRelease.objects.get().number == 1
    assert "A release exists already: none made." in out.getvalue()


def test_the_data_package_of_release_1_validates_with_frictionless(tmp_path):
    initiative_with_every_row()
    InitiativeFactory.create_batch(3)
    release = release_make()
    folder = tmp_path / "release"
    folder.mkdir()
    for entry in release.files:
        (folder / entry["name"]).write_bytes(stored(release, entry["name"]))

    report = validate(str(folder / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(folder / "datapackage.json"))
    assert package.version == "1"
    assert [resource.name for resource in package.resources] == [
        "initiatives",
        "principle-evidence",
        "initiative-countries",
        "participants",
        "funding",
        "outcomes",
        "lessons",
    ]
    assert package.licenses[0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    initiatives = package.get_resource("initiatives")
    assert initiatives.schema.primary_key == ["slug"]
    assert initiatives.schema.get_field("start_year").type == "integer"
    assert package.get_resource("funding").schema.foreign_keys[0]["reference"] == {
        "resource": "initiatives",
        "fields": ["slug"],
    }

    folder_file = folder / "initiatives.csv"
    folder_file.write_bytes(folder_file.read_bytes().replace(b"Bancos", b"Bancas"))
    assert not validate(str(folder / "datapackage.json")).valid, "a changed file fails its hash"


def test_only_published_records_are_in_a_release():
    seeded = seed_records()
    release = release_make()

    everything = b"".join(stored(release, entry["name"]) for entry in release.files).decode()
    for record in seeded.records:
        for trace in record.traces:
            assert (trace in everything) is record.is_published, trace
    for ghost in seeded.ghosts:
        for trace in ghost.traces:
            assert trace not in everything
    published = Initiative.objects.published().count()
    assert release.counts["initiatives"] == published == len(table(release, "initiatives"))


def test_a_release_is_unchanged_by_later_data_and_releases():
    kept = InitiativeFactory(title="Kept as it was")
    changed = InitiativeFactory(title="Before the change")
    archived = InitiativeFactory(title="Withdrawn later")
    PrincipleEvidenceFactory(initiative=changed, narrative="First narrative")
    first = release_make()
    files_before = {entry["name"]: stored(first, entry["name"]) for entry in first.files}

    Initiative.objects.filter(pk=changed.pk).update(
        title="After the change", updated_at=changed.updated_at + timedelta(days=1)
    )
    Initiative.objects.filter(pk=archived.pk).update(state=Initiative.State.ARCHIVED)
    added = InitiativeFactory(title="New since release 1")
    second = release_make()

    assert second.number == 2
    assert {entry["name"]: stored(first, entry["name"]) for entry in first.files} == files_before
    assert {row["title"] for row in table(first, "initiatives")} == {
        "Kept as it was",
        "Before the change",
        "Withdrawn later",
    }
    assert (second.added, second.updated, second.withdrawn) == (
        [added.slug],
        [changed.slug],
        [archived.slug],
    )
    assert first.added == sorted([kept.slug, changed.slug, archived.slug])
    changes = json.loads(stored(second, "changes.json"))
    assert changes == {
        "version": 2,
        "previous_version": 1,
        "added": [added.slug],
        "updated": [changed.slug],
        "withdrawn": [archived.slug],
    }
    checksums = stored(second, "SHA256SUMS").decode()
    for entry in second.files[:-1]:
        assert f"{hashlib.sha256(stored(second, entry['name'])).hexdigest()}  {entry['name']}" in (
            checksums
        )


def test_a_release_cannot_be_changed_or_deleted():
    release = release_make()

    with pytest.raises(ValidationError):
        release.save()
    with pytest.raises(ValidationError):
        release.delete()


def test_the_task_makes_one_release_per_request_even_when_delivered_twice():
    InitiativeFactory()
    asked = timezone.now().isoformat()

    assert make_release(asked) == 1
    assert make_release(asked) == 1
    assert DatasetRelease.objects.count() == 1
    assert make_release(timezone.now().isoformat()) == 2


def test_a_moderator_makes_a_release_from_the_admin(client, run_on_commit):
    InitiativeFactory()
    moderator = ModeratorFactory()
    client.force_login(moderator)
    changelist = client.get(reverse("admin:opendata_datasetrelease_changelist"))
    assert "Make a new release" in changelist.content.decode()

    response = run_on_commit(lambda: client.post(reverse("admin:opendata_datasetrelease_make")))

    assert response.status_code == 302
    release = DatasetRelease.objects.get()
    assert (release.number, release.made_by) == (1, moderator)
    assert (
        client.get(reverse("admin:opendata_datasetrelease_delete", args=[release.pk])).status_code
        == 403
    )


def test_an_editor_cannot_make_a_release(client):
    editor = MembershipFactory().user
    editor.is_staff = True
    editor.save()
    client.force_login(editor)

    response = client.post(reverse("admin:opendata_datasetrelease_make"))

    assert response.status_code == 403
    assert not DatasetRelease.objects.exists()


# ---- pages ----


def test_the_release_pages_show_counts_files_changes_and_how_to_cite(client):
    initiative = InitiativeFactory()
    release = release_make()

    listing = client.get("/data/releases/").content.decode()
    assert 'href="/data/releases/1/"' in listing
    page = client.get("/data/releases/1/").content.decode()

    assert "How to cite this release" in page
    assert "release 1" in page and "https://portal.example.org/data/releases/1/" in page
    assert "@misc{ssdc_portal_release_1" in page
    for entry in release.files:
        assert f'href="/data/releases/1/{entry["name"]}"' in page
        assert entry["sha256"] in page
    assert f'href="/initiatives/{initiative.slug}/"' in page
    assert client.get("/data/releases/2/").status_code == 404


def test_a_release_file_is_served_byte_for_byte_with_its_checksum_as_etag(client):
    InitiativeFactory()
    release = release_make()
    entry = release.file("initiatives.csv")

    response = client.get("/data/releases/1/initiatives.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["ETag"] == f'"{entry["sha256"]}"'
    assert b"".join(response.streaming_content) == stored(release, "initiatives.csv")
    again = client.get(
        "/data/releases/1/initiatives.csv", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304
    package = client.get("/data/releases/1/datapackage.json")
    assert json.loads(b"".join(package.streaming_content))["version"] == "1"
    assert client.get("/data/releases/1/secrets.csv").status_code == 404
    assert client.get("/data/releases/1/..%2Fsettings.py").status_code == 404


def test_the_data_page_lists_releases_and_says_how_to_cite_the_latest(client):
    assert "No release has been made yet." in client.get("/data/").content.decode()
    InitiativeFactory()
    release_make()

    page = client.get("/data/").content.decode()

    assert 'href="#data-releases"' in page
    assert 'href="/data/releases/1/"' in page
    assert "release 1" in page and "https://portal.example.org/data/releases/1/" in page


def test_the_data_dictionary_describes_every_column_of_every_table(client):
    page = client.get("/data/dictionary/").content.decode()

    for name, declared in TABLES.items():
        assert f'id="table-{name}"' in page
        for column in declared.columns:
            assert f"<code>{column.name}</code>" in page
    assert "<code>; </code>" in page
    assert client.get("/data/").content.decode().count('href="/data/dictionary/"') >= 1


def test_the_dataset_export_declares_exactly_the_registry_s_columns():
    assert [column.spec for column in INITIATIVE_COLUMNS] == list(INITIATIVES.columns)
    assert [column.spec for column in EVIDENCE_COLUMNS] == list(PRINCIPLE_EVIDENCE.columns)


def test_the_admin_queues_the_release_only_once_the_request_commits(
    client, django_capture_on_commit_callbacks
):
    client.force_login(ModeratorFactory())

    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("admin:opendata_datasetrelease_make"))

    assert len(queued) == 1
    assert not DatasetRelease.objects.exists()


@pytest.mark.parametrize("path", ["/data/releases/", "/data/"])
def test_listing_releases_takes_the_same_queries_for_one_and_for_four(client, path, count_queries):
    InitiativeFactory()
    release_make()
    one = count_queries(lambda: client.get(path))
    for _ in range(3):
        release_make()

    assert count_queries(lambda: client.get(path)) == one
