"""Real Celery workers, private Redis servers and a cuttable database link, for tests that
run the processes a deployment runs — and break them.

Workers are started with ``--app tests.celery_workers``: the portal's own Celery app, plus
two things only tests use. The tasks a worker queues itself go to the test's own queue, the
one it consumes. When ``REPORT_GATE`` names a folder, each report the worker produces stops
at its first progress step while that folder's gate is closed (:class:`ReportGate`), so a
test can break something at a known point of a run.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from celery.signals import task_prerun

from ssdc_portal.celery import app

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).parent / "celery"
GATE_ENVIRONMENT = "REPORT_GATE"
QUEUE_ENVIRONMENT = "TEST_WORKER_QUEUE"

# In a worker: the tasks it queues itself (a failure to record later…) go to the queue it
# consumes, as they go to the default queue that every worker consumes in production.
if os.environ.get(QUEUE_ENVIRONMENT):
    app.conf.task_default_queue = os.environ[QUEUE_ENVIRONMENT]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, every: float = 0.1):
    """Poll ``condition`` until it returns something true, and return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def finished(report):
    """``report``, fresh from the database, once it has succeeded or failed; else ``None``."""
    report.refresh_from_db()
    return report if report.is_finished else None


def broker_is_up(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def configure_celery(**settings) -> None:
    """Change the app's broker settings in this process, dropping the connections and
    queue routing it built for the old ones (tasks running in-process still build them)."""
    app.conf.update(settings)
    app._pool = None
    app.__dict__.pop("amqp", None)


class ReportGate:
    """A gate, shared through files, at which a worker holds a running report."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.closed_flag = folder / "closed"
        self.held_flag = folder / "held"

    @property
    def is_closed(self) -> bool:
        return self.closed_flag.exists()

    def close(self) -> None:
        self.held_flag.unlink(missing_ok=True)
        self.closed_flag.touch()

    def open(self) -> None:
        self.closed_flag.unlink(missing_ok=True)

    def wait_until_held(self, *, timeout: float = 90) -> None:
        wait_for(self.held_flag.exists, timeout=timeout, what="a report to reach the gate")

    def hold(self, *, longest: float = 300) -> None:
        """In the worker: say a report is waiting, then wait until the gate opens."""
        self.held_flag.touch()
        deadline = time.monotonic() + longest
        while self.is_closed and time.monotonic() < deadline:
            time.sleep(0.05)


_gate_installed = False


@task_prerun.connect
def _install_the_gate(**kwargs) -> None:
    """In a worker started with ``REPORT_GATE``: hold each report at its first progress step
    while the gate is closed. Installed when the first task starts, once Django is set up."""
    global _gate_installed
    folder = os.environ.get(GATE_ENVIRONMENT)
    if not folder or _gate_installed:
        return
    from reports import services

    gate, record = ReportGate(Path(folder)), services.ProgressRecorder.__call__

    def record_then_wait_at_the_gate(recorder, done: int, total: int) -> None:
        record(recorder, done, total)
        if gate.is_closed and not getattr(recorder, "has_waited", False):
            recorder.has_waited = True
            gate.hold()

    services.ProgressRecorder.__call__ = record_then_wait_at_the_gate
    _gate_installed = True


class RedisServer:
    """A ``redis-server`` of the test's own, without persistence, that it can restart."""

    def __init__(self, log: Path):
        self.port, self.log, self.process = free_port(), log, None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen(
            command, stdout=self.log.open("a"), stderr=subprocess.STDOUT
        )
        wait_for(lambda: broker_is_up(self.url()), timeout=20, what="redis-server to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        # Pooled connections to it are dead: a later ping or publish from this process would
        # retry them for ever, even when aimed at another broker.
        configure_celery()

    def restart(self) -> None:
        """Stop and start again on the same port: everything it held is gone."""
        self.stop()
        self.start()


class Worker:
    """A ``celery worker`` process on the given broker, database and queue."""

    def __init__(
        self,
        *,
        broker: str,
        database_url: str,
        queue: str,
        media: Path,
        log: Path,
        visibility_timeout: int = 3,
        pool: str = "solo",
        gate: ReportGate | None = None,
        environment: dict | None = None,
    ):
        self.log, self.queue, self.pool, self.process = log, queue, pool, None
        self.hostname = f"test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "MEDIA_ROOT": str(media),
            "SECRET_KEY": "worker-test-only",
            "DEBUG": "False",
            QUEUE_ENVIRONMENT: queue,
            **({GATE_ENVIRONMENT: str(gate.folder)} if gate else {}),
            **(environment or {}),
        }

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 — our own worker
            [
                str(CELERY),
                "--app",
                "tests.celery_workers",
                "worker",
                "--pool",
                self.pool,  # solo: one process, so SIGKILL stops the task with the worker
                "--concurrency",
                "1",
                "--hostname",
                self.hostname,
                "--queues",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            env=self.environment,
            cwd=ROOT,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: see kill()
        )

    def kill(self) -> None:
        """SIGKILL the worker and, with the prefork pool, its child processes."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def logged(self, text: str) -> int:
        """How many times ``text`` appears in the worker's log so far."""
        return self.log.read_text(errors="replace").count(text) if self.log.exists() else 0


class CuttableLink:
    """A TCP proxy to a server (here PostgreSQL) that a test can cut and restore, as a
    network failure or a database restart would: while cut, open connections are closed
    and new ones are accepted and closed at once."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_cut = False
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.connections_refused = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def routed(self, url: str) -> str:
        """``url`` (of the server behind this link) with the link in place of the server."""
        parts = urlsplit(url)
        credentials, at, _server = parts.netloc.rpartition("@")
        return urlunsplit(parts._replace(netloc=f"{credentials}{at}127.0.0.1:{self.port}"))

    def cut(self) -> None:
        with self.lock:
            self.is_cut = True
            for open_socket in self.sockets:
                self._close(open_socket)
            self.sockets.clear()

    def restore(self) -> None:
        with self.lock:
            self.is_cut = False

    def close(self) -> None:
        self.cut()
        self.listener.close()

    @staticmethod
    def _close(open_socket: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already shut by the other side
            open_socket.shutdown(socket.SHUT_RDWR)
        open_socket.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # the listener was closed
            with self.lock:
                if self.is_cut:
                    self.connections_refused += 1
                    self._close(client)
                    continue
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                self._close(client)
                continue
            with self.lock:
                self.sockets.update((client, server))
            for source, destination in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, destination), daemon=True).start()

    def _pump(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                destination.sendall(data)
        except OSError:
            pass
        finally:
            for open_socket in (source, destination):
                with self.lock:
                    self.sockets.discard(open_socket)
                self._close(open_socket)
