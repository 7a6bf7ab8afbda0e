"""An editor of an organisation taking part in another organisation's initiative confirms
its principle evidence, or disputes it with a note, on /my/confirmations/ — no moderator
needed. The owner's editors are told by e-mail in their own language; every surface shows
the state; a later change to the evidence makes it unconfirmed again."""

import re

import pytest
from django.urls import reverse

from initiatives.models import Initiative, Participation
from principles.models import Principle, PrincipleEvidence
from principles.services import evidence_answer
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    PrincipleEvidenceFactory,
    UserFactory,
)
from tests.html_forms import form_fields
from tests.reports.test_dataset_export import export, read_csv
from tests.test_evidence_confirmation import evidence_rows, patch

URL = "/my/confirmations/"
NARRATIVE = "The unions of farmers chose the seed varieties."
OTHER = "The ministry took part in every planning meeting."
NOTE = "The ministry attended only the first meeting."
Confirmation = PrincipleEvidence.Confirmation


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Mozambican Peasant Union", slug="unac")


@pytest.fixture
def partner_editor(partner):
    return MembershipFactory(organisation=partner, user__username="amina").user


@pytest.fixture
def initiative(organisation, partner) -> Initiative:
    """``organisation``'s published record, in which ``partner`` takes part."""
    initiative = InitiativeFactory(owner=organisation, title="Community seed banks")
    ParticipationFactory(initiative=initiative, actor=partner, role=Participation.Role.PARTNER)
    return initiative


@pytest.fixture
def evidence(initiative) -> PrincipleEvidence:
    return PrincipleEvidenceFactory(initiative=initiative, narrative=NARRATIVE)


@pytest.fixture
def other_evidence(initiative) -> PrincipleEvidence:
    return PrincipleEvidenceFactory(
        initiative=initiative,
        principle=Principle.objects.get(slug="inclusive-partnerships"),
        narrative=OTHER,
    )


def answer(client, evidence: PrincipleEvidence, choice: str, note: str = ""):
    return client.post(URL, {"evidence": evidence.pk, "answer": choice, "note": note})


def state_of(evidence: PrincipleEvidence) -> tuple:
    evidence.refresh_from_db()
    return (
        evidence.confirmation,
        evidence.confirmed_by_organisation_id,
        evidence.confirmed_by_id,
        evidence.confirmation_note,
    )


UNCONFIRMED = (Confirmation.UNCONFIRMED, None, None, "")


def public_text(client, initiative: Initiative) -> str:
    client.logout()
    html = client.get(initiative.get_absolute_url()).content.decode()
    return re.sub(r"\s+", " ", html)


# Who may answer -------------------------------------------------------------------------------


def test_a_partner_confirms_evidence(client, partner_editor, partner, evidence):
    client.force_login(partner_editor)

    response = answer(client, evidence, "confirmed")

    assert response.status_code == 302
    assert response["Location"] == f"{URL}#evidence-{evidence.pk}"
    assert state_of(evidence) == (Confirmation.CONFIRMED, partner.pk, partner_editor.pk, "")
    page = re.sub(r"\s+", " ", client.get(URL).content.decode())
    assert "You confirmed the evidence; its owner is told." in page
    assert "Confirmed by Mozambican Peasant Union on" in page
    assert "Confirmed by Mozambican Peasant Union on" in public_text(client, evidence.initiative)


def test_a_partner_disputes_evidence_with_a_note(client, partner_editor, partner, evidence):
    client.force_login(partner_editor)

    response = answer(client, evidence, "disputed", f"  {NOTE}  ")

    assert response.status_code == 302
    assert state_of(evidence) == (Confirmation.DISPUTED, partner.pk, partner_editor.pk, NOTE)
    text = public_text(client, evidence.initiative)
    assert "Disputed by Mozambican Peasant Union on" in text
    assert f"<q>{NOTE}</q>" in text.replace("&#x27;", "'")


