"""Start the PostgreSQL server that ships in the ``pgserver`` wheel when no DATABASE_URL is set.

A newcomer then needs nothing installed: the server's data lives under ``DATA_DIR/pg``. The
first command that needs the server starts it, and it keeps running after that command
exits: every later command (``make run``, ``make test``, ``manage.py …``) finds it and uses
it. ``make stop-db`` stops it (``python -m ssdc_portal.embedded_postgres stop FOLDER``). It
is a real PostgreSQL 16 but has no contrib extensions, so the portal only uses core features.

Starting survives crashes. A killed process may leave behind pgserver's list of the processes
using the server (``.handle_pids.json``) empty or half-written, and a server that dies leaves
its ``postmaster.pid``, whose process number may later belong to another program. Both are
put right before pgserver is asked for the server, under a lock on a file beside the data
folder, so that commands starting at the same moment take turns.
"""

import atexit
import fcntl
import json
import os
import signal
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "ssdc_portal"
HANDLE_LIST = ".handle_pids.json"  # pgserver's list of the processes using the server
PID_FILE = "postmaster.pid"
# How long to wait for a server that is starting or shutting down, or for the processes of
# a dead one to go.
WAIT_SECONDS = 60


def database_settings(data_dir: Path) -> dict:
    """Return a Django DATABASES entry for the embedded server, starting it if needed."""
    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(_lock_path(data_dir)):
        _recover(data_dir)
        socket_dir = _start(data_dir)
        _create_database(socket_dir)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
    }


def stop_server(data_dir: Path) -> bool:
    """Stop the server of ``data_dir`` if one runs, with a fast shutdown (open sessions are
    ended; nothing committed is lost). Returns whether one was running."""
    data_dir = data_dir.expanduser().resolve()
    if not data_dir.is_dir():
        return False
    with _exclusive(_lock_path(data_dir)):
        postmaster = _running_postmaster(data_dir, _server_processes(data_dir))
        if postmaster is None:
            return False
        postmaster.send_signal(signal.SIGINT)
        _wait_until(lambda: not _server_processes(data_dir), "the server to stop", data_dir)
    return True


def _lock_path(data_dir: Path) -> Path:
    # Beside the data folder: initdb wants an empty folder.
    return data_dir.with_name(f"{data_dir.name}.lock")


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _recover(data_dir: Path) -> None:
    """Leave ``data_dir`` as pgserver can read it: a valid list of the processes using the
    server, and either a server that is ready or no trace of a dead one."""
    _repair_handle_list(data_dir / HANDLE_LIST)
    _wait_until(lambda: _settled(data_dir), "the server to be ready or gone", data_dir)


def _settled(data_dir: Path) -> bool:
    """Whether the server is ready, or no process of a server is left (then the lock files
    of a dead one are removed). Not while a server is starting or shutting down, or while
    the processes of one that died are still ending."""
    servers = _server_processes(data_dir)
    if _running_postmaster(data_dir, servers) is not None:
        return _pid_file_lines(data_dir)[7:8] == ["ready"]  # pgserver uses it as it is
    if servers:
        return False
    _remove_stale_lock_files(data_dir)
    return True  # pgserver starts a server, which recovers from a crash by itself


def _repair_handle_list(path: Path) -> None:
    """Keep the live processes of the list; an unreadable list becomes an empty one."""
    import psutil

    try:
        text = path.read_text()
    except FileNotFoundError:
        return
    try:
        pids = json.loads(text)
    except ValueError:
        pids = None
    if not isinstance(pids, list):
        pids = None
    live = [pid for pid in pids or [] if isinstance(pid, int) and psutil.pid_exists(pid)]
    if live != pids:
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(live))
        partial.replace(path)  # atomic: a kill now leaves the old list or the new one


def _server_processes(data_dir: Path) -> dict:
    """The PostgreSQL processes working on ``data_dir`` (the server and its children all
    run in it), by process number."""
    import psutil

    return {
        process.pid: process
        for process in psutil.process_iter(["name", "cwd"])
        if process.info["name"] == "postgres" and process.info["cwd"] == str(data_dir)
    }


def _running_postmaster(data_dir: Path, servers: dict):
    """The server that ``postmaster.pid`` names, if that process really is it."""
    lines = _pid_file_lines(data_dir)
    pid = int(lines[0]) if lines and lines[0].isdigit() else None
    return servers.get(pid)


def _pid_file_lines(data_dir: Path) -> list[str]:
    try:
        return [line.strip() for line in (data_dir / PID_FILE).read_text().splitlines()]
    except FileNotFoundError:
        return []


def _remove_stale_lock_files(data_dir: Path) -> None:
    """Remove what a dead server left: its ``postmaster.pid`` and its socket's lock file.
    PostgreSQL would refuse to start if the process number they hold now belongs to another
    program. Called only when no process of the server is left."""
    lines = _pid_file_lines(data_dir)
    if len(lines) > 4 and lines[3].isdigit() and lines[4]:
        (Path(lines[4]) / f".s.PGSQL.{lines[3]}.lock").unlink(missing_ok=True)
    (data_dir / PID_FILE).unlink(missing_ok=True)


def _wait_until(condition, what: str, data_dir: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"Waited {WAIT_SECONDS} s for {what} of the embedded PostgreSQL in {data_dir}. "
                f"Its log is {data_dir / 'log'}."
            )
        time.sleep(0.1)


def _start(data_dir: Path) -> str:
    """Ask pgserver for the server (it starts one if none runs); return its socket folder."""
    with warnings.catch_warnings():
        # pgserver keeps its lock file in a per-user runtime folder; /tmp is fine for that.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data_dir, cleanup_mode=None)
    # The server outlives this process; pgserver would otherwise rewrite its list at exit,
    # outside the lock above.
    atexit.unregister(server._cleanup)
    return str(server.get_postmaster_info().socket_dir)


def _create_database(socket_dir: str) -> None:
    import psycopg

    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres") as connection:
        connection.autocommit = True
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


if __name__ == "__main__":
    # python -m ssdc_portal.embedded_postgres stop FOLDER… (the data folders, e.g. .data/pg)
    if len(sys.argv) < 3 or sys.argv[1] != "stop":
        sys.exit("usage: python -m ssdc_portal.embedded_postgres stop DATA_FOLDER…")
    for folder in sys.argv[2:]:
        if stop_server(Path(folder)):
            print(f"Stopped the embedded PostgreSQL in {folder}")
