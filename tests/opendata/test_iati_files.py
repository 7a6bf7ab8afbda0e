"""The public IATI files: built in the background from published records only, validated
before they replace the previous ones, served with validators for conditional requests, and
described for a publisher on ``/data/`` and in ``registry.json``."""

import io
import re
from email.utils import parsedate_to_datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from initiatives.models import Initiative
from initiatives.services import initiative_approve, initiative_archive, initiative_save
from opendata.iati import files, tasks
from opendata.iati.activities import PORTAL_NS, write_activities
from opendata.iati.organisation import organisations_schema
from opendata.iati.validation import validate_iati
from tests.factories import (
    InitiativeFactory,
    ModeratorFactory,
    OrganisationFactory,
    initiative_with_every_row,
)

pytestmark = pytest.mark.django_db
State = Initiative.State
SITE = "https://ssdc.example.org"


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def records():
    """Two organisations; one has a record in every moderation state, the other one
    published record."""
    first, second = OrganisationFactory(slug="first"), OrganisationFactory(slug="second")
    made = {
        state: InitiativeFactory(start_year=2020, owner=first, slug=f"first-{state}", state=state)
        for state in State.values
    }
    made["other"] = InitiativeFactory(start_year=2020, owner=second, slug="second-published")
    return made


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def slugs_in(xml: bytes) -> set[str]:
    """The slugs of the initiatives in an activities file (identifiers are ref-slug)."""
    root = etree.fromstring(xml)
    return {
        identifier.removeprefix(activity.find("reporting-org").get("ref") + "-")
        for activity in root.iter("iati-activity")
        for identifier in [activity.findtext("iati-identifier")]
    }


def test_the_activities_file_holds_every_published_record_and_nothing_else(client, records):
    files.iati_files_build()

    response = client.get(reverse("iati-activities"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    content = body(response)
    assert validate_iati(io.BytesIO(content)) == []
    assert slugs_in(content) == {"first-published", "second-published"}
    for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ARCHIVED):
        assert f"first-{state}".encode() not in content
        assert records[state].title.encode() not in content


def test_a_record_with_every_part_builds_valid_files(client):
    initiative = initiative_with_every_row()

    registry = files.iati_files_build()

    assert registry.activities == 1
    content = body(client.get(reverse("iati-activities")))
    assert validate_iati(io.BytesIO(content)) == []
    assert slugs_in(content) == {initiative.slug}
    own = reverse("iati-organisation-activities", args=[initiative.owner.slug])
    assert slugs_in(body(client.get(own))) == {initiative.slug}


def test_each_publishing_organisation_has_its_own_file(client, records):
    drafts_only = OrganisationFactory(slug="drafts-only")
    InitiativeFactory(start_year=2020, owner=drafts_only, state=State.DRAFT, slug="hidden-draft")
    files.iati_files_build()

    first = body(client.get(reverse("iati-organisation-activities", args=["first"])))
    second = body(client.get(reverse("iati-organisation-activities", args=["second"])))

    assert slugs_in(first) == {"first-published"}
    assert slugs_in(second) == {"second-published"}
    assert validate_iati(io.BytesIO(first)) == []
    # An organisation with nothing published has no file, as one that does not exist.
    for slug in ("drafts-only", "no-such-organisation"):
        response = client.get(reverse("iati-organisation-activities", args=[slug]))
        assert response.status_code == 404
        assert b"hidden-draft" not in body(response)


def test_the_organisation_file_describes_the_reporting_organisation(client, settings, records):
    settings.IATI_REPORTING_ORG_REF = "XM-DAC-0000-DEMO"
    settings.IATI_REPORTING_ORG_NAME = "SSDC Portal (demo)"
    files.iati_files_build()

    response = client.get(reverse("iati-organisation"))

    document = etree.fromstring(body(response))
    assert organisations_schema().validate(document), organisations_schema().error_log
    assert document.get("version") == "2.03"
    organisation = document.find("iati-organisation")
    assert organisation.findtext("organisation-identifier") == "XM-DAC-0000-DEMO"
    assert organisation.findtext("name/narrative") == "SSDC Portal (demo)"
    assert organisation.find("reporting-org").get("ref") == "XM-DAC-0000-DEMO"


def test_the_files_answer_conditional_requests(client, records):
    files.iati_files_build()
    url = reverse("iati-activities")

    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    assert parsedate_to_datetime(last_modified).tzinfo is not None
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    head = client.head(url)
    assert head.status_code == 200
    assert head["ETag"] == etag


def test_a_new_build_changes_the_validators_and_keeps_one_previous_build(client, records):
    url = reverse("iati-activities")
    files.iati_files_build()
    before = client.get(url)["ETag"]
    InitiativeFactory(start_year=2020, slug="newly-published", owner=records["other"].owner)
    files.iati_files_build()
    files.iati_files_build()

    after = client.get(url)

    assert after["ETag"] != before
    assert b"newly-published" in body(after)
    assert client.get(url, headers={"If-None-Match": before}).status_code == 200
    assert len(list((files._root() / "builds").iterdir())) == files.KEPT_BUILDS


def test_before_the_first_build_the_files_answer_503_with_retry_after(client, records):
    for name in ("iati-activities", "iati-organisation", "iati-registry"):
        response = client.get(reverse(name))
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
    page = client.get(reverse("iati-activities"))
    assert b"have not been built yet" in page.content


def test_an_invalid_build_keeps_the_previous_files_and_alerts_moderators(
    client, records, monkeypatch
):
    ModeratorFactory(email="moderadora@example.org", language="es")
    ModeratorFactory(email="moderator@example.org", language="en")
    files.iati_files_build()
    url = reverse("iati-activities")
    published = client.get(url)
    InitiativeFactory(start_year=2020, slug="broken-record", owner=records["other"].owner)
    monkeypatch.setattr(files, "validate_iati", lambda path: ["line 7: an element is missing"])

    assert tasks.build_iati_files() == ""

    again = client.get(url)
    assert again["ETag"] == published["ETag"]
    content = body(again)
    assert content == body(published)
    assert b"broken-record" not in content
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"moderadora@example.org", "moderator@example.org"}
    spanish, english = by_address["moderadora@example.org"], by_address["moderator@example.org"]
    assert "IATI" in spanish.subject and spanish.subject != english.subject
    assert "line 7: an element is missing" in spanish.body
    assert "were not updated" in english.subject
    # The same problems again: moderators are not told twice.
    assert tasks.build_iati_files() == ""
    assert len(mail.outbox) == 2
    # Moderators also see it on /data/; visitors do not.
    assert "line 7: an element is missing" not in client.get(reverse("data-home")).content.decode()
    client.force_login(ModeratorFactory())
    assert "line 7: an element is missing" in client.get(reverse("data-home")).content.decode()


