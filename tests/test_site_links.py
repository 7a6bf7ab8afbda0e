"""Absolute links — permanent links, citations, the files of reports, e-mails — point to the
portal's address: SITE_URL when it is set, otherwise the address the request that led to
them was sent to (``make run PORT=8101`` gives links to port 8101)."""

import csv
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Membership
from initiatives.models import Initiative
from reports.models import Report
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HOST = "testserver:8101"
AT_HOST = "http://testserver:8101"
SITE = "https://ssdc.example.org"
PAGE = "/initiatives/seed-banks/"
PRINT_SITE_URL = (
    "import django; django.setup(); from django.conf import settings; "
    "print(repr(settings.SITE_URL))"
)


@pytest.fixture(autouse=True)
def no_site_url(settings, tmp_path):
    """SITE_URL unset (its default), and report files in a folder of the test's own."""
    settings.SITE_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seed_banks(db):
    return InitiativeFactory(slug="seed-banks", title="Community seed banks")


def cite_section(page: str) -> str:
    return page[page.index('<section class="cite"') :].split("</section>")[0]


def test_without_site_url_the_permanent_link_and_citation_use_the_address_asked_at(
    client, seed_banks
):
    page = client.get(PAGE, headers={"host": HOST}).content.decode()

    cite = cite_section(page)
    assert f"SSDC Portal. {AT_HOST}{PAGE} (accessed " in cite
    assert f'Permanent link: <a href="{AT_HOST}{PAGE}">{AT_HOST}{PAGE}</a>' in cite


def test_with_site_url_set_the_permanent_link_uses_it_whatever_the_address(
    client, seed_banks, settings
):
    settings.SITE_URL = SITE + "/"

    page = client.get(PAGE, headers={"host": HOST}).content.decode()

    cite = cite_section(page)
    assert f"SSDC Portal. {SITE}{PAGE} (accessed " in cite
    assert f'Permanent link: <a href="{SITE}{PAGE}">{SITE}{PAGE}</a>' in cite
    assert "8101" not in cite


def test_an_address_not_in_allowed_hosts_is_refused_not_linked_to(client, seed_banks):
    response = client.get(PAGE, headers={"host": "portal.attacker.example"})

    assert response.status_code == 400
    assert b"portal.attacker.example" not in response.content


def test_the_api_list_links_to_the_address_asked_at(client, seed_banks):
    rows = client.get("/api/v1/initiatives/", headers={"host": HOST}).json()["results"]

    assert [(row["url"], row["page"]) for row in rows] == [
        (f"{AT_HOST}/api/v1/initiatives/seed-banks/", f"{AT_HOST}{PAGE}")
    ]


# Reports -------------------------------------------------------------------------------------


def dataset_files(client, run_on_commit) -> dict[str, str]:
    """Ask for a CSV data set through the API at HOST; the files of the archive, as text."""
    response = run_on_commit(
        lambda: client.post(
            "/api/v1/reports/",
            {"kind": "dataset", "format": "csv"},
            content_type="application/json",
            headers={"host": HOST},
        )
    )
    assert response.status_code == 202
    report = client.get(response["Location"], headers={"host": HOST}).json()
    assert report["state"] == "succeeded", report["error"]
    download = client.get(report["download"], headers={"host": HOST})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def pages_column(initiatives_csv: str) -> list[str]:
    return [row["page"] for row in csv.DictReader(io.StringIO(initiatives_csv))]


def test_a_data_set_asked_for_at_an_address_links_to_it(
    client, researcher, seed_banks, run_on_commit
):
    client.force_login(researcher)

    files = dataset_files(client, run_on_commit)

    assert pages_column(files["initiatives.csv"]) == [f"{AT_HOST}{PAGE}"]
    assert f"\nPortal: {AT_HOST}\n" in files["README.txt"]


def test_with_site_url_set_a_data_set_links_to_it(
    client, researcher, seed_banks, run_on_commit, settings
):
    settings.SITE_URL = SITE + "/"
    client.force_login(researcher)

    files = dataset_files(client, run_on_commit)

    assert pages_column(files["initiatives.csv"]) == [f"{SITE}{PAGE}"]
    assert f"\nPortal: {SITE}\n" in files["README.txt"]


