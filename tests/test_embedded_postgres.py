"""The embedded PostgreSQL (no DATABASE_URL): the portal starts again after any crash with its
data, and commands started at the same moment all get the database.

Each test runs the portal as a newcomer does — ``manage.py`` with DATABASE_URL unset and its
own DATA_DIR — whatever database the rest of the suite uses. The folder is short (under
/tmp), so that the server's socket can live in it.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ssdc_portal.embedded_postgres import stop_server
from tests.celery_workers import free_port

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Seed banks shared from Brazil to Mozambique"
CREATE_INITIATIVE = (
    f"from tests.factories import InitiativeFactory; InitiativeFactory(title={TITLE!r})"
)


@pytest.fixture
def data_dir():
    """A DATA_DIR of the test's own; its server is stopped and the folder removed after."""
    folder = Path(tempfile.mkdtemp(prefix="ssdc-", dir="/tmp"))
    try:
        yield folder
    finally:
        stop_server(folder / "pg")
        shutil.rmtree(folder, ignore_errors=True)


def environment(data_dir: Path) -> dict[str, str]:
    unset = {"DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT", "BACKUP_DIR"}
    return {name: value for name, value in os.environ.items() if name not in unset} | {
        "DATA_DIR": str(data_dir),
        "DEBUG": "True",
        "LOG_FORMAT": "text",
    }


def manage(data_dir: Path, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(data_dir: Path, *arguments: str) -> str:
    process = manage(data_dir, *arguments)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return stdout


class Portal:
    """``manage.py runserver`` in a process group of its own, as ``make run`` starts it."""

    def __init__(self, data_dir: Path, log: Path):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=environment(data_dir),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def get(self, path: str) -> tuple[int, str]:
        """The status and text of ``path``, waiting for the portal to answer."""
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"The portal exited with {self.process.returncode}:\n{self.output()}")
            try:
                url = f"http://127.0.0.1:{self.port}{path}"
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"The portal did not answer:\n{self.output()}")
                time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the whole process group, as when its terminal is closed or it crashes."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def output(self) -> str:
        return self.log.read_text()


@pytest.fixture
def portal_with_data(data_dir, tmp_path):
    """A migrated portal holding one published initiative, running until its process group
    is killed."""
    run(data_dir, "migrate", "--noinput")
    run(data_dir, "shell", "-c", CREATE_INITIATIVE)
    portal = Portal(data_dir, tmp_path / "first-run.log")
    status, page = portal.get("/")
    assert status == 200
    assert TITLE in page
    yield portal
    if portal.process.poll() is None:
        portal.kill()


def test_the_portal_starts_again_after_being_killed_mid_write_and_keeps_its_data(
    portal_with_data, data_dir, tmp_path
):
    portal_with_data.kill()
    # A kill while the server's list of its users was being written leaves it empty.
    (data_dir / "pg" / ".handle_pids.json").write_text("")

    again = Portal(data_dir, tmp_path / "second-run.log")
    try:
        status, page = again.get("/")
    finally:
        again.kill()

    assert status == 200
    assert TITLE in page


def test_the_portal_starts_after_its_database_server_died_and_its_process_number_was_reused(
    portal_with_data, data_dir, tmp_path
):
    portal_with_data.kill()
    pid_file = data_dir / "pg" / "postmaster.pid"
    left_behind = pid_file.read_text().splitlines()
    # The server dies with the machine: its postmaster.pid stays behind...
    os.kill(int(left_behind[0]), signal.SIGKILL)
    # ...and after a restart another program has the process number it names.
    stranger = subprocess.Popen(["sleep", "600"])  # noqa: S607 - a harmless stand-in
    try:
        pid_file.write_text("\n".join([str(stranger.pid), *left_behind[1:]]) + "\n")
        again = Portal(data_dir, tmp_path / "second-run.log")
        try:
            status, page = again.get("/")
        finally:
            again.kill()
    finally:
        stranger.kill()
        stranger.wait()

    assert status == 200
    assert TITLE in page


def test_commands_started_at_the_same_moment_on_a_new_data_folder_all_get_the_database(
    data_dir,
):
    check = "from django.db import connection; print(connection.cursor().connection.info.dbname)"

    processes = [manage(data_dir, "shell", "-c", check) for _ in range(3)]
    results = [process.communicate(timeout=300) for process in processes]

    for process, (stdout, stderr) in zip(processes, results):
        assert process.returncode == 0, stderr
        assert stdout.strip().splitlines()[-1] == "ssdc_portal"


def test_two_portals_started_at_the_same_moment_both_answer(data_dir, tmp_path):
    run(data_dir, "migrate", "--noinput")
    run(data_dir, "shell", "-c", CREATE_INITIATIVE)
    stop_server(data_dir / "pg")

    portals = [Portal(data_dir, tmp_path / f"portal-{number}.log") for number in (1, 2)]
    try:
        answers = [portal.get("/") for portal in portals]
    finally:
        for portal in portals:
            portal.kill()

    for status, page in answers:
        assert status == 200
        assert TITLE in page