def test_a_first_build_that_fails_leaves_the_files_unavailable(client, records, monkeypatch):
    monkeypatch.setattr(files, "validate_iati", lambda path: ["line 2: no activity"])

    assert tasks.build_iati_files() == ""

    assert client.get(reverse("iati-activities")).status_code == 503
    assert client.get(reverse("iati-registry")).status_code == 503
    client.force_login(ModeratorFactory())
    assert "line 2: no activity" in client.get(reverse("data-home")).content.decode()


def test_the_command_builds_the_files_and_fails_on_an_invalid_build(records, monkeypatch):
    out = io.StringIO()
    call_command("build_iati_files", stdout=out)
    assert "2 activities, 2 organisation files, 0 initiatives left out" in out.getvalue()

    monkeypatch.setattr(files, "validate_iati", lambda path: ["line 1: bad"])
    with pytest.raises(CommandError, match="line 1: bad"):
        call_command("build_iati_files", stdout=io.StringIO())
    assert files.current_registry().activities == 2


# The background rebuild


@pytest.fixture
def queued(monkeypatch):
    """With a broker: the builds queued (their delays), instead of running them."""
    monkeypatch.setattr(tasks, "has_worker", lambda: True)
    delays = []
    monkeypatch.setattr(
        tasks.build_iati_files,
        "apply_async",
        lambda kwargs, countdown: delays.append((countdown, kwargs["site_url"])),
    )
    return delays


