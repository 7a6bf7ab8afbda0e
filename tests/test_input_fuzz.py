"""Hostile input at every list, filter and search, and at the report request form.

Hypothesis sends random text (unicode, NUL bytes, very long strings, SQL- and HTML-looking
text), huge, negative and fractional numbers, dates that do not exist, repeated and unknown
parameters. Whatever it sends, nothing answers with a server error, nothing is written to the
database, and a bad value is named: the API answers 4xx with the JSON error body naming the
parameter; the HTML list pages show their results with the bad filter left out and a message
saying so; the report form answers 400 with the form's notes.

The parameter names come from the filter sets themselves (and the API router), so a filter
added later is fuzzed too. ``tests/test_api_fuzz.py`` (schemathesis) checks the API against its
OpenAPI document; this file sends what the document does not describe, and covers the pages.
"""

import json
import re
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django_filters.rest_framework import DjangoFilterBackend
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initiatives.api.aggregates import KINDS as AGGREGATE_KINDS
from initiatives.browse.filters import InitiativeDataFilterSet, InitiativeFilterSet
from principles.models import Principle, PrincipleSet
from reports.api import ReportRequestSerializer
from reports.forms import FORMAT_CHOICES, ReportRequestForm
from reports.models import Report
from reports.views import EXPORTS
from ssdc_portal.api.urls import router
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    MembershipFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
    UserFactory,
    country,
)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---- hostile values ----

SPECIAL_VALUES = [
    "",
    " ",
    "\x00",
    "MZ\x00",
    "' OR '1'='1",
    "1; DROP TABLE initiatives_initiative; --",
    '"; SELECT pg_sleep(10); --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "%",
    "_",
    "\\",
    "../../etc/passwd",
    "null",
    "true",
    "[]",
    "{}",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-Infinity",
    "9" * 40,
    "-" + "9" * 40,
    "2023-02-30",
    "2023-13-01",
    "0000-00-00",
    "10000-01-01",
    "١٩٩٩",  # Arabic-Indic digits: int() accepts them
    "x" * 5000,
    "🌱" * 300,
    "\u202eevil",
    "\ufeffBR",
    "\r\n",
    "br",
    "BR ",
    " 31120",
    "cooperação",
    '"unclosed',
    "-seed or",
    "a:*",
    "!&|()",
]
UNKNOWN_NAMES = ["id", "pk", "page[size]", "filter", "__class__", "q[]", "offset", "limit"]

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_numbers = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
_dates = st.one_of(
    st.dates().map(str),
    st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda ymd: "{:04d}-{:02d}-{:02d}".format(*ymd)
    ),
)
hostile_values = st.one_of(st.sampled_from(SPECIAL_VALUES), _text, _numbers, _dates)


def query_strategy(catalogue: dict[str, list[str]]):
    """Lists of ``(name, value)`` pairs: a few valid filters (so that a bad value also meets
    the code behind the valid ones), then a few parameters, known or not, each given once or
    repeated, with hostile values."""
    with_values = sorted(name for name, good in catalogue.items() if good)
    valid = (
        st.lists(
            st.sampled_from(with_values).flatmap(
                lambda name: st.sampled_from(catalogue[name]).map(lambda value: (name, value))
            ),
            max_size=4,
        )
        if with_values
        else st.just([])
    )
    repeated_hostile = st.sampled_from(sorted(catalogue) + UNKNOWN_NAMES).flatmap(
        lambda name: st.lists(hostile_values, min_size=1, max_size=3).map(
            lambda values: [(name, value) for value in values]
        )
    )
    hostile = st.lists(repeated_hostile, max_size=2).map(
        lambda groups: [pair for group in groups for pair in group]
    )
    return st.tuples(valid, hostile).map(lambda parts: parts[0] + parts[1])


# ---- what the filter sets accept ----


def valid_values(declared) -> list[str]:
    """A few values a declared filter accepts (from its choices or its vocabulary table),
    so that examples combine good and bad values."""
    choices = declared.extra.get("choices")
    if choices is not None:
        choices = choices() if callable(choices) else choices
        return [str(value) for value, _label in list(choices)[:40] if value not in ("", None)]
    queryset = declared.extra.get("queryset")
    if queryset is not None:
        queryset = queryset(None) if callable(queryset) else queryset
        to_field = declared.extra.get("to_field", "pk")
        return [str(value) for value in queryset.values_list(to_field, flat=True)[:20]]
    return []


