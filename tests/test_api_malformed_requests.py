"""Malformed requests to the API answer a 4xx in the API's error body, never a server error.

A lookup value the database cannot hold (a NUL byte) in any detail address, a JSON body
nested too deeply to parse, and a body larger than ``API_MAX_BODY_KB`` are refused by the
API itself, as ``{"error": {"status", "code", "message"}}``.
"""

import json

import pytest
from django.urls import get_resolver

from initiatives.models import Initiative
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def api_detail_routes() -> list:
    """(method, address template) of every API route that looks a value up in its address,
    read from the URL resolver; ``{lookup}`` marks where the value goes."""
    prefix, api = get_resolver().namespace_dict["api"]
    callbacks = {pattern.name: pattern.callback for pattern in api.url_patterns}
    routes = []
    for name, callback in callbacks.items():
        actions = getattr(callback, "actions", None) or {"get": "get"}
        for possibilities, *_rest in api.reverse_dict.getlist(name):
            for template, params in possibilities:
                lookups = [param for param in params if param != "format"]
                if not lookups:
                    continue
                values = dict.fromkeys(lookups, "{lookup}") | {"format": "json"}
                address = "/" + prefix + template % values
                routes += [
                    pytest.param(method, address, id=f"{method} {address}") for method in actions
                ]
    return routes


ROUTES = api_detail_routes()


def test_every_detail_route_is_walked():
    addresses = {param.values[1] for param in ROUTES}
    assert {
        "/api/v1/initiatives/{lookup}/",
        "/api/v1/initiatives/{lookup}/submit/",
        "/api/v1/organisations/{lookup}/",
        "/api/v1/funding-models/{lookup}/",
        "/api/v1/countries/{lookup}/",
        "/api/v1/reports/{lookup}/download/",
    } <= addresses
    methods = {(param.values[0], param.values[1]) for param in ROUTES}
    assert ("patch", "/api/v1/initiatives/{lookup}/") in methods
    assert ("post", "/api/v1/initiatives/{lookup}/submit/") in methods


def test_a_viewset_that_does_not_say_which_lookups_it_accepts_is_refused():
    from django.core.exceptions import ImproperlyConfigured
    from rest_framework import viewsets

    from funding.api import FundingModelViewSet
    from ssdc_portal.api.routers import PortalRouter

    class AnyLookup(viewsets.ReadOnlyModelViewSet):
        queryset = FundingModelViewSet.queryset

    router = PortalRouter()
    router.register("any", AnyLookup, basename="any")
    with pytest.raises(ImproperlyConfigured, match="AnyLookup must set lookup_value_regex"):
        router.get_urls()


@pytest.mark.parametrize(("method", "address"), ROUTES)
@pytest.mark.parametrize("lookup", ["%00", "a%00b"])
def test_a_nul_byte_in_a_lookup_answers_404_in_the_error_body(
    client, moderator, method, address, lookup
):
    InitiativeFactory(state=Initiative.State.DRAFT)
    client.force_login(moderator)  # sees every record, so the lookup itself is what is tested

    response = getattr(client, method)(
        address.format(lookup=lookup),
        {"title": "x"} if method in {"patch", "post"} else None,
        content_type="application/json",
        headers={"if-match": '"v1"'},
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Not found."}
    }


WRITES = ["/api/v1/initiatives/", "/api/v1/reports/"]


@pytest.mark.parametrize("address", WRITES)
@pytest.mark.parametrize("depth", [100_000, 200])
def test_deeply_nested_json_answers_400(signed_in, address, depth):
    body = "[" * depth + "]" * depth

    response = signed_in.post(address, body, content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "parse_error")
    assert error["message"] == "The JSON is nested too deeply (at most 32 levels)."


def test_nesting_inside_a_value_is_refused_too(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state=Initiative.State.DRAFT)
    nested = json.loads("[" * 500 + "]" * 500)

    response = signed_in.patch(
        f"/api/v1/initiatives/{initiative.slug}/",
        {"title": nested},
        content_type="application/json",
        headers={"if-match": '"v1"'},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.parametrize("address", WRITES)
def test_a_body_over_the_limit_answers_413_and_one_within_it_is_read(signed_in, settings, address):
    settings.API_MAX_BODY_KB = 2
    padding = {"kind": "no-such-kind", "title": ""}  # refused by either, once read
    within = json.dumps({**padding, "title": "x" * 1900})
    over = json.dumps({**padding, "title": "x" * 2100})
    assert len(within) <= 2048 < len(over)

    refused = signed_in.post(address, over, content_type="application/json")
    read = signed_in.post(address, within, content_type="application/json")

    assert refused.status_code == 413
    assert refused.json() == {
        "error": {
            "status": 413,
            "code": "too_large",
            "message": "The request body is larger than 2 KB.",
        }
    }
    assert read.status_code == 400, "read, then refused for its content"
    assert read.json()["error"]["code"] == "invalid"


def test_form_bodies_are_held_to_the_same_limit(signed_in, settings):
    settings.API_MAX_BODY_KB = 1

    response = signed_in.post(
        "/api/v1/reports/",
        f"kind=dataset&format=csv&x={'y' * 2000}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/api/v1/funding-models/", "/api/v1/organisations/", "/api/v1/reports/"]
)
def test_an_unknown_method_is_refused_as_such_before_credentials_are_asked(client, address):
    response = client.generic("TRACE", address)

    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]
    assert response.json()["error"]["status"] == 405