def test_a_burst_of_changes_to_published_records_queues_one_build(
    records, moderator, queued, django_capture_on_commit_callbacks
):
    submitted = [InitiativeFactory(start_year=2020, state=State.SUBMITTED) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for initiative in submitted:
            initiative_approve(initiative=initiative, by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        initiative_archive(initiative=records[State.PUBLISHED], by=moderator)

    assert queued == [(tasks.BUILD_DELAY, SITE)]

    # The build starts: a change made from then on queues the next one.
    tasks.build_iati_files.run(site_url=SITE)
    with django_capture_on_commit_callbacks(execute=True):
        initiative_save(
            initiative=records["other"],
            by=moderator,
            expected_version=records["other"].version,
        )
    assert len(queued) == 2
    assert files.current_registry().activities == 4


def test_changes_to_unpublished_records_queue_nothing(
    records, editor, queued, django_capture_on_commit_callbacks
):
    organisation = editor.memberships.get().organisation
    draft = InitiativeFactory(start_year=2020, owner=organisation, state=State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        initiative_save(initiative=draft, by=editor, expected_version=draft.version)
    assert queued == []


def test_without_a_broker_nothing_is_built_while_a_request_is_answered(
    records, moderator, django_capture_on_commit_callbacks
):
    submitted = InitiativeFactory(start_year=2020, state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        initiative_approve(initiative=submitted, by=moderator)
    assert files.current_registry() is None


def test_a_periodic_check_queues_a_build_when_data_moved(records, queued):
    assert tasks.refresh_stale_iati_files() is True  # never built
    tasks.build_iati_files.run()
    assert tasks.refresh_stale_iati_files() is False
    InitiativeFactory(start_year=2020, slug="new-one")
    assert tasks.refresh_stale_iati_files() is True


# What a publisher registers


@pytest.fixture
def one_left_out(monkeypatch, records):
    """The writer leaves out the other organisation's record, with a reason."""

    def writing(initiatives, out, *, left_out, **options):
        kept = initiatives.exclude(pk=records["other"].pk)
        if initiatives.filter(pk=records["other"].pk).exists():
            left_out.append((records["other"], "no start date was recorded"))
        return write_activities(kept, out, left_out=left_out, **options)

    monkeypatch.setattr(files, "write_activities", writing)


def test_the_registry_json_says_what_a_publisher_registers(client, settings, records, one_left_out):
    settings.DATA_LICENCE = "CC BY 4.0"
    files.iati_files_build()

    data = client.get(reverse("iati-registry")).json()

    assert data["licence"] == "CC BY 4.0"
    assert data["iati_version"] == "2.03"
    assert data["reporting_org"]["ref"] == settings.IATI_REPORTING_ORG_REF
    assert data["activities"] == 1
    urls = {row["url"]: row for row in data["files"]}
    assert set(urls) == {
        f"{SITE}/data/iati/activities.xml",
        f"{SITE}/data/iati/organisation.xml",
        f"{SITE}/data/iati/organisations/first/activities.xml",
    }
    assert urls[f"{SITE}/data/iati/organisations/first/activities.xml"]["activities"] == 1
    # Every record of the second organisation is left out: the schema allows no empty file.
    second = reverse("iati-organisation-activities", args=["second"])
    assert client.get(second).status_code == 404
    assert data["left_out_count"] == 1
    assert data["left_out"] == [
        {
            "url": f"{SITE}/initiatives/second-published/",
            "title": records["other"].title,
            "organisation": records["other"].owner.name,
            "reason": "no start date was recorded",
        }
    ]
    assert data["namespace"] == {"uri": PORTAL_NS, "documentation": f"{SITE}/data/iati/ns/1/"}
    assert data["languages"] == ["en"]
    for row in data["files"]:
        served = client.get(row["url"].removeprefix(SITE))
        assert served["ETag"] == f'"{row["sha256"]}"'


def test_the_data_page_lists_the_files_and_what_was_left_out(client, one_left_out, records):
    files.iati_files_build()

    page = client.get(reverse("data-home")).content.decode()

    assert 'href="#data-iati"' in page
    assert f'href="{SITE}/data/iati/activities.xml"' in page
    assert f'href="{SITE}/data/iati/organisations/first/activities.xml"' in page
    assert f'href="{SITE}/data/iati/registry.json"' in page
    assert "1 activity" in page
    assert records["other"].title in page
    assert "no start date was recorded" in page
    assert "CC BY 4.0" in page
    assert records[State.DRAFT].title not in page


def test_the_data_page_says_when_the_files_are_not_built_yet(client, records):
    page = client.get(reverse("data-home")).content.decode()
    assert "have not been built yet" in page


# The namespace


def test_the_namespace_page_documents_every_element_and_attribute_the_files_use(client):
    initiative = initiative_with_every_row()
    out = io.BytesIO()
    write_activities(Initiative.objects.filter(pk=initiative.pk), out)
    root = etree.fromstring(out.getvalue())
    used = {}
    for element in root.iter(f"{{{PORTAL_NS}}}*"):
        name = etree.QName(element).localname
        used.setdefault(name, set()).update(
            attribute for attribute in element.attrib if not attribute.startswith("{")
        )
    assert {"cooperation-type", "principle-evidence", "lesson"} <= set(used)

    page = client.get(reverse("iati-namespace")).content.decode()

    assert PORTAL_NS in page
    for name, attributes in used.items():
        assert f'id="ssdc-{name}"' in page, name
        for attribute in attributes:
            assert f"<code>@{attribute}</code>" in page, f"{name}/@{attribute}"


def test_the_namespace_uri_leads_to_its_page(client):
    response = client.get("/ns/iati-extension/1")
    assert response.status_code == 302
    assert response["Location"] == reverse("iati-namespace")


@pytest.mark.parametrize("language", ["es", "pt-br", "fr"])
def test_the_iati_section_of_the_data_page_is_in_the_page_language(
    client, settings, one_left_out, records, moderator, monkeypatch, language
):
    from lxml import html as lxml_html

    from ssdc_portal.languages import path_in_language
    from tests.test_page_languages import english_messages_in

    # The reporting organisation's name is configuration, not a message of the interface.
    settings.IATI_REPORTING_ORG_NAME = "Rede Sul-Sul"
    files.iati_files_build()
    monkeypatch.setattr(files, "validate_iati", lambda path: ["line 1: bad"])
    tasks.build_iati_files()  # moderators see the failure notice too
    client.force_login(moderator)

    response = client.get(path_in_language(reverse("data-home"), language))

    document = lxml_html.fromstring(response.content.decode())
    section = document.get_element_by_id("data-iati")
    assert section is not None
    found = english_messages_in(document, language)
    assert not found, "\n".join(found)