def pdf_links(data: bytes) -> set[str]:
    links = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.add(str(action["/URI"]))
    return links


def test_a_brief_asked_for_on_the_reports_page_links_to_the_address_asked_at(
    client, researcher, seed_banks, run_on_commit
):
    client.force_login(researcher)

    response = run_on_commit(
        lambda: client.post(
            reverse("report-list"),
            {"kind": "initiative-brief", "initiative": "seed-banks"},
            headers={"host": HOST},
        )
    )

    assert response.status_code == 303
    report = Report.objects.get(requested_by=researcher)
    assert report.state == Report.State.SUCCEEDED, report.error
    download = client.get(report.get_download_url(), headers={"host": HOST})
    assert f"{AT_HOST}{PAGE}" in pdf_links(b"".join(download.streaming_content))


def test_make_report_links_to_the_site_url_option(seed_banks, tmp_path):
    output = tmp_path / "all.csv"

    call_command(
        "make_report", "dataset", "--output", str(output), "--site-url", "http://127.0.0.1:8101"
    )

    assert pages_column(output.read_text(encoding="utf-8-sig")) == [f"http://127.0.0.1:8101{PAGE}"]


def test_make_report_without_site_url_or_option_links_to_the_default_address(seed_banks, tmp_path):
    output = tmp_path / "all.csv"

    call_command("make_report", "dataset", "--output", str(output))

    assert pages_column(output.read_text(encoding="utf-8-sig")) == [f"http://127.0.0.1:8000{PAGE}"]


def test_make_report_refuses_a_site_url_option_that_site_url_would_overrule(
    seed_banks, settings, tmp_path
):
    settings.SITE_URL = SITE

    with pytest.raises(CommandError, match=f"SITE_URL is set to {SITE}"):
        call_command(
            "make_report", "dataset", "--output", str(tmp_path / "all.csv"), "--site-url", AT_HOST
        )

    assert not (tmp_path / "all.csv").exists()


# E-mails -------------------------------------------------------------------------------------


def test_moderators_are_sent_a_link_to_the_address_the_record_was_submitted_at(
    client, editor, organisation, moderator, mailoutbox, run_on_commit
):
    draft = InitiativeFactory(owner=organisation, state=Initiative.State.DRAFT)
    client.force_login(editor)

    run_on_commit(
        lambda: client.post(
            reverse("editor-initiative-submit", args=[draft.slug]), headers={"host": HOST}
        )
    )

    (message,) = mailoutbox
    assert f"\n{AT_HOST}/admin/initiatives/initiative/{draft.pk}/change/\n" in message.body


def test_an_invited_person_is_sent_links_to_the_address_they_were_invited_at(
    client, mailoutbox, run_on_commit
):
    team = OrganisationFactory(slug="rede-sementes")
    manager = MembershipFactory(organisation=team, role=Membership.Role.MANAGER).user
    client.force_login(manager)

    run_on_commit(
        lambda: client.post(
            reverse("organisation-member-invite", kwargs={"slug": team.slug}),
            {"email": "new.editor@example.org", "role": Membership.Role.EDITOR},
            headers={"host": HOST},
        )
    )

    (message,) = mailoutbox
    links = re.findall(r"https?://\S+", message.body)
    assert links
    assert all(link.startswith(f"{AT_HOST}/") for link in links), links
    assert f"{AT_HOST}/accounts/invitations/" in message.body


def test_an_email_sent_outside_any_request_links_to_site_url(
    editor, organisation, moderator, mailoutbox, run_on_commit, settings
):
    from initiatives.services import initiative_submit

    settings.SITE_URL = SITE
    draft = InitiativeFactory(owner=organisation, state=Initiative.State.DRAFT)

    run_on_commit(lambda: initiative_submit(initiative=draft, by=editor))

    (message,) = mailoutbox
    assert f"\n{SITE}/admin/initiatives/initiative/{draft.pk}/change/\n" in message.body


def test_site_url_is_empty_unless_set():
    environment = {name: value for name, value in os.environ.items() if name != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SITE_URL],
        env=environment | {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"},
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "''"