def catalogue_of(filterset_class, **extra) -> dict[str, list[str]]:
    """Every parameter of ``filterset_class`` with some valid values, plus ``extra``."""
    catalogue = {
        name: valid_values(declared) for name, declared in filterset_class.base_filters.items()
    }
    if "q" in catalogue:
        catalogue["q"] = ["seed", "cooperação", '"seed banks"', "seed or farm", "-farm"]
    return {**catalogue, **extra}


def api_list_endpoints() -> list[tuple[str, type]]:
    """``(basename, filter set)`` of every list the API router serves."""
    endpoints = []
    for _prefix, viewset, basename in router.registry:
        if hasattr(viewset, "describe_query_parameters"):  # the initiative filters
            filterset = InitiativeDataFilterSet
        else:
            queryset = viewset.queryset
            if queryset is None and getattr(viewset, "filterset_class", None):
                queryset = viewset.filterset_class._meta.model.objects.none()
            filterset = DjangoFilterBackend().get_filterset_class(viewset(), queryset)
        endpoints.append((basename, viewset, filterset))
    return endpoints


API_ENDPOINTS = api_list_endpoints()
# Valid formats; hostile values cover the rest. ``api`` (the browsable API) is left to the
# schemathesis run: rendering it takes most of a second.
FORMATS = ["json", "csv"]


def api_catalogue(viewset, filterset, *, cursors=()) -> dict[str, list[str]]:
    """The parameters a list endpoint reads: its filters, format, sort order and pages."""
    catalogue = catalogue_of(filterset) if filterset else {}
    catalogue["format"] = FORMATS
    if viewset.pagination_class is not None:
        catalogue["cursor"] = list(cursors)
        catalogue["page_size"] = ["1", "2", "50", "200"]
    if hasattr(viewset, "describe_query_parameters"):
        catalogue["ordering"] = ["-updated_at", "updated_at", "-id", "title"]
    return catalogue


