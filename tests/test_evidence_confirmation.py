"""A partner's confirmation of principle evidence vouches for what the partner read: once the
evidence says something else (what happened, stance, strength, quote, principle, or its
source's citation, link or document), it is shown as not yet confirmed again, whichever way
it was changed. Saving it unchanged keeps the confirmation; the history keeps the confirmed
version."""

import json
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from initiatives.models import Initiative
from principles.models import Principle, PrincipleEvidence
from tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    ParticipationFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
)
from tests.html_forms import form_fields
from tests.test_moderation_admin import change_form_data

NARRATIVE = "Community groups chose which practices to adopt."
CONFIRMED_AT = datetime(2024, 3, 5, 12, 0, 0, 250000, tzinfo=UTC)
CONFIRMED = "Confirmed by Mozambican Peasant Union on 5 March 2024."
UNCONFIRMED = "Not yet confirmed by a second organisation."


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Mozambican Peasant Union", slug="mozambican-peasant-union")


@pytest.fixture
def evidence(organisation, partner) -> PrincipleEvidence:
    """Published evidence of ``organisation``, confirmed by its partner in the initiative."""
    initiative = InitiativeFactory(owner=organisation, title="Seed banks")
    ParticipationFactory(initiative=initiative, actor=partner)
    source = SourceFactory(
        initiative=initiative, citation="Seed bank evaluation, 2016", url="https://example.org/a"
    )
    return PrincipleEvidenceFactory(
        initiative=initiative,
        source=source,
        narrative=NARRATIVE,
        strength=PrincipleEvidence.Strength.DOCUMENTED,
        confirmation="confirmed",
        confirmed_by_organisation=partner,
        confirmed_at=CONFIRMED_AT,
    )


def public_page(client, initiative: Initiative) -> str:
    client.logout()
    response = client.get(reverse("initiative-detail", args=[initiative.slug]))
    assert response.status_code == 200
    return response.content.decode()


def api_confirmations(client, initiative: Initiative) -> list:
    client.logout()
    rows = client.get(f"/api/v1/initiatives/{initiative.slug}/").json()["principle_evidence"]
    listed = client.get("/api/v1/evidence/", {"initiative": initiative.slug}).json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    return [row["confirmed_by_organisation"] for row in rows] + [
        (row["confirmed_by_organisation"], row["confirmed_at"] and row["confirmed_at"][:10])
        for row in listed
    ]


CONFIRMED_IN_API = [
    "mozambican-peasant-union",
    ("mozambican-peasant-union", "2024-03-05"),
]
UNCONFIRMED_IN_API = [None, (None, None)]


def assert_confirmed(client, initiative: Initiative) -> None:
    assert CONFIRMED in public_page(client, initiative)
    assert api_confirmations(client, initiative) == CONFIRMED_IN_API


def assert_unconfirmed(client, initiative: Initiative) -> None:
    page = public_page(client, initiative)
    assert UNCONFIRMED in page
    assert "Confirmed by" not in page
    assert api_confirmations(client, initiative) == UNCONFIRMED_IN_API
    row = PrincipleEvidence.objects.get(initiative=initiative)
    assert (row.confirmed_by_organisation, row.confirmed_at) == (None, None)


# The editor's form ---------------------------------------------------------------------------


def edit_url(initiative: Initiative) -> str:
    return reverse("editor-initiative-edit", args=[initiative.slug])


def open_form(client, initiative: Initiative) -> dict:
    response = client.get(edit_url(initiative))
    assert response.status_code == 200
    return form_fields(response.content.decode(), "editor-form")


def test_the_fixture_shows_the_confirmation(client, evidence):
    assert_confirmed(client, evidence.initiative)


def test_saving_the_form_unchanged_keeps_the_confirmation(client, editor, evidence):
    client.force_login(editor)
    form = open_form(client, evidence.initiative)
    form["title"] = "Community seed banks"

    assert client.post(edit_url(evidence.initiative), form).status_code == 302

    assert_confirmed(client, evidence.initiative)


CHANGES = {
    "what happened": {"evidence-0-narrative": "Farmers' groups ran the seed banks."},
    "stance": {"evidence-0-stance": "challenges"},
    "strength": {"evidence-0-strength": "3"},
    "quote": {"evidence-0-quote": "We chose the seeds ourselves."},
    "source's citation": {"sources-0-citation": "Seed bank evaluation, revised 2017"},
    "source's link": {"sources-0-url": "https://example.org/b"},
}


@pytest.mark.parametrize("change", CHANGES, ids=str)
def test_changing_confirmed_evidence_in_the_form_withdraws_the_confirmation(
    client, editor, evidence, change
):
    client.force_login(editor)
    form = open_form(client, evidence.initiative)
    form.update(CHANGES[change])

    assert client.post(edit_url(evidence.initiative), form).status_code == 302

    assert_unconfirmed(client, evidence.initiative)


def test_another_principle_withdraws_the_confirmation(client, editor, evidence):
    client.force_login(editor)
    form = open_form(client, evidence.initiative)
    form["evidence-0-principle"] = str(Principle.objects.get(slug="results").pk)

    assert client.post(edit_url(evidence.initiative), form).status_code == 302

    assert_unconfirmed(client, evidence.initiative)


