"""Dataset releases: numbered, immutable snapshots of every published record."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from frictionless import Package, validate

from initiatives.models import Initiative
from opendata.models import DatasetRelease
from opendata.releases.services import release_make
from opendata.tasks import make_release
from tests.factories import (
    InitiativeFactory,
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
