"""A report produced by a real Celery worker on Redis, as in production.

The worker runs as a separate process on this test run's database, on a queue of its own
(see ``conftest.py``); what happens when processes die or restart is in
``test_report_faults.py``. Without Redis these tests are skipped, unless REQUIRE_WORKER is set
(CI sets it).
"""

import io

import openpyxl
import pytest

from reports.models import Report
from tests.celery_workers import finished, wait_for
from tests.factories import InitiativeFactory


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
