"""Reports produced by a real Celery worker on Redis, as in production — including a worker
killed with SIGKILL in the middle of a report.

The worker runs as a separate process on this test run's database, on a queue of its own.
Without Redis these tests are skipped, unless REQUIRE_WORKER is set (CI sets it).
"""

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import openpyxl
import pytest
import redis
from django.utils import timezone

from initiatives.models import Actor, Country, Initiative, InitiativeCountry, Participation
from reports.builders.iati import validate_iati
from reports.models import Report
from reports.services import request_report
from ssdc_portal.celery import app as celery_app
from tests.factories import InitiativeFactory
from tests.test_api_fuzz import url_of_the_test_database

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
VISIBILITY_TIMEOUT = 3  # seconds before a dead worker's task is handed out again
ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
QUEUE = f"reports-test-{uuid.uuid4().hex[:10]}"  # this run's own queue


def broker_is_up() -> bool:
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


if not broker_is_up() and not os.environ.get("REQUIRE_WORKER"):
    pytest.skip("Redis is not running here (CI runs these tests)", allow_module_level=True)


class Worker:
    """A ``celery worker`` process for this test run's database and queue."""

    def __init__(self, log: Path, media: Path):
        self.log, self.process = log, None
        self.environment = {
            **os.environ,
            "DATABASE_URL": url_of_the_test_database(),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "MEDIA_ROOT": str(media),
            "SECRET_KEY": "worker-test-only",
            "DEBUG": "False",
        }

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 — our own worker
            [
                str(CELERY),
                "--app",
                "ssdc_portal",
                "worker",
                "--pool",
                "solo",  # one process: SIGKILL stops the task with the worker
                "--queues",
                QUEUE,
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            env=self.environment,
            cwd=ROOT,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def configure_celery(**settings) -> None:
    """Change the app's broker settings in this process, dropping the connections and
    queue routing it built for the old ones (tasks running in-process still build them)."""
    celery_app.conf.update(settings)
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def worker(reference_data, report_files, tmp_path):
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    configure_celery(broker_url=BROKER, task_always_eager=False, task_default_queue=QUEUE)
    worker = Worker(tmp_path / "worker.log", report_files)
    try:
        yield worker
    finally:
        worker.stop()
        configure_celery(**saved)
        redis.Redis.from_url(BROKER).delete(QUEUE)
        if os.environ.get("CI"):
            print((tmp_path / "worker.log").read_text()[-4000:])


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def finished(report: Report) -> Report | None:
    report.refresh_from_db()
    return report if report.is_finished else None


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_produces_a_report_asked_for_through_the_api(worker, client, researcher):
    InitiativeFactory(title="Seed banks across the border")
    InitiativeFactory(title="Not yet published", state="submitted")
    worker.start()
    client.force_login(researcher)

    response = client.post(
        "/api/v1/reports/", {"kind": "dataset", "format": "xlsx"}, content_type="application/json"
    )
    assert response.status_code == 202
    assert response.json()["state"] == "queued"
    report = Report.objects.get()
    wait_for(lambda: finished(report), timeout=90, what="the worker to finish the report")
    assert report.state == Report.State.SUCCEEDED, report.error

    body = client.get(response["Location"]).json()
    download = client.get(body["download"])
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    titles = [row[2] for row in sheet["initiatives"].iter_rows(min_row=2, values_only=True)]
    header = next(sheet["initiatives"].iter_rows(max_row=1, values_only=True))
    assert header[2] == "title"
    assert titles == ["Seed banks across the border"]


def many_initiatives(count: int) -> None:
    """``count`` published initiatives, written in bulk (factories would take minutes)."""
    owner = Actor.objects.create(
        name="Seed network", slug="seed-network", actor_type="network", home_country_id="BR"
    )
    now = timezone.now()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            title=f"Exchange number {n}",
            slug=f"exchange-{n}",
            summary="Farmers visit each other's fields and keep native seeds.",
            cooperation_type="bilateral",
            start_year=2010 + n % 10,
            owner=owner,
            state="published",
            published_at=now,
        )
        for n in range(count)
    )
    brazil, mozambique = Country.objects.get(code="BR"), Country.objects.get(code="MZ")
    InitiativeCountry.objects.bulk_create(
        link
        for initiative in initiatives
        for link in (
            InitiativeCountry(initiative=initiative, country=brazil, role="provider"),
            InitiativeCountry(initiative=initiative, country=mozambique, role="recipient"),
        )
    )
    Participation.objects.bulk_create(
        Participation(initiative=initiative, actor=owner, role="lead") for initiative in initiatives
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_loses_nothing(worker, researcher, report_files):
    many_initiatives(4000)
    worker.start()
    report, _created = request_report(user=researcher, kind="iati", parameters={"filters": {}})

    def under_way():
        report.refresh_from_db()
        return report.state == Report.State.RUNNING and report.progress > 0

    wait_for(under_way, timeout=90, what="the report to start")
    worker.kill()
    report.refresh_from_db()
    assert report.state == Report.State.RUNNING, "killed before it could finish"
    assert report.attempts == 1

    time.sleep(VISIBILITY_TIMEOUT + 1)  # the broker hands the task out again after this
    worker.start()
    wait_for(lambda: finished(report), timeout=180, what="the redelivered report")

    assert report.state == Report.State.SUCCEEDED, report.error
    assert report.attempts == 2, "produced again from the start after the kill"
    assert Report.objects.count() == 1
    stored = list((report_files / "reports" / str(report.pk)).iterdir())
    assert [path.name for path in stored] == [report.filename], "no leftover of the first try"
    assert report.row_count == 4000
    with stored[0].open("rb") as document:
        assert validate_iati(document) == []
