"""/api/v1/reports/: POST, poll, download — for the caller's own reports only."""

import pytest
from django.urls import reverse
from lxml import etree

from reports.models import Report
from tests.factories import InitiativeFactory, UserFactory, country

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/reports/"


@pytest.fixture
def api(client, researcher):
    client.force_login(researcher)
    return client


def post(client, run_on_commit, body):
    return run_on_commit(lambda: client.post(REPORTS, body, content_type="application/json"))


def test_anonymous_callers_are_told_to_authenticate(client):
    response = client.post(REPORTS, {"kind": "iati"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["status"] == response.status_code
    assert client.get(REPORTS).status_code in (401, 403)


def test_post_poll_download_an_iati_export(api, run_on_commit):
    # A start is what an IATI activity needs at the least.
    InitiativeFactory(title="In Haiti", recipient__country=country("HT"), start_year=2015)
    InitiativeFactory(title="In Mozambique", start_year=2015)
    response = post(api, run_on_commit, {"kind": "iati", "filters": {"recipient": ["HT"]}})
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    assert body["kind"] == "iati"
    assert body["parameters"] == {"filters": {"recipient": ["HT"]}}

    polled = api.get(body["url"]).json()
    assert polled["state"] == "succeeded"
    assert polled["progress"] == 100
    assert polled["rows"] == 1
    assert len(polled["checksum"]) == 64

    download = api.get(polled["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    document = etree.fromstring(b"".join(download.streaming_content))
    titles = document.xpath("//iati-activity/title/narrative/text()")
    assert titles == ["In Haiti"]


def test_an_identical_recent_request_is_handed_back(api, run_on_commit):
    InitiativeFactory()
    first = post(api, run_on_commit, {"kind": "dataset", "format": "json"})
    again = post(api, run_on_commit, {"kind": "dataset", "format": "json"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "dataset"}, "format"),
        ({"kind": "dataset", "format": "pdf"}, "format"),
        ({"kind": "initiative-brief"}, "initiative"),
        ({"kind": "initiative-brief", "initiative": "no-such-thing"}, "initiative"),
        ({"kind": "country-profile", "country": "QQ"}, "country"),
        ({"kind": "iati", "filters": {"colour": ["blue"]}}, "filters"),
        ({"kind": "iati", "filters": {"recipient": ["XX"]}}, "non_field_errors"),
        ({"kind": "iati", "include_drafts": True}, "include_drafts"),
        ({"kind": "poem"}, "kind"),
    ],
)
def test_bad_requests_are_400_with_the_field_named(api, body, field):
    response = api.post(REPORTS, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert not Report.objects.exists()


def test_callers_see_only_their_own_reports(api, researcher, run_on_commit):
    InitiativeFactory()
    mine = post(api, run_on_commit, {"kind": "dataset", "format": "json"}).json()
    other = Report.objects.create(kind="iati", requested_by=UserFactory())

    listed = api.get(REPORTS).json()["results"]
    assert [row["id"] for row in listed] == [mine["id"]]
    assert api.get(f"{REPORTS}{other.pk}/").status_code == 404
    assert api.get(f"{REPORTS}{other.pk}/download/").status_code == 404
    assert api.get(f"{REPORTS}not-a-uuid/").status_code == 404


def test_a_report_not_yet_ready_cannot_be_downloaded(api, researcher):
    report = Report.objects.create(kind="iati", requested_by=researcher, state="running")
    response = api.get(f"{REPORTS}{report.pk}/download/")
    assert response.status_code == 409
    assert "not ready" in response.json()["error"]["message"]
    assert api.get(f"{REPORTS}{report.pk}/").json()["download"] is None


def test_asking_for_reports_is_rate_limited(api, settings, run_on_commit):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "reports": "2/hour",
        },
    }
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        codes = [
            api.post(REPORTS, {"kind": "iati"}, content_type="application/json").status_code
            for _ in range(3)
        ]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes[-1] == 429
    assert api.get(REPORTS).status_code == 200, "reading is not limited by this scope"


def test_listing_reports_costs_the_same_queries_for_many(api, researcher, count_queries):
    def make(n):
        for _ in range(n):
            Report.objects.create(kind="iati", requested_by=researcher)

    make(2)
    few = count_queries(lambda: api.get(REPORTS))
    make(20)
    many = count_queries(lambda: api.get(REPORTS))
    assert few == many <= 6


def test_the_report_endpoints_are_described_in_the_openapi_document(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "post" in schema["paths"]["/api/v1/reports/"]
    assert "/api/v1/reports/{id}/download/" in schema["paths"]
