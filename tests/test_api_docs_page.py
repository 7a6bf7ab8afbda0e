"""The API documentation is a portal page: the portal's header and footer, how to get a
token, operations grouped by subject, and no padlock on what anyone may read."""

import pytest
from django.urls import reverse

from ssdc_portal.api.schema_tags import API_TAGS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCS = "/api/docs/"


def schema(client) -> dict:
    return client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}).json()


def test_the_docs_page_has_the_portals_header_footer_and_says_how_to_get_a_token(client):
    page = client.get(DOCS).content.decode()

    assert '<header class="site-header">' in page and '<footer class="site-footer">' in page
    assert "<title>Open data API · SSDC Portal</title>" in page
    assert f'<a href="{reverse("signup")}">Create a researcher account</a>' in page
    assert f'<a href="{reverse("api-tokens")}">your API tokens page</a>' in page
    assert "<code>Authorization: Token ssdc_…</code>" in page
    assert '<div id="swagger-ui" class="api-reference" lang="en"></div>' in page
    # Swagger UI's own files, from the portal, and its start-up script as a file.
    assert 'src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in page
    assert 'src="/api/docs/?script="' in page


def test_signed_in_people_are_sent_straight_to_their_tokens(client):
    client.force_login(UserFactory())
    page = client.get(DOCS).content.decode()
    assert "Create a researcher account" not in page
    assert f'<a href="{reverse("api-tokens")}">your API tokens page</a>' in page


def test_the_docs_page_speaks_the_language_asked_for_and_switches_in_place(client):
    page = client.get(DOCS, headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in page
    assert "<h1>API de datos abiertos</h1>" in page
    assert 'href="/es/accounts/signup/"' in page
    # The switcher keeps the same address: the docs have no language prefix.
    assert 'href="/language/fr/?next=%2Fapi%2Fdocs%2F"' in page
    response = client.get("/language/fr/", {"next": DOCS})
    assert response["Location"] == DOCS
    assert "<h1>API de données ouvertes</h1>" in client.get(DOCS).content.decode()


def test_public_pages_link_to_the_api_docs(client):
    for url in (reverse("home"), reverse("initiative-list"), reverse("login")):
        assert f'<a href="{DOCS}">Open data API</a>' in client.get(url).content.decode()


def test_operations_are_grouped_by_subject_with_descriptions(client):
    document = schema(client)
    tags = [tag["name"] for tag in document["tags"]]
    assert tags == [tag["name"] for tag in API_TAGS]
    assert all(tag["description"] for tag in document["tags"])
    used = {
        operation["tags"][0]
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    assert used == set(tags)
    paths = document["paths"]
    assert paths["/api/v1/initiatives/"]["get"]["tags"] == ["Initiatives"]
    assert paths["/api/v1/funding-models/"]["get"]["tags"] == ["Reference data"]
    assert paths["/api/v1/reports/"]["post"]["tags"] == ["Reports"]


def test_public_reads_need_no_token_and_writes_and_reports_do(client):
    paths = schema(client)["paths"]
    for path in ("/api/v1/initiatives/", "/api/v1/countries/{code}/", "/api/v1/evidence/"):
        # Only the empty requirement: anyone may call it (Swagger UI shows no padlock).
        assert paths[path]["get"]["security"] == [{}], path
    for path, method in [
        ("/api/v1/initiatives/", "post"),
        ("/api/v1/initiatives/{slug}/", "patch"),
        ("/api/v1/reports/", "get"),
    ]:
        security = paths[path][method]["security"]
        assert {} not in security and {"personalToken": []} in security, (path, method)
