"""The benchmark behind ``python manage.py benchmark``: the quality targets of the design
(§12), each measured against a baseline taken in the same run on the same machine.

HTTP figures come from the portal served by gunicorn (two workers) on a loopback port, with
the baseline views of ``devtools.baselines`` mounted; throughput is measured with ``wrk`` in a
separate process, latencies with a sequential client (one request at a time, so a latency is
the server's time plus a loopback round trip). Exports run in child processes so that their
peak memory can be read; query counts are taken in-process with Django's test client.
"""

import contextlib
import http.client
import itertools
import json
import math
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess  # noqa: S404 - the server, wrk and the export children
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation
from rest_framework.pagination import Cursor
from rest_framework.views import APIView

from devtools.editing_load import Writer, editing_load, worker_memory
from funding.models import FundingContribution
from initiatives.api.aggregates import KINDS
from initiatives.browse.filters import InitiativeDataFilterSet
from initiatives.browse.search import STOP_WORDS
from initiatives.models import (
    Initiative,
    InitiativeCountry,
    InitiativeTranslation,
    content_language,
)
from initiatives.models.initiative import InitiativeQuerySet
from organisations.models import Organisation
from ssdc_portal.api.pagination import StableCursorPagination

MB = 1024 * 1024
GIN_INDEX = "initiative_search_gin"
LIST_URL = "/api/v1/initiatives/"
BARE_URL = "/bench/bare/initiatives/"
ICONTAINS_URL = "/bench/icontains/initiatives/"
WRK = shutil.which("wrk")
SERVER_ENV = {
    "DEVTOOLS": "True",  # the baseline views live in the development tools
    "BENCHMARK_VIEWS": "True",
    "DEBUG": "False",
    "ALLOW_PLAIN_HTTP": "True",  # gunicorn on a loopback port, no TLS in front
    "ALLOWED_HOSTS": "127.0.0.1",
    "API_ANON_RATE": "100000000/minute",
    "API_USER_RATE": "100000000/minute",
    "LOG_LEVEL": "WARNING",
}


@dataclass(frozen=True)
class Budget:
    """How long and how often to measure; ``quick`` is for trying the harness out."""

    wrk_seconds: int = 5  # each of the API_TURNS runs per view
    repeats: int = 10  # sequential requests per URL
    language_repeats: int = 40  # per language: enough samples for a p95 that is not the maximum
    page_repeats: int = 5  # the same for the list page, whose slowest URL takes seconds
    cursor_repeats: int = 20
    # read-only rounds of the editing phase's URLs, the baselines of its ratios: enough for a
    # p95 that is not the second slowest request (20 rounds gave 49-98 ms for the same search)
    load_repeats: int = 60
    load_wrk_seconds: int = 20  # wrk -c8 on the list, read-only and under editing load
    editing_seconds: int = 90  # sequential rounds under editing load (at least 2 rounds)
    publish_every: float = 10.0  # seconds between the moderator's publications
    after_publication: int = 4  # requests timed right after each publication

    @classmethod
    def quick(cls) -> "Budget":
        return cls(
            wrk_seconds=2,
            repeats=2,
            page_repeats=2,
            cursor_repeats=3,
            language_repeats=2,
            load_repeats=2,
            load_wrk_seconds=3,
            editing_seconds=8,
            publish_every=3.0,
        )


@dataclass
class Figure:
    """One row of the table."""

    what: str
    measured: str
    baseline: str
    ratio: str
    target: str
    met: bool

    @property
    def cells(self) -> list[str]:
        return [
            self.what,
            self.measured,
            self.baseline,
            self.ratio,
            self.target,
            "yes" if self.met else "no",
        ]


def failed(what: str, target: str, error: Exception) -> Figure:
    message = f"failed: {type(error).__name__}: {error}".replace("|", "/").replace("\n", " ")
    return Figure(what, message[:200], "—", "—", target, False)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def times(ratio: float) -> str:
    return f"{ratio:.2f}×"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------------
# What the data set offers: search words, busy and quiet countries and organisations


@dataclass
class Probe:
    """Parameters taken from the data, so that every run asks comparable questions."""

    initiatives: int
    published: int
    common_words: list[str]
    rare_words: list[str]
    provider: str | None
    sector: str | None
    busy_country: str | None
    quiet_country: str | None
    busy_organisation: str | None
    quiet_organisation: str | None


def published() -> QuerySet:
    return Initiative.objects.visible_to(None)


def vocabulary(count: int) -> tuple[list[str], list[str]]:
    """The ``count`` most and least frequent plain words of the published records' search
    vectors (read from a sample of the table when it is large)."""
    sample = "TABLESAMPLE SYSTEM (10) REPEATABLE (1)" if published().count() > 20_000 else ""
    inner = (
        f"SELECT search_vector FROM {Initiative._meta.db_table} {sample} "  # noqa: S608 - constants
        "WHERE state = 'published' AND search_vector IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat(%s) WHERE word ~ '^[a-z]{4,}$' ORDER BY ndoc, word",
            [inner],
        )
        words = [word for word, _ndoc in cursor.fetchall() if word not in STOP_WORDS]
    rare = words[:count]
    common = [word for word in reversed(words) if word not in rare][:count]
    return common, rare


def probe_data() -> Probe:
    visible = published()
    common, rare = vocabulary(3)
    links = InitiativeCountry.objects.filter(initiative__in=visible.values("pk"))
    providers = (
        links.filter(role=InitiativeCountry.Role.PROVIDER)
        .values_list("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")
    )
    countries = list(links.values_list("country").annotate(n=Count("pk")).order_by("-n", "country"))
    # The quiet country's page must list something in each role, or Django skips the lists'
    # prefetch queries and the two pages are not the same work at different sizes.
    in_both_roles = set(
        links.filter(role=InitiativeCountry.Role.PROVIDER).values_list("country", flat=True)
    ) & set(links.filter(role=InitiativeCountry.Role.RECIPIENT).values_list("country", flat=True))
    quiet = [code for code, _n in countries if code in in_both_roles]
    sectors = (
        Initiative.sectors.through.objects.filter(initiative__in=visible.values("pk"))
        .values_list("sector")
        .annotate(n=Count("pk"))
        .order_by("-n", "sector")
    )
    # Likewise the quiet organisation must take part in and fund published initiatives.
    funders = FundingContribution.objects.filter(initiative__state="published").values("funder")
    organisations = list(
        Organisation.objects.annotate(
            n=Count("participations", filter=Q(participations__initiative__state="published"))
        )
        .filter(n__gt=0, pk__in=funders)
        .order_by("n", "slug")
        .values_list("slug", flat=True)
    )
    busy_country = "BR" if any(code == "BR" for code, _n in countries) else None
    return Probe(
        initiatives=Initiative.objects.count(),
        published=visible.count(),
        common_words=common,
        rare_words=rare,
        provider=next((code for code, _n in providers[:1]), None),
        sector=next((code for code, _n in sectors[:1]), None),
        busy_country=busy_country or next((code for code, _n in countries[:1]), None),
        quiet_country=(quiet or [code for code, _n in countries])[-1] if countries else None,
        busy_organisation=organisations[-1] if organisations else None,
        quiet_organisation=organisations[0] if organisations else None,
    )


