"""One access line per request, with a request ID, and no personal data or secrets in logs."""

import io
import json
import logging
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from accounts.tokens import api_token_create
from ssdc_portal.logging import JsonFormatter, RequestIdFilter
from tests.factories import InitiativeFactory, UserFactory
from tests.test_settings import production_environment, run_python

PASSWORD = "a-long-test-password"  # every UserFactory user's
ACCESS_LOGGER = "ssdc_portal.requests"
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def boom(request):
    raise RuntimeError("the view failed")


# Used as the URLconf by the tests marked ``urls(__name__)``.
urlpatterns = [path("boom/", boom)]


class CapturedLog:
    """What the console handler writes as JSON lines, for every logger."""

    def __init__(self):
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def entries(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines()]

    def access_lines(self) -> list[dict]:
        return [entry for entry in self.entries() if entry["logger"] == ACCESS_LOGGER]


@pytest.fixture
def captured_log():
    log = CapturedLog()
    handler = logging.StreamHandler(log.stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield log
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_is_logged_once_with_what_an_operator_needs(client, captured_log):
    response = client.get("/api/v1/initiatives/", {"page_size": 5})

    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    [line] = captured_log.access_lines()
    assert line.pop("time")
    assert line.pop("duration_ms") >= 0
    assert line.pop("message").startswith("GET /api/v1/initiatives/ 200 ")
    assert line == {
        "level": "INFO",
        "logger": ACCESS_LOGGER,
        "method": "GET",
        "path": "/api/v1/initiatives/",
        "route": "api/v1/initiatives/$",
        "route_name": "api:initiative-list",
        "status": 200,
        "size": len(response.content),
        "user": "anonymous",
        "request_id": request_id,
    }


@pytest.mark.django_db
def test_signed_in_requests_say_so_without_saying_who(client, researcher, captured_log):
    client.force_login(researcher)
    client.get(reverse("home"))

    [line] = captured_log.access_lines()
    assert line["user"] == "authenticated"
    assert researcher.username not in captured_log.text


@pytest.mark.django_db
def test_a_page_not_found_is_one_line_without_a_route(client, captured_log):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    [entry] = captured_log.entries()  # Django's own "Not Found" line is not repeated
    assert entry["logger"] == ACCESS_LOGGER
    assert (entry["status"], entry["route"], entry["route_name"]) == (404, None, None)
    assert entry["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_safe_incoming_request_id_is_kept(client, captured_log):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "lb-7f3a.2_x"})

    assert response["X-Request-ID"] == "lb-7f3a.2_x"
    assert captured_log.access_lines()[0]["request_id"] == "lb-7f3a.2_x"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming", ["", "x" * 65, "two words", "forged\nERROR line", "<script>", "ünïcode"]
)
def test_an_unsafe_incoming_request_id_is_replaced(client, captured_log, incoming):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": incoming})

    request_id = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    assert captured_log.access_lines()[0]["request_id"] == request_id
    if incoming:
        assert json.dumps(incoming)[1:-1] not in captured_log.text


@pytest.mark.django_db
def test_an_https_redirect_carries_the_id_and_is_logged(client, settings, captured_log):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/initiatives/", {"q": "seed banks"})

    assert response.status_code == 301
    [line] = captured_log.access_lines()
    assert (line["status"], line["path"]) == (301, "/initiatives/")
    assert line["request_id"] == response["X-Request-ID"]


def _csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


@pytest.mark.django_db
def test_no_personal_data_or_secret_reaches_the_logs(captured_log, mailoutbox):
    """Sign in with an e-mail address and password, search, use a personal token, ask for
    a password reset and open its link: the logs hold none of what was sent."""
    user = UserFactory(username="ana-silva", email="ana.silva@example.org")
    _token, key = api_token_create(user=user, name="thesis downloads")
    browser = Client(enforce_csrf_checks=True)
    responses = []

    def send(response):
        responses.append(response)
        return response

    login_form = send(browser.get(reverse("login")))
    form_token = _csrf_token(login_form)
    signed_in = send(
        browser.post(
            reverse("login"),
            {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": form_token},
        )
    )
    assert signed_in.status_code == 302
    session_key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    csrf_cookie = browser.cookies[settings.CSRF_COOKIE_NAME].value
    send(browser.get("/initiatives/", {"q": "confidential search words"}))

    script = Client()
    api = send(script.get("/api/v1/countries/", headers={"authorization": f"Token {key}"}))
    assert api.status_code == 200

    visitor = Client(enforce_csrf_checks=True)
    reset_form = send(visitor.get(reverse("password_reset")))
    send(
        visitor.post(
            reverse("password_reset"),
            {"email": user.email, "csrfmiddlewaretoken": _csrf_token(reset_form)},
        )
    )
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mailoutbox[0].body)[1]
    reset_token = link.rstrip("/").rsplit("/", 1)[1]
    assert send(visitor.get(link)).status_code == 302

    access_lines = captured_log.access_lines()
    assert [line["request_id"] for line in access_lines] == [
        response["X-Request-ID"] for response in responses
    ]
    assert [line["user"] for line in access_lines] == [
        "anonymous",
        "authenticated",  # the sign-in itself
        "authenticated",
        "authenticated",  # the token's owner
        "anonymous",
        "anonymous",
        "anonymous",
    ]
    assert access_lines[-1]["path"].endswith("/[redacted]/")
    for secret in [
        PASSWORD,
        user.email,
        user.username,
        key.split("_", 2)[2],
        session_key,
        csrf_cookie,
        form_token,
        "confidential",
        reset_token,
        settings.SECRET_KEY,
        "127.0.0.1",
    ]:
        assert secret not in captured_log.text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_view_that_raises_logs_its_500_with_the_request_id(captured_log):
    response = Client(raise_request_exception=False).get("/boom/", {"q": "private words"})

    assert response.status_code == 500
    assert "private" not in captured_log.text
    request_id = response["X-Request-ID"]
    traceback, access = captured_log.entries()
    assert (traceback["logger"], traceback["request_id"]) == ("django.request", request_id)
    assert "RuntimeError: the view failed" in traceback["exception"]
    assert (access["logger"], access["status"], access["request_id"]) == (
        ACCESS_LOGGER,
        500,
        request_id,
    )


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_exception_django_lets_through_is_logged_then_raised(client, settings, captured_log):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True

    with pytest.raises(RuntimeError):
        client.get("/boom/")

    [line] = captured_log.access_lines()
    assert (line["path"], line["status"], line["size"]) == ("/boom/", 500, None)
    assert GENERATED_ID.fullmatch(line["request_id"])


@pytest.mark.django_db
def test_a_streamed_csv_export_is_logged_once(client, captured_log):
    initiative = InitiativeFactory(title="Seed banks, in Mozambique")

    response = client.get("/api/v1/initiatives/", {"format": "csv"})
    body = b"".join(response.streaming_content).decode()

    assert initiative.title in body
    [line] = captured_log.access_lines()
    assert (line["path"], line["status"], line["size"]) == ("/api/v1/initiatives/", 200, None)
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_debug_level_logs_no_sql_parameters(client, researcher, captured_log):
    """With LOG_LEVEL=DEBUG, the SQL log would show session keys and e-mail addresses."""
    client.force_login(researcher)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        with CaptureQueriesContext(connection):  # the cursor that logs SQL, as under DEBUG
            client.get(reverse("editor-dashboard"))
    finally:
        root.setLevel(level)

    assert client.cookies[settings.SESSION_COOKIE_NAME].value not in captured_log.text
    assert researcher.email not in captured_log.text


def test_runserver_request_lines_are_not_written(captured_log):
    """The access line replaces them: they hold the query string and the client's address."""
    logging.getLogger("django.server").warning('"GET /?q=private HTTP/1.1" 404 179')

    assert captured_log.text == ""


def _log_from_a_fresh_process(**environment) -> str:
    """What a message logged by a process with ``environment`` looks like on stderr."""
    result = run_python(
        "-c",
        "import django, logging; django.setup(); "
        "logging.getLogger('ssdc_portal.check').warning('ready')",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "ready" in line]
    return line


def test_production_logs_json_lines():
    entry = json.loads(_log_from_a_fresh_process(**production_environment()))

    assert {key: entry[key] for key in ("level", "logger", "message", "request_id")} == {
        "level": "WARNING",
        "logger": "ssdc_portal.check",
        "message": "ready",
        "request_id": "-",
    }


@pytest.mark.parametrize(
    "environment",
    [{"DEBUG": "True"}, production_environment(LOG_FORMAT="text")],
    ids=["debug", "chosen"],
)
def test_text_logs_in_development_or_when_chosen(environment):
    line = _log_from_a_fresh_process(**environment)

    assert line.endswith(" WARNING ssdc_portal.check [-] ready")


def test_an_unknown_log_format_is_refused():
    result = run_python("-c", "import django; django.setup()", LOG_FORMAT="xml", DEBUG="True")

    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr
