"""Making a dataset release: every published record written once, under ``releases/<n>/``.

The tables are written as CSV (columns from the registry, values as the dataset export
writes them), then ``changes.json`` (initiatives added, updated and withdrawn since the
previous release), ``datapackage.json`` (a Frictionless Tabular Data Package describing the
tables) and ``SHA256SUMS``. The files reach the storage before the release's row is
committed; an attempt that fails leaves no row, and its files are replaced by the next one.
"""

import csv
import hashlib
import io
import json
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from initiatives.models import Initiative
from opendata.models import DatasetRelease
from opendata.releases.tables import TABLES, ReleaseTable
from organisations.models import Organisation
from reports.builders.dataset import csv_cell
from ssdc_portal import links

NAME = "ssdc-portal"
TITLE = "SSDC Portal: civil-society-led South-South development cooperation"
DATAPACKAGE = "datapackage.json"
CHANGES = "changes.json"
CHECKSUMS = "SHA256SUMS"
CSV_MEDIA_TYPE = "text/csv"
MEDIA_TYPES = {DATAPACKAGE: "application/json", CHANGES: "application/json"}
# Held while a release is numbered and written, so that two never take the same number.
_LOCK = 0x55D_C0DA7A


class ReleaseStorageError(RuntimeError):
    pass


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    bytes: int
    sha256: str

    def as_dict(self) -> dict:
        return {"name": self.name, "bytes": self.bytes, "sha256": self.sha256}


def media_type(name: str) -> str:
    return CSV_MEDIA_TYPE if name.endswith(".csv") else MEDIA_TYPES.get(name, "text/plain")


def release_make(*, by=None) -> DatasetRelease:
    """Make the next release of every published record and return it.

    Every table is read from one snapshot of the database (repeatable read), so that the
    files agree with one another however the records change while they are written."""
    with _one_at_a_time():
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            previous = DatasetRelease.objects.order_by("-number").first()
            number = previous.number + 1 if previous else 1
            made_at = timezone.now()
            with tempfile.TemporaryDirectory() as tmp, translation.override("en"):
                return _write_release(Path(tmp), number, made_at, previous, by)