# ---------------------------------------------------------------------------------------------
# Queries per request (in-process)


@dataclass
class Probed:
    """A list endpoint or page, asked for few and for many rows."""

    label: str
    few: str
    many: str
    user: bool = False  # needs a signed-in user with rows of their own (reports)


def list_endpoints(probe: Probe) -> list[Probed]:
    """Every list endpoint of the API router, the aggregates and the list pages."""
    from ssdc_portal.api.urls import router

    rare = probe.rare_words[0] if probe.rare_words else "zzzz"
    common = probe.common_words[0] if probe.common_words else "a"
    endpoints = []
    for _prefix, viewset, basename in router.registry:
        url = reverse(f"api:{basename}-list")
        needs_user = any(
            permission.__name__ == "IsAuthenticated" for permission in viewset.permission_classes
        )
        endpoints.append(
            Probed(
                f"GET {url} (50 vs 2 rows)",
                f"{url}?page_size=2",
                f"{url}?page_size=50",
                user=needs_user,
            )
        )
    for kind in KINDS:
        url = reverse("api:aggregate", kwargs={"kind": kind})
        endpoints.append(
            Probed(f"GET {url} (common vs rare word)", f"{url}?q={rare}", f"{url}?q={common}")
        )
    endpoints.append(Probed("page / (fixed)", "/", "/"))
    for path in ("/initiatives/", "/principles/"):
        endpoints.append(
            Probed(f"page {path} (common vs rare word)", f"{path}?q={rare}", f"{path}?q={common}")
        )
    endpoints.append(Probed("page /dashboard/ (fixed)", "/dashboard/", "/dashboard/"))
    if probe.busy_country:
        endpoints.append(
            Probed(
                f"page /countries/ ({probe.busy_country} vs {probe.quiet_country})",
                f"/countries/{probe.quiet_country}/",
                f"/countries/{probe.busy_country}/",
            )
        )
    if probe.busy_organisation:
        endpoints.append(
            Probed(
                "page /organisations/ (busiest vs quietest)",
                f"/organisations/{probe.quiet_organisation}/",
                f"/organisations/{probe.busy_organisation}/",
            )
        )
    return endpoints


def _count(client: Client, url: str) -> tuple[int, int, str]:
    """Queries made by GET ``url``, its status, and how many result rows a JSON list held."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    rows = ""
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        results = body.get("results", body) if isinstance(body, dict) else body
        rows = f", {len(results)} rows" if isinstance(results, list) else ""
    return len(captured), response.status_code, rows


@contextlib.contextmanager
def _reports_of_a_temporary_user(client: Client, many: int) -> Iterator[None]:
    """A signed-in user with ``many`` reports of their own, rolled back afterwards."""
    from reports.models import Report

    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username="benchmark-temporary", password=None, email=""
        )
        Report.objects.bulk_create(
            Report(kind=Report.Kind.DATASET, requested_by=user, fingerprint=f"{n:064d}")
            for n in range(many)
        )
        client.force_login(user)
        try:
            yield
        finally:
            client.logout()
            transaction.set_rollback(True)


def query_counts(probe: Probe) -> list[Figure]:
    """Queries per request for every list endpoint and page, for few and for many rows."""
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    figures = []
    with (
        warnings.catch_warnings(),  # WhiteNoise notes the missing STATIC_ROOT: not measured
        override_settings(
            ALLOWED_HOSTS=["testserver"],
            SECURE_SSL_REDIRECT=False,
            STORAGES={**settings.STORAGES, "staticfiles": static},
        ),
        mock.patch.object(APIView, "get_throttles", lambda view: []),
    ):
        warnings.filterwarnings("ignore", "No directory at", UserWarning)
        for endpoint in list_endpoints(probe):
            target = "equal, ≤ 10"
            try:
                client = Client()
                signed_in = (
                    _reports_of_a_temporary_user(client, 50)
                    if endpoint.user
                    else contextlib.nullcontext()
                )
                with signed_in:
                    # per-process caches (the facet index, remembered searches) are
                    # filled once, for both addresses
                    client.get(endpoint.few)
                    client.get(endpoint.many)
                    few, few_status, few_rows = _count(client, endpoint.few)
                    many, many_status, many_rows = _count(client, endpoint.many)
                if {few_status, many_status} != {200}:
                    raise RuntimeError(f"HTTP {few_status} / {many_status}")
                figures.append(
                    Figure(
                        f"queries: {endpoint.label}",
                        f"{many}{many_rows}",
                        f"{few}{few_rows}",
                        times(many / few),
                        target,
                        many == few and many <= 10,
                    )
                )
            except Exception as error:  # noqa: BLE001 - one endpoint's failure is a row
                figures.append(failed(f"queries: {endpoint.label}", target, error))
    return figures


# ---------------------------------------------------------------------------------------------
# The server and the clients


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _static_root(work: Path) -> str:
    """A static root with the manifest the production storage needs: the configured one if
    ``collectstatic`` has filled it, else a temporary one filled now."""
    if (Path(settings.STATIC_ROOT) / "staticfiles.json").is_file():
        return str(settings.STATIC_ROOT)
    root = work / "static"
    subprocess.run(  # noqa: S603 - this Python and manage.py, fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**server_env(), "STATIC_ROOT": str(root)},
        check=True,
    )
    return str(root)


def server_env() -> dict[str, str]:
    """The environment of the server and the children: this process's (same database) with
    production settings, the baseline views on and throttling out of the way."""
    env = {**os.environ, **SERVER_ENV}
    env.setdefault("SECRET_KEY", settings.SECRET_KEY)
    env["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE", "ssdc_portal.settings")
    return env


class Server:
    """The portal under gunicorn on a free loopback port, for the life of a ``with``."""

    def __init__(self, work: Path, workers: int = 2):
        self.work, self.workers = work, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = work / "gunicorn.log"

    def __enter__(self) -> "Server":
        env = {**server_env(), "STATIC_ROOT": _static_root(self.work)}
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "ssdc_portal.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "900",
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - gunicorn with fixed arguments
                command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_tail()}")
            with contextlib.suppress(OSError):
                if get(self.port, "/healthz")[0] in (200, 503):  # up, whatever it reports
                    return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within 90 s: {self.log_tail()}")

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def last_error(self) -> str:
        """The last exception line the server logged, to say why a request failed."""
        lines = [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if re.match(r"^\w+(\.\w+)*(Error|Exception)\b", line)
        ]
        return f" ({lines[-1][:150]})" if lines else ""


def get(port: int, path: str) -> tuple[int, int, float]:
    """GET ``path`` and read the whole body: status, bytes, seconds."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
    finally:
        conn.close()
    return response.status, size, time.perf_counter() - start


