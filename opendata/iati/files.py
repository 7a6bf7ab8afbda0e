"""The public IATI files: built in the background, checked, then published as a whole.

A build writes every file into a new folder of its own (``builds/<id>/``) under
``IATI_FILES_PATH`` in the default storage: ``activities.xml`` (every published initiative),
``organisations/<slug>/activities.xml`` (one per organisation owning published
initiatives) and ``organisation.xml`` (the reporting organisation). Every file is validated
(the 2.03 XSD and the percentage rules); only when all are valid is ``registry.json``, which
names the current build and holds what ``/data/`` says about the files, replaced by an
atomic rename. A reader therefore sees the previous build or the new one, never a mix or a
half-written file. An invalid build is deleted, the previous files stay, and moderators
are told (see :mod:`opendata.iati.alerts`).

Files are only ever built by :func:`iati_files_build`, called from the Celery task in
:mod:`opendata.iati.tasks` or ``manage.py build_iati_files``, never while a request is
answered. The files live on the local file system of the default storage (``path()``):
the rename that publishes a build needs one.
"""

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone, translation

from initiatives.browse.index import content_version
from initiatives.models import Initiative
from opendata.iati.activities import write_activities
from opendata.iati.organisation import validate_organisation_file, write_organisation_file
from opendata.iati.validation import validate_iati
from organisations.models import Organisation
from ssdc_portal import links

logger = logging.getLogger(__name__)

IATI_FILES_PATH = "opendata/iati"
REGISTRY = "registry.json"
ALL_ACTIVITIES = "activities.xml"
ORGANISATION_FILE = "organisation.xml"
# Builds older than the previous one are deleted; the previous stays for downloads under way.
KEPT_BUILDS = 2


def organisation_activities(slug: str) -> str:
    return f"organisations/{slug}/activities.xml"


@dataclass
class BuiltFile:
    """One published file: its name under the build (also its address under /data/iati/)."""

    name: str
    kind: str  # "activities" or "organisation"
    activities: int = 0
    sha256: str = ""
    size: int = 0
    organisation_slug: str = ""
    organisation_name: str = ""


@dataclass
class LeftOut:
    """A published initiative not in the files, and why (in each interface language)."""

    slug: str
    title: str
    organisation: str
    reasons: dict[str, str]

    def reason(self, language: str) -> str:
        return self.reasons.get(language) or self.reasons.get(settings.LANGUAGE_CODE, "")


@dataclass
class Registry:
    """What the current build is and holds: the contents of ``registry.json``."""

    build: str
    built_at: str  # ISO 8601, UTC
    content_version: int
    site_url: str
    files: list[BuiltFile]
    left_out: list[LeftOut] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    # The latest build that failed validation, kept until a build succeeds.
    failed_at: str = ""
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict) -> "Registry":
        return cls(
            **{
                **data,
                "files": [BuiltFile(**row) for row in data["files"]],
                "left_out": [LeftOut(**row) for row in data.get("left_out", [])],
            }
        )

    def file(self, name: str) -> BuiltFile | None:
        return next((built for built in self.files if built.name == name), None)

    @property
    def activities(self) -> int:
        built = self.file(ALL_ACTIVITIES)
        return built.activities if built else 0

    @property
    def organisation_files(self) -> list[BuiltFile]:
        return [built for built in self.files if built.organisation_slug]


class InvalidBuild(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems[:5]))


def _root() -> Path:
    return Path(default_storage.path(IATI_FILES_PATH))


