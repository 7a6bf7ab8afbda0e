"""The benchmark's baseline views and the parts of its harness that need no server."""

import csv
import importlib
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import clear_url_caches
from django.utils import timezone

from devtools import benchmark
from devtools.synthetic import generate
from funding.models import FundingModel
from initiatives.api.aggregates import KINDS
from initiatives.models import Initiative
from initiatives.services import initiative_refresh_search_vector
from reference.models import Modality
from ssdc_portal.api.urls import router
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    ParticipationFactory,
    country,
)
from tests.test_api_fuzz import url_of_the_test_database

LIST = "/api/v1/initiatives/"
BARE = "/bench/bare/initiatives/"
ICONTAINS = "/bench/icontains/initiatives/"
State = Initiative.State


def _reload_urls():
    import ssdc_portal.urls

    importlib.reload(ssdc_portal.urls)
    clear_url_caches()


@pytest.fixture
def bench_views(settings):
    """The /bench/ views mounted, as the benchmark's server has them."""
    before = settings.BENCHMARK_VIEWS
    settings.BENCHMARK_VIEWS = True
    _reload_urls()
    yield
    settings.BENCHMARK_VIEWS = before
    _reload_urls()


@pytest.fixture
def records(db):
    """52 published initiatives (more than a page) with every nested part, and newer
    records in every other state, which no list may show."""
    funding_models = list(FundingModel.objects.order_by("pk")[:2])
    modalities = list(Modality.objects.order_by("pk")[:3])
    for n in range(52):
        initiative = InitiativeFactory(title=f"Seed fair {n}")
        if n % 2:
            InitiativeCountryFactory(initiative=initiative, country=country("ZA"), share=40)
            InitiativeCountryFactory(
                initiative=initiative, country=country("IN"), role="provider", share=Decimal("12.5")
            )
            ParticipationFactory(initiative=initiative, role="partner")
            funder = ParticipationFactory(initiative=initiative, role="funding").actor
            initiative.sectors.add("31120", "11220")
            initiative.modalities.add(*modalities)
            for model in [*funding_models, funding_models[0]]:
                FundingContributionFactory(initiative=initiative, funding_model=model)
            FundingContributionFactory(initiative=initiative, funder=funder)
    for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ARCHIVED):
        InitiativeFactory(title=f"Seed fair {state}", slug=f"hidden-{state}", state=state)


def _comparable(body: dict) -> dict:
    body["next"] = body["next"].split("?")[1]  # each view links to its own next page
    for row in body["results"]:
        row["participants"].sort(key=lambda p: (p["organisation"], p["role"]))
    return body


def test_the_bare_view_answers_the_api_first_page(client, records, bench_views):
    api = client.get(LIST)
    bare = client.get(BARE)

    assert bare.status_code == 200
    assert bare["Content-Type"] == "application/json"
    assert _comparable(bare.json()) == _comparable(api.json())
    rows = bare.json()["results"]
    assert len(rows) == 50
    assert not [row for row in rows if row["slug"].startswith("hidden-")]
    nested = next(row for row in rows if len(row["recipient_countries"]) == 2)
    assert nested["recipient_countries"] == [
        {"code": "ZA", "share": "40.00"},
        {"code": "MZ", "share": None},
    ]
    assert {p["role"] for p in nested["participants"]} == {"lead", "partner", "funding"}


def test_the_icontains_baseline_answers_like_the_api(client, records, bench_views):
    found = client.get(ICONTAINS, {"q": "seed fair 1", "page_size": 200})

    assert found.status_code == 200
    slugs = [row["slug"] for row in found.json()["results"]]
    expected = Initiative.objects.published().filter(title__icontains="seed fair 1")
    assert sorted(slugs) == sorted(expected.values_list("slug", flat=True))
    assert client.get(ICONTAINS, {"q": "seed fair draft"}).json()["results"] == []


@pytest.mark.django_db
def test_bench_views_are_not_mounted_by_default(client, settings):
    settings.BENCHMARK_VIEWS = False
    _reload_urls()

    assert client.get(BARE).status_code == 404
    assert client.get(ICONTAINS).status_code == 404


@pytest.mark.parametrize("same_time", [False, True], ids=["distinct", "tied"])
def test_the_deep_cursor_starts_at_the_asked_row(client, records, same_time):
    if same_time:  # every row at one position: the cursor needs an offset
        Initiative.objects.update(updated_at=timezone.now())
    everything = client.get(LIST, {"page_size": 200}).json()["results"]

    deep = client.get(benchmark.deep_cursor(45) + "&page_size=3").json()["results"]

    assert [row["slug"] for row in deep] == [row["slug"] for row in everything[45:48]]