def fetch(port: int, path: str) -> tuple[int, bytes]:
    """GET ``path``: status and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def timed(server: "Server", path: str) -> float:
    status, _size, seconds = get(server.port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}{server.last_error()}")
    return seconds


@dataclass
class Latencies:
    first: dict[str, float]  # the first request of each path (caches cold)
    repeated: dict[str, list[float]]

    def of(self, paths: list[str]) -> list[float]:
        return [seconds for path in paths for seconds in self.repeated[path]]


def sequential(server: "Server", paths: list[str], repeats: int) -> Latencies:
    """Latencies of each path, asked ``repeats`` times in turn after one round that is kept
    apart (it fills whatever the portal caches). That round reaches one gunicorn worker per
    path; a second of ``wrk`` on each path then reaches the other one too, so that the
    repeated figures are the steady state of every worker, as in service."""
    first = {path: timed(server, path) for path in paths}
    for path in paths:
        wrk(server.base + path, 1)
    repeated: dict[str, list[float]] = {path: [] for path in paths}
    for _round in range(repeats):
        for path in paths:
            repeated[path].append(timed(server, path))
    return Latencies(first, repeated)


def wrk(url: str, seconds: int, connections: int = 4) -> float:
    """Requests per second ``wrk`` reaches on ``url`` (2 threads, 4 connections unless
    told)."""
    command = [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    output = subprocess.run(  # noqa: S603 - wrk on our own loopback URL
        command, capture_output=True, text=True, check=True
    ).stdout
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        raise RuntimeError(f"{match.group(1)} responses were not 2xx from {url}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"no Requests/sec in wrk's output: {output[-500:]}")
    return float(rate.group(1))


# ---------------------------------------------------------------------------------------------
# The HTTP figures


API_TURNS = 6  # runs of wrk on each view, alternating


def api_throughput(server: Server, budget: Budget) -> Figure:
    what = "API list, 50 rows: req/s (wrk -t2 -c4) vs bare view"
    target = "≥ 0.9× bare"  # DESIGN.md §12: the practical ceiling is the bare view
    try:
        for path in (BARE_URL, LIST_URL):
            wrk(server.base + path, 2)  # warm up both
        # In turns, the order swapped each round: a drift of the machine (the autovacuum of
        # the data just loaded, another process) weighs on both alike.
        rates: dict[str, list[float]] = {BARE_URL: [], LIST_URL: []}
        for turn in range(API_TURNS):
            for path in (BARE_URL, LIST_URL) if turn % 2 == 0 else (LIST_URL, BARE_URL):
                rates[path].append(wrk(server.base + path, budget.wrk_seconds))
        bare, api = statistics.mean(rates[BARE_URL]), statistics.mean(rates[LIST_URL])
    except Exception as error:  # noqa: BLE001
        return failed(what, target, error)
    return Figure(
        what, f"{api:.1f} req/s", f"{bare:.1f} req/s", times(api / bare), target, api / bare >= 0.9
    )


def search_latency(server: Server, probe: Probe, budget: Budget) -> list[Figure]:
    """Full-text search of the most and least frequent words against the same requests
    answered by a substring scan (reported as a baseline: for a word in half the records a
    scan stops as early as the index does, so no ratio is a target)."""
    words = probe.common_words + probe.rare_words
    what = (
        f"search ?q= (common words: {', '.join(probe.common_words)}; rare words: "
        f"{', '.join(probe.rare_words)}): p95, HTTP"
    )
    target = "≤ 50 ms"
    try:
        paths = {
            kind: [f"{url}?{urlencode({'q': word})}" for word in words]
            for kind, url in (("search", LIST_URL), ("icontains", ICONTAINS_URL))
        }
        latencies = sequential(server, paths["search"] + paths["icontains"], budget.repeats)
    except Exception as error:  # noqa: BLE001
        return [failed(what, target, error)]
    p95 = percentile(latencies.of(paths["search"]), 0.95)
    scan = percentile(latencies.of(paths["icontains"]), 0.95)
    return [
        Figure(
            what,
            ms(p95),
            f"{ms(scan)} (icontains)",
            f"{scan / p95:.1f}× faster",
            target,
            p95 <= 0.050,
        )
    ]


# A typical word in each interface language, searched by a visitor of that language (``lang``):
# each is also matched by its stem in that language ("seeds" finds "seed"), and in the
# synthetic data set finds records through their translations too.
LANGUAGE_WORDS = {"en": "seeds", "es": "semillas", "pt-br": "sementes", "fr": "semences"}


def language_search_paths() -> dict[str, str]:
    return {
        language: f"{LIST_URL}?{urlencode({'q': word, 'lang': language})}"
        for language, word in LANGUAGE_WORDS.items()
    }


def language_search_latency(server: Server, budget: Budget) -> list[Figure]:
    """Search in each language against the same word answered by a substring scan."""
    figures = []
    for language, path in language_search_paths().items():
        word = LANGUAGE_WORDS[language]
        what = f"search ?q={word}&lang={language}: p95, HTTP"
        target = "≤ 50 ms"
        scan_path = f"{ICONTAINS_URL}?{urlencode({'q': word})}"
        try:
            latencies = sequential(server, [path, scan_path], budget.language_repeats)
        except Exception as error:  # noqa: BLE001
            figures.append(failed(what, target, error))
            continue
        p95 = percentile(latencies.of([path]), 0.95)
        scan = percentile(latencies.of([scan_path]), 0.95)
        figures.append(
            Figure(
                what,
                ms(p95),
                f"{ms(scan)} (icontains)",
                f"{scan / p95:.1f}× faster",
                target,
                p95 <= 0.050,
            )
        )
    return figures


def facet_page_latency(server: Server, probe: Probe, budget: Budget) -> list[Figure]:
    """The list page with all facet counts: repeated requests of a fixed mix of URLs, and
    apart from them the first request of each (before anything could be cached)."""
    paths = list_paths(probe)
    what = f"page /initiatives/ with facets: p95 of {len(paths)} URLs, sequential"
    target = "≤ 150 ms"
    try:
        latencies = sequential(server, [*paths, BARE_URL], budget.page_repeats)
    except Exception as error:  # noqa: BLE001
        return [failed(what, target, error)]
    page = percentile(latencies.of(paths), 0.95)
    bare = percentile(latencies.of([BARE_URL]), 0.95)
    slowest = max(paths, key=latencies.first.get)
    cold, cold_bare = latencies.first[slowest], latencies.first[BARE_URL]
    return [
        Figure(
            what, ms(page), f"{ms(bare)} (bare view)", times(page / bare), target, page <= 0.150
        ),
        Figure(
            f"page /initiatives/ with facets: slowest first request ({slowest})",
            ms(cold),
            f"{ms(cold_bare)} (bare view)",
            times(cold / cold_bare),
            target,
            cold <= 0.150,
        ),
    ]


def deep_cursor(position: int) -> str:
    """The API's cursor for the page that starts at row ``position`` of the default order
    (``-updated_at, -id``), built as DRF's CursorPagination encodes it: the ``updated_at`` of
    an earlier row as the position, plus an offset past rows sharing the start's value."""
    ordered = published().order_by("-updated_at", "-id").values_list("updated_at", flat=True)
    start = ordered[position]
    earlier = published().filter(updated_at__gt=start)
    above = earlier.order_by("updated_at", "id").values_list("updated_at", flat=True).first()
    offset = position - earlier.count()
    paginator = StableCursorPagination()
    paginator.base_url = LIST_URL
    cursor = Cursor(offset=offset, reverse=False, position=None if above is None else str(above))
    return paginator.encode_cursor(cursor)


