"""Backup and restore: a drill from a seeded database into a fresh one, and the refusals that
keep a restore from damaging data it was not meant to replace."""

import hashlib
import json
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.utils import ConnectionHandler
from psycopg import sql

from funding.models import FundingContribution
from initiatives.models import Initiative, InitiativeCountry, Participation, Source
from principles.models import PrincipleEvidence
from ssdc_portal.backups import backup_restore
from tests.factories import (
    FundingContributionFactory,
    InitiativeFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
)
from tests.scratch_databases import connect, manage_py, row_counts, scratch_database

DOCUMENT = b"%PDF-1.4\n% evaluation of the seed bank exchange\n%%EOF\n"
# The portal's apps whose migrations were squashed.
SQUASHED_APPS = {"accounts", "funding", "initiatives", "principles"}
# The rows of an initiative that its public record shows.
INITIATIVE_ROWS = [InitiativeCountry, Participation, Source, FundingContribution, PrincipleEvidence]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def document_source(media_root, reference_data):
    """Two published initiatives with their rows, one of them with an uploaded document, and
    a draft and a submitted one; returns the source that carries the document."""
    published = InitiativeFactory()
    FundingContributionFactory(initiative=published)
    PrincipleEvidenceFactory(initiative=published)
    source = SourceFactory(initiative=published)
    source.document.save("evaluation.pdf", ContentFile(DOCUMENT))
    InitiativeFactory()
    for state in (Initiative.State.DRAFT, Initiative.State.SUBMITTED):
        SourceFactory(initiative=InitiativeFactory(state=state))
    return source


@pytest.fixture
def backup(document_source, backup_dir):
    output = StringIO()
    call_command("backup", stdout=output)
    (folder,) = backup_dir.iterdir()
    assert f"Backup written to {folder}" in output.getvalue()
    return folder


@pytest.fixture
def empty_database():
    """A database of the drill's own on the test server, dropped afterwards."""
    with scratch_database("ssdc_backup_drill") as name:
        yield name


def snapshot(dbname: str) -> dict:
    """The number of rows of every table, and a digest of the published initiatives with
    all their rows, as they are stored."""
    rows = row_counts(dbname)
    with connect(dbname) as database:
        digest = hashlib.sha256()
        for query in published_rows_queries():
            for (row,) in database.execute(query, {"published": Initiative.State.PUBLISHED}):
                digest.update(row.encode() + b"\n")
    return {"rows": rows, "published": digest.hexdigest()}


def published_rows_queries():
    initiatives = sql.Identifier(Initiative._meta.db_table)
    yield sql.SQL("SELECT i::text FROM {} i WHERE i.state = %(published)s ORDER BY i.id").format(
        initiatives
    )
    for model in INITIATIVE_ROWS:
        yield sql.SQL(
            "SELECT r::text FROM {} r JOIN {} i ON i.id = r.initiative_id "
            "WHERE i.state = %(published)s ORDER BY r.id"
        ).format(sql.Identifier(model._meta.db_table), initiatives)