@pytest.mark.parametrize("note", ["", "   "], ids=["empty", "blank"])
def test_a_dispute_needs_a_note(client, partner_editor, evidence, note):
    client.force_login(partner_editor)

    response = answer(client, evidence, "disputed", note)

    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Say what you dispute: a note is needed.") == 2  # summary and field
    assert f'id="evidence-{evidence.pk}-note_error"' in html
    assert state_of(evidence) == UNCONFIRMED


def test_a_partner_may_confirm_a_disputed_row_later(client, partner_editor, partner, evidence):
    client.force_login(partner_editor)
    answer(client, evidence, "disputed", NOTE)

    answer(client, evidence, "confirmed", "ignored when confirming")

    assert state_of(evidence) == (Confirmation.CONFIRMED, partner.pk, partner_editor.pk, "")


def owner_editor(organisation, partner):
    return organisation.memberships.get().user


def stranger(organisation, partner):
    return MembershipFactory().user


def member_without_organisation(organisation, partner):
    return UserFactory()


@pytest.mark.parametrize(
    "who", [owner_editor, stranger, member_without_organisation], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("choice", ["confirmed", "disputed"])
def test_only_a_partner_may_answer(client, organisation, partner, evidence, who, choice):
    client.force_login(who(organisation, partner))

    response = answer(client, evidence, choice, NOTE)

    assert response.status_code == 404
    assert state_of(evidence) == UNCONFIRMED


def test_the_organisation_that_recorded_the_evidence_may_not_confirm_it(
    client, partner, partner_editor, initiative
):
    recorded = PrincipleEvidenceFactory(initiative=initiative, recorded_by_organisation=partner)
    client.force_login(partner_editor)

    assert answer(client, recorded, "confirmed").status_code == 404
    assert state_of(recorded) == UNCONFIRMED
    page = client.get(URL).content.decode()
    assert "Recorded by your organisation: another partner may confirm it." in page


def test_an_anonymous_visitor_is_asked_to_sign_in(client, evidence):
    response = answer(client, evidence, "confirmed")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert state_of(evidence) == UNCONFIRMED


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999", "1e3"])
def test_an_evidence_id_that_names_nothing_is_not_found(client, partner_editor, evidence, value):
    client.force_login(partner_editor)

    response = client.post(URL, {"evidence": value, "answer": "confirmed"})

    assert response.status_code == 404


def test_the_evidence_of_another_initiative_cannot_be_answered(
    client, partner_editor, evidence, organisation
):
    """The partner takes part in one record of the owner, not in this other one."""
    elsewhere = PrincipleEvidenceFactory(initiative=InitiativeFactory(owner=organisation))
    client.force_login(partner_editor)

    assert answer(client, elsewhere, "confirmed").status_code == 404
    assert state_of(elsewhere) == UNCONFIRMED


# The page -----------------------------------------------------------------------------------


def test_the_page_lists_evidence_by_initiative_with_a_form_per_row(
    client, partner_editor, evidence, other_evidence
):
    client.force_login(partner_editor)

    html = client.get(URL).content.decode()

    assert '<h2 id="initiative-' in html and "Community seed banks" in html
    assert NARRATIVE in html and OTHER in html
    for row in (evidence, other_evidence):
        start = html.index(f'<li id="evidence-{row.pk}">')
        fields = form_fields(html[start : html.index("</li>", start)], "answer-form")
        fields.pop("csrfmiddlewaretoken")
        assert fields == {"evidence": str(row.pk), "note": ""}
        assert f'<label for="evidence-{row.pk}-note">What do you dispute?</label>' in html
    assert html.count("Not yet confirmed by a second organisation.") == 2


def test_the_page_shows_a_draft_to_its_partners_only(client, organisation, partner, evidence):
    draft = InitiativeFactory(
        owner=organisation, title="Seed fairs in preparation", state=Initiative.State.DRAFT
    )
    ParticipationFactory(initiative=draft, actor=partner, role=Participation.Role.FUNDING)
    PrincipleEvidenceFactory(initiative=draft, narrative="Draft evidence of the seed fairs.")
    partner_user = MembershipFactory(organisation=partner).user
    client.force_login(partner_user)
    assert "Draft evidence of the seed fairs." in client.get(URL).content.decode()

    client.force_login(MembershipFactory().user)
    html = client.get(URL).content.decode()
    assert "Seed fairs" not in html
    assert "None of your organisations takes part" in html


def test_the_nav_and_the_dashboard_link_to_the_page(client, partner_editor):
    client.force_login(partner_editor)

    html = client.get(reverse("editor-dashboard")).content.decode()

    assert html.count(f'href="{URL}"') == 2


def test_the_page_makes_the_same_queries_for_2_or_20_rows(
    client, partner_editor, initiative, organisation, partner, count_queries
):
    client.force_login(partner_editor)
    principles = ["ownership", "results", "inclusive-partnerships", "transparency"]

    def add_initiative_with_evidence():
        record = InitiativeFactory(owner=organisation)
        ParticipationFactory(initiative=record, actor=partner)
        for slug in principles[:2]:
            PrincipleEvidenceFactory(initiative=record, principle=Principle.objects.get(slug=slug))

    add_initiative_with_evidence()
    small = count_queries(lambda: client.get(URL))
    for _ in range(9):
        add_initiative_with_evidence()
    large = count_queries(lambda: client.get(URL))

    assert small == large
    assert client.get(URL).content.decode().count('name="answer" value="disputed"') == 20


# Changes make it unconfirmed again ----------------------------------------------------------


@pytest.mark.parametrize("choice", ["confirmed", "disputed"])
@pytest.mark.parametrize(
    "change",
    [
        {"evidence-0-narrative": "The unions chose the varieties with the ministry."},
        {"evidence-0-stance": "challenges"},
        {"evidence-0-strength": "1", "evidence-0-quote": "We chose."},
    ],
    ids=["narrative", "stance", "quote"],
)
def test_a_change_to_answered_evidence_makes_it_unconfirmed(
    client, editor, partner_editor, evidence, choice, change
):
    client.force_login(partner_editor)
    answer(client, evidence, choice, NOTE)
    client.force_login(editor)
    url = reverse("editor-initiative-edit", args=[evidence.initiative.slug])
    form = form_fields(client.get(url).content.decode(), "editor-form")
    form.update(change)

    assert client.post(url, form).status_code == 302

    assert state_of(evidence) == UNCONFIRMED
    assert "Not yet confirmed by a second organisation." in public_text(client, evidence.initiative)


def test_the_owner_sees_the_state_on_the_editor_page(client, editor, partner_editor, evidence):
    client.force_login(partner_editor)
    answer(client, evidence, "disputed", NOTE)
    client.force_login(editor)

    html = client.get(reverse("editor-initiative-edit", args=[evidence.initiative.slug]))

    text = re.sub(r"\s+", " ", html.content.decode())
    assert "Disputed by Mozambican Peasant Union on" in text
    assert NOTE in text


# The owner is told ----------------------------------------------------------------------------


def test_the_owners_editors_are_told_in_their_language(
    client, organisation, partner_editor, evidence, mailoutbox, run_on_commit
):
    portuguese = organisation.memberships.get().user
    portuguese.language = "pt-br"
    portuguese.save()
    french = MembershipFactory(organisation=organisation, user__language="fr").user
    client.force_login(partner_editor)

    run_on_commit(lambda: answer(client, evidence, "disputed", NOTE))

    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {portuguese.email, french.email}
    assert by_address[portuguese.email].subject == (
        "Mozambican Peasant Union contesta evidências de “Community seed banks”"
    )
    assert by_address[french.email].subject == (
        "Mozambican Peasant Union conteste des éléments probants de "
        "«\u00a0Community seed banks\u00a0»"
    )
    assert NOTE in by_address[french.email].body
    edit = reverse("editor-initiative-edit", args=[evidence.initiative.slug])
    assert edit in by_address[french.email].body


def test_a_confirmation_is_announced_in_english_by_default(
    client, organisation, partner_editor, evidence, mailoutbox, run_on_commit
):
    client.force_login(partner_editor)

    run_on_commit(lambda: answer(client, evidence, "confirmed"))

    assert [message.subject for message in mailoutbox] == [
        "Mozambican Peasant Union confirms evidence of “Community seed banks”"
    ]


# Every surface shows the state ---------------------------------------------------------------


@pytest.fixture
def answered(client, partner_editor, evidence, other_evidence):
    """``evidence`` confirmed, ``other_evidence`` disputed."""
    client.force_login(partner_editor)
    answer(client, evidence, "confirmed")
    answer(client, other_evidence, "disputed", NOTE)
    client.logout()
    return evidence, other_evidence


def test_the_api_shows_the_confirmation(client, answered, partner):
    confirmed, disputed = answered

    rows = client.get("/api/v1/evidence/", {"initiative": confirmed.initiative.slug}).json()
    rows = {row["id"]: row for row in rows["results"]}
    detail = client.get(f"/api/v1/initiatives/{confirmed.initiative.slug}/").json()

    assert rows[confirmed.pk]["confirmation"]["state"] == "confirmed"
    assert rows[confirmed.pk]["confirmation"]["organisation"] == "unac"
    assert rows[confirmed.pk]["confirmed_by_organisation"] == "unac"
    assert rows[disputed.pk]["confirmation"] == {
        "state": "disputed",
        "organisation": "unac",
        "at": rows[disputed.pk]["confirmation"]["at"],
        "note": NOTE,
    }
    assert rows[disputed.pk]["confirmation"]["at"]
    assert rows[disputed.pk]["confirmed_by_organisation"] is None  # not a confirmation
    nested = {row["id"]: row["confirmation"]["state"] for row in detail["principle_evidence"]}
    assert nested == {confirmed.pk: "confirmed", disputed.pk: "disputed"}


@pytest.mark.parametrize("state", ["confirmed", "disputed", "unconfirmed"])
def test_the_api_keeps_only_evidence_in_the_state_asked_for(client, answered, initiative, state):
    PrincipleEvidenceFactory(initiative=initiative, principle=Principle.objects.get(slug="results"))

    rows = client.get("/api/v1/evidence/", {"confirmation": state}).json()["results"]

    assert [row["confirmation"]["state"] for row in rows] == [state]


def test_the_api_refuses_an_unknown_state(client, answered):
    response = client.get("/api/v1/evidence/", {"confirmation": "maybe"})

    assert response.status_code == 400


def test_the_matrix_marks_confirmed_cells_and_filters_on_them(
    client, answered, organisation, partner
):
    PrincipleEvidenceFactory(
        initiative=InitiativeFactory(owner=organisation, title="Unconfirmed exchange")
    )
    url = reverse("principles-matrix")

    html = client.get(url).content.decode()
    assert html.count("1 confirmed") == 2  # the legend and the cell
    assert "Unconfirmed exchange" in html

    html = client.get(url, {"confirmation": "confirmed"}).content.decode()
    assert "Community seed banks" in html
    assert "Unconfirmed exchange" not in html
    assert "Evidence confirmation: <strong>Confirmed by a partner</strong>" in html
    # Only the confirmed evidence fills the cells: the disputed one is left out.
    summary = re.findall(r'data-principle="([-\w]+)">\s*(\d+) with evidence', html)
    assert dict(summary)["ownership"] == "1"
    assert dict(summary)["inclusive-partnerships"] == "0"


def test_the_principles_aggregate_counts_confirmed_evidence(client, answered, organisation):
    PrincipleEvidenceFactory(initiative=InitiativeFactory(owner=organisation))

    def counts(**query):
        rows = client.get("/api/v1/aggregates/principles/", query).json()["results"]
        return {
            row["key"]: (row["supports"], row["confirmed"])
            for row in rows
            if row["supports"] or row["challenges"]
        }

    assert counts() == {"busan/ownership": (2, 1), "busan/inclusive-partnerships": (1, 0)}
    assert counts(confirmation="confirmed") == {"busan/ownership": (1, 1)}


def test_the_admin_filters_on_the_state(client, moderator, answered):
    confirmed, disputed = answered
    client.force_login(moderator)
    url = reverse("admin:principles_principleevidence_changelist")

    html = client.get(url, {"confirmation__exact": "disputed"}).content.decode()

    assert f"/{disputed.pk}/change/" in html
    assert f"/{confirmed.pk}/change/" not in html


def test_the_dataset_export_carries_the_state(answered):
    _initiatives, evidence, _readme = read_csv(export("csv"))

    rows = {
        row["narrative"]: (
            row["confirmation"],
            row["confirmed_by_organisation"],
            row["disputed_by_organisation"],
            row["dispute_note"],
            bool(row["confirmed_at"]),
            bool(row["disputed_at"]),
        )
        for row in evidence
    }
    assert rows == {
        NARRATIVE: ("confirmed", "unac", "", "", True, False),
        OTHER: ("disputed", "", "unac", NOTE, False, True),
    }


def test_the_initiative_list_offers_the_confirmed_only_filter(client, answered, organisation):
    PrincipleEvidenceFactory(
        initiative=InitiativeFactory(owner=organisation, title="Unconfirmed exchange")
    )
    url = reverse("initiative-list")

    html = client.get(url).content.decode()
    assert '<input type="radio" name="confirmation" value="confirmed"' in html

    listed = {i.title for i in client.get(url, {"confirmation": "confirmed"}).context["page"]}
    assert listed == {"Community seed banks"}


def confirmed_in_evidence_list(response) -> int:
    return len(response.json()["results"])


def confirmed_in_aggregate(response) -> int:
    (ownership,) = [r for r in response.json()["results"] if r["key"] == "busan/ownership"]
    return ownership["confirmed"]


def confirmed_in_matrix(response) -> int:
    return response.content.decode().count("1 confirmed") - 1  # the legend


SHOWN = {
    "/api/v1/evidence/?confirmation=confirmed": confirmed_in_evidence_list,
    "/api/v1/aggregates/principles/?confirmation=confirmed": confirmed_in_aggregate,
    "/principles/?confirmation=confirmed": confirmed_in_matrix,
}


@pytest.mark.parametrize("url", SHOWN)
def test_the_confirmed_only_filter_makes_the_same_queries_for_2_or_20_rows(
    client, organisation, partner, partner_editor, url, count_queries
):
    def add_confirmed_evidence(count: int):
        for _ in range(count):
            record = InitiativeFactory(owner=organisation)
            ParticipationFactory(initiative=record, actor=partner)
            evidence_answer(
                evidence=PrincipleEvidenceFactory(initiative=record),
                by=partner_editor,
                confirmation="confirmed",
            )

    add_confirmed_evidence(2)
    small = count_queries(lambda: client.get(url))
    add_confirmed_evidence(18)
    large = count_queries(lambda: client.get(url))

    assert small == large
    assert SHOWN[url](client.get(url)) == 20


@pytest.mark.parametrize("choice", ["confirmed", "disputed"])
def test_the_write_api_keeps_an_answer_on_unchanged_evidence_and_clears_it_on_a_change(
    client, editor, partner_editor, partner, evidence, choice
):
    client.force_login(partner_editor)
    answer(client, evidence, choice, NOTE)
    answered_state = state_of(evidence)

    patch(client, editor, evidence.initiative, {"evidence": evidence_rows(evidence)})
    (row,) = PrincipleEvidence.objects.filter(initiative=evidence.initiative)
    assert state_of(row) == answered_state

    patch(
        client, editor, evidence.initiative, {"evidence": evidence_rows(row, stance="challenges")}
    )
    assert state_of(PrincipleEvidence.objects.get(initiative=evidence.initiative)) == UNCONFIRMED
