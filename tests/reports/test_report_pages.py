"""/reports/ and the buttons that lead to it: asking for a report, following it,
downloading it, and nobody else's reports ever showing."""

import csv
import html
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from initiatives.models import Initiative
from reports.models import Report
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    UserFactory,
    country,
)

pytestmark = pytest.mark.django_db
State = Report.State


def ask(client, run_on_commit, data):
    return run_on_commit(lambda: client.post(reverse("report-list"), data))


def downloaded_json(client, report) -> dict:
    response = client.get(reverse("report-download", args=[report.pk]))
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_signing_in_is_needed_to_ask_for_or_see_reports(client):
    for response in (
        client.get(reverse("report-list")),
        client.post(reverse("report-list"), {"kind": "iati"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Report.objects.exists()


def test_a_researcher_asks_for_a_data_set_and_downloads_it(client, researcher, run_on_commit):
    InitiativeFactory(title="Seed banks across the border")
    client.force_login(researcher)
    response = ask(client, run_on_commit, {"kind": "dataset", "format": "json"})
    report = Report.objects.get()
    assert response.status_code == 303
    assert response["Location"] == report.get_absolute_url()

    page = client.get(report.get_absolute_url()).content.decode()
    assert "Ready" in page
    assert reverse("report-download", args=[report.pk]) in page
    assert report.checksum in page

    download = client.get(reverse("report-download", args=[report.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    data = json.loads(b"".join(download.streaming_content))
    assert [row["title"] for row in data["initiatives"]] == ["Seed banks across the border"]


def test_the_list_exports_exactly_the_filtered_results(client, researcher, run_on_commit):
    InitiativeFactory(title="In Mozambique")
    InitiativeFactory(title="In Haiti", recipient__country=country("HT"))
    client.force_login(researcher)

    listing = client.get(reverse("initiative-list"), {"recipient": "HT"}).content.decode()
    assert 'name="recipient" value="HT" form="export-form"' in listing
    assert 'value="dataset-xlsx"' in listing and 'value="iati"' in listing

    ask(client, run_on_commit, {"export": "dataset-json", "recipient": "HT", "page": "2"})
    report = Report.objects.get()
    assert report.parameters == {"filters": {"recipient": ["HT"]}, "format": "json"}
    rows = downloaded_json(client, report)["initiatives"]
    assert [row["title"] for row in rows] == ["In Haiti"]


def test_anonymous_visitors_download_the_csv_and_are_offered_to_sign_in_for_reports(client):
    InitiativeFactory()
    listing = client.get(reverse("initiative-list")).content.decode()
    assert "Sign in for Excel, JSON and IATI XML reports" in listing
    assert 'form="export-form"' not in listing
    assert f'<a href="{reverse("api:initiative-list")}?format=csv"' in listing


def csv_link(listing: str) -> str:
    match = re.search(r'<a href="([^"]+)" class="secondary-button" download', listing)
    assert match, listing
    return html.unescape(match[1])


def csv_titles(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    return sorted(row["title"] for row in csv.DictReader(io.StringIO(body)))


def test_anyone_downloads_the_filtered_list_as_csv_with_published_records_only(client):
    haiti = {"recipient__country": country("HT")}
    InitiativeFactory(title="Seed fairs in Haiti", **haiti)
    InitiativeFactory(title="Seed banks in Haiti", **haiti)
    InitiativeFactory(title="Seed fairs in Mozambique")
    for state in (Initiative.State.DRAFT, Initiative.State.SUBMITTED):
        InitiativeFactory(title=f"Seed plans in Haiti ({state})", state=state, **haiti)

    listing = client.get(reverse("initiative-list"), {"recipient": "HT", "q": "fairs"})
    link = csv_link(listing.content.decode())

    assert link == f"{reverse('api:initiative-list')}?format=csv&q=fairs&recipient=HT"
    assert csv_titles(client.get(link)) == ["Seed fairs in Haiti"]
    # Without a search: every published record in Haiti, and still no draft.
    listing = client.get(reverse("initiative-list"), {"recipient": "HT"})
    assert csv_titles(client.get(csv_link(listing.content.decode()))) == [
        "Seed banks in Haiti",
        "Seed fairs in Haiti",
    ]


def test_the_csv_leaves_out_the_filters_the_list_could_not_apply(client):
    InitiativeFactory(title="Seed fairs in Haiti", recipient__country=country("HT"))
    listing = client.get(reverse("initiative-list"), {"recipient": "XX"}).content.decode()
    assert csv_link(listing) == f"{reverse('api:initiative-list')}?format=csv"


def test_editors_csv_has_their_own_drafts_as_the_list_does(client):
    editor = MembershipFactory().user
    organisation = editor.memberships.get().organisation
    InitiativeFactory(title="Our draft", owner=organisation, state=Initiative.State.DRAFT)
    InitiativeFactory(title="Another draft", state=Initiative.State.DRAFT)
    client.force_login(editor)

    listing = client.get(reverse("initiative-list")).content.decode()

    assert csv_titles(client.get(csv_link(listing))) == ["Our draft"]
    assert 'value="dataset-xlsx"' in listing and 'value="iati"' in listing


def test_a_bad_request_says_what_is_wrong_and_creates_nothing(client, researcher):
    client.force_login(researcher)
    response = client.post(reverse("report-list"), {"kind": "dataset"})
    assert response.status_code == 400
    assert "Choose a file format for the data set." in response.content.decode()

    response = client.post(reverse("report-list"), {"export": "iati", "recipient": "XX"})
    assert response.status_code == 400
    assert "XX" in response.content.decode()

    response = client.post(reverse("report-list"), {"kind": "country-profile", "country": "QQ"})
    assert "There is no country with the code QQ." in response.content.decode()
    assert not Report.objects.exists()


def test_reports_of_others_are_not_found_but_moderators_can_help(
    client, researcher, moderator, run_on_commit
):
    InitiativeFactory()
    client.force_login(researcher)
    ask(client, run_on_commit, {"kind": "dataset", "format": "json"})
    report = Report.objects.get()

    client.force_login(UserFactory())
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("report-download", args=[report.pk])).status_code == 404
    assert report.get_absolute_url() not in client.get(reverse("report-list")).content.decode()

    client.force_login(moderator)
    assert client.get(reverse("report-download", args=[report.pk])).status_code == 200


def test_asking_twice_hands_back_the_same_report(client, researcher, run_on_commit, settings):
    InitiativeFactory()
    client.force_login(researcher)
    first = ask(client, run_on_commit, {"kind": "dataset", "format": "xlsx"})
    second = ask(client, run_on_commit, {"kind": "dataset", "format": "xlsx"})
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1

    ask(client, run_on_commit, {"kind": "dataset", "format": "csv"})
    assert Report.objects.count() == 2, "another format is another report"

    settings.REPORT_REUSE_WINDOW = 0
    ask(client, run_on_commit, {"kind": "dataset", "format": "xlsx"})
    assert Report.objects.count() == 3, "past the window the data may have changed"


def test_progress_is_polled_until_the_report_is_finished(client, researcher):
    client.force_login(researcher)
    report = Report.objects.create(
        kind="iati", requested_by=researcher, state=State.RUNNING, progress=42
    )
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'value="42"' in page

    poll = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "42 %" in poll.content.decode()
    assert "<html" not in poll.content.decode()

    Report.objects.filter(pk=report.pk).update(state=State.FAILED, error="It broke.")
    poll = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})
    assert poll.status_code == 286, "htmx stops polling"
    assert "It broke." in poll.content.decode()
    assert "hx-trigger" not in client.get(report.get_absolute_url()).content.decode()


def test_a_failed_report_tells_its_requester_why(client, researcher, run_on_commit):
    initiative = InitiativeFactory(slug="seed-banks")
    client.force_login(researcher)

    def ask_then_unpublish():
        response = client.post(
            reverse("report-list"), {"kind": "initiative-brief", "initiative": "seed-banks"}
        )
        Initiative.objects.filter(pk=initiative.pk).update(state=Initiative.State.ARCHIVED)
        return response

    run_on_commit(ask_then_unpublish)
    report = Report.objects.get()
    assert report.state == State.FAILED
    page = client.get(report.get_absolute_url()).content.decode()
    assert "The initiative “seed-banks” is not available." in page
    assert client.get(reverse("report-download", args=[report.pk])).status_code == 404


def test_editors_may_include_their_own_drafts_and_nobody_elses(client, run_on_commit):
    membership = MembershipFactory()
    InitiativeFactory(title="Published")
    InitiativeFactory(title="Our draft", owner=membership.organisation, state="draft")
    InitiativeFactory(title="Their draft", state="submitted")
    client.force_login(membership.user)

    ask(client, run_on_commit, {"kind": "dataset", "format": "json"})
    ask(client, run_on_commit, {"kind": "dataset", "format": "json", "include_drafts": "on"})
    published_only, with_drafts = Report.objects.order_by("created_at")
    assert [r["title"] for r in downloaded_json(client, published_only)["initiatives"]] == [
        "Published"
    ]
    titles = sorted(r["title"] for r in downloaded_json(client, with_drafts)["initiatives"])
    assert titles == ["Our draft", "Published"]


def test_people_without_an_organisation_cannot_ask_for_drafts(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("report-list"), {"kind": "dataset", "format": "csv", "include_drafts": "on"}
    )
    assert response.status_code == 400
    assert "Only editors of an organisation" in response.content.decode()


def test_briefs_and_profiles_are_offered_on_their_pages(client, researcher):
    InitiativeFactory(slug="seed-banks")
    detail, profile = reverse("initiative-detail", args=["seed-banks"]), "/countries/MZ/"
    assert "Sign in to get this page as a PDF" in client.get(detail).content.decode()

    client.force_login(researcher)
    page = client.get(detail).content.decode()
    assert 'name="kind" value="initiative-brief"' in page
    assert 'name="initiative" value="seed-banks"' in page
    page = client.get(profile).content.decode()
    assert 'name="kind" value="country-profile"' in page
    assert 'name="country" value="MZ"' in page


def test_an_editor_can_get_a_brief_of_their_own_draft(client, run_on_commit):
    membership = MembershipFactory()
    InitiativeFactory(slug="our-draft", owner=membership.organisation, state="draft")
    client.force_login(membership.user)
    page = client.get(reverse("initiative-detail", args=["our-draft"])).content.decode()
    assert 'name="include_drafts" value="on"' in page

    ask(
        client,
        run_on_commit,
        {"kind": "initiative-brief", "initiative": "our-draft", "include_drafts": "on"},
    )
    assert Report.objects.get().state == State.SUCCEEDED

    client.force_login(UserFactory())
    response = client.post(
        reverse("report-list"), {"kind": "initiative-brief", "initiative": "our-draft"}
    )
    assert "There is no published initiative with this address." in response.content.decode()


def test_the_csv_export_is_a_zip_of_tables_with_a_readme(client, researcher, run_on_commit):
    InitiativeFactory()
    client.force_login(researcher)
    ask(client, run_on_commit, {"kind": "dataset", "format": "csv"})
    report = Report.objects.get()
    download = client.get(reverse("report-download", args=[report.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert {"initiatives.csv", "principle_evidence.csv", "README.txt"} <= set(archive.namelist())


def test_the_report_list_costs_the_same_queries_for_many_reports(client, researcher, count_queries):
    client.force_login(researcher)

    def make(n):
        for _ in range(n):
            Report.objects.create(kind="iati", requested_by=researcher)

    make(2)
    few = count_queries(lambda: client.get(reverse("report-list")))
    make(20)
    many = count_queries(lambda: client.get(reverse("report-list")))
    assert few == many <= 6