# ---- data, seeded once for the whole module ----


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """A few published initiatives with every kind of related row, a draft, and an editor
    of the draft's organisation; rolled back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        published = InitiativeFactory(title="Seed banks", start_year=2014)
        published.sectors.add("31120")
        published.modalities.add(1)
        FundingContributionFactory(initiative=published)
        PrincipleEvidenceFactory(initiative=published, principle=Principle.objects.first())
        SourceFactory(initiative=published)
        other = InitiativeFactory(title="Farm schools", recipient__country=country("HT"))
        InitiativeCountryFactory(initiative=other, country=country("MX"), role="provider")
        membership = MembershipFactory()
        draft = InitiativeFactory(
            title="Unpublished plans", owner=membership.organisation, state="draft"
        )
        yield {
            "published": published,
            "draft": draft,
            "editor": membership.user,
            "researcher": UserFactory(),
        }
        transaction.set_rollback(True)


@pytest.fixture
def data(seeded, db):
    return seeded


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|TRUNCATE|CREATE|DROP|ALTER)\b", re.I)


def fetch(client, method: str, url: str, **kwargs):
    """``client.<method>(url)`` and the writes to the database it made, asserting that it
    answered without a server error. Throttling counters start again for every example (they
    live in the cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    writes = [q["sql"][:200] for q in queries if WRITE.match(q["sql"])]
    assert response.status_code < 500, response.content[:2000]
    return response, writes


def get_without_writes(client, url: str, **kwargs):
    """``client.get(url)``, asserting that it neither failed nor wrote to the database."""
    response, writes = fetch(client, "get", url, **kwargs)
    assert not writes, writes
    return response


def url_with(path: str, pairs: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


# ---- the API lists ----


def assert_api_answer(response, pairs):
    """A 200, or a 4xx in the JSON error body naming a parameter that was sent."""
    names = {name for name, _value in pairs}
    if response.status_code == 200:
        return
    assert response.status_code in (400, 404), (response.status_code, pairs)
    if response["Content-Type"].startswith("text/html"):  # the browsable API, asked for
        assert ("format", "api") in pairs, pairs
        return
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = json.loads(response.content)["error"]
    assert error["status"] == response.status_code
    assert isinstance(error["message"], str) and error["message"]
    if response.status_code == 400:
        assert set(error["details"]) & names, (error, pairs)
    else:  # only a cursor that is not ours, or a format the endpoint does not offer
        assert names & {"cursor", "format"}, (error, pairs)


def real_cursors(client, path: str) -> list[str]:
    """The cursor of the second page of ``path``, as the API hands it out."""
    body = client.get(path, {"page_size": 1}).json()
    following = body.get("next") if isinstance(body, dict) else None
    return parse_qs(urlsplit(following).query)["cursor"] if following else []


@pytest.mark.parametrize(
    ("basename", "viewset", "filterset"),
    API_ENDPOINTS,
    ids=[basename for basename, _v, _f in API_ENDPOINTS],
)
def test_api_lists_answer_bad_parameters_with_a_named_4xx(
    client, data, basename, viewset, filterset
):
    path = reverse(f"api:{basename}-list")
    if basename == "report":  # a signed-in user's own reports
        client.force_login(data["editor"])
    catalogue = api_catalogue(viewset, filterset, cursors=real_cursors(client, path))

    @FUZZ
    @given(pairs=query_strategy(catalogue))
    def fuzz(pairs):
        response = get_without_writes(client, url_with(path, pairs))
        assert_api_answer(response, pairs)

    fuzz()


def test_aggregates_answer_bad_parameters_with_a_named_4xx(client, data):
    catalogue = {**catalogue_of(InitiativeDataFilterSet), "format": FORMATS}

    @FUZZ
    @given(
        kind=st.sampled_from([*AGGREGATE_KINDS, "unknown-kind"]), pairs=query_strategy(catalogue)
    )
    def fuzz(kind, pairs):
        response = get_without_writes(client, url_with(f"/api/v1/aggregates/{kind}/", pairs))
        if kind not in AGGREGATE_KINDS:
            assert response.status_code == 404
            return
        assert_api_answer(response, pairs)

    fuzz()


# ---- the public HTML pages ----

# Hostile values that would run as script if a page showed them unescaped.
SCRIPT_VALUES = [value for value in SPECIAL_VALUES if "<" in value]


def assert_page_shows(
    response, pairs, *, heading: str, filterset=None, extra_errors=(), status: int = 200
):
    """A page (200 unless ``status`` says otherwise) that names every bad value under
    ``heading`` and never echoes markup it was sent."""
    assert response.status_code == status, (response.status_code, pairs)
    page = response.content.decode()
    messages = [str(message) for message in extra_errors if message]
    if filterset is not None:
        messages += [str(error) for errors in filterset.errors.values() for error in errors]
    if messages:
        assert heading in page, pairs
        for message in messages:
            assert escape(message) in page, (message, pairs)
    for value in SCRIPT_VALUES:
        assert value not in page


def test_initiative_list_page_leaves_bad_filters_out_with_a_message(client, data):
    catalogue = catalogue_of(InitiativeFilterSet, page=["1", "2", "last"])

    @FUZZ
    @given(pairs=query_strategy(catalogue), htmx=st.booleans())
    def fuzz(pairs, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = get_without_writes(client, url_with("/initiatives/", pairs), headers=headers)
        assert_page_shows(
            response,
            pairs,
            heading="Some filters could not be applied",
            filterset=response.context["filterset"],
        )

    fuzz()


def test_principles_matrix_leaves_bad_filters_out_with_a_message(client, data):
    sets = list(PrincipleSet.objects.values_list("slug", flat=True))
    catalogue = catalogue_of(InitiativeFilterSet, set=sets, page=["1", "2"])

    @FUZZ
    @given(pairs=query_strategy(catalogue))
    def fuzz(pairs):
        response = get_without_writes(client, url_with("/principles/", pairs))
        assert_page_shows(
            response,
            pairs,
            heading="Some choices could not be applied",
            filterset=response.context["filterset"],
            extra_errors=[response.context["set_error"]],
        )

    fuzz()


def test_dashboard_and_profiles_ignore_what_they_do_not_read(client, data):
    organisation = data["published"].owner.slug
    pages = ["/dashboard/", "/countries/MZ/", "/countries/br/", f"/organisations/{organisation}/"]
    catalogue = {"page": ["1", "2"], "funded_page": ["1", "2"], "q": ["seed"]}

    @FUZZ
    @given(path=st.sampled_from(pages), pairs=query_strategy(catalogue))
    def fuzz(path, pairs):
        response = get_without_writes(client, url_with(path, pairs))
        assert_page_shows(response, pairs, heading="")

    fuzz()


def test_country_pages_answer_any_code_without_a_server_error(client, data):
    @FUZZ
    @given(code=st.one_of(st.sampled_from(["MZ", "mz", "ZZ", "BRA", "M", "1A"]), hostile_values))
    def fuzz(code):
        code = code.replace("/", "") or "-"
        response = get_without_writes(client, f"/countries/{quote(code, safe='')}/")
        assert response.status_code in (200, 404), (response.status_code, code)

    fuzz()


# ---- asking for a report ----


def report_catalogue(data) -> dict[str, list[str]]:
    """What the report form reads: its own fields, the export buttons and the list's
    filters."""
    catalogue = {name: [] for name in ReportRequestForm.base_fields}
    catalogue |= {
        "kind": [value for value, _label in Report.Kind.choices],
        "format": [value for value, _label in FORMAT_CHOICES],
        "initiative": [data["published"].slug, data["draft"].slug],
        "country": ["MZ", "br", "HT"],
        "include_drafts": ["on"],
        "export": list(EXPORTS),
    }
    filters = catalogue_of(InitiativeDataFilterSet)
    return catalogue | {name: filters[name] for name in InitiativeDataFilterSet.NARROWING}


def test_report_form_refuses_bad_requests_with_its_notes_and_writes_nothing(client, data):
    catalogue = report_catalogue(data)

    @FUZZ
    @given(pairs=query_strategy(catalogue), user=st.sampled_from(["editor", "researcher"]))
    def fuzz(pairs, user):
        client.force_login(data[user])
        reports = Report.objects.count()
        response, writes = fetch(
            client,
            "post",
            "/reports/",
            data=urlencode(pairs),
            content_type="application/x-www-form-urlencoded",
        )
        if response.status_code == 303:  # a valid request: one report, or a recent one again
            assert Report.objects.count() - reports in (0, 1)
            return
        assert response.status_code == 400, (response.status_code, pairs)
        assert not writes, writes
        assert Report.objects.count() == reports
        form = response.context["form"]
        messages = [str(error) for errors in form.errors.values() for error in errors]
        assert_page_shows(
            response, pairs, heading="There is a problem", extra_errors=messages, status=400
        )

    fuzz()


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_values,
)


def _json_containers(children):
    return st.lists(children, max_size=3) | st.dictionaries(_text, children, max_size=3)


json_values = st.recursive(json_leaves, _json_containers, max_leaves=6)


def report_bodies(data):
    """JSON bodies for ``POST /api/v1/reports/``: each known key sometimes present with a
    valid value or anything at all, and sometimes unknown keys."""
    catalogue = report_catalogue(data)
    filter_names = list(InitiativeDataFilterSet.NARROWING)

    def field(name):
        good = catalogue.get(name) or []
        return st.one_of(st.sampled_from(good), json_values) if good else json_values

    filters = st.one_of(
        st.dictionaries(
            st.sampled_from([*filter_names, *UNKNOWN_NAMES]),
            st.lists(st.one_of(hostile_values, st.sampled_from(["MZ", "31120"])), max_size=3)
            | json_values,
            max_size=3,
        ),
        json_values,
    )
    optional = {name: field(name) for name in ReportRequestSerializer().fields}
    optional["filters"] = filters
    optional["include_drafts"] = st.one_of(st.booleans(), json_values)
    bodies = st.fixed_dictionaries({}, optional=optional | {"unknown": json_values})
    return st.one_of(bodies.map(json.dumps), bodies, st.sampled_from(RAW_BODIES), json_values)


RAW_BODIES = ['{"kind": NaN}', "{", "not json", "", "\x00", '{"kind": "dataset"', "[]"]


def test_report_api_refuses_bad_requests_with_a_named_400_and_writes_nothing(client, data):
    client.force_login(data["editor"])
    fields = set(ReportRequestSerializer().fields) | {"non_field_errors"}

    @FUZZ
    @given(body=report_bodies(data))
    def fuzz(body):
        if not isinstance(body, str):
            body = json.dumps(body)
        reports = Report.objects.count()
        response, writes = fetch(
            client, "post", "/api/v1/reports/", data=body, content_type="application/json"
        )
        if response.status_code in (200, 202):
            assert Report.objects.count() - reports in (0, 1)
            return
        assert response.status_code == 400, (response.status_code, body)
        assert not writes, writes
        assert Report.objects.count() == reports
        error = response.json()["error"]
        assert error["message"]
        if "details" in error:
            assert set(error["details"]) <= fields, error

    fuzz()