def current_registry() -> Registry | None:
    """The registry of the published build, or ``None`` before any build was tried (after
    a first build that failed, a registry with an empty ``build``)."""
    try:
        data = json.loads((_root() / REGISTRY).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Registry.from_json(data)


def file_path(registry: Registry, name: str) -> Path:
    return _root() / "builds" / registry.build / name


def iati_files_build(*, site_url: str = "") -> Registry:
    """Build, validate and publish every public IATI file; return the new registry.

    Raises :class:`InvalidBuild` when a file does not validate; the previous files stay.
    Every file is read from one snapshot of the database, so they agree with each other.
    """
    with links.recorded_site_url(site_url), translation.override(settings.LANGUAGE_CODE):
        root = _root()
        builds = root / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        build_id = timezone.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        folder = builds / build_id
        folder.mkdir()
        try:
            with _snapshot():
                version = content_version()
                files, left_out = _write_files(folder)
                languages = sorted(
                    set(
                        Initiative.objects.published()
                        .exclude(language="")
                        .values_list("language", flat=True)
                    )
                )
            problems = _problems(folder, files)
            if problems:
                raise InvalidBuild(problems)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        registry = Registry(
            build=build_id,
            built_at=timezone.now().isoformat(timespec="seconds"),
            content_version=version,
            site_url=links.site_url(),
            files=files,
            left_out=left_out,
            languages=languages,
        )
        _publish(registry)
        _delete_old_builds(builds, keep=registry.build)
        return registry


@contextlib.contextmanager
def _snapshot():
    """A read-only transaction that sees the database as it was when it began (unless the
    caller holds a transaction already: then the caller's)."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def record_failure(problems: list[str]) -> Registry | None:
    """Note a failed build in the registry (the files stay as they were)."""
    registry = current_registry() or Registry(
        build="", built_at="", content_version=0, site_url="", files=[]
    )
    registry.failed_at = timezone.now().isoformat(timespec="seconds")
    registry.problems = problems[:20]
    _publish(registry)
    return registry


def _write_files(folder: Path) -> tuple[list[BuiltFile], list[LeftOut]]:
    published = Initiative.objects.published()
    left_out: list[tuple[Initiative, str]] = []
    # The schema requires at least one activity: a file that would hold none is not
    # published (its address answers 404, and /data/ says why its records are left out).
    files = [_activities_file(folder, ALL_ACTIVITIES, published, left_out)]
    owners = Organisation.objects.filter(pk__in=published.values("owner")).order_by("slug")
    for owner in owners.only("pk", "slug", "name"):
        built = _activities_file(
            folder, organisation_activities(owner.slug), published.filter(owner=owner), None
        )
        if built is not None:
            built.organisation_slug, built.organisation_name = owner.slug, owner.name
            files.append(built)
    files = [built for built in files if built is not None]
    path = folder / ORGANISATION_FILE
    with open(path, "wb") as out:
        write_organisation_file(out)
    files.append(BuiltFile(ORGANISATION_FILE, "organisation", **_digest(path)))
    return files, [_left_out(initiative, reason) for initiative, reason in left_out]


def _activities_file(folder: Path, name: str, initiatives, left_out) -> BuiltFile | None:
    """Write one activities file; ``None`` (and no file) when it would hold no activity."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        count = write_activities(initiatives, out, left_out=[] if left_out is None else left_out)
    if not count:
        path.unlink()
        return None
    return BuiltFile(name, "activities", activities=count, **_digest(path))


def _left_out(initiative: Initiative, reason) -> LeftOut:
    reasons = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            reasons[language] = str(reason)
    return LeftOut(
        slug=initiative.slug,
        title=initiative.title,
        organisation=initiative.owner.name,
        reasons=reasons,
    )


def _digest(path: Path) -> dict:
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            sha.update(block)
    return {"sha256": sha.hexdigest(), "size": path.stat().st_size}


def _problems(folder: Path, files: list[BuiltFile]) -> list[str]:
    problems = []
    for built in files:
        path = folder / built.name
        found = (
            validate_organisation_file(str(path))
            if built.kind == "organisation"
            else validate_iati(path)
        )
        problems.extend(f"{built.name}, {problem}" for problem in found)
    return problems


def _publish(registry: Registry) -> None:
    """Replace ``registry.json`` at once (write beside it, then rename)."""
    root = _root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=root, prefix=".registry-", suffix=".json", delete=False, encoding="utf-8"
    ) as out:
        json.dump(asdict(registry), out, ensure_ascii=False, indent=1)
    os.chmod(out.name, 0o644)
    os.replace(out.name, root / REGISTRY)


def _delete_old_builds(builds: Path, *, keep: str) -> None:
    """Delete every build but the newest ``KEPT_BUILDS`` (the current one always stays)."""
    names = sorted((path.name for path in builds.iterdir() if path.is_dir()), reverse=True)
    for name in [name for name in names if name != keep][KEPT_BUILDS - 1 :]:
        shutil.rmtree(builds / name, ignore_errors=True)