def cursor_depth(server: Server, probe: Probe, budget: Budget) -> Figure:
    depth = int(probe.published * 0.9)
    what = f"API cursor page at 90% depth (row {depth:,}): median"
    target = "≤ 2× first page"
    try:
        deep = deep_cursor(depth)
        latencies = sequential(server, [LIST_URL, deep], budget.cursor_repeats)
    except Exception as error:  # noqa: BLE001
        return failed(what, target, error)
    first = statistics.median(latencies.of([LIST_URL]))
    far = statistics.median(latencies.of([deep]))
    return Figure(
        what, ms(far), f"{ms(first)} (first page)", times(far / first), target, far / first <= 2
    )


# ---------------------------------------------------------------------------------------------
# Exports


# The CSV export's columns for the rows it holds (the gate's SQL in "{gate}"), in its order.
COPY_SQL = """COPY (
    SELECT i.slug, i.title, i.cooperation_type, i.activity_status,
        COALESCE(EXTRACT(YEAR FROM i.actual_start)::int,
                 EXTRACT(YEAR FROM i.planned_start)::int, i.start_year),
        o.slug,
        (SELECT string_agg(c.country_id, '; ' ORDER BY c.share DESC NULLS LAST, c.country_id)
           FROM initiatives_initiativecountry c
          WHERE c.initiative_id = i.id AND c.role = 'provider'),
        (SELECT string_agg(c.country_id, '; ' ORDER BY c.share DESC NULLS LAST, c.country_id)
           FROM initiatives_initiativecountry c
          WHERE c.initiative_id = i.id AND c.role = 'recipient'),
        (SELECT string_agg(a.slug || ' (' || p.role || ')', '; ' ORDER BY p.id)
           FROM initiatives_participation p JOIN initiatives_actor a ON a.id = p.actor_id
          WHERE p.initiative_id = i.id),
        (SELECT string_agg(s.sector_id, '; ' ORDER BY s.sector_id)
           FROM initiatives_initiative_sectors s WHERE s.initiative_id = i.id),
        (SELECT string_agg(m.slug, '; ' ORDER BY m.position, m.name)
           FROM initiatives_initiative_modalities im
           JOIN initiatives_modality m ON m.id = im.modality_id
          WHERE im.initiative_id = i.id),
        (SELECT string_agg(DISTINCT fm.slug, '; ')
           FROM funding_fundingcontribution f
           JOIN funding_fundingmodel fm ON fm.id = f.funding_model_id
          WHERE f.initiative_id = i.id),
        i.updated_at
    FROM initiatives_initiative i JOIN initiatives_actor o ON o.id = i.owner_id
    WHERE i.id IN ({gate})
    ORDER BY i.updated_at DESC, i.id DESC
) TO STDOUT WITH (FORMAT csv, HEADER)"""


def copy_sql() -> tuple[str, list]:
    """``COPY`` of the CSV export's columns for the rows the export holds, in its order."""
    gate_sql, params = published().order_by().values("id").query.sql_with_params()
    return COPY_SQL.format(gate=gate_sql), list(params)


def copy_seconds() -> tuple[float, int]:
    sql, params = copy_sql()
    start = time.perf_counter()
    size = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
        for data in copy:
            size += len(data)
    return time.perf_counter() - start, size


