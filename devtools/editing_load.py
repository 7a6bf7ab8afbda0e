"""The editing load of the benchmark: a writer process that does what editors and
moderators do while visitors read.

The writer runs in its own process with its own Django setup, on the same database as the
server. Every ``save_every`` seconds a synthetic editor saves a draft as the editor's form
does (the record read with the version it has, one field changed, every relation and row
posted back as it was, ``initiative_save`` with that version as the claim), and every
``publish_every`` seconds a synthetic moderator publishes a record (``initiative_approve``
on a submitted one; a complete draft is submitted first when none is left, and a published
record is edited when no draft can be submitted either). Each event is written as one JSON
line to a log that the benchmark reads while it measures: the publications tell it when
to time the first requests after a change, the saves are the editor's side of the figures.
"""

import contextlib
import json
import subprocess  # noqa: S404 - the writer child
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

EDITOR = "benchmark-editor"
MODERATOR = "benchmark-moderator"


# ---------------------------------------------------------------------------------------------
# In the writer process


def synthetic_editor():
    """The editor and the draft record they keep editing: a user who is an editor of the
    organisation owning the oldest draft (created on the first run, reused after)."""
    from accounts.models import Membership, User
    from initiatives.models import Initiative

    draft = Initiative.objects.filter(state=Initiative.State.DRAFT).order_by("pk").first()
    if draft is None:
        raise RuntimeError("the database holds no draft for the synthetic editor")
    editor, _created = User.objects.get_or_create(
        username=EDITOR, defaults={"email": f"{EDITOR}@example.org"}
    )
    Membership.objects.get_or_create(
        user=editor, organisation_id=draft.owner_id, defaults={"role": Membership.Role.EDITOR}
    )
    return editor, draft.pk


def synthetic_moderator():
    """A user in the Moderators group (created on the first run, reused after)."""
    from django.contrib.auth.models import Group

    from accounts.models import MODERATORS_GROUP, User

    moderator, _created = User.objects.get_or_create(
        username=MODERATOR, defaults={"email": f"{MODERATOR}@example.org", "is_staff": True}
    )
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return User.objects.get(pk=moderator.pk)  # permissions are cached per object


def posted_row(row) -> dict:
    """A saved row as its form posts it back unchanged: its id and every editable value
    (related rows as objects, as a form's cleaned data holds them)."""
    values = {
        field.name: getattr(row, field.name)
        for field in row._meta.concrete_fields
        if field.editable and not field.primary_key and field.name != "initiative"
    }
    return {"id": row, **values}


def save_draft(editor, pk: int, number: int) -> None:
    """What the editor's form does on "save": open the record (its version is the claim),
    change the summary, post every relation and row back, save through the service."""
    from initiatives.models import Initiative
    from initiatives.models.parts import ROW_PARTS
    from initiatives.services import initiative_save

    initiative = Initiative.objects.get(pk=pk)
    opened = initiative.version
    relations = {
        many.name: list(getattr(initiative, many.name).all())
        for many in Initiative._meta.many_to_many
    }
    rows = {
        part: [posted_row(row) for row in declared.rows_of(initiative)]
        for part, declared in ROW_PARTS.items()
    }
    initiative.summary = f"{initiative.summary.split(' [edit ')[0]} [edit {number}]"
    initiative_save(
        initiative=initiative,
        by=editor,
        expected_version=opened,
        relations=relations,
        rows=rows,
    )


def publish_one(moderator, editor_draft: int) -> str:
    """Publish a record as a moderator would, and say how it went about it."""
    from initiatives.models import Initiative
    from initiatives.services import (
        IncompleteInitiative,
        initiative_approve,
        initiative_save,
        initiative_submit,
    )

    State = Initiative.State
    submitted = Initiative.objects.filter(state=State.SUBMITTED).order_by("pk").first()
    if submitted is not None:
        initiative_approve(initiative=submitted, by=moderator)
        return "approved"
    drafts = Initiative.objects.filter(state=State.DRAFT).exclude(pk=editor_draft).order_by("pk")
    for draft in drafts[:20]:
        try:
            initiative_submit(initiative=draft, by=moderator)
        except IncompleteInitiative:
            continue
        initiative_approve(initiative=draft, by=moderator)
        return "submitted and approved"
    record = Initiative.objects.filter(state=State.PUBLISHED).order_by("pk").first()
    record.summary = f"{record.summary} "
    initiative_save(initiative=record, by=moderator, expected_version=record.version)
    return "published record edited"


