"""Reports survive what breaks in production: a worker killed in the middle of a report, the
broker restarting under a running report, the database going away for a moment or for
longer than every retry.

Each test runs real worker processes (see ``conftest.py``) and holds its report at a gate at
the first progress step (``tests.celery_workers.ReportGate``), so that the fault strikes a
report known to be running. Without Redis these tests are skipped, unless REQUIRE_WORKER is
set (CI sets it).
"""

import json
import re
import time

import pytest

from reports.models import Report
from reports.services import request_report
from tests.celery_workers import ReportGate, finished, wait_for
from tests.factories import InitiativeFactory, UserFactory
from tests.test_api_fuzz import url_of_the_test_database

State = Report.State
VISIBILITY_TIMEOUT = 3  # seconds before the broker hands a dead worker's task out again
UNAVAILABLE = "The report could not be produced: a service it needs was unavailable."


def quick_retries(times: int) -> dict[str, str]:
    """A worker's environment for ``times`` retries after pauses of 1 s, 2 s, 4 s…"""
    return {"REPORT_RETRY_DELAY_SECONDS": "1", "REPORT_MAX_RETRIES": str(times)}


@pytest.fixture
def gate(tmp_path):
    """A closed gate: the next report a worker produces waits at its first progress step."""
    gate = ReportGate(tmp_path / "gate")
    gate.close()
    yield gate
    gate.open()


@pytest.fixture
def published_titles():
    InitiativeFactory(title="Seed banks across the border")
    InitiativeFactory(title="Farmer to farmer after the earthquake")
    InitiativeFactory(title="Not yet published", state="submitted")
    return ["Farmer to farmer after the earthquake", "Seed banks across the border"]


def ask_for_a_dataset(user) -> Report:
    """What the reports page does: record the request; its task is queued on commit."""
    report, created = request_report(
        user=user, kind="dataset", parameters={"format": "json", "filters": {}}
    )
    assert created
    return report


def held_at_the_gate(report: Report, gate: ReportGate) -> None:
    gate.wait_until_held()
    report.refresh_from_db()
    assert report.state == State.RUNNING


def report_held_behind_a_cut_database(make_worker, database_link, gate, user, *, retries: int):
    """A worker that reaches the database through ``database_link`` and retries quickly, a
    report it holds at the gate, then the link cut and the gate opened: the report goes on
    without its database. Returns the worker and the report."""
    worker = make_worker(
        gate=gate,
        database_url=database_link.routed(url_of_the_test_database()),
        environment=quick_retries(retries),
    )
    worker.start()
    report = ask_for_a_dataset(user)
    held_at_the_gate(report, gate)
    database_link.cut()
    gate.open()
    return worker, report


def stored_files(report: Report, media) -> list:
    folder = media / "reports" / str(report.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def titles_in(report: Report, media) -> list[str]:
    """The initiatives in ``report``'s one stored file."""
    [stored] = stored_files(report, media)
    return sorted(row["title"] for row in json.loads(stored.read_bytes())["initiatives"])


def pauses_before_retries(worker, task: str) -> list[int]:
    """The pauses, in seconds, that ``worker`` logged before each retry of ``task``."""
    log = worker.log.read_text(errors="replace")
    return [int(seconds) for seconds in re.findall(rf"{task}\[[^]]+\] retry: Retry in (\d+)s", log)]


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_is_killed_is_produced_once_by_another(
    make_worker, gate, published_titles, researcher, report_files
):
    # The production pool, whose main process would acknowledge the message as soon as a
    # child took it, and so lose the report with the child, unless the task acks late.
    first = make_worker(gate=gate, visibility_timeout=VISIBILITY_TIMEOUT, pool="prefork")
    first.start()
    report = ask_for_a_dataset(researcher)
    held_at_the_gate(report, gate)

    first.kill()
    gate.open()
    time.sleep(VISIBILITY_TIMEOUT + 1)  # the broker hands the task out again after this
    make_worker(visibility_timeout=VISIBILITY_TIMEOUT).start()
    wait_for(lambda: finished(report), timeout=90, what="the redelivered report")

    assert report.state == State.SUCCEEDED, report.error
    assert report.attempts == 2, "produced again from the start after the kill"
    assert Report.objects.count() == 1
    stored = stored_files(report, report_files)
    assert [path.name for path in stored] == [report.filename], "no leftover of the first try"
    assert titles_in(report, report_files) == published_titles


@pytest.mark.django_db(transaction=True)
def test_a_report_running_while_the_broker_restarts_still_succeeds(
    make_worker, private_redis, gate, published_titles, researcher, report_files
):
    # The production pool: the worker notices the broker go while a child runs the report.
    worker = make_worker(broker=private_redis.url(), gate=gate, pool="prefork")
    worker.start()
    report = ask_for_a_dataset(researcher)
    held_at_the_gate(report, gate)

    private_redis.restart()  # without persistence: the report's message is gone with it
    second = ask_for_a_dataset(UserFactory())  # while the worker is still busy
    gate.open()

    wait_for(lambda: finished(report), timeout=60, what="the report held during the restart")
    assert worker.logged("Connection to broker lost") >= 1
    assert report.state == State.SUCCEEDED, report.error
    assert report.attempts == 1, "finished by the run the restart interrupted"
    assert titles_in(report, report_files) == published_titles

    wait_for(lambda: finished(second), timeout=60, what="the report asked for after it")
    assert second.state == State.SUCCEEDED, second.error
    assert titles_in(second, report_files) == published_titles


@pytest.mark.django_db(transaction=True)
def test_a_report_is_retried_after_a_brief_database_outage(
    make_worker, database_link, gate, published_titles, researcher, report_files
):
    worker, report = report_held_behind_a_cut_database(
        make_worker, database_link, gate, researcher, retries=4
    )
    wait_for(lambda: pauses_before_retries(worker, "generate_report"), timeout=30, what="a retry")
    database_link.restore()
    wait_for(lambda: finished(report), timeout=60, what="the retried report")

    assert pauses_before_retries(worker, "generate_report")[0] == 1
    assert report.state == State.SUCCEEDED, report.error
    assert titles_in(report, report_files) == published_titles


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_longer_than_every_retry_fails_the_report_once_it_is_back(
    make_worker, database_link, gate, published_titles, researcher
):
    worker, report = report_held_behind_a_cut_database(
        make_worker, database_link, gate, researcher, retries=2
    )
    wait_for(
        lambda: pauses_before_retries(worker, "record_report_failure"),
        timeout=30,
        what="the retries to run out",
    )
    assert pauses_before_retries(worker, "generate_report") == [1, 2]
    report.refresh_from_db()
    assert report.state == State.RUNNING, "nothing can be written while the database is away"

    database_link.restore()
    wait_for(lambda: finished(report), timeout=30, what="the failure to be recorded")

    assert report.state == State.FAILED
    assert report.error == UNAVAILABLE
    assert not report.file