def test_a_new_document_for_the_source_withdraws_the_confirmation(
    client, editor, evidence, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    form = open_form(client, evidence.initiative)
    form["sources-0-document"] = SimpleUploadedFile(
        "evaluation.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    )

    response = client.post(edit_url(evidence.initiative), form)

    assert response.status_code == 302, response.context["formsets"]["sources"].errors
    assert_unconfirmed(client, evidence.initiative)


def test_the_history_keeps_the_confirmed_version(client, editor, evidence, partner):
    client.force_login(editor)
    form = open_form(client, evidence.initiative)
    client.post(edit_url(evidence.initiative), form)  # saved as confirmed
    form = open_form(client, evidence.initiative)
    form["evidence-0-narrative"] = "Farmers' groups ran the seed banks."
    client.post(edit_url(evidence.initiative), form)

    versions = Version.objects.get_for_object(evidence).order_by("revision__date_created", "pk")
    history = [
        (fields["narrative"], fields["confirmed_by_organisation"])
        for fields in (json.loads(version.serialized_data)[0]["fields"] for version in versions)
    ]
    assert history == [(NARRATIVE, partner.pk), ("Farmers' groups ran the seed banks.", None)]


# The write API -------------------------------------------------------------------------------


def evidence_rows(evidence: PrincipleEvidence, **changes) -> list[dict]:
    """The record's evidence as a client sends it back: the whole list, which replaces it."""
    row = {
        "principle": evidence.principle.slug,
        "stance": evidence.stance,
        "strength": evidence.strength,
        "narrative": evidence.narrative,
        "source": evidence.source_id,
    }
    return [{**row, **changes}]


def patch(client, user, initiative: Initiative, body: dict):
    client.force_login(user)
    initiative.refresh_from_db()
    response = client.patch(
        f"/api/v1/initiatives/{initiative.slug}/",
        body,
        content_type="application/json",
        headers={"if-match": f'"v{initiative.version}"'},
    )
    assert response.status_code == 200, response.json()
    return response


def test_sending_the_same_evidence_through_the_api_keeps_the_confirmation(client, editor, evidence):
    patch(client, editor, evidence.initiative, {"evidence": evidence_rows(evidence)})

    assert_confirmed(client, evidence.initiative)
    row = PrincipleEvidence.objects.get(initiative=evidence.initiative)
    assert (row.recorded_by_organisation, row.narrative) == (
        evidence.recorded_by_organisation,
        NARRATIVE,
    )


def test_a_change_to_other_fields_through_the_api_keeps_the_confirmation(client, editor, evidence):
    patch(client, editor, evidence.initiative, {"title": "Community seed banks"})

    assert_confirmed(client, evidence.initiative)


@pytest.mark.parametrize(
    "change",
    [
        {"narrative": "Farmers' groups ran the seed banks."},
        {"stance": "challenges"},
        {"strength": 3},
        {"narrative": "Farmers' groups ran the seed banks.", "strength": 1},
    ],
    ids=["narrative", "stance", "strength", "narrative and strength"],
)
def test_changing_confirmed_evidence_through_the_api_withdraws_the_confirmation(
    client, editor, evidence, change
):
    patch(client, editor, evidence.initiative, {"evidence": evidence_rows(evidence, **change)})

    assert_unconfirmed(client, evidence.initiative)


def test_changing_the_source_through_the_api_withdraws_the_confirmation(client, editor, evidence):
    other = SourceFactory(initiative=evidence.initiative, citation="Annual report, 2015")

    patch(
        client, editor, evidence.initiative, {"evidence": evidence_rows(evidence, source=other.pk)}
    )

    assert_unconfirmed(client, evidence.initiative)


# The admin -----------------------------------------------------------------------------------


def admin_change(client, initiative: Initiative, **changes):
    url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    data = change_form_data(client, initiative)
    # The date and time of a confirmation are two inputs on the page.
    del data["principle_evidence-0-confirmed_at"]
    confirmed_at = timezone.localtime(CONFIRMED_AT)
    data["principle_evidence-0-confirmed_at_0"] = confirmed_at.date().isoformat()
    data["principle_evidence-0-confirmed_at_1"] = confirmed_at.strftime("%H:%M:%S")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]


def test_a_moderator_changing_confirmed_evidence_withdraws_the_confirmation(
    client, moderator, evidence
):
    client.force_login(moderator)

    admin_change(
        client,
        evidence.initiative,
        **{"principle_evidence-0-narrative": "Corrected by a moderator."},
    )

    assert_unconfirmed(client, evidence.initiative)


def test_a_moderator_saving_the_record_unchanged_keeps_the_confirmation(
    client, moderator, evidence
):
    client.force_login(moderator)

    admin_change(client, evidence.initiative, summary="A corrected summary.")

    assert_confirmed(client, evidence.initiative)


def test_a_moderator_may_record_a_new_confirmation_with_the_change(
    client, moderator, evidence, partner
):
    client.force_login(moderator)

    admin_change(
        client,
        evidence.initiative,
        **{
            "principle_evidence-0-narrative": "Corrected with the partner.",
            "principle_evidence-0-confirmed_at_0": "2024-04-01",
            "principle_evidence-0-confirmed_at_1": "09:30:00",
        },
    )

    row = PrincipleEvidence.objects.get(initiative=evidence.initiative)
    assert (row.narrative, row.confirmed_by_organisation) == (
        "Corrected with the partner.",
        partner,
    )
    assert timezone.localtime(row.confirmed_at).date().isoformat() == "2024-04-01"
