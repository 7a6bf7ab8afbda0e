"""Backups of the portal's data: the PostgreSQL database and the files under MEDIA_ROOT.

A backup is one folder under BACKUP_DIR, named after the database and the time (UTC)::

    ssdc_portal-20250102T030405Z/
        database.dump    pg_dump, custom format
        media.tar.gz     every file under MEDIA_ROOT
        manifest.json    when, which database, applied migrations, SHA-256 of both files

Generated report files are kept with the evidence documents: their rows are in the dump,
and a report whose file is missing fails on download until it expires. They are deleted
after REPORT_RETENTION_HOURS anyway, so they add little.
"""

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import OperationalError
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from psycopg.conninfo import make_conninfo

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
MANIFEST_KEYS = {
    "format",
    "created_at",
    "database",
    "server_version",
    "media_files",
    "migrations",
    "files",
}
# Connection options from DATABASES that pg_dump and pg_restore understand too.
LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout")

Progress = Callable[[str], None]


class BackupError(Exception):
    """Something an operator must fix; the message says what, and nothing has been changed
    unless it says so."""


def backup_create(
    *, report: Progress, connection: BaseDatabaseWrapper = default_connection
) -> Path:
    """Write a new backup of the database (the configured one unless ``connection`` names
    another) and MEDIA_ROOT; return its folder.

    The database is dumped before the files are archived, so every document the dump refers
    to is in the archive. The folder gets its final name only once complete."""
    version = _server_version(connection)
    pg_dump = find_client("pg_dump", version[0])
    name = connection.settings_dict["NAME"]
    created_at = timezone.now()
    folder = Path(settings.BACKUP_DIR) / f"{name}-{created_at:%Y%m%dT%H%M%SZ}"
    partial = folder.with_name(f"{folder.name}.partial")
    if folder.exists():
        raise BackupError(f"{folder} already exists; run the backup again in a second.")
    try:
        partial.mkdir(mode=0o700, parents=True)  # the dump holds password hashes and tokens
    except FileExistsError:
        raise BackupError(
            f"{partial} exists: another backup is being written, or an interrupted one left "
            "it behind (delete it then)."
        ) from None
    try:
        report(f"Dumping database {name} (PostgreSQL {_dotted(version)}) with {pg_dump}")
        conninfo, environment = _libpq_target(connection)
        _run(
            [pg_dump, "--format=custom", "--no-password", f"--file={partial / DUMP_NAME}"]
            + [f"--dbname={conninfo}"],
            environment,
        )
        report(f"  {_megabytes(partial / DUMP_NAME)}")
        report(f"Archiving the files under {settings.MEDIA_ROOT}")
        file_count = _archive_media(partial / MEDIA_NAME)
        report(f"  {file_count} files, {_megabytes(partial / MEDIA_NAME)}")
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": created_at.isoformat(),
            "database": name,
            "server_version": _dotted(version),
            "media_files": file_count,
            "migrations": _applied_migrations(connection),
            "files": {
                file_name: {"sha256": _sha256(partial / file_name)}
                for file_name in (DUMP_NAME, MEDIA_NAME)
            },
        }
        (partial / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def backup_restore(
    *,
    path: Path,
    force: bool,
    report: Progress,
    connection: BaseDatabaseWrapper = default_connection,
) -> None:
    """Restore the backup at ``path`` into the database (the configured one unless
    ``connection`` names another) and MEDIA_ROOT.

    Everything that can be checked is checked before anything is changed: the checksums,
    that pg_restore can read the dump, that the archive holds only safe paths, and that the
    database is empty (or ``force``). The database is restored in one transaction; files in
    MEDIA_ROOT that the backup also holds are overwritten, others are left alone."""
    folder = path.parent if path.name == MANIFEST_NAME else path
    manifest = _read_manifest(folder)
    for file_name, expected in manifest["files"].items():
        if _sha256(folder / file_name) != expected["sha256"]:
            raise BackupError(
                f"{file_name} does not match the checksum in {MANIFEST_NAME}: the backup is "
                "damaged. Nothing was changed."
            )
    report(f"Checksums match: {', '.join(manifest['files'])}")
    _check_archive(folder / MEDIA_NAME)
    version = _server_version(connection)
    made_on = int(str(manifest["server_version"]).split(".")[0])
    if made_on > version[0]:
        raise BackupError(
            f"The backup was made on PostgreSQL {made_on}; this server runs {version[0]}, which "
            f"cannot read it. Restore into PostgreSQL {made_on} or newer. Nothing was changed."
        )
    pg_restore = find_client("pg_restore", version[0])
    conninfo, environment = _libpq_target(connection)
    _run([pg_restore, "--list", folder / DUMP_NAME], environment, outcome="Nothing was changed.")

    name = connection.settings_dict["NAME"]
    existing_tables = connection.introspection.table_names()
    if existing_tables and not force:
        raise BackupError(
            f"Database {name} is not empty ({len(existing_tables)} tables); restoring would "
            "replace its data. Nothing was changed. Run again with --force to replace it."
        )
    report(f"Restoring database {name} (PostgreSQL {_dotted(version)}) with {pg_restore}")
    replace = ["--clean", "--if-exists"] if existing_tables else []
    _run(
        [pg_restore, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
        + ["--no-password", *replace, f"--dbname={conninfo}", folder / DUMP_NAME],
        environment,
        outcome="The database was left as it was: the restore runs in one transaction.",
    )
    report(f"  {len(connection.introspection.table_names())} tables")
    report(f"Restoring files into {settings.MEDIA_ROOT}")
    with tarfile.open(folder / MEDIA_NAME, "r:gz") as archive:
        archive.extractall(settings.MEDIA_ROOT, filter="data")
    report(f"  {manifest['media_files']} files")
    for note in _migration_notes(manifest):
        report(note)
    report(
        f"Restored {folder.name} (made {manifest['created_at']}). Restart the portal's web and "
        "worker processes: they may hold data read before the restore."
    )


def find_client(program: str, server_major: int) -> Path:
    """The ``program`` (pg_dump, pg_restore) of the server's major version: a newer one
    writes dumps an older pg_restore cannot read, an older one refuses a newer server."""
    found = []
    for directory in _client_directories():
        executable = directory / program
        if not os.access(executable, os.X_OK):
            continue
        major = _client_major(executable)
        if major == server_major:
            return executable
        found.append(f"{executable} is version {major}")
    raise BackupError(
        f"No {program} for PostgreSQL {server_major} "
        + (f"in PG_BIN_DIR ({settings.PG_BIN_DIR})" if settings.PG_BIN_DIR else "found")
        + (f" ({'; '.join(found)})" if found else "")
        + f". Install the PostgreSQL {server_major} client programs, or set PG_BIN_DIR to the "
        "folder that holds them."
    )


def _client_directories() -> list[Path]:
    """Where to look for the client programs, best first: PG_BIN_DIR alone if set, else the
    versioned folders of Debian and Ubuntu, the PATH, and the pgserver wheel (which serves
    the embedded database, and any PostgreSQL 16 where no client is installed)."""
    if settings.PG_BIN_DIR:
        return [Path(settings.PG_BIN_DIR)]
    directories = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if on_path := shutil.which("pg_dump"):
        directories.append(Path(on_path).parent)
    pgserver = importlib.util.find_spec("pgserver")
    if pgserver is not None and pgserver.origin:
        directories.append(Path(pgserver.origin).parent / "pginstall" / "bin")
    return directories


def _client_major(executable: Path) -> int | None:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL client program found on disk, no input
        [executable, "--version"], capture_output=True, text=True, check=False
    )
    match = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(match.group(1)) if match else None


def _server_version(connection: BaseDatabaseWrapper) -> tuple[int, int]:
    """The server's (major, minor) version; a clear error if it cannot be reached."""
    try:
        connection.ensure_connection()
    except OperationalError as error:
        database = connection.settings_dict
        where = database["HOST"] or "the default socket"
        reason = (str(error).strip().splitlines() or ["no reason given"])[0]
        raise BackupError(
            f"Cannot connect to database {database['NAME']} at {where}: {reason}"
        ) from None
    return divmod(connection.pg_version, 10000)


def _libpq_target(connection: BaseDatabaseWrapper) -> tuple[str, dict[str, str]]:
    """The connection string for pg_dump and pg_restore, and their environment: the
    password goes in PGPASSWORD, never on a command line other users can read."""
    database = connection.settings_dict
    parameters = {
        "dbname": database["NAME"],
        "host": database["HOST"],
        "port": str(database["PORT"] or ""),
        "user": database["USER"],
    } | {key: str(value) for key, value in database["OPTIONS"].items() if key in LIBPQ_OPTIONS}
    environment = dict(os.environ)
    if database["PASSWORD"]:
        environment["PGPASSWORD"] = database["PASSWORD"]
    return make_conninfo(**{key: value for key, value in parameters.items() if value}), environment


def _run(command: list, environment: dict[str, str], *, outcome: str = "") -> None:
    """Run a client program; if it fails, its own message and ``outcome`` (what that left
    behind) become the error."""
    result = subprocess.run(  # noqa: S603 - fixed programs; arguments are built here, not parsed by a shell
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = f"{Path(command[0]).name} failed: {result.stderr.strip()}"
        raise BackupError(f"{message}\n{outcome}" if outcome else message)


def _archive_media(target: Path) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    files = sorted(path for path in media_root.rglob("*") if path.is_file())
    with tarfile.open(target, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=path.relative_to(media_root).as_posix())
    return len(files)


def _check_archive(path: Path) -> None:
    """Read the whole archive and refuse any entry that would land outside MEDIA_ROOT."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                tarfile.data_filter(member, str(settings.MEDIA_ROOT))
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(
            f"{path.name} cannot be restored ({error}). Nothing was changed."
        ) from None


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST_NAME}.") from None
    except (ValueError, OSError) as error:
        raise BackupError(f"{folder / MANIFEST_NAME} cannot be read: {error}") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != MANIFEST_FORMAT
        or not manifest.keys() >= MANIFEST_KEYS
        or not re.fullmatch(r"\d+\.\d+", str(manifest["server_version"]))
        or not isinstance(manifest["files"], dict)
        or set(manifest["files"]) != {DUMP_NAME, MEDIA_NAME}
        or not all("sha256" in entry for entry in manifest["files"].values())
    ):
        raise BackupError(f"{folder / MANIFEST_NAME} is not a manifest this portal can read.")
    for file_name in manifest["files"]:
        if not (folder / file_name).is_file():
            raise BackupError(f"The backup is incomplete: {folder / file_name} is missing.")
    return manifest


def _applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, migration_name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(migration_name)
    return applied


def _migration_notes(manifest: dict) -> list[str]:
    """What the operator must do when the backup's schema is not this code's."""
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    in_code = set(loader.graph.nodes)
    # A squashed migration stands for the ones it replaces, which the code need not hold any
    # more: it is in the backup when they all are, and they are known to this code.
    replaced = {key: set(migration.replaces) for key, migration in loader.replacements.items()}
    in_backup |= {key for key, names in replaced.items() if names <= in_backup}
    known = in_code.union(*replaced.values())
    notes = []
    if newer := in_code - in_backup:
        notes.append(f"{len(newer)} migrations are newer than the backup: run manage.py migrate.")
    if unknown := in_backup - known:
        notes.append(
            f"Warning: the backup holds {len(unknown)} migrations this version of the portal "
            f"does not know (e.g. {'.'.join(min(unknown))}): run the version that made it."
        )
    return notes


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def _dotted(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"