def test_copy_baseline_holds_the_rows_of_the_csv_export(client, records):
    sql, params = benchmark.copy_sql()
    with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
        copied = b"".join(bytes(data) for data in copy).decode()
    exported = b"".join(client.get(LIST, {"format": "csv"}).streaming_content).decode()

    def slugs(text):
        return [row[0] for row in csv.reader(io.StringIO(text))][1:]

    assert slugs(copied) == slugs(exported)
    assert len(slugs(copied)) == 52


def test_query_counts_give_a_row_per_list_endpoint(records):
    figures = benchmark.query_counts(benchmark.probe_data())

    labels = [figure.what for figure in figures]
    for _prefix, _viewset, basename in router.registry:
        assert sum(f"/api/v1/{_prefix}/ " in label for label in labels) == 1, basename
    for kind in KINDS:
        assert sum(f"/aggregates/{kind}/" in label for label in labels) == 1
    for page in ("/ ", "/initiatives/", "/principles/", "/dashboard/", "/countries/"):
        assert sum(f"page {page}" in label for label in labels) == 1
    assert sum("page /organisations/ (" in label for label in labels) == 1
    assert not [figure for figure in figures if figure.measured.startswith("failed")]
    initiatives = next(figure for figure in figures if "/api/v1/initiatives/" in figure.what)
    assert initiatives.met
    assert initiatives.measured.endswith("50 rows")


@pytest.mark.django_db
def test_each_language_search_finds_records_through_their_stems_and_translations(client):
    record = InitiativeFactory(title="Seed fair", language="en")
    for language, title in [
        ("es", "Feria de semillas"),
        ("pt", "Feira de sementes"),
        ("fr", "Foire aux semences"),
    ]:
        record.translations.create(language=language, title=title, summary=f"{title}.")
    InitiativeFactory(title="Housing savings", language="en")
    initiative_refresh_search_vector(initiative_ids=[record.pk])

    paths = benchmark.language_search_paths()

    assert set(paths) == {"en", "es", "pt-br", "fr"}  # the interface languages
    for language, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, language
        assert [row["slug"] for row in response.json()["results"]] == [record.slug], language


def _database_url() -> str:
    """The test database's address, for the server and the writer (other processes); the
    embedded server listens on a socket folder."""
    return url_of_the_test_database()


def test_the_editing_phase_measures_while_drafts_are_saved_and_records_published(
    reference_data, tmp_path, monkeypatch
):
    generate(300, seed=7, progress=lambda message: None)
    probe = benchmark.probe_data()
    editor_draft = Initiative.objects.filter(state=State.DRAFT).order_by("pk").first()
    submitted = set(Initiative.objects.filter(state=State.SUBMITTED).values_list("pk", flat=True))
    monkeypatch.setenv("DATABASE_URL", _database_url())

    with benchmark.Server(tmp_path) as server:
        figures = benchmark.editing_load_figures(server, probe, benchmark.Budget.quick(), tmp_path)
        memory = benchmark.memory_figure(server, probe)

    rows = {figure.what: figure for figure in figures}
    writer = next(figure for what, figure in rows.items() if what.startswith("editing load:"))
    assert writer.met, writer.measured
    for path in benchmark.list_paths(probe) + benchmark.profile_paths(probe):
        assert f"page {path} under editing load: p95 / p99 of" in " ".join(rows), path
    for what in [
        "page /initiatives/: slowest of the first 4 requests after each of",
        "editor's draft saves during wrk -t2 -c8 on /initiatives/?provider=",
        "req/s under editing load (wrk -t2 -c8)",
    ]:
        assert any(what in row for row in rows), what
    searches = [figure for figure in figures if figure.target == "≤ 50 ms, count = SQL count"]
    assert {figure.what.split("&lang=")[1].split(" ")[0] for figure in searches} == {
        "en",
        "es",
        "pt-br",
        "fr",
    }
    for figure in searches:  # the page shows as many results as SQL counts
        shown, counted = re.search(
            r"([\d,]+) results shown \(SQL count ([\d,]+)\)", figure.measured
        ).groups()
        assert shown == counted and shown != "0", figure.what
    assert sum(figure.what.startswith("search plan, lang=") for figure in figures) == 4
    assert not [figure for figure in figures if figure.measured.startswith("failed")]
    # The writer saved the synthetic editor's draft through the service, and published.
    editor_draft.refresh_from_db()
    assert "[edit " in editor_draft.summary
    assert editor_draft.state == State.DRAFT
    assert editor_draft.updated_by.username == "benchmark-editor"
    published = Initiative.objects.filter(pk__in=submitted, state=State.PUBLISHED)
    assert published.filter(reviewed_by__username="benchmark-moderator").exists()
    assert memory.measured.endswith(" MB)") and memory.met