def child(kind: str, rows: int) -> dict:
    """Run one export in a fresh process (see ``child_main``) and return what it reports."""
    code = "import django; django.setup(); from devtools import benchmark; benchmark.child_main()"
    result = subprocess.run(  # noqa: S603 - this Python running our own code
        [sys.executable, "-c", code, kind, str(rows)],
        cwd=settings.BASE_DIR,
        env=server_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{kind} export child failed: {result.stderr[-1500:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def child_main() -> None:
    """In a child process: export the first N published initiatives (by id) as CSV (through
    the API view, the visibility gate narrowed to those rows) or as IATI XML, and print one
    JSON line: rows, seconds, bytes, peak memory (and the IATI file's problems)."""
    kind, rows = sys.argv[1], int(sys.argv[2])
    first = published().order_by("pk").values("pk")[:rows]
    report: dict = {"rows": published().filter(pk__in=first).count()}
    start = time.perf_counter()
    if kind == "csv":
        gate = InitiativeQuerySet.visible_to

        def first_rows(queryset, user):
            return gate(queryset, user).filter(pk__in=first)

        with mock.patch.object(InitiativeQuerySet, "visible_to", first_rows):
            response = Client(HTTP_HOST="127.0.0.1").get(LIST_URL, {"format": "csv"})
            if response.status_code != 200:
                raise RuntimeError(f"the CSV export answered {response.status_code}")
            report["bytes"] = sum(len(chunk) for chunk in response.streaming_content)
            response.close()
        report["seconds"] = time.perf_counter() - start
        report["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    else:
        from reports.builders.iati import validate_iati, write_iati

        with tempfile.NamedTemporaryFile(suffix=".xml") as out:
            write_iati(published().filter(pk__in=first), out)
            out.flush()
            report["seconds"] = time.perf_counter() - start
            report["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            report["bytes"] = out.tell()
            problems = validate_iati(out.name)
        report["problems"] = problems[:5]
        report["problem_count"] = len(problems)
    print(json.dumps(report))  # noqa: T201


def export_sizes(published_rows: int, small: int, large: int) -> tuple[int, int]:
    """Row counts for a small and a large run (a tenth of the data when it is small)."""
    large = min(large, published_rows)
    return min(small, max(1, large // 10)), large


def csv_export(server: Server, probe: Probe) -> list[Figure]:
    figures = []
    what = f"CSV export, all {probe.published:,} rows: time, HTTP"
    target = "≤ 3× COPY"
    try:
        copy_first, _size = copy_seconds()  # also warms the cache for the export
        seconds = timed(server, f"{LIST_URL}?format=csv")
        copy_again, copy_bytes = copy_seconds()
        copy = min(copy_first, copy_again)
        figures.append(
            Figure(
                what,
                f"{seconds:.1f} s",
                f"{copy:.2f} s (COPY, {copy_bytes / MB:.0f} MB)",
                times(seconds / copy),
                target,
                seconds / copy <= 3,
            )
        )
    except Exception as error:  # noqa: BLE001
        figures.append(failed(what, target, error))
    small, large = export_sizes(probe.published, 10_000, 100_000)
    what = f"CSV export peak memory: {large:,} vs {small:,} rows"
    target = "grows < 50 MB"
    try:
        low, high = child("csv", small), child("csv", large)
        growth = (high["maxrss"] - low["maxrss"]) / MB
        figures.append(
            Figure(
                what,
                f"{high['maxrss'] / MB:.0f} MB",
                f"{low['maxrss'] / MB:.0f} MB",
                f"+{growth:.1f} MB",
                target,
                growth < 50,
            )
        )
    except Exception as error:  # noqa: BLE001
        figures.append(failed(what, target, error))
    return figures


def iati_export(probe: Probe) -> list[Figure]:
    small, large = export_sizes(probe.published, 1_000, 10_000)
    try:
        low, again = child("iati", small), child("iati", small)  # short runs are noisy
        high = child("iati", large)
    except Exception as error:  # noqa: BLE001
        return [failed(f"IATI XML export, {large:,} activities", "schema-valid", error)]
    low["seconds"] = (low["seconds"] + again["seconds"]) / 2
    scale = high["rows"] / max(low["rows"], 1)
    growth = (high["maxrss"] - low["maxrss"]) / MB
    problems = high["problem_count"] + low["problem_count"]
    return [
        Figure(
            f"IATI XML export, {high['rows']:,} activities: time",
            f"{high['seconds']:.1f} s",
            f"{low['seconds']:.1f} s ({low['rows']:,} activities)",
            times(high["seconds"] / low["seconds"]),
            f"≤ {scale * 1.2:.0f}× (linear: {scale:.0f}× the rows)",
            high["seconds"] / low["seconds"] <= scale * 1.2,
        ),
        Figure(
            f"IATI XML export peak memory: {high['rows']:,} vs {low['rows']:,} activities",
            f"{high['maxrss'] / MB:.0f} MB",
            f"{low['maxrss'] / MB:.0f} MB",
            f"+{growth:.1f} MB",
            "grows < 50 MB (flat)",
            growth < 50,
        ),
        Figure(
            f"IATI XML, {high['rows']:,} activities: validate_iati",
            "valid" if not problems else f"{problems} problems: {'; '.join(high['problems'])}",
            "—",
            "—",
            "schema-valid",
            not problems,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# The search plan


def uses_index(plan, name: str) -> bool:
    if isinstance(plan, dict):
        return plan.get("Index Name") == name or any(uses_index(v, name) for v in plan.values())
    if isinstance(plan, list):
        return any(uses_index(item, name) for item in plan)
    return False


def search_plan(probe: Probe) -> Figure:
    """Whether PostgreSQL plans the API's search query (first page) with the GIN index."""
    words = probe.common_words + probe.rare_words
    what = "search ?q= plan uses the GIN index (EXPLAIN, first page)"
    using = [
        word
        for word in words
        if uses_index(json.loads(api_search_query(word).explain(format="json")), GIN_INDEX)
    ]
    total = max(published().count(), 1)
    shares = {word: published().search(word).count() / total for word in words if word not in using}
    measured = f"{len(using)} of {len(words)} words"
    if shares:
        measured += " (not: " + ", ".join(f"{w}, in {n:.0%} of records" for w, n in shares.items())
        measured += ")"
    return Figure(
        what,
        measured,
        "—",
        "—",
        f"all words, or the word is in ≥ {COMMON_SHARE:.0%} of records",
        bool(words) and all(share >= COMMON_SHARE for share in shares.values()),
    )


# ---------------------------------------------------------------------------------------------
# Under editing load: a writer saves a draft every second and publishes every ten


def list_paths(probe: Probe) -> list[str]:
    """The list page unfiltered, with one facet, with two, and with a search."""
    paths = ["/initiatives/"]
    if probe.provider:
        paths.append(f"/initiatives/?provider={probe.provider}")
        if probe.sector:
            paths.append(f"/initiatives/?provider={probe.provider}&sector={probe.sector}")
    if probe.common_words:
        paths.append(f"/initiatives/?q={probe.common_words[0]}")
    return paths


def profile_paths(probe: Probe) -> list[str]:
    """The dashboard and the busiest country and organisation profiles."""
    paths = ["/dashboard/"]
    if probe.busy_country:
        paths.append(f"/countries/{probe.busy_country}/")
    if probe.busy_organisation:
        paths.append(f"/organisations/{probe.busy_organisation}/")
    return paths


@dataclass(frozen=True)
class LanguageWord:
    """A word searched by a visitor of an interface language."""

    language: str  # interface language: en, es, pt-br, fr
    word: str
    frequency: str  # "most" or "least" frequent in the texts written in that language

    @property
    def api_path(self) -> str:
        return f"{LIST_URL}?{urlencode({'q': self.word, 'lang': self.language})}"

    @property
    def page_path(self) -> str:
        """The list page in that language, which shows how many records match."""
        prefix = "" if self.language == settings.LANGUAGE_CODE else f"/{self.language}"
        return f"{prefix}/initiatives/?{urlencode({'q': self.word})}"

    @property
    def scan_path(self) -> str:
        return f"{ICONTAINS_URL}?{urlencode({'q': self.word})}"


def language_vocabulary(language: str) -> tuple[str, str] | None:
    """The most and the least frequent plain words (four letters or more, not stop words)
    of the published titles and summaries written in ``language``: records in it and
    translations into it, from a sample of the tables when they are large."""
    code = content_language(language)
    sample = "TABLESAMPLE SYSTEM (10) REPEATABLE (1)" if published().count() > 20_000 else ""
    records, translations = Initiative._meta.db_table, InitiativeTranslation._meta.db_table
    text = "to_tsvector('simple', coalesce({0}.title, '') || ' ' || coalesce({0}.summary, ''))"
    # Table names and ``code`` (a key of STEMMING) are constants, not input.
    texts = (
        f"SELECT {text.format('i')} FROM {records} i {sample} "  # noqa: S608 - constants
        f"WHERE i.state = 'published' AND i.language = '{code}' "
        f"UNION ALL SELECT {text.format('t')} FROM {translations} t {sample} "
        f"JOIN {records} i ON i.id = t.initiative_id "
        f"WHERE i.state = 'published' AND t.language = '{code}'"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat(%s) WHERE word ~ '^[a-z]{4,}$' ORDER BY ndoc, word", [texts]
        )
        words = [word for (word,) in cursor.fetchall() if word not in STOP_WORDS]
    return (words[-1], words[0]) if words else None


def language_words() -> list[LanguageWord]:
    """For each interface language, its most and its least frequent word."""
    words = []
    for language, _name in settings.LANGUAGES:
        found = language_vocabulary(language)
        if found:
            words += [
                LanguageWord(language, found[0], "most"),
                LanguageWord(language, found[1], "least"),
            ]
    return words


def sql_count(word: LanguageWord) -> int:
    return published().search(word.word, word.language).count()


RESULT_STATUS = re.compile(r'id="result-status"[^>]*>\s*(\d[\d.,\s\u00a0\u202f]*)')


def shown_count(server: Server, path: str) -> int:
    """How many results the list page says it found ("12,500 initiatives found")."""
    status, body = fetch(server.port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}{server.last_error()}")
    match = RESULT_STATUS.search(body.decode())
    if match is None:
        raise RuntimeError(f"GET {path} shows no result count")
    return int(re.sub(r"\D", "", match.group(1)))


def first_scan(plan) -> str:
    """The first scan node of a JSON plan, as "Index Scan using NAME" or "Seq Scan"."""
    if isinstance(plan, list):
        return next((found for item in plan if (found := first_scan(item))), "")
    if not isinstance(plan, dict):
        return ""
    if "Scan" in plan.get("Node Type", ""):
        index = plan.get("Index Name")
        return plan["Node Type"] + (f" using {index}" if index else "")
    return next((found for value in plan.values() if (found := first_scan(value))), "")


# PostgreSQL rightly walks the date order instead of the GIN index for a word in this share of
# the published records or more: a page of 51 matches turns up after a few hundred rows.
COMMON_SHARE = 0.10


def api_search_query(word: str) -> QuerySet:
    """The API's first-page query for ``?q=word`` (in the active language)."""
    visible = published()
    filterset = InitiativeDataFilterSet(QueryDict(urlencode({"q": word})), queryset=visible)
    filterset.is_valid()
    return (
        filterset.narrow(visible)
        .for_listing()
        .order_by("-updated_at", "-id")[: StableCursorPagination.page_size + 1]
    )


def plan_verdict(word: LanguageWord, matches: int, total: int) -> tuple[bool, str]:
    """Whether the API's search plan for ``word`` uses the GIN index, or why it need not."""
    with translation.override(word.language):
        plan = json.loads(api_search_query(word.word).explain(format="json"))
    if uses_index(plan, GIN_INDEX):
        return True, f"‘{word.word}’: yes"
    share = matches / max(total, 1)
    return share >= COMMON_SHARE, (
        f"‘{word.word}’: no, {first_scan(plan) or 'another plan'} (in {share:.0%} of "
        "published records)"
    )


@dataclass
class LoadRun:
    """What the editing phase measured, read-only first and then under the writer."""

    read_only: dict[str, list[float]]
    loaded: dict[str, list[float]]
    scans: dict[str, list[float]]  # icontains baseline of each language word, read-only
    counts: dict[LanguageWord, tuple[int, int]]  # shown by the page, counted in SQL
    after_publication: list[list[float]]  # per publication, the requests right after it
    wrk_read_only: float
    wrk_loaded: float
    wrk_window: tuple[float, float]
    writer: Writer


def rounds_under_load(
    server: Server, writer: Writer, paths: list[str], budget: Budget
) -> tuple[dict[str, list[float]], list[list[float]]]:
    """Sequential rounds of ``paths`` for ``budget.editing_seconds``, stopping at the first
    request past that time once every path was asked twice (when each request takes
    seconds, a whole round more would stretch the phase by minutes). Before each request
    the writer's log is read; when a publication was logged, the list page is asked
    ``budget.after_publication`` times at once and those times kept apart."""
    repeated: dict[str, list[float]] = {path: [] for path in paths}
    after: list[list[float]] = []
    deadline = time.monotonic() + budget.editing_seconds
    for asked, path in enumerate(itertools.cycle(paths)):
        if asked >= 2 * len(paths) and time.monotonic() > deadline:
            return repeated, after
        if any(event.kind == "publish" for event in writer.poll()):
            after.append(
                [timed(server, AFTER_PUBLICATION_URL) for _n in range(budget.after_publication)]
            )
        repeated[path].append(timed(server, path))


AFTER_PUBLICATION_URL = "/initiatives/"


def load_list_path(probe: Probe) -> str:
    return f"/initiatives/?provider={probe.provider or 'BR'}"


def measure_under_editing(
    server: Server, probe: Probe, budget: Budget, work: Path, words: list[LanguageWord]
) -> LoadRun:
    """Read-only figures, then the same under the writer (see ``devtools.editing_load``)."""
    paths = list_paths(probe) + profile_paths(probe) + [word.api_path for word in words]
    read_only = sequential(server, paths, budget.load_repeats).repeated
    scans = sequential(server, [word.scan_path for word in words], budget.repeats).repeated
    counts = {word: (shown_count(server, word.page_path), sql_count(word)) for word in words}
    url = server.base + load_list_path(probe)
    wrk(url, 2, connections=8)  # warm-up
    wrk_read_only = wrk(url, budget.load_wrk_seconds, connections=8)
    with editing_load(work, server_env(), publish_every=budget.publish_every) as writer:
        began = time.time()
        wrk_loaded = wrk(url, budget.load_wrk_seconds, connections=8)
        window = (began, time.time())
        writer.poll()
        loaded, after = rounds_under_load(server, writer, paths, budget)
    return LoadRun(
        read_only, loaded, scans, counts, after, wrk_read_only, wrk_loaded, window, writer
    )


def writer_figure(run: LoadRun, budget: Budget) -> Figure:
    writer = run.writer
    saves, publications = writer.of("save"), writer.of("publish")
    conflicts, errors = writer.of("conflict"), writer.of("error")
    ways = sorted({event.detail for event in publications})
    measured = (
        f"{len(saves)} drafts saved, {len(publications)} records published "
        f"({', '.join(ways) or 'none'}), {len(conflicts)} conflicts, {len(errors)} errors"
    )
    if errors:
        measured += f" (last: {errors[-1].detail})".replace("|", "/")
    publishing = [event.seconds for event in publications]
    return Figure(
        f"editing load: a draft saved each second, a record published each "
        f"{budget.publish_every:g} s (writer process)",
        measured[:300],
        f"publication p95 {ms(percentile(publishing, 0.95))}" if publishing else "—",
        "—",
        "saves and publications, no error",
        bool(saves) and bool(publications) and not errors and not conflicts,
    )


def page_load_figure(run: LoadRun, path: str, is_list: bool) -> Figure:
    loaded, read_only = run.loaded[path], run.read_only[path]
    p95, p99 = percentile(loaded, 0.95), percentile(loaded, 0.99)
    quiet = percentile(read_only, 0.95)
    if is_list:
        target = "p95 ≤ 150 ms, p99 ≤ 300 ms, ≤ 1.5× read-only"
        met = p95 <= 0.150 and p99 <= 0.300 and p95 <= 1.5 * quiet
    else:
        target = "p95 ≤ 150 ms"
        met = p95 <= 0.150
    return Figure(
        f"page {path} under editing load: p95 / p99 of {len(loaded)}, sequential",
        f"{ms(p95)} / {ms(p99)}",
        f"{ms(quiet)} (read-only p95)",
        times(p95 / quiet),
        target,
        met,
    )


def after_publication_figure(run: LoadRun, budget: Budget) -> Figure:
    what = (
        f"page {AFTER_PUBLICATION_URL}: slowest of the first {budget.after_publication} "
        f"requests after each of {len(run.after_publication)} publications"
    )
    target = "≤ 150 ms"
    if not run.after_publication:
        return Figure(what, "no publication seen", "—", "—", target, False)
    slowest = max(max(times_after) for times_after in run.after_publication)
    quiet = percentile(run.read_only[AFTER_PUBLICATION_URL], 0.95)
    return Figure(
        what,
        ms(slowest),
        f"{ms(quiet)} (read-only p95)",
        times(slowest / quiet),
        target,
        slowest <= 0.150,
    )


def editor_saves_figure(run: LoadRun, probe: Probe) -> Figure:
    during = [event.seconds for event in run.writer.of("save", *run.wrk_window)]
    every = [event.seconds for event in run.writer.of("save")]
    what = f"editor's draft saves during wrk -t2 -c8 on {load_list_path(probe)}: p95 (writer)"
    target = "≤ 300 ms"
    if not during:
        return Figure(what, "no save during wrk", "—", "—", target, False)
    p95, overall = percentile(during, 0.95), percentile(every, 0.95)
    return Figure(
        what,
        f"{ms(p95)} ({len(during)} saves)",
        f"{ms(overall)} (all {len(every)} saves)",
        times(p95 / overall),
        target,
        p95 <= 0.300,
    )


def load_throughput_figure(run: LoadRun, probe: Probe) -> Figure:
    ratio = run.wrk_loaded / run.wrk_read_only
    return Figure(
        f"page {load_list_path(probe)}: req/s under editing load (wrk -t2 -c8)",
        f"{run.wrk_loaded:.1f} req/s",
        f"{run.wrk_read_only:.1f} req/s (read-only)",
        times(ratio),
        "≥ 0.7× read-only",
        ratio >= 0.7,
    )


def language_search_figure(run: LoadRun, word: LanguageWord) -> Figure:
    loaded = run.loaded[word.api_path]
    p95, quiet = percentile(loaded, 0.95), percentile(run.read_only[word.api_path], 0.95)
    scan = percentile(run.scans[word.scan_path], 0.95)
    shown, counted = run.counts[word]
    return Figure(
        f"search ?q={word.word}&lang={word.language} ({word.frequency} frequent {word.language} "
        "word): p95 under editing load",
        f"{ms(p95)}; {shown:,} results shown (SQL count {counted:,})",
        f"{ms(quiet)} read-only; {ms(scan)} icontains",
        times(p95 / quiet),
        "≤ 50 ms, count = SQL count",
        p95 <= 0.050 and shown == counted,
    )


def language_plan_figure(run: LoadRun, words: list[LanguageWord], total: int) -> Figure:
    verdicts = [plan_verdict(word, run.counts[word][1], total) for word in words]
    return Figure(
        f"search plan, lang={words[0].language}: GIN index {GIN_INDEX} (EXPLAIN, first page)",
        "; ".join(text for _met, text in verdicts),
        "—",
        "—",
        f"GIN, or the word is in ≥ {COMMON_SHARE:.0%} of records",
        all(met for met, _text in verdicts),
    )


def editing_load_figures(server: Server, probe: Probe, budget: Budget, work: Path) -> list[Figure]:
    """Every figure of the editing phase (see the report's "How the figures are taken")."""
    try:
        words = language_words()
        run = measure_under_editing(server, probe, budget, work, words)
    except Exception as error:  # noqa: BLE001 - the phase's failure is a row
        return [failed("editing load", "runs", error)]
    figures = [writer_figure(run, budget)]
    figures += [page_load_figure(run, path, True) for path in list_paths(probe)]
    figures += [page_load_figure(run, path, False) for path in profile_paths(probe)]
    figures.append(after_publication_figure(run, budget))
    figures.append(editor_saves_figure(run, probe))
    figures.append(load_throughput_figure(run, probe))
    figures += [language_search_figure(run, word) for word in words]
    for language, _name in settings.LANGUAGES:
        of_language = [word for word in words if word.language == language]
        if of_language:
            figures.append(language_plan_figure(run, of_language, probe.published))
    return figures


# ---------------------------------------------------------------------------------------------
# Memory of the web processes


def memory_figure(server: Server, probe: Probe) -> Figure:
    """Resident memory of each gunicorn worker, read after the requests measured so far."""
    memory = worker_memory(server.process.pid)
    what = f"gunicorn worker memory (VmRSS) after warm-up, {probe.initiatives:,} initiatives"
    if not memory:
        return Figure(what, "no worker found", "—", "—", "≤ 300 MB each", False)
    each = ", ".join(f"{rss / MB:.0f} MB" for rss in sorted(memory.values()))
    largest = max(memory.values()) / MB
    return Figure(
        what, f"{largest:.0f} MB (each: {each})", "—", "—", "≤ 300 MB each", largest <= 300
    )


def warm_up(server: Server, probe: Probe) -> None:
    """Every page the portal keeps something in memory for, asked of both workers."""
    words = probe.common_words[:1] + probe.rare_words[:1]
    paths = list_paths(probe) + profile_paths(probe)
    paths += [f"{LIST_URL}?{urlencode({'q': word})}" for word in words]
    sequential(server, [*paths, LIST_URL], 1)


# ---------------------------------------------------------------------------------------------
# The run and its report


@dataclass
class Results:
    probe: Probe
    budget: Budget
    figures: list[Figure] = field(default_factory=list)
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at the start and the end
    phases: dict[str, float] = field(default_factory=dict)  # seconds each phase took


@contextlib.contextmanager
def phase(results: Results, name: str, say: Callable[[str], None]) -> Iterator[None]:
    """Announce a phase and note how long it took (``make bench`` must fit in 20 minutes)."""
    say(f"{name}…")
    started = time.perf_counter()
    try:
        yield
    finally:
        results.phases[name] = time.perf_counter() - started


def start(say: Callable[[str], None]) -> Results:
    if WRK is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    say("Reading the data set…")
    probe = probe_data()
    if not probe.published:
        raise RuntimeError("the database holds no published initiatives to measure")
    return Results(probe, Budget(), load=(os.getloadavg()[0], 0.0))


def run(budget: Budget, say: Callable[[str], None] = lambda line: None) -> Results:
    """Every figure of the table, in the order it is printed."""
    started = time.perf_counter()
    results = start(say)
    results.budget, probe, figures = budget, results.probe, results.figures
    with tempfile.TemporaryDirectory(prefix="ssdc-bench-") as work:
        say("Starting gunicorn…")
        with Server(Path(work)) as server:
            with phase(results, "API list throughput (wrk)", say):
                figures.append(api_throughput(server, budget))
            with phase(results, "Search latency", say):
                figures += search_latency(server, probe, budget)
                figures += language_search_latency(server, budget)
                figures.append(search_plan(probe))
            with phase(results, "Faceted list page", say):
                figures += facet_page_latency(server, probe, budget)
            with phase(results, "Deep cursor page", say):
                figures.append(cursor_depth(server, probe, budget))
            with phase(results, "CSV export", say):
                figures += csv_export(server, probe)
            with phase(results, "Editing load", say):
                figures += editing_load_figures(server, probe, budget, Path(work))
            figures.append(memory_figure(server, probe))
    with phase(results, "IATI XML export", say):
        figures += iati_export(probe)
    with phase(results, "Queries per request", say):
        figures += query_counts(probe)
    results.seconds = time.perf_counter() - started
    results.load = (results.load[0], os.getloadavg()[0])
    return results


def run_memory_only(say: Callable[[str], None] = lambda line: None) -> Results:
    """Only the workers' memory after a warm-up: for a larger data set, to state how memory
    grows with the number of initiatives (see BENCHMARKS.md's notes)."""
    started = time.perf_counter()
    results = start(say)
    with tempfile.TemporaryDirectory(prefix="ssdc-bench-") as work:
        say("Starting gunicorn…")
        with Server(Path(work)) as server:
            with phase(results, "Warm-up", say):
                warm_up(server, results.probe)
            results.figures.append(memory_figure(server, results.probe))
    results.seconds = time.perf_counter() - started
    results.load = (results.load[0], os.getloadavg()[0])
    return results


def table(figures: list[Figure]) -> str:
    header = ["what", "measured", "baseline (same run)", "ratio", "target", "met"]
    lines = [header, ["---"] * len(header), *(figure.cells for figure in figures)]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk_version = subprocess.run(  # noqa: S603 - wrk --version
        [WRK, "--version"], capture_output=True, text=True, check=False
    ).stdout.split(" [")[0]
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "load generator": wrk_version or "wrk",
    }


def markdown(results: Results, command: str, when: str) -> str:
    probe, budget = results.probe, results.budget
    database = settings.DATABASES["default"]
    details = machine()
    lines = [
        "# Benchmarks",
        "",
        f"Measured on {when} by `{command}` in {results.seconds / 60:.1f} minutes, against "
        f"the database `{database.get('NAME')}` on {database.get('HOST') or 'a local socket'}.",
        "",
        f"Data set: {probe.initiatives:,} initiatives, {probe.published:,} of them published "
        "(the rest drafts, submitted, returned and archived records that no figure may show).",
        "",
        "Machine: "
        + "; ".join(f"{name} {value}" for name, value in details.items())
        + f". The portal ran under gunicorn (2 sync workers, DEBUG off, CONN_MAX_AGE="
        f"{database.get('CONN_MAX_AGE', 0)}) on the same machine as the clients and PostgreSQL; "
        f"the load average was {results.load[0]:.1f} at the start and {results.load[1]:.1f} at "
        "the end (other work on the machine shows as noise).",
        "",
        table(results.figures),
        "",
        "Time per phase: "
        + "; ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in results.phases.items())
        + ".",
        "",
        "How the figures are taken (each ratio compares with a baseline from the same run):",
        "",
        f"- **API list**: {API_TURNS} runs each of `wrk -t2 -c4 -d{results.budget.wrk_seconds}s`, "
        "in turns (mean rates), on `/api/v1/initiatives/` and on",
        "  `/bench/bare/initiatives/`, which answers the same 50 rows from one SQL query",
        "  (nested parts aggregated in PostgreSQL) serialised with orjson.",
        "- **search**: sequential requests (one at a time: latency ≈ server time) of",
        "  `/api/v1/initiatives/?q=WORD` and of `/bench/icontains/initiatives/?q=WORD`, the same",
        "  API view with `q` matched by `icontains` on title, summary, description and",
        "  organisation names; words are the most and least frequent in the published records'",
        "  search vectors. `icontains` is a reported baseline, not a target: for a word in half",
        "  the records a scan finds a page as soon as an index does. The plan is PostgreSQL's",
        "  `EXPLAIN` of the API's first-page query.",
        "  Per language, a typical word with `&lang=` (en, es, pt-br, fr: "
        + ", ".join(LANGUAGE_WORDS.values())
        + "),",
        "  which is also matched by its stem in that language and through translations.",
        "- **facets**: sequential requests of `/initiatives/` unfiltered, with one facet, two",
        "  facets and a search; the baseline is the bare view asked the same way. The first",
        "  request of each URL is kept out of the p95 (it fills any cache) and its slowest",
        "  is reported on its own; a second of `wrk` on each URL then warms the other gunicorn",
        "  worker, so that the p95 is the steady state of both (searches too).",
        "- **cursor**: the cursor of the row at 90 % of the default order, built as DRF encodes",
        "  it, against the first page; medians of sequential requests.",
        "- **CSV**: `?format=csv` downloaded in full over HTTP against psycopg `COPY … TO STDOUT`",
        "  of the same columns and rows (the faster of two). Peak memory is the `ru_maxrss` of",
        "  a child process that runs the same API export with the visibility gate narrowed to",
        "  the first N published initiatives (by id).",
        "- **IATI**: `write_iati` in a child process on the first N published initiatives (by",
        "  id), then `validate_iati` on its file; the small run's time is the mean of two.",
        f"- **editing load**: first read-only, {budget.load_repeats} rounds of the list URLs "
        "above, the",
        "  dashboard, the busiest country and organisation profiles and the language searches",
        "  (each URL's read-only p95 is its baseline), then "
        f"`wrk -t2 -c8 -d{budget.load_wrk_seconds}s`",
        "  on the one-facet list. Then a writer process (its own Django setup, same database;",
        "  `devtools/editing_load.py`) starts: every second a synthetic editor saves a draft as",
        "  the editor's form does (reads the record and its version, changes the summary, posts",
        "  every relation and row back, `initiative_save` with that version as its claim), and",
        f"  every {budget.publish_every:g} s a synthetic moderator publishes a record",
        "  (`initiative_approve` on a submitted one). The same `wrk` runs again (the saves",
        "  logged meanwhile are the editor's figure, timed in the writer from reading the",
        "  record to the commit), then sequential rounds of every URL for",
        f"  {budget.editing_seconds} s (p95 and p99 under load).",
        "- **first requests after a publication**: the writer logs each publication; before",
        "  each request the benchmark reads that log, and on a new publication asks",
        f"  `{AFTER_PUBLICATION_URL}` {budget.after_publication} times at once (new connections: "
        "gunicorn hands",
        "  each to whichever worker accepts it, so both workers are usually, not provably,",
        "  reached); the row is the slowest of those requests over all publications. A",
        "  request of the rounds that is a worker's first after a publication stays in its p99.",
        "- **search per language**: for en, es, pt-br and fr, the most and the least frequent",
        "  plain word of the published titles and summaries written in that language (records",
        "  in it and translations into it; a 10 % sample when large), asked of the API with",
        "  `&lang=` under editing load. The count is what the list page in that language says",
        "  it found, against `visible_to(None).search(word, language).count()` (read-only,",
        "  before the writer starts). The plan row tells, per word, whether the API's",
        "  first-page query uses `initiative_search_gin`; where it does not, the scan it uses",
        f"  and the share of published records holding the word (from {COMMON_SHARE:.0%} on, "
        "walking",
        "  the date order finds a page sooner, and PostgreSQL rightly prefers it).",
        "- **memory**: VmRSS (`/proc/PID/status`) of each gunicorn worker (the master's",
        "  children) after every phase above; `--memory-only` measures only this, after one",
        "  round of the pages on both workers, to compare data set sizes.",
        "- **queries**: Django's test client in-process with `CaptureQueriesContext`, after",
        "  one unmeasured request of each address (per-process caches are filled); API lists at",
        "  `page_size=2` and `50`, filtered pages and aggregates with a rare and a common word,",
        "  profiles of a quiet and a busy country and organisation. The reports list is asked",
        "  by a temporary user with 50 reports, rolled back afterwards.",
        "",
    ]
    return "\n".join(lines)
