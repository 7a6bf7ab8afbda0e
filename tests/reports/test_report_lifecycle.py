"""Producing reports: safe to run twice, honest about failures, never stuck, cleaned up;
and ``manage.py make_report`` through the same code."""

import json
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from reports import services
from reports.builders import ReportInvalid
from reports.models import Report
from reports.tasks import MAX_RETRIES, generate_report, sweep_reports
from tests.factories import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db
State = Report.State


@pytest.fixture
def report(researcher):
    InitiativeFactory(title="Seed banks")
    return Report.objects.create(
        kind="dataset", parameters={"format": "json", "filters": {}}, requested_by=researcher
    )


def files_of(report, media) -> list:
    folder = media / "reports" / str(report.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_finished_report_is_left_alone_when_its_task_comes_again(report, report_files):
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.SUCCEEDED
    finished = (report.finished_at, report.checksum, report.attempts)

    assert services.run_report(report.pk) is None
    report.refresh_from_db()
    assert (report.finished_at, report.checksum, report.attempts) == finished
    assert len(files_of(report, report_files)) == 1


def test_an_interrupted_report_is_produced_again_and_replaces_its_file(report, report_files):
    services.run_report(report.pk)
    # As if the worker died after storing the file but before recording success:
    Report.objects.filter(pk=report.pk).update(state=State.RUNNING)
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.SUCCEEDED
    assert report.attempts == 2
    assert len(files_of(report, report_files)) == 1
    assert files_of(report, report_files)[0].stat().st_size == report.size


def test_progress_is_recorded_while_running(report, monkeypatch):
    seen = []
    original = services.ProgressRecorder.__call__

    def spy(recorder, done, total):
        original(recorder, done, total)
        seen.append(Report.objects.get(pk=report.pk).progress)

    monkeypatch.setattr(services.ProgressRecorder, "INTERVAL", 0)
    monkeypatch.setattr(services.ProgressRecorder, "__call__", spy)
    services.run_report(report.pk)
    assert seen and max(seen) > 0
    assert all(value < 100 for value in seen), "100 % only once the file is stored"
    report.refresh_from_db()
    assert report.progress == 100


def test_an_unexpected_error_fails_the_report_with_a_message_and_is_logged(
    report, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(services, "produce", broken)
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.FAILED
    assert "error on our side" in report.error
    assert "a bug" not in report.error, "internals are logged, not shown"
    assert "ZeroDivisionError" in caplog.text


def test_an_invalid_file_fails_with_the_validator_messages(report, monkeypatch):
    def invalid(*args, **kwargs):
        raise ReportInvalid(["line 3: Element 'sector': missing code", "percentages sum to 90"])

    monkeypatch.setattr(services, "produce", invalid)
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.FAILED
    assert "line 3: Element 'sector': missing code" in report.error
    assert "percentages sum to 90" in report.error
    assert not report.file


def test_a_report_past_its_time_limit_fails_and_says_so(report, monkeypatch):
    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "produce", slow)
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.FAILED
    assert "took longer than the limit" in report.error


def run_as_retry(number: int, report_id: str):
    """Run the task's body as its ``number``-th retry would."""
    generate_report.push_request(retries=number)
    try:
        return generate_report.run(report_id)
    finally:
        generate_report.pop_request()


def test_a_database_outage_is_retried_with_growing_pauses_then_reported(report, monkeypatch):
    def unavailable(report_id):
        raise OperationalError("the database is restarting")

    def retry(exc, countdown):  # what the worker would do: queue it again, later
        raise Retry(exc=exc, when=countdown)

    monkeypatch.setattr(services, "run_report", unavailable)
    monkeypatch.setattr(generate_report, "retry", retry)
    pauses = []
    for number in range(MAX_RETRIES):
        with pytest.raises(Retry) as retry:
            run_as_retry(number, str(report.pk))
        pauses.append(retry.value.when)
    assert pauses == [10, 20, 40, 80, 160]
    report.refresh_from_db()
    assert report.state == State.QUEUED, "still waiting while retries remain"

    assert run_as_retry(MAX_RETRIES, str(report.pk)) == "failed"
    report.refresh_from_db()
    assert report.state == State.FAILED
    assert "unavailable" in report.error


def test_the_sweeper_fails_stuck_reports_only(researcher, settings):
    now = timezone.now()
    silent = now - timedelta(seconds=settings.REPORT_STUCK_AFTER + 5)
    stuck = Report.objects.create(
        kind="iati", requested_by=researcher, state=State.RUNNING, heartbeat_at=silent
    )
    alive = Report.objects.create(
        kind="iati", requested_by=researcher, state=State.RUNNING, heartbeat_at=now
    )
    waiting = Report.objects.create(kind="iati", requested_by=researcher)
    forgotten = Report.objects.create(kind="iati", requested_by=researcher)
    Report.objects.filter(pk=forgotten.pk).update(
        created_at=now - timedelta(seconds=settings.REPORT_QUEUED_LIMIT + 5)
    )

    assert sweep_reports.apply().get() == 2
    states = {r.pk: r.state for r in Report.objects.all()}
    assert states[stuck.pk] == states[forgotten.pk] == State.FAILED
    assert states[alive.pk] == State.RUNNING
    assert states[waiting.pk] == State.QUEUED
    assert "stopped making progress" in Report.objects.get(pk=stuck.pk).error


def test_expired_reports_and_their_files_are_deleted(report, report_files):
    services.run_report(report.pk)
    report.refresh_from_db()
    assert files_of(report, report_files)
    Report.objects.filter(pk=report.pk).update(expires_at=timezone.now())
    assert services.delete_expired_reports() == 1
    assert not Report.objects.exists()
    assert not files_of(report, report_files)


# ---- make_report ----


def make_report(*args) -> str:
    out = StringIO()
    call_command("make_report", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_make_report_writes_each_kind(tmp_path):
    InitiativeFactory(slug="seed-banks", title="Seed banks", start_year=2015)
    InitiativeFactory(title="A draft", state="draft", start_year=2015)

    make_report("dataset", "--filter", "recipient=MZ", "--output", tmp_path / "d.json")
    rows = json.loads((tmp_path / "d.json").read_text())["initiatives"]
    assert [row["title"] for row in rows] == ["Seed banks"]

    make_report("dataset", "--output", tmp_path / "d.xlsx")
    assert zipfile.is_zipfile(tmp_path / "d.xlsx")

    make_report("dataset", "--output", tmp_path / "d.csv")
    assert (tmp_path / "d.csv").read_text().startswith("slug,")
    assert (tmp_path / "d-principle-evidence.csv").exists()
    assert "CC BY 4.0" in (tmp_path / "d-README.txt").read_text()

    make_report("iati", "--output", tmp_path / "a.xml")
    assert b"<iati-activities" in (tmp_path / "a.xml").read_bytes()
    assert b"A draft" not in (tmp_path / "a.xml").read_bytes()

    make_report("initiative-brief", "--initiative", "seed-banks", "--output", tmp_path / "b.pdf")
    make_report("country-profile", "--country", "mz", "--output", tmp_path / "c.pdf")
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dataset", "--output", "x.txt"], ".csv"),
        (["iati", "--filter", "recipient=XX", "--output", "x.xml"], "recipient"),
        (["iati", "--filter", "recipient", "--output", "x.xml"], "NAME=VALUE"),
        (["initiative-brief", "--initiative", "a-draft", "--output", "x.pdf"], "initiative"),
        (["dataset", "--include-drafts", "--output", "x.json"], "Only editors"),
        (["iati", "--as", "nobody", "--output", "x.xml"], "no active user"),
    ],
)
def test_make_report_refuses_bad_requests_clearly(tmp_path, args, message):
    InitiativeFactory(slug="a-draft", state="draft")
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    with pytest.raises(CommandError, match=message):
        make_report(*args)
    assert not list(tmp_path.iterdir()), "nothing written"


def test_make_report_can_include_an_editors_drafts(tmp_path):
    membership = MembershipFactory()
    InitiativeFactory(title="Our draft", owner=membership.organisation, state="draft")
    target = tmp_path / "ours.json"
    make_report("dataset", "--as", membership.user.username, "--include-drafts", "--output", target)
    assert [r["title"] for r in json.loads(target.read_text())["initiatives"]] == ["Our draft"]


def test_an_iati_export_of_nothing_fails_with_a_plain_reason(researcher):
    report = Report.objects.create(
        kind="iati", parameters={"filters": {"recipient": ["HT"]}}, requested_by=researcher
    )
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.FAILED
    assert report.error == "No initiative matches these filters: there is nothing to export."


def test_an_iati_export_whose_records_are_all_left_out_says_why(researcher):
    InitiativeFactory(title="Undated")  # no start at all: IATI has no place for it
    report = Report.objects.create(kind="iati", parameters={}, requested_by=researcher)
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.FAILED
    assert report.error.startswith("None of the initiatives these filters select can be")
    assert "No start date is recorded" in report.error
