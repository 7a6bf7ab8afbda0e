"""The read API's reference resources: countries, organisations, dialogue mechanisms,
funding models, principles and evidence."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from initiatives.models import Initiative
from organisations.models import Organisation
from reference.models import DialogueMechanism
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PrincipleEvidenceFactory,
    country,
)

State = Initiative.State
UNPUBLISHED = [state for state in State.values if state != State.PUBLISHED]


def grow_organisations(count):
    for _ in range(count):
        InitiativeFactory()


def grow_evidence(count):
    for _ in range(count):
        PrincipleEvidenceFactory()


def grow_mechanisms(count):
    for _ in range(count):
        DialogueMechanism.objects.create(
            country=country("MX"),
            name=f"Council {DialogueMechanism.objects.count()}",
            kind="national",
        )


LIST_ENDPOINTS = {
    "/api/v1/countries/": lambda count: None,
    "/api/v1/organisations/": grow_organisations,
    "/api/v1/evidence/": grow_evidence,
    "/api/v1/dialogue-mechanisms/": grow_mechanisms,
    "/api/v1/funding-models/": lambda count: None,
    "/api/v1/principles/": lambda count: None,
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_list_query_count_is_the_same_at_two_page_sizes(client, url, count_queries):
    LIST_ENDPOINTS[url](25)
    small = count_queries(lambda: client.get(url, {"page_size": 2}))
    large_response = {}

    def fetch_large():
        large_response["r"] = client.get(url, {"page_size": 50})

    assert count_queries(fetch_large) == small
    assert large_response["r"].status_code == 200
    assert small <= 10


@pytest.mark.django_db
def test_countries_carry_income_group_and_filter_by_it(client):
    body = client.get("/api/v1/countries/", {"income_group": "low", "page_size": 200}).json()
    codes = {row["code"] for row in body["results"]}
    assert "MZ" in codes and "BR" not in codes
    mozambique = client.get("/api/v1/countries/mz/").json()
    assert (mozambique["income_group"], mozambique["income_group_fiscal_year"]) == ("low", 2025)


@pytest.mark.django_db
@pytest.mark.parametrize("state", UNPUBLISHED)
def test_organisations_named_only_in_unpublished_records_stay_private(client, state):
    hidden = OrganisationFactory(name="Proposed in a draft")
    InitiativeFactory(state=state, owner=OrganisationFactory(), lead__actor=hidden)
    shown = InitiativeFactory().owner
    slugs = {row["slug"] for row in client.get("/api/v1/organisations/").json()["results"]}
    assert shown.slug in slugs and hidden.slug not in slugs
    assert client.get(f"/api/v1/organisations/{hidden.slug}/").status_code == 404


@pytest.mark.django_db
def test_organisations_with_member_accounts_are_listed(client):
    registered = MembershipFactory().organisation
    slugs = {row["slug"] for row in client.get("/api/v1/organisations/").json()["results"]}
    assert registered.slug in slugs


@pytest.mark.django_db
@pytest.mark.parametrize("state", UNPUBLISHED)
def test_evidence_of_unpublished_records_is_hidden_except_from_the_owner(
    client, sign_in_editor, state
):
    hidden = PrincipleEvidenceFactory(initiative=InitiativeFactory(state=state))
    shown = PrincipleEvidenceFactory()

    def ids():
        return {row["id"] for row in client.get("/api/v1/evidence/").json()["results"]}

    assert ids() == {shown.pk}
    assert client.get(f"/api/v1/evidence/{hidden.pk}/").status_code == 404
    sign_in_editor()
    assert ids() == {shown.pk}
    sign_in_editor(hidden.initiative.owner)
    assert ids() == {shown.pk, hidden.pk}


@pytest.mark.django_db
def test_invalid_filters_and_unknown_records_use_the_one_error_body(client):
    invalid = client.get("/api/v1/countries/", {"income_group": "rich"})
    assert invalid.status_code == 400
    assert invalid.json()["error"]["status"] == 400
    assert "income_group" in invalid.json()["error"]["details"]

    missing = client.get("/api/v1/organisations/no-such-organisation/")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Not found."}
    }


@pytest.mark.django_db
def test_reads_need_no_account_but_writes_are_refused(client):
    assert client.get("/api/v1/funding-models/").status_code == 200
    response = client.post("/api/v1/countries/", {"code": "XX"})
    assert response.status_code in {401, 403, 405}
    assert "error" in response.json()


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_with_retry_after(client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/minute")
    statuses = [client.get("/api/v1/funding-models/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/funding-models/")
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_outside_assets(client):
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    assert "/api/v1/countries/" in schema.json()["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "https://" not in docs


def test_actor_visibility_gate_exists_for_moderators(moderator, db):
    OrganisationFactory(name="Only in a draft")
    assert Organisation.objects.visible_to(moderator).filter(name="Only in a draft").exists()


@pytest.mark.django_db
def test_schema_documents_filters_and_error_statuses(client):
    schema = client.get(
        "/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}
    ).json()
    listing = schema["paths"]["/api/v1/initiatives/"]["get"]
    documented = {parameter["name"] for parameter in listing["parameters"]}
    assert {
        "q",
        "provider",
        "recipient",
        "sector",
        "modality",
        "funding_model",
        "principle",
        "stance",
        "actor_type",
        "context",
        "cooperation_type",
        "status",
        "year",
        "ordering",
        "cursor",
        "page_size",
    } <= documented
    assert {"200", "400", "429"} <= set(listing["responses"])
    patch = schema["paths"]["/api/v1/initiatives/{slug}/"]["patch"]
    assert {"400", "401", "403", "404", "409", "412", "428", "429"} <= set(patch["responses"])
    error = patch["responses"]["412"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/Error")


@pytest.mark.django_db
def test_unknown_api_addresses_answer_in_the_error_body(client):
    for url in ["/api/v1/no-such-resource/", "/api/v1/countries/%C2%84/", "/api/v2/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_cross_origin_reads_are_off_unless_an_origin_is_listed(client, settings):
    origin = {"origin": "https://viz.example.org"}
    assert "Access-Control-Allow-Origin" not in client.get(
        "/api/v1/funding-models/", headers=origin
    )
    settings.CORS_ALLOWED_ORIGINS = ["https://viz.example.org"]
    response = client.get("/api/v1/funding-models/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "https://viz.example.org"
    preflight = client.options(
        "/api/v1/initiatives/x/",
        headers={**origin, "access-control-request-method": "PATCH"},
    )
    assert "PATCH" not in preflight.get("Access-Control-Allow-Methods", "")
    page = client.get("/initiatives/", headers=origin)
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.django_db
def test_the_openapi_document_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/initiatives/{slug}/submit/" in target.read_text()
