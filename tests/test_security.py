"""What browsers and clients are told about security on every response, with the settings
production computes (read from a fresh process, as in test_settings), and what the pages
themselves may contain under the Content-Security-Policy."""

import functools
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from accounts.tokens import api_token_create
from initiatives.models import Initiative
from tests.factories import (
    InitiativeFactory,
    ModeratorFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
    UserFactory,
)
from tests.test_settings import HTTPS_ONLY_SETTINGS, production_environment, settings_values

PASSWORD = "a-long-test-password"  # the factories' password
PRODUCTION_SECURITY_SETTINGS = [
    *HTTPS_ONLY_SETTINGS,
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


@functools.cache
def production_security_settings() -> dict:
    return settings_values(PRODUCTION_SECURITY_SETTINGS, **production_environment())


@pytest.fixture
def production(settings):
    """This process serves with production's security settings (tests otherwise run with
    ALLOW_PLAIN_HTTP). Set before the first request, when the middleware reads them."""
    for name, value in production_security_settings().items():
        setattr(settings, name, value)
    return settings


def policy_of(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as directive → sources."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# ---------------------------------------------------------------------------------------------
# Headers on every kind of response

RESPONSE_KINDS = {
    "page": "/",
    "api": "/api/v1/countries/",
    "admin sign-in": "/admin/login/",
    "health check": "/healthz",
    "not found": "/no-such-page/",
    "api not found": "/api/v1/no-such-thing/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", RESPONSE_KINDS.values(), ids=RESPONSE_KINDS.keys())
def test_every_kind_of_response_carries_the_security_headers(client, production, path):
    response = client.get(path, secure=True)

    assert response.status_code in {200, 404}
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"], "no inline or evaluated scripts"
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    hsts = response["Strict-Transport-Security"].split("; ")
    assert int(hsts[0].removeprefix("max-age=")) >= 180 * 24 * 3600
    assert "includeSubDomains" in hsts


@pytest.mark.django_db
def test_plain_http_is_sent_to_https_except_the_health_check(client, production):
    response = client.get("/initiatives/?q=seeds")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/initiatives/?q=seeds"
    assert "Strict-Transport-Security" not in response, "HSTS is only said over HTTPS"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(client, production):
    UserFactory(username="ana")
    form = client.get(reverse("login"), secure=True)
    signed_in = client.post(
        reverse("login"), {"username": "ana", "password": PASSWORD}, secure=True
    )

    assert signed_in.status_code == 302
    for cookie in (form.cookies["csrftoken"], signed_in.cookies["sessionid"]):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


# ---------------------------------------------------------------------------------------------
# Pages contain nothing the policy refuses


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy refuses to run or apply."""

    EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith(("on", "hx-on")):
                self.scripts.append(f"<{tag} {name}>")
            elif name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.scripts.append(f"<{tag} {name}=javascript:>")
            elif name == "style":
                self.styles.append(f"<{tag} style>")
        script_type = (attributes.get("type") or "").lower()
        if tag == "script" and "src" not in attributes:
            if script_type in self.EXECUTABLE_SCRIPT_TYPES:
                self.scripts.append("<script> without src")
        elif tag == "style":
            self.styles.append("<style>")


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def site(db, editor):
    """A published record with evidence and a document, and a draft of the editor's."""
    organisation = editor.memberships.get().organisation
    published = InitiativeFactory(owner=organisation)
    PrincipleEvidenceFactory(initiative=published, source=SourceFactory(initiative=published))
    draft = InitiativeFactory(owner=organisation, state=Initiative.State.DRAFT)
    return {"published": published, "draft": draft, "organisation": organisation}


# name: (who is signed in, address)
PORTAL_PAGES = {
    "home": (None, lambda site: "/"),
    "list": (None, lambda site: "/initiatives/?q=share"),
    "detail": (None, lambda site: site["published"].get_absolute_url()),
    "dashboard": (None, lambda site: "/dashboard/"),
    "principles": (None, lambda site: "/principles/"),
    "country": (None, lambda site: "/countries/BR/"),
    "organisation": (None, lambda site: f"/organisations/{site['organisation'].slug}/"),
    "sign-in": (None, lambda site: "/accounts/login/"),
    "password reset": (None, lambda site: "/accounts/password_reset/"),
    "not found": (None, lambda site: "/initiatives/no-such-record/"),
    "editor dashboard": ("editor", lambda site: "/my/"),
    "editor form": ("editor", lambda site: f"/my/initiatives/{site['draft'].slug}/edit/"),
    "members": ("editor", lambda site: f"/my/organisations/{site['organisation'].slug}/members/"),
    "reports": ("editor", lambda site: "/reports/"),
    "api tokens": ("editor", lambda site: "/my/tokens/"),
}


@pytest.mark.parametrize("who, address", PORTAL_PAGES.values(), ids=PORTAL_PAGES.keys())
def test_portal_pages_have_no_inline_scripts_or_styles(client, site, editor, who, address):
    if who == "editor":
        client.force_login(editor)
    response = client.get(address(site))

    assert response.status_code in {200, 404}
    found = inline_code(response)
    assert found.scripts == []
    assert found.styles == []


def test_the_lockout_page_has_no_inline_scripts_or_styles(client, settings, db):
    settings.AXES_FAILURE_LIMIT = 1
    UserFactory(username="ana")
    response = client.post(reverse("login"), {"username": "ana", "password": "wrong"})

    assert response.status_code == 429
    found = inline_code(response)
    assert (found.scripts, found.styles) == ([], [])


THIRD_PARTY_PAGES = {
    "admin index": "/admin/",
    "admin list": "/admin/initiatives/initiative/",
    "admin record": "admin-record",
    "admin lockouts": "/admin/axes/accessattempt/",
    "browsable API": "/api/v1/initiatives/",
    "Swagger UI": "/api/docs/",
    "Redoc": "/api/redoc/",
}


@pytest.mark.parametrize("address", THIRD_PARTY_PAGES.values(), ids=THIRD_PARTY_PAGES.keys())
def test_admin_and_api_pages_run_no_inline_scripts(client, site, address):
    """The policy allows no inline script anywhere; these pages come from Django, DRF and
    drf-spectacular, whose styling is their own (see the API docs' policy below)."""
    client.force_login(ModeratorFactory(is_superuser=True))
    if address == "admin-record":
        address = reverse("admin:initiatives_initiative_change", args=[site["published"].pk])
    response = client.get(address, headers={"accept": "text/html"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert inline_code(response).scripts == []


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/api/docs/", "/api/redoc/"])
def test_api_docs_relax_styles_only_and_load_their_own_scripts(client, address):
    response = client.get(address)
    policy = policy_of(response)

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "https://" not in "".join(source for sources in policy.values() for source in sources), (
        "no outside origin is allowed"
    )


@pytest.mark.django_db
def test_swagger_ui_start_up_script_is_served_as_a_file(client):
    page = client.get("/api/docs/").content.decode()
    assert 'src="/api/docs/?script="' in page

    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


# ---------------------------------------------------------------------------------------------
# API throttling


@pytest.fixture
def anonymous_rate(settings, monkeypatch):
    """Three anonymous reads a minute. DRF copies the rates onto the throttle class when it
    is imported, so the class attribute is replaced as well as the setting."""
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    return 3


@pytest.mark.django_db
def test_anonymous_reads_beyond_the_rate_get_429_with_retry_after(client, anonymous_rate):
    answered = [client.get("/api/v1/countries/").status_code for _ in range(anonymous_rate)]
    refused = client.get("/api/v1/countries/")

    assert answered == [200] * anonymous_rate
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/json"
    error = refused.json()["error"]
    assert error["status"] == 429
    assert error["code"] == "throttled"
    assert "seconds" in error["message"]


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, anonymous_rate):
    statuses = [
        client.get(
            "/api/v1/countries/", headers={"x-forwarded-for": f"203.0.113.{number}"}
        ).status_code
        for number in range(anonymous_rate + 1)
    ]
    assert statuses == [200] * anonymous_rate + [429]


@pytest.mark.django_db
def test_a_personal_token_is_not_held_to_the_anonymous_rate(client, anonymous_rate):
    _token, key = api_token_create(user=UserFactory(), name="thesis downloads")
    for _ in range(anonymous_rate + 1):
        client.get("/api/v1/countries/")

    response = client.get("/api/v1/countries/", headers={"authorization": f"Token {key}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_each_client_is_held_to_its_own_rate(client, settings, monkeypatch):
    """Anonymous clients to the anonymous rate only (not also to the signed-in one, even
    when that is lower), signed-in clients to theirs."""
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "3/minute", "user": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    _token, key = api_token_create(user=UserFactory(), name="thesis downloads")

    anonymous = [client.get("/api/v1/countries/").status_code for _ in range(4)]
    token = [
        client.get("/api/v1/countries/", headers={"authorization": f"Token {key}"}).status_code
        for _ in range(3)
    ]

    assert anonymous == [200, 200, 200, 429]
    assert token == [200, 200, 429]


# ---------------------------------------------------------------------------------------------
# Caches between the portal and its readers


def header_values(response, name: str) -> set[str]:
    return {value.strip().lower() for value in response.get(name, "").split(",") if value.strip()}


@pytest.mark.django_db
def test_an_anonymous_api_read_may_be_cached_but_varies_with_who_asks(client):
    InitiativeFactory()

    response = client.get("/api/v1/initiatives/")

    assert response.status_code == 200
    assert "private" not in header_values(response, "Cache-Control")
    assert {"authorization", "cookie", "accept"} <= header_values(response, "Vary")


@pytest.mark.django_db
def test_a_token_read_of_the_api_is_private(client):
    InitiativeFactory()
    _token, key = api_token_create(user=UserFactory(), name="thesis downloads")

    response = client.get("/api/v1/initiatives/", headers={"authorization": f"Token {key}"})

    assert response.status_code == 200
    assert {"private", "no-cache"} <= header_values(response, "Cache-Control")
    assert {"authorization", "cookie", "accept"} <= header_values(response, "Vary")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/initiatives/", "/api/v1/initiatives/"])
def test_answers_to_a_signed_in_person_are_private(signed_in, path):
    response = signed_in.get(path)

    assert response.status_code == 200
    assert {"private", "no-cache"} <= header_values(response, "Cache-Control")
    assert "cookie" in header_values(response, "Vary")


@pytest.mark.django_db
def test_a_private_answer_keeps_its_no_store(signed_in):
    response = signed_in.get(reverse("healthz"))

    assert {"private", "no-store"} <= header_values(response, "Cache-Control")