def manage(*arguments: str, database: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run manage.py as an operator would, against ``database`` (a URL with a TCP host)."""
    return manage_py(
        *arguments,
        environment={
            "DATABASE_URL": database,
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
            "BACKUP_DIR": str(tmp_path / "backups"),
        },
    )


def restore_into(database: str, backup: Path) -> str:
    """Restore ``backup`` into ``database`` on the test server; returns what it reported."""
    output = StringIO()
    # The test database's connection settings with another NAME: this works wherever the
    # server listens, on a TCP port or (the embedded server) in a socket folder.
    drill = ConnectionHandler({DEFAULT_DB_ALIAS: {**connection.settings_dict, "NAME": database}})
    try:
        backup_restore(
            path=backup,
            force=False,
            report=lambda line: print(line, file=output),
            connection=drill[DEFAULT_DB_ALIAS],
        )
    finally:
        drill.close_all()
    return output.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_holds_the_same_data_and_files(
    backup, document_source, empty_database, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    output = restore_into(empty_database, backup)

    assert "Checksums match: database.dump, media.tar.gz" in output
    assert f"Restoring database {empty_database} " in output
    assert "migrations" not in output  # made by this version: nothing to migrate, nothing unknown
    source = snapshot(connection.settings_dict["NAME"])
    assert source["rows"][Initiative._meta.db_table] == 4
    assert source["rows"][Source._meta.db_table] == 3
    assert snapshot(empty_database) == source
    restored_document = tmp_path / "restored-media" / document_source.document.name
    assert restored_document.read_bytes() == DOCUMENT


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("left_out", "note"),
    [
        # A backup of the release before the portal's migrations were squashed: it records
        # the migrations a squashed one replaces, not the squashed one.
        (set(), None),
        # ...and one of a release before the last migrations of accounts and reports.
        (
            {("accounts", "0005_invitations"), ("reports", "0002_report_site_url")},
            "2 migrations are newer than the backup: run manage.py migrate.",
        ),
    ],
)
def test_restore_says_when_the_backup_is_older_than_the_code(
    backup, empty_database, settings, tmp_path, left_out, note
):
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"] = {
        app: [
            name
            for name in names
            if (app, name) not in left_out and not (app in SQUASHED_APPS and "_squashed_" in name)
        ]
        for app, names in manifest["migrations"].items()
    }
    manifest_path.write_text(json.dumps(manifest))

    output = restore_into(empty_database, backup)

    assert "Restored " in output
    assert "does not know" not in output
    notes = [line for line in output.splitlines() if "migrations" in line]
    assert notes == ([note] if note else [])


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(backup, document_source):
    InitiativeFactory(title="Recorded after the backup")
    Path(document_source.document.path).write_bytes(b"replaced after the backup")
    before = snapshot(connection.settings_dict["NAME"])

    with pytest.raises(CommandError, match="is not empty") as refusal:
        call_command("restore", str(backup), stdout=StringIO())

    assert "Nothing was changed" in str(refusal.value)
    assert "--force" in str(refusal.value)
    assert snapshot(connection.settings_dict["NAME"]) == before
    assert Path(document_source.document.path).read_bytes() == b"replaced after the backup"


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_puts_back_the_data_and_files_of_the_backup(backup, document_source):
    at_backup = snapshot(connection.settings_dict["NAME"])
    InitiativeFactory(title="Recorded after the backup")
    Path(document_source.document.path).write_bytes(b"replaced after the backup")

    call_command("restore", str(backup), force=True, stdout=StringIO())

    assert snapshot(connection.settings_dict["NAME"]) == at_backup
    assert not Initiative.objects.filter(title="Recorded after the backup").exists()
    assert Path(document_source.document.path).read_bytes() == DOCUMENT


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damaged", ["database.dump", "media.tar.gz"])
def test_restore_refuses_a_damaged_backup_before_touching_anything(
    backup, document_source, damaged
):
    content = bytearray((backup / damaged).read_bytes())
    content[len(content) // 2] ^= 0xFF
    (backup / damaged).write_bytes(content)
    InitiativeFactory(title="Recorded after the backup")
    Path(document_source.document.path).write_bytes(b"replaced after the backup")
    before = snapshot(connection.settings_dict["NAME"])

    with pytest.raises(CommandError, match=f"{damaged} does not match the checksum"):
        call_command("restore", str(backup), force=True, stdout=StringIO())

    assert snapshot(connection.settings_dict["NAME"]) == before
    assert Path(document_source.document.path).read_bytes() == b"replaced after the backup"


@pytest.mark.django_db
def test_backup_without_a_pg_dump_of_the_servers_version_says_so_and_writes_nothing(
    settings, backup_dir, tmp_path
):
    settings.PG_BIN_DIR = str(tmp_path / "no-client-programs-here")

    with pytest.raises(CommandError, match=r"No pg_dump for PostgreSQL \d+ in PG_BIN_DIR"):
        call_command("backup", stdout=StringIO())

    assert not backup_dir.exists()


def test_backup_of_an_unreachable_database_fails_with_a_message_not_a_traceback(tmp_path):
    unreachable = "postgres://postgres@127.0.0.1:1/ssdc_backup_nowhere"

    result = manage("backup", database=unreachable, tmp_path=tmp_path)

    assert result.returncode == 1
    assert "Cannot connect to database ssdc_backup_nowhere at 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "backups").exists()