@contextmanager
def _one_at_a_time():
    """Hold the releases' lock (for the session, taken before the snapshot is)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])


def _write_release(
    tmp: Path, number: int, made_at: datetime, previous: DatasetRelease | None, by
) -> DatasetRelease:
    published = Initiative.objects.published()
    counts, versions = {}, {}
    for table in TABLES:
        counts[table.name] = _write_table(tmp / f"{table.name}.csv", table, versions)
    changes = _changes(previous, versions)
    (tmp / CHANGES).write_bytes(
        _json(
            {"version": number, "previous_version": previous.number if previous else None} | changes
        )
    )
    tables = [_digest(tmp / f"{table.name}.csv") for table in TABLES]
    package = _datapackage(number, made_at, published, tables)
    (tmp / DATAPACKAGE).write_bytes(_json(package))
    files = [*tables, _digest(tmp / DATAPACKAGE), _digest(tmp / CHANGES)]
    sums = "".join(f"{entry.sha256}  {entry.name}\n" for entry in files)
    (tmp / CHECKSUMS).write_text(sums, encoding="utf-8")
    files.append(_digest(tmp / CHECKSUMS))
    directory = f"releases/{number}"
    _clear_leftovers(directory)
    for entry in files:
        _store(tmp / entry.name, f"{directory}/{entry.name}")
    release = DatasetRelease.objects.create(
        number=number,
        made_by=by,
        files=[entry.as_dict() for entry in files],
        counts=counts,
        **changes,
    )
    # The row's time is the one the data package states.
    DatasetRelease.objects.filter(pk=release.pk).update(created_at=made_at, updated_at=made_at)
    release.created_at = release.updated_at = made_at
    return release


def _write_table(path: Path, table: ReleaseTable, versions: dict[str, str]) -> int:
    """Write ``table`` of the published records to ``path``; note each initiative's
    ``updated_at`` in ``versions`` (slug → cell) while writing the initiatives."""
    names = [column.name for column in table.columns]
    keep = table.name == "initiatives"
    slug_at, updated_at = (names.index("slug"), names.index("updated_at")) if keep else (0, 0)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for row in table.rows(Initiative.objects.published()):
            cells = [csv_cell(value(row)) for value in table.values]
            writer.writerow(cells)
            if keep:
                versions[_slug(cells[slug_at])] = cells[updated_at]
            count += 1
    return count


def _previous_versions(previous: DatasetRelease) -> dict[str, str]:
    with default_storage.open(f"{previous.directory}/initiatives.csv", "rb") as stored:
        rows = csv.DictReader(io.TextIOWrapper(stored, encoding="utf-8", newline=""))
        return {_slug(row["slug"]): row["updated_at"] for row in rows}


def _slug(cell: str) -> str:
    """A slug as recorded: a slug holds no quote, so a leading one is the CSV's guard
    against formulas."""
    return cell.removeprefix("'")


def _changes(previous: DatasetRelease | None, versions: dict[str, str]) -> dict[str, list[str]]:
    before = _previous_versions(previous) if previous else {}
    return {
        "added": sorted(set(versions) - set(before)),
        "updated": sorted(
            slug for slug in versions.keys() & before.keys() if versions[slug] != before[slug]
        ),
        "withdrawn": sorted(set(before) - set(versions)),
    }


def _digest(path: Path) -> ReleaseFile:
    sha256 = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha256.update(block)
    return ReleaseFile(path.name, path.stat().st_size, sha256.hexdigest())


def _json(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _clear_leftovers(directory: str) -> None:
    """Files of an attempt that failed before its row was written: no release names them."""
    try:
        _dirs, names = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{directory}/{name}")


def _store(path: Path, name: str) -> None:
    with path.open("rb") as stream:
        saved = default_storage.save(name, File(stream, name=path.name))
    if saved != name:
        raise ReleaseStorageError(f"{name} was stored as {saved}.")


# ---- datapackage.json ----


def licence() -> dict:
    """``settings.DATA_LICENCE`` as a Data Package licence (with its address when it is a
    Creative Commons licence)."""
    title = settings.DATA_LICENCE
    match = re.fullmatch(r"CC[ -](BY(?:-NC)?(?:-SA|-ND)?)[ -](\d\.\d)", title.strip(), re.I)
    if match:
        kind, version = match.group(1).lower(), match.group(2)
        return {
            "name": f"CC-{kind.upper()}-{version}",
            "title": title,
            "path": f"https://creativecommons.org/licenses/{kind}/{version}/",
        }
    if re.fullmatch(r"CC0[ -]1\.0", title.strip(), re.I):
        return {
            "name": "CC0-1.0",
            "title": title,
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    return {"name": re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-") or "other", "title": title}


def _contributors(published) -> list[dict]:
    owners = Organisation.objects.filter(pk__in=published.values("owner")).order_by("name", "pk")
    return [
        {
            "title": owner.name,
            "path": links.absolute_url(reverse("organisation-detail", args=[owner.slug])),
            "role": "publisher",
        }
        for owner in owners
    ]


def _schema(table: ReleaseTable) -> dict:
    schema: dict = {
        "fields": [
            {
                "name": column.name,
                "type": column.schema_type,
                "description": str(column.description),
            }
            for column in table.columns
        ],
        "missingValues": [""],
    }
    if table.table.primary_key:
        schema["primaryKey"] = list(table.table.primary_key)
    schema["foreignKeys"] = [
        {
            "fields": list(key.fields),
            "reference": {"resource": key.table, "fields": list(key.reference)},
        }
        for key in table.table.foreign_keys
    ]
    if not schema["foreignKeys"]:
        del schema["foreignKeys"]
    return schema


def _datapackage(number: int, made_at: datetime, published, tables: list[ReleaseFile]) -> dict:
    site = links.site_url()
    by_name = {entry.name: entry for entry in tables}
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": (
            "Every published record of the SSDC Portal at the time of this release. "
            "Cells holding several values separate them with '; '."
        ),
        "version": str(number),
        "created": made_at.replace(microsecond=0).isoformat(),
        "homepage": site + reverse("release-detail", args=[number]),
        "licenses": [licence()],
        "sources": [{"title": "SSDC Portal", "path": site + "/"}],
        "contributors": _contributors(published),
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name.replace("_", "-"),
                "path": f"{table.name}.csv",
                "title": table.name,
                "description": str(table.table.description),
                "format": "csv",
                "mediatype": CSV_MEDIA_TYPE,
                "encoding": "utf-8",
                "bytes": by_name[f"{table.name}.csv"].bytes,
                "hash": f"sha256:{by_name[f'{table.name}.csv'].sha256}",
                "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
                "schema": _schema(table),
            }
            for table in TABLES
        ],
    }


def release_request(*, by) -> None:
    """Ask the worker for a release, once the current transaction commits."""
    from opendata.tasks import make_release

    requested_at = timezone.now().isoformat()
    transaction.on_commit(lambda: make_release.delay(requested_at, by.pk if by else None))
