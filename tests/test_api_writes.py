"""Editors write initiatives through the API with the browser form's rules."""

import pytest

from initiatives.api.initiatives import WRITE_EXAMPLE
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory

State = Initiative.State
LIST = "/api/v1/initiatives/"


def detail(initiative):
    return f"{LIST}{initiative.slug}/"


@pytest.fixture
def api(client, editor):
    client.force_login(editor)
    return client


# The documentation's example of a create, without the owner and the participants: each test
# gives its own.
NEW = {
    name: value
    for name, value in WRITE_EXAMPLE.value.items()
    if name not in {"owner", "participants"}
}


@pytest.mark.django_db
def test_create_then_patch_with_if_match_then_submit(api, organisation, editor):
    created = api.post(
        LIST,
        {
            **NEW,
            "owner": organisation.slug,
            "participants": [{"organisation": organisation.slug, "role": "lead"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["state"], body["version"], body["start_year"]) == ("draft", 1, 2014)
    assert [c["code"] for c in body["recipient_countries"]] == ["MZ"]
    assert body["modalities"] == ["exchange-visits"]
    assert created["ETag"] == '"v1"'
    initiative = Initiative.objects.get(slug=body["slug"])
    assert initiative.created_by == editor

    patched = api.patch(
        detail(initiative),
        {
            "title": "Seed fairs",
            "countries": [
                {"country": "BR", "role": "provider"},
                {"country": "HT", "role": "recipient"},
            ],
        },
        content_type="application/json",
        headers={"if-match": '"v1"'},
    )
    assert patched.status_code == 200, patched.json()
    assert patched["ETag"] == '"v2"'
    initiative.refresh_from_db()
    assert initiative.title == "Seed fairs"
    assert set(initiative.country_links.values_list("country", flat=True)) == {"BR", "HT"}
    assert initiative.funding_contributions.count() == 1, "lists left out are kept"

    submitted = api.post(f"{detail(initiative)}submit/", headers={"if-match": '"v2"'})
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"


@pytest.mark.django_db
def test_stale_or_missing_if_match_is_refused_and_nothing_changes(api, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT, title="Kept")
    change = {"title": "Lost update"}
    missing = api.patch(detail(initiative), change, content_type="application/json")
    assert missing.status_code == 428
    assert missing.json()["error"]["code"] == "precondition_required"
    stale = api.patch(
        detail(initiative), change, content_type="application/json", headers={"if-match": '"v7"'}
    )
    assert stale.status_code == 412
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Kept", 1)


@pytest.mark.django_db
def test_the_form_rules_apply_to_the_api(api, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    response = api.patch(
        detail(initiative),
        {
            "title": "",
            "planned_start": "2015-05-01",
            "planned_end": "2014-01-01",
            "countries": [{"country": "BR", "role": "provider", "share": 140}],
            "funding": [{"funding_model": "no-such-model", "amount": 5000}],
        },
        content_type="application/json",
        headers={"if-match": '"v1"'},
    )
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert details["title"] == ["This field is required."]
    assert details["planned_end"] == ["The end cannot come before the start."]
    assert "less than or equal to 100" in details["countries"]["rows"][0]["share"][0]
    assert "funding_model" in details["funding"]["rows"][0]
    assert "Give the currency of the amount." in details["funding"]["rows"][0]["currency"]
    initiative.refresh_from_db()
    assert initiative.version == 1


@pytest.mark.django_db
def test_unknown_and_read_only_fields_are_refused(api, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    response = api.patch(
        detail(initiative),
        {"state": "published", "owner": "x"},
        content_type="application/json",
        headers={"if-match": '"v1"'},
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"state", "owner"}
    initiative.refresh_from_db()
    assert initiative.state == State.DRAFT


@pytest.mark.django_db
def test_other_organisations_records_cannot_be_written(api, organisation):
    foreign_published = InitiativeFactory()
    foreign_draft = InitiativeFactory(state=State.DRAFT)
    headers = {"if-match": '"v1"'}
    assert (
        api.patch(
            detail(foreign_published),
            {"title": "x"},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 403
    )
    assert (
        api.patch(
            detail(foreign_draft), {"title": "x"}, content_type="application/json", headers=headers
        ).status_code
        == 404
    )
    assert api.post(f"{detail(foreign_draft)}submit/", headers=headers).status_code == 404
    created = api.post(
        LIST, {**NEW, "owner": OrganisationFactory().slug}, content_type="application/json"
    )
    assert created.status_code == 400
    assert "owner" in created.json()["error"]["details"]


@pytest.mark.django_db
def test_anonymous_clients_cannot_write(client):
    initiative = InitiativeFactory()
    response = client.patch(detail(initiative), {"title": "x"}, content_type="application/json")
    assert response.status_code in {401, 403}
    assert client.post(LIST, NEW, content_type="application/json").status_code in {401, 403}


@pytest.mark.django_db
def test_an_incomplete_record_cannot_be_submitted(api, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT, provider=None)
    response = api.post(f"{detail(initiative)}submit/", headers={"if-match": '"v1"'})
    assert response.status_code == 409
    assert "provider country" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_second_editor_with_the_same_etag_gets_412(client, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    first, second = (MembershipFactory(organisation=organisation).user for _ in range(2))
    for user, title, expected in [(first, "First", 200), (second, "Second", 412)]:
        client.force_login(user)
        response = client.patch(
            detail(initiative),
            {"title": title},
            content_type="application/json",
            headers={"if-match": '"v1"'},
        )
        assert response.status_code == expected
    initiative.refresh_from_db()
    assert initiative.title == "First"


def test_the_documented_write_body_matches_what_the_api_accepts():
    from initiatives.api.writes import PARTS, InitiativeWriteIn
    from initiatives.editor.forms import InitiativeForm

    documented = set(InitiativeWriteIn().fields)
    assert documented == set(InitiativeForm.Meta.fields) | set(PARTS)


@pytest.mark.django_db
def test_an_unknown_reference_is_named_in_the_note(api, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    response = api.patch(
        detail(initiative),
        {
            "modalities": ["exchange-visits", "no-such-modality"],
            "funding": [{"funding_model": "no-such-model"}],
            "participants": [{"organisation": "nobody-here", "role": "partner"}],
        },
        content_type="application/json",
        headers={"if-match": '"v1"'},
    )
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert details["modalities"] == ["Unknown modality: “no-such-modality”."]
    assert details["funding"]["rows"] == [
        {"funding_model": ["Unknown funding model: “no-such-model”."]}
    ]
    assert details["participants"]["rows"] == [
        {"organisation": ["Unknown organisation: “nobody-here”."]}
    ]
    initiative.refresh_from_db()
    assert initiative.version == 1


@pytest.mark.django_db
def test_a_new_organisation_is_proposed_through_the_api_as_on_the_page(api, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)

    def propose(name: str, version: int):
        return api.patch(
            detail(initiative),
            {
                "participants": [
                    {
                        "new_organisation_name": name,
                        "new_organisation_type": "community_based",
                        "new_organisation_country": "HT",
                        "role": "partner",
                    }
                ]
            },
            content_type="application/json",
            headers={"if-match": f'"v{version}"'},
        )

    created = propose("Haitian farmers' cooperative", 1)
    namesake = propose("HAITIAN farmers' cooperative", 2)

    assert created.status_code == 200, created.json()
    participation = initiative.participations.get()
    assert (participation.role, participation.actor.name, participation.actor.actor_type) == (
        "partner",
        "Haitian farmers' cooperative",
        "community_based",
    )
    assert participation.actor.home_country_id == "HT"
    assert namesake.status_code == 400
    assert namesake.json()["error"]["details"]["participants"]["rows"] == [
        {
            "new_organisation_name": [
                "“HAITIAN farmers' cooperative” is already in the portal: choose it from the list."
            ]
        }
    ]