def writer_main() -> None:
    """The writer's loop (``python -c … writer_main LOG STOP SAVE_EVERY PUBLISH_EVERY``): runs
    until the file STOP exists, writing one JSON line per event to LOG."""
    from initiatives.services import EditConflict

    log_path, stop_path = Path(sys.argv[1]), Path(sys.argv[2])
    save_every, publish_every = float(sys.argv[3]), float(sys.argv[4])
    editor, draft = synthetic_editor()
    moderator = synthetic_moderator()
    with log_path.open("a", encoding="utf-8") as log:

        def write(event: str, **values) -> None:
            log.write(json.dumps({"event": event, "at": time.time(), **values}) + "\n")
            log.flush()

        write("ready")
        started = time.monotonic()
        next_save, next_publish = started, started + publish_every
        saves = 0
        while not stop_path.exists():
            now = time.monotonic()
            if now < min(next_save, next_publish):
                time.sleep(min(next_save, next_publish) - now)
                continue
            begin = time.perf_counter()
            try:
                if now >= next_publish:
                    next_publish += publish_every
                    how = publish_one(moderator, draft)
                    write("publish", seconds=time.perf_counter() - begin, how=how)
                else:
                    next_save = max(next_save + save_every, now)
                    saves += 1
                    save_draft(editor, draft, saves)
                    write("save", seconds=time.perf_counter() - begin)
            except EditConflict:
                write("conflict", seconds=time.perf_counter() - begin)
            except Exception as error:  # noqa: BLE001 - reported, the load goes on
                write("error", message=f"{type(error).__name__}: {error}"[:300])


# ---------------------------------------------------------------------------------------------
# In the benchmark process


@dataclass
class Event:
    kind: str  # ready, save, publish, conflict or error
    at: float  # wall-clock time it ended (time.time())
    seconds: float = 0.0
    detail: str = ""


@dataclass
class Writer:
    """The running writer, seen from the benchmark: its events as they are logged."""

    process: subprocess.Popen
    log: Path
    errors: Path  # the writer's standard error
    events: list[Event] = field(default_factory=list)
    _read: int = 0  # bytes of the log read so far

    def poll(self) -> list[Event]:
        """The events logged since the last call."""
        with self.log.open("rb") as log:
            log.seek(self._read)
            data = log.read()
        complete = data[: data.rfind(b"\n") + 1]
        self._read += len(complete)
        new = []
        for line in complete.decode().splitlines():
            row = json.loads(line)
            new.append(
                Event(
                    row["event"],
                    row["at"],
                    row.get("seconds", 0.0),
                    row.get("how") or row.get("message", ""),
                )
            )
        self.events += new
        if self.process.poll() is not None:
            raise RuntimeError(f"the writer exited: {self.errors.read_text()[-1500:]}")
        return new

    def of(self, kind: str, since: float = 0.0, until: float = float("inf")) -> list[Event]:
        return [event for event in self.events if event.kind == kind and since <= event.at <= until]


@contextlib.contextmanager
def editing_load(
    work: Path, env: dict[str, str], save_every: float = 1.0, publish_every: float = 10.0
) -> Iterator[Writer]:
    """Run the writer for the life of the ``with``, once it is ready."""
    log, stop, errors = work / "writer.jsonl", work / "writer.stop", work / "writer.err"
    log.write_text("")
    stop.unlink(missing_ok=True)
    code = (
        "import django; django.setup(); from devtools import editing_load; "
        "editing_load.writer_main()"
    )
    with errors.open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - this Python running our own code
            [sys.executable, "-c", code, str(log), str(stop), str(save_every), str(publish_every)],
            cwd=Path(__file__).resolve().parent.parent,
            env={**env, "EMAIL_URL": "dummymail://"},  # notifications are sent, to nobody
            stderr=stderr,
            stdout=subprocess.DEVNULL,
        )
    writer = Writer(process, log, errors)
    try:
        deadline = time.monotonic() + 120
        while not writer.of("ready"):
            if time.monotonic() > deadline:
                raise RuntimeError("the writer did not start within 120 s")
            time.sleep(0.2)
            writer.poll()
        yield writer
    finally:
        stop.touch()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(RuntimeError):
            writer.poll()


def worker_memory(master_pid: int) -> dict[int, int]:
    """Resident memory (VmRSS, bytes) of each child of ``master_pid`` (gunicorn's workers)."""
    memory = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent != master_pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    memory[int(entry.name)] = int(line.split()[1]) * 1024
    return memory
