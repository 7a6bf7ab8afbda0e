"""Every route of the portal, walked as four people, shows nothing they may not see.

The URL resolver is the list of routes: each pattern must be classified in ``ROUTES`` (by
name) or ``NAMESPACES`` (the admin), so a new route cannot be added without saying what it
may show. Each classified route has *probes*: concrete URLs built from the seeded records
(published and unpublished slugs, pks of sources and evidence, report IDs, filters,
searches, formats). Every probe is sent as an anonymous visitor, as the editor of each of
the two organisations and as a moderator (staff, not superuser), and for each answer:

- no trace (marker or slug) of a record the person may not see is in the body — streamed
  CSV, documents, spreadsheets, ZIP archives and PDFs are read too;
- a URL naming something the person may not see answers exactly as a URL naming nothing
  does: 404 (or the sign-in page), never 403, which would confirm that it exists;
- counts (results, facets, key figures, aggregates) are the counts of what they may see;
- what they may see is there (so that the test would notice a page that shows nothing).

Who may see what depends on the route's kind: public pages and the API follow
``Initiative.objects.visible_to`` (the public sees published records; editors also their own
organisations' records in every state; moderators everything), the home page and reports
hold published records only (plus the requester's drafts when asked), editor pages hold the
editor's own organisations' records, and the admin is for moderators. Countries, funding
models, principles and dialogue mechanisms are public reference data: a country that only
unpublished records work in still has its profile, but shows no initiative and no count.
"""

import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from initiatives.models import Initiative
from opendata.models import DatasetRelease
from opendata.releases.services import release_make
from tests.readable import readable_text
from tests.unpublished_records import (
    GHOST_COUNTRY,
    GHOST_COUNTRY_NAME,
    SUBMITTED_LISTING,
    Record,
    SeededRecords,
    facet_counts,
    seed_records,
)

pytestmark = pytest.mark.django_db
State = Initiative.State


# ---------------------------------------------------------------------------------------------
# The people


@dataclass(frozen=True)
class Role:
    name: str
    organisations: frozenset[str] = frozenset()  # slugs of the organisations they edit for
    is_moderator: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self is ANONYMOUS

    def edits_for(self, record: Record) -> bool:
        return record.organisation.slug in self.organisations


ANONYMOUS = Role("anonymous visitor")
EDITOR_A = Role("editor of org-a", frozenset({"org-a"}))
EDITOR_B = Role("editor of org-b", frozenset({"org-b"}))
MODERATOR = Role("moderator", is_moderator=True)
ROLES = (ANONYMOUS, EDITOR_A, EDITOR_B, MODERATOR)


# Who may see which record on a kind of route. Written out here, not read from the gate, so
# that a fault in the gate cannot hide itself.
def through_the_gate(role: Role, record: Record) -> bool:
    """``Initiative.objects.visible_to``: published, own organisations', or everything."""
    return record.is_published or role.is_moderator or role.edits_for(record)


def published_only(role: Role, record: Record) -> bool:
    return record.is_published


def ever_published(role: Role, record: Record) -> bool:
    """Published versions: of records that are published or were (archived ones), for
    everyone; a record never published has none, whoever asks."""
    return record.state in (State.PUBLISHED, State.ARCHIVED)


def through_the_gate_or_withdrawn(role: Role, record: Record) -> bool:
    """A record's own address: through the gate, and a withdrawn record's (it was public)
    answers 410 to everyone, naming the record and its last published version."""
    return through_the_gate(role, record) or record.state == State.ARCHIVED


def own_organisations(role: Role, record: Record) -> bool:
    """Editor pages: the editor's own organisations' records (published ones are public)."""
    return record.is_published or role.edits_for(record)


def editors_and_moderators(role: Role, record: Record) -> bool:
    """A record's preview: its own organisations' editors and the moderators, published or
    not; anyone else, visitors included, finds no such page."""
    return role.is_moderator or role.edits_for(record)


def moderators(role: Role, record: Record) -> bool:
    return record.is_published or role.is_moderator


Scope = Callable[[Role, Record], bool]


@dataclass(frozen=True)
class Kind:
    name: str
    scope: Scope  # which records a person may find traces of on such a route
    needs_account: bool = False  # anonymous visitors are asked to sign in


PUBLIC_PAGE = Kind("public page", through_the_gate)
PUBLISHED_PAGE = Kind("public page of published records only", published_only)
RECORD_PAGE = Kind("public page of a record, 410 once withdrawn", through_the_gate_or_withdrawn)
PUBLISHED_VERSION = Kind("published version or citation of a record", ever_published)
WITHDRAWALS = Kind("public API list of withdrawn records", ever_published)
PUBLIC_DOWNLOAD = Kind("public document download", through_the_gate)
PUBLIC_API_LIST = Kind("public API list", through_the_gate)
PUBLIC_API_DETAIL = Kind("public API detail", through_the_gate)
PUBLIC_API_AGGREGATE = Kind("public API aggregate", through_the_gate)
API_WRITE = Kind("API write for editors", through_the_gate)
REFERENCE = Kind("reference data", published_only)
STATIC_LIKE = Kind("static-like (health, schema, docs)", published_only)
ACCOUNT = Kind("account page", published_only)
ACCOUNT_ONLY = Kind("signed-in account page", published_only, needs_account=True)
EDITOR_ONLY = Kind("editor-only page", own_organisations, needs_account=True)
PREVIEW = Kind("preview of a record for its editors and moderators", editors_and_moderators)
REPORTS = Kind("report page or download", through_the_gate, needs_account=True)
# Importing: an organisation's editors choose among their organisations, moderators among all.
IMPORTS = Kind("import page", editors_and_moderators, needs_account=True)
STAFF_ONLY = Kind("staff-only (admin)", moderators)
BENCHMARK = Kind("benchmark baseline", through_the_gate)
# Writing to the organisation behind a published record: signed-in people only.
CONTACT = Kind("message form to a record's organisation", published_only, needs_account=True)


# ---------------------------------------------------------------------------------------------
# Probes: concrete requests for a route


@dataclass(frozen=True)
class Probe:
    url: str
    method: str = "get"
    data: dict | None = None
    json_body: bool = False
    headers: dict = field(default_factory=dict)
    # The record the URL names (who may open it follows the route's scope), or an explicit
    # rule for other things (organisations, reports, memberships).
    subject: Record | None = None
    opens: Callable[[Role], bool] | None = None
    # The same route naming something that does not exist: the answer an outsider must get.
    missing: str | None = None
    ok: frozenset[int] = frozenset({200})  # statuses for those who may open it
    outsiders_only: bool = False  # a write: sent only to people who may not open it
    # Records the answer must show, among those the person may see.
    shows: Callable[[Record, Role], bool] | None = None
    # Further checks (counts) on the text of the answer, given the records the person may see.
    check: Callable[[str, list[Record], Role], None] | None = None

    def may_open(self, role: Role, kind: Kind) -> bool:
        if self.opens is not None:
            return self.opens(role)
        if self.subject is not None:
            return kind.scope(role, self.subject)
        return True

    @property
    def sent_text(self) -> str:
        """What the request itself says (a page may repeat it without revealing anything)."""
        return self.url + json.dumps(self.data or {})


def every_record(record: Record, role: Role) -> bool:
    return True


def of_organisation(slug: str) -> Callable[[Record, Role], bool]:
    return lambda record, role: record.organisation.slug == slug


def only(wanted: Record) -> Callable[[Record, Role], bool]:
    return lambda record, role: record is wanted


def own_records(record: Record, role: Role) -> bool:
    return role.edits_for(record)


def with_query(url: str, **query) -> str:
    return f"{url}?{urlencode(query, doseq=True)}"


# ---- what the answers say: counts ----


def number_at(text: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">\s*(\d+)', text)
    assert match, f"no {testid} on the page"
    return int(match.group(1))


def results_found(text: str) -> int:
    match = re.search(r"(\d+) initiatives? found", text)
    assert match, "no result count on the page"
    return int(match.group(1))


FACET_OPTION = re.compile(
    r'<input type="checkbox" name="(\w+)" value="([^"]*)"[^>]*>\s*<label[^>]*>.*?'
    r'<span class="facet-count">\((\d+)\)</span>',
    re.DOTALL,
)


def page_facets(text: str) -> dict[str, Counter]:
    facets: dict[str, Counter] = {}
    for name, value, count in FACET_OPTION.findall(text):
        facets.setdefault(name, Counter())[value] = int(count)
    return facets


def listed(matching: Callable[[Record], bool] = lambda record: True, *, facets: bool = False):
    """The list page counts the records the person may see that match, and its facets count
    exactly those records' values."""

    def check(text: str, visible: list[Record], role: Role) -> None:
        expected = [record for record in visible if matching(record)]
        assert results_found(text) == len(expected)
        if facets:
            assert page_facets(text) == {k: v for k, v in facet_counts(expected).items() if v}

    return check


def api_results(matching: Callable[[Record], bool] = lambda record: True):
    def check(text: str, visible: list[Record], role: Role) -> None:
        slugs = {row["slug"] for row in json.loads(text)["results"]}
        assert slugs == {record.slug for record in visible if matching(record)}

    return check


def csv_rows(matching: Callable[[Record], bool] = lambda record: True):
    def check(text: str, visible: list[Record], role: Role) -> None:
        slugs = {line.split(",", 1)[0] for line in text.splitlines()[1:]}
        assert slugs == {record.slug for record in visible if matching(record)}

    return check


def evidence_results(text: str, visible: list[Record], role: Role) -> None:
    ids = {row["id"] for row in json.loads(text)["results"]}
    assert ids == {record.evidence.pk for record in visible}


def aggregate(kind: str):
    def check(text: str, visible: list[Record], role: Role) -> None:
        assert nonzero(json.loads(text)["results"]) == expected_aggregate(kind, visible)

    return check


def nonzero(rows: list[dict]) -> dict:
    """An aggregate's rows as ``{key: counts}``, leaving out entries that count nothing."""
    keyed = {}
    for row in rows:
        key = tuple(v for k, v in row.items() if isinstance(v, str) and k != "label") or (
            row.get("year"),
        )
        counts = tuple(v for k, v in row.items() if isinstance(v, int) and k != "year")
        if any(counts):
            keyed[key] = counts
    return keyed


def expected_aggregate(kind: str, visible: list[Record]) -> dict:
    def tally(values) -> dict:
        return {(value,): (count,) for value, count in Counter(values).items()}

    facets = [record.facets for record in visible]
    if kind == "country-pairs":
        pairs = [(p, r) for f in facets for p in f["provider"] for r in f["recipient"] if p != r]
        return {pair: (count,) for pair, count in Counter(pairs).items()}
    if kind == "countries":
        codes = {code for f in facets for code in f["provider"] | f["recipient"]}
        return {
            (code,): (
                sum(code in f["provider"] for f in facets),
                sum(code in f["recipient"] for f in facets),
                sum(code in f["provider"] | f["recipient"] for f in facets),
            )
            for code in codes
        }
    if kind == "principles":
        counts = Counter((r.evidence.principle.slug, r.evidence.stance) for r in visible)
        confirmed = Counter(r.evidence.principle.slug for r in visible if r.evidence.is_co_attested)
        principles = {slug for slug, _stance in counts}
        return {
            (f"busan/{slug}",): (
                counts[(slug, "supports")],
                counts[(slug, "challenges")],
                confirmed[slug],
            )
            for slug in principles
        }
    if kind == "sectors":
        return tally(code[:3] for f in facets for code in f["sector"])
    if kind == "years":
        return {
            (int(year),): (count,)
            for (year,), (count,) in tally(year for f in facets for year in f["year"]).items()
        }
    facet = {"funding-models": "funding_model", "modalities": "modality"}[kind]
    return tally(value for f in facets for value in f[facet])


def key_figures(text: str, visible: list[Record], role: Role) -> None:
    countries = {code for r in visible for code in r.facets["provider"] | r.facets["recipient"]}
    assert number_at(text, "initiative-count") == len(visible)
    assert number_at(text, "country-count") == len(countries)
    assert number_at(text, "organisation-count") == len({r.organisation for r in visible})


def dashboard_total(text: str, visible: list[Record], role: Role) -> None:
    assert number_at(text, "dashboard-count") == len(visible)


def country_counts(code: str):
    def check(text: str, visible: list[Record], role: Role) -> None:
        assert number_at(text, "provider-count") == sum(
            code in r.facets["provider"] for r in visible
        )
        assert number_at(text, "recipient-count") == sum(
            code in r.facets["recipient"] for r in visible
        )

    return check


# ---- probes of each route ----


def each_record(
    s: SeededRecords,
    name: str,
    argument: Callable[[Record], object] = lambda record: record.slug,
    *,
    unknown: object = "record-that-never-was",
    shows_it: bool = True,
    **options,
) -> list[Probe]:
    """A probe of the route ``name`` naming each seeded record by ``argument(record)``, opened
    by whoever may see that record (and, with ``shows_it``, showing it alone); ``unknown``
    names nothing."""
    missing = reverse(name, args=[unknown])
    return [
        Probe(
            reverse(name, args=[argument(record)]),
            subject=record,
            missing=missing,
            shows=only(record) if shows_it else None,
            **options,
        )
        for record in s.records
    ]


def each_ghost(s: SeededRecords, name: str, *, shows_its_record: bool = False) -> list[Probe]:
    """A probe of the route ``name`` naming each organisation that only one unpublished record
    names, opened by whoever may see that record."""
    missing = reverse(name, args=["no-such-organisation"])
    return [
        Probe(
            reverse(name, args=[ghost.actor.slug]),
            opens=lambda role, ghost=ghost: through_the_gate(role, ghost.record),
            missing=missing,
            shows=only(ghost.record) if shows_its_record else None,
        )
        for ghost in s.ghosts
    ]


def initiative_pages(s: SeededRecords) -> list[Probe]:
    return [
        replace(probe, ok=frozenset({410 if probe.subject.state == State.ARCHIVED else 200}))
        for probe in each_record(s, "initiative-detail")
    ]


def version_pages(name: str, query: dict | None = None) -> Callable[[SeededRecords], list]:
    """Version 1 of each record (only published and archived records have one), and of a
    record that never was."""

    def probes(s: SeededRecords) -> list[Probe]:
        def address(slug: str) -> str:
            url = reverse(name, args=[slug, 1])
            return with_query(url, **query) if query else url

        return [
            Probe(
                address(record.slug),
                subject=record,
                missing=address("record-that-never-was"),
                shows=only(record),
            )
            for record in s.records
        ]

    return probes


def citations_of_records(s: SeededRecords) -> list[Probe]:
    """The citation of each record as published now: a withdrawn one's answers 410."""
    return [
        replace(probe, ok=frozenset({410 if probe.subject.state == State.ARCHIVED else 200}))
        for probe in each_record(s, "initiative-cite")
        for probe in [
            replace(
                probe,
                url=with_query(probe.url, format="ris"),
                missing=with_query(probe.missing, format="ris"),
            )
        ]
    ]


def api_withdrawals(s: SeededRecords) -> list[Probe]:
    def check(text: str, visible: list[Record], role: Role) -> None:
        rows = json.loads(text)["results"]
        assert {row["slug"] for row in rows} == {
            record.slug for record in s.records if record.state == State.ARCHIVED
        }
        assert all(row["last_version_url"].endswith("/v/1/") for row in rows)

    url = reverse("api:initiative-withdrawn")
    return [
        Probe(url, check=check),
        Probe(with_query(url, since="2000-01-01T00:00:00Z"), check=check),
    ]


def preview_pages(s: SeededRecords) -> list[Probe]:
    return each_record(s, "editor-initiative-preview")


def list_pages(s: SeededRecords) -> list[Probe]:
    url = reverse("initiative-list")
    unpublished = lambda record: not record.is_published  # noqa: E731
    searched = [
        s.record("org-a", State.DRAFT),
        s.record("org-b", State.RETURNED),
        s.record("org-a", State.PUBLISHED),
    ]
    probes = [
        Probe(url, shows=every_record, check=listed(facets=True)),
        Probe(url, headers={"HX-Request": "true"}, shows=every_record, check=listed()),
        Probe(with_query(url, recipient=GHOST_COUNTRY), check=listed(unpublished)),
        Probe(
            with_query(url, modality="mentoring", funding_model="triangular", year="1999"),
            check=listed(unpublished),
        ),
        Probe(
            with_query(url, principle="results", stance="challenges", context="fragile"),
            check=listed(unpublished),
        ),
        Probe(
            with_query(url, sector="15150", status="3", cooperation_type="triangular", page="2"),
            check=listed(unpublished),
        ),
        Probe(with_query(url, ordering="title"), shows=every_record, check=listed()),
    ]
    for record in searched:
        probes.append(
            Probe(
                with_query(url, q=record.search_word),
                shows=only(record),
                check=listed(lambda other, record=record: other is record),
            )
        )
    return probes


def home_page(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("home"), shows=every_record, check=key_figures)]


def dashboard_page(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("dashboard"), check=dashboard_total)]


def document_downloads(s: SeededRecords) -> list[Probe]:
    return each_record(s, "source-document", lambda record: record.source.pk, unknown=999_999_999)


def country_pages(s: SeededRecords) -> list[Probe]:
    return [
        Probe(
            reverse("country-detail", args=[code]),
            shows=every_record if code.upper() != GHOST_COUNTRY else None,
            check=country_counts(code.upper()),
        )
        for code in ("BR", "MZ", GHOST_COUNTRY, GHOST_COUNTRY.lower())
    ] + [Probe(reverse("country-detail", args=["QQ"]), ok=frozenset({404}))]


def organisation_pages(s: SeededRecords) -> list[Probe]:
    return [
        Probe(reverse("organisation-detail", args=[slug]), shows=of_organisation(slug))
        for slug in ("org-a", "org-b")
    ] + each_ghost(s, "organisation-detail", shows_its_record=True)


def organisation_index(s: SeededRecords) -> list[Probe]:
    """Every organisation a person may see, and those found by the first word of a ghost's
    name (the whole name would be echoed in the search box)."""
    url = reverse("organisation-index")
    words = {ghost.actor.name.split()[0] for ghost in s.ghosts}
    return [Probe(url)] + [Probe(with_query(url, q=word)) for word in sorted(words)]


def principles_matrix(s: SeededRecords) -> list[Probe]:
    url = reverse("principles-matrix")
    draft = s.record("org-a", State.DRAFT)
    return [
        Probe(url, shows=every_record),
        Probe(with_query(url, q=draft.search_word), shows=only(draft)),
        Probe(with_query(url, recipient=GHOST_COUNTRY, stance="challenges")),
        Probe(with_query(url, set="no-such-set", page="2")),
    ]


def editor_dashboard(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("editor-dashboard"), shows=own_records)]


def editor_new_initiative(s: SeededRecords) -> list[Probe]:
    # People without an organisation are sent back to /my/ with a message.
    return [Probe(reverse("editor-initiative-create"), ok=frozenset({200, 302}))]


def edits(record: Record) -> Callable[[Role], bool]:
    return lambda role: role.edits_for(record)


def editor_edit_pages(s: SeededRecords) -> list[Probe]:
    # Every record is tried by outsiders; the (slow) form page is rendered for its editors
    # for the drafts and, as it can no longer be edited, the archived record (sent back to
    # /my/ with a message).
    return [
        Probe(
            reverse("editor-initiative-edit", args=[record.slug]),
            opens=edits(record),
            missing=reverse("editor-initiative-edit", args=["record-that-never-was"]),
            ok=frozenset({302 if record.state == State.ARCHIVED else 200}),
            outsiders_only=record.state not in (State.DRAFT, State.ARCHIVED),
            shows=only(record) if record.state == State.DRAFT else None,
        )
        for record in s.records
    ]


def partner_confirmations(s: SeededRecords) -> list[Probe]:
    # Nobody here takes part in another organisation's record: the page lists nothing, and
    # no one may answer any evidence, whatever its record's state.
    url = reverse("evidence-confirmations")
    return [
        Probe(url),
        *(
            Probe(
                url,
                method="post",
                data={"evidence": record.evidence.pk, "answer": "confirmed", "note": ""},
                opens=lambda role: False,
                outsiders_only=True,
            )
            for record in s.records
        ),
    ]


def editor_submits(s: SeededRecords) -> list[Probe]:
    return [
        Probe(
            reverse("editor-initiative-submit", args=[record.slug]),
            method="post",
            opens=edits(record),
            missing=reverse("editor-initiative-submit", args=["record-that-never-was"]),
            outsiders_only=True,
        )
        for record in s.records
    ]


def member_of(slug: str) -> Callable[[Role], bool]:
    return lambda role: slug in role.organisations


def team_pages(name: str, *, method: str = "get", ok=frozenset({200})):
    """A team page of each organisation (and of the ghost one, which has no team)."""

    def probes(s: SeededRecords) -> list[Probe]:
        def url(slug: str, membership_id: int | None) -> str:
            args = [slug] if membership_id is None else [slug, membership_id]
            return reverse(name, args=args)

        with_member = name != "organisation-members" and name != "organisation-member-invite"
        result = []
        for slug in ("org-a", "org-b", s.ghost_partner.actor.slug):
            manager = s.managers.get(slug)
            membership_id = (manager.pk if manager else 999_999_999) if with_member else None
            result.append(
                Probe(
                    url(slug, membership_id),
                    method=method,
                    opens=member_of(slug),
                    missing=url("no-such-organisation", 999_999_999 if with_member else None),
                    ok=ok,
                    outsiders_only=method == "post",
                )
            )
        return result

    return probes


def api_token_pages(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("api-tokens"))]


def api_token_revokes(s: SeededRecords) -> list[Probe]:
    return [
        Probe(
            reverse("api-token-revoke", args=[s.token.pk]),
            method="post",
            opens=lambda role: role is EDITOR_A,
            missing=reverse("api-token-revoke", args=[999_999_999]),
            outsiders_only=True,
        )
    ]


def import_pages(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("import-upload"))]


def import_templates(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("import-template", args=["csv"]))]


def import_confirmations(s: SeededRecords) -> list[Probe]:
    # A forged or expired upload is not found, whoever sends it.
    return [
        Probe(
            reverse("import-confirm"), method="post", data={"token": "forged"}, ok=frozenset({404})
        )
    ]


def report_owner(role: Role) -> bool:
    """The seeded report is the editor of org-a's; moderators may follow any report."""
    return role is EDITOR_A or role.is_moderator


def report_pages(name: str, *, api: bool = False):
    def probes(s: SeededRecords) -> list[Probe]:
        shown = own_records if not api and name == "report-download" else None
        return [
            Probe(
                reverse(name, args=[s.report.pk]),
                opens=report_owner,
                missing=reverse(name, args=[uuid.uuid4()]),
                shows=shown,
            )
        ]

    return probes


def report_list_page(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("report-list"))]


def api_initiative_list(s: SeededRecords) -> list[Probe]:
    url = reverse("api:initiative-list")
    unpublished = lambda record: not record.is_published  # noqa: E731
    draft = s.record("org-a", State.DRAFT)
    return [
        Probe(url, shows=every_record, check=api_results()),
        Probe(with_query(url, format="csv"), shows=every_record, check=csv_rows()),
        Probe(
            reverse("api:initiative-list", kwargs={"format": "csv"}),
            shows=every_record,
            check=csv_rows(),
        ),
        Probe(reverse("api:initiative-list", kwargs={"format": "json"}), check=api_results()),
        Probe(with_query(url, q=draft.search_word), check=api_results(only_record(draft))),
        Probe(
            with_query(url, q=draft.search_word, format="csv"),
            check=csv_rows(only_record(draft)),
        ),
        Probe(with_query(url, recipient=GHOST_COUNTRY), check=api_results(unpublished)),
        Probe(
            with_query(url, start_year_max="2000", updated_since="2000-01-01", ordering="title"),
            check=api_results(unpublished),
        ),
        Probe(with_query(url, page_size="200", ordering="-id"), check=api_results()),
    ]


def only_record(wanted: Record) -> Callable[[Record], bool]:
    return lambda record: record is wanted


def api_initiative_details(s: SeededRecords) -> list[Probe]:
    missing = reverse("api:initiative-detail", args=["record-that-never-was"])
    probes = []
    for record in s.records:
        url = reverse("api:initiative-detail", args=[record.slug])
        probes.append(Probe(url, subject=record, missing=missing, shows=only(record)))
        if not record.is_published:
            # A change without If-Match: outsiders must not learn that the record exists.
            probes.append(
                Probe(
                    url,
                    method="patch",
                    data={"title": "Changed"},
                    json_body=True,
                    subject=record,
                    missing=missing,
                    outsiders_only=True,
                )
            )
    draft = s.record("org-b", State.DRAFT)
    probes.append(
        Probe(
            reverse("api:initiative-detail", kwargs={"slug": draft.slug, "format": "json"}),
            subject=draft,
            missing=reverse(
                "api:initiative-detail", kwargs={"slug": "record-that-never-was", "format": "json"}
            ),
            shows=only(draft),
        )
    )
    return probes


def api_submits(s: SeededRecords) -> list[Probe]:
    return each_record(
        s, "api:initiative-submit", shows_it=False, method="post", outsiders_only=True
    )


def api_evidence_list(s: SeededRecords) -> list[Probe]:
    url = reverse("api:evidence-list")
    draft = s.record("org-a", State.DRAFT)
    return [
        Probe(url, shows=every_record, check=evidence_results),
        Probe(with_query(url, initiative=draft.slug, principle="results")),
        Probe(with_query(url, stance="challenges", strength="1")),
    ]


def api_evidence_details(s: SeededRecords) -> list[Probe]:
    return each_record(
        s, "api:evidence-detail", lambda record: record.evidence.pk, unknown=999_999_999
    )


def lesson_results(text: str, visible: list[Record], role: Role) -> None:
    ids = {row["id"] for row in json.loads(text)["results"]}
    assert ids == {record.lesson.pk for record in visible}


def api_lesson_list(s: SeededRecords) -> list[Probe]:
    url = reverse("api:lesson-list")
    draft = s.record("org-a", State.DRAFT)
    return [
        Probe(url, shows=every_record, check=lesson_results),
        Probe(with_query(url, initiative=draft.slug, audience="civil_society")),
        Probe(with_query(url, country=GHOST_COUNTRY, theme="seeds-agroecology")),
        Probe(with_query(url, q=draft.marker)),
    ]


def api_lesson_details(s: SeededRecords) -> list[Probe]:
    return each_record(s, "api:lesson-detail", lambda record: record.lesson.pk, unknown=999_999_999)


def visible_organisations(s: SeededRecords, role: Role) -> set[str]:
    ghosts = {g.actor.slug for g in s.ghosts if through_the_gate(role, g.record)}
    return {"org-a", "org-b"} | ghosts


def api_organisation_list(s: SeededRecords) -> list[Probe]:
    def check(text: str, visible: list[Record], role: Role) -> None:
        slugs = {row["slug"] for row in json.loads(text)["results"]}
        assert slugs == visible_organisations(s, role)

    url = reverse("api:organisation-list")
    return [
        Probe(url, check=check),
        Probe(with_query(url, home_country=GHOST_COUNTRY)),
        Probe(with_query(url, actor_type=["social_movement", "foundation"])),
    ]


def api_organisation_details(s: SeededRecords) -> list[Probe]:
    return [Probe(reverse("api:organisation-detail", args=["org-a"]))] + each_ghost(
        s, "api:organisation-detail"
    )


def api_aggregates(s: SeededRecords) -> list[Probe]:
    from initiatives.api.aggregates import KINDS

    def url(kind: str, **query) -> str:
        return with_query(reverse("api:aggregate", args=[kind]), **query)

    probes = [Probe(url(kind), check=aggregate(kind)) for kind in KINDS]
    probes += [
        Probe(url("countries", format="csv")),
        Probe(url("country-pairs", recipient=GHOST_COUNTRY, format="csv")),
        Probe(url("no-such-aggregate"), ok=frozenset({404})),
    ]
    return probes


def reference_pages(name: str, *args_list, list_route: bool = False):
    """Reference data: the same for everyone, whatever the records say."""

    def probes(s: SeededRecords) -> list[Probe]:
        values = [value(s) if callable(value) else value for value in (args_list or [None])]
        result = []
        for value in values:
            url = reverse(name) if value is None else reverse(name, args=[value])
            result.append(Probe(url))
        if list_route:
            result.append(Probe(reverse(name, kwargs={"format": "json"})))
        return result

    return probes


def page(name: str, *, ok=frozenset({200}), query: dict | None = None):
    def probes(s: SeededRecords) -> list[Probe]:
        url = reverse(name)
        return [Probe(with_query(url, **query) if query else url, ok=ok)]

    return probes


def password_reset_confirm(s: SeededRecords) -> list[Probe]:
    url = reverse("password_reset_confirm", args=["MQ", "not-a-valid-token"])
    return [Probe(url)]


def invitation_pages(s: SeededRecords) -> list[Probe]:
    """A link that was never issued answers 404 to everyone."""
    return [Probe(reverse("invitation", args=["MQ.not-a-valid-signature"]), ok=frozenset({404}))]


def signup_confirm_pages(s: SeededRecords) -> list[Probe]:
    """A link that was never issued says that it does not work, to everyone."""
    return [
        Probe(reverse("signup-confirm", args=["eyJ1c2VyIjoxfQ.not-signed"]), ok=frozenset({400}))
    ]


def language_switches(s: SeededRecords) -> list[Probe]:
    """The switch redirects to the page it is given, in the language chosen."""
    url = with_query(reverse("language-switch", args=["es"]), next="/initiatives/?q=seed")
    return [Probe(url, ok=frozenset({302}))]


def api_fallback(s: SeededRecords) -> list[Probe]:
    draft = s.record("org-a", State.DRAFT)
    return [
        Probe(f"/api/v2/initiatives/{draft.slug}/", ok=frozenset({404})),
        Probe(f"/api/v1/initiatives/{draft.slug}/sources/", ok=frozenset({404})),
    ]


def benchmark_pages(name: str):
    def probes(s: SeededRecords) -> list[Probe]:
        draft = s.record("org-a", State.DRAFT)
        url = reverse(name)
        return [Probe(url), Probe(with_query(url, q=draft.search_word))]

    return probes


def sees_proposed_practice(role: Role) -> bool:
    """The practice org-a proposed: its editors and the moderators."""
    return role.is_moderator or "org-a" in role.organisations


def practice_index_pages(s: SeededRecords) -> list[Probe]:
    url = reverse("practice-list")
    return [Probe(url), Probe(with_query(url, theme="seeds-agroecology"))]


def practice_detail_pages(name: str):
    """The shared practice shows every record the person may see on its path; the proposed
    one is opened only by its organisation's editors and the moderators."""

    def probes(s: SeededRecords) -> list[Probe]:
        missing = reverse(name, args=["practice-that-never-was"])
        return [
            Probe(reverse(name, args=[s.practice.slug]), shows=every_record),
            Probe(
                reverse(name, args=[s.proposed_practice.slug]),
                opens=sees_proposed_practice,
                missing=missing,
            ),
        ]

    return probes


def sees_submitted_listing(role: Role) -> bool:
    """The offer org-a submitted, not yet reviewed: its editors and the moderators."""
    return role.is_moderator or "org-a" in role.organisations


def listing_pages(name: str):
    """The open offer is opened by everyone; the submitted one only by its organisation's
    editors and the moderators."""

    def probes(s: SeededRecords) -> list[Probe]:
        return [
            Probe(reverse(name, args=[s.open_listing.pk])),
            Probe(
                reverse(name, args=[s.submitted_listing.pk]),
                opens=sees_submitted_listing,
                missing=reverse(name, args=[999_999_999]),
            ),
        ]

    return probes


def nothing_there(name: str, *, method: str = "get"):
    """A route naming an exchange listing or message by number (their visibility is walked
    in tests/test_exchange.py): one that does not exist answers 404 to everyone."""

    def probes(s: SeededRecords) -> list[Probe]:
        return [Probe(reverse(name, args=[999_999_999]), method=method, ok=frozenset({404}))]

    return probes


def practice_propose_pages(s: SeededRecords) -> list[Probe]:
    # People without an organisation are sent back to the practices with a message.
    return [Probe(reverse("practice-propose"), ok=frozenset({200, 302}))]


def api_practice_list(s: SeededRecords) -> list[Probe]:
    def check(text: str, visible: list[Record], role: Role) -> None:
        rows = json.loads(text)["results"]
        expected = {s.practice.slug} | (
            {s.proposed_practice.slug} if sees_proposed_practice(role) else set()
        )
        assert {row["slug"] for row in rows} == expected
        shared = next(row for row in rows if row["slug"] == s.practice.slug)
        assert {use["initiative"] for use in shared["uses"]} == {r.slug for r in visible}

    url = reverse("api:practice-list")
    return [
        Probe(url, shows=every_record, check=check),
        Probe(with_query(url, q="leakcheck")),
        Probe(with_query(url, theme="seeds-agroecology", page_size="1")),
    ]


def initiative_contact_pages(s: SeededRecords) -> list[Probe]:
    # Editors of another organisation get the form; the record's own editors and people
    # without an organisation are told why they cannot write (403, about the published
    # record everyone sees).
    return each_record(s, "initiative-contact", shows_it=False, ok=frozenset({200, 403}))


def iati_files(name: str, *, per_organisation: bool = False):
    """The public IATI files, built from the seeded records first: published records only,
    for everyone (moderators included)."""

    def probes(s: SeededRecords) -> list[Probe]:
        from opendata.iati.files import iati_files_build

        iati_files_build()
        if not per_organisation:
            shows = every_record if name == "iati-activities" else None
            return [Probe(reverse(name), shows=shows)]
        return [
            Probe(reverse(name, args=[slug]), shows=of_organisation(slug))
            for slug in ("org-a", "org-b")
        ] + [Probe(reverse(name, args=["no-such-organisation"]), ok=frozenset({404}))]

    return probes


def data_page(s: SeededRecords) -> list[Probe]:
    from opendata.iati.files import iati_files_build

    iati_files_build()
    return [Probe(reverse("data-home"))]


def release_pages(s: SeededRecords) -> list[Probe]:
    """Release 1, made from the seeded records (its files show them: ``release_files``)."""
    return [Probe(reverse("release-detail", args=[1]))]


def release_files(s: SeededRecords) -> list[Probe]:
    names = [entry["name"] for entry in DatasetRelease.objects.get(number=1).files]
    return [
        Probe(
            reverse("release-file", args=[1, name]),
            shows=every_record if name == "initiatives.csv" else None,
        )
        for name in names
    ] + [Probe(reverse("release-file", args=[1, "no-such-file.csv"]), ok=frozenset({404}))]


@dataclass(frozen=True)
class Route:
    kind: Kind
    probes: Callable[[SeededRecords], list[Probe]]


API_FALLBACK = r"api/^[\s\S]*$"  # the unnamed pattern answering every other /api/ address

ROUTES: dict[str, Route] = {
    # public pages
    "home": Route(PUBLISHED_PAGE, home_page),
    "dashboard": Route(PUBLIC_PAGE, dashboard_page),
    "initiative-list": Route(PUBLIC_PAGE, list_pages),
    "initiative-detail": Route(RECORD_PAGE, initiative_pages),
    "initiative-version": Route(PUBLISHED_VERSION, version_pages("initiative-version")),
    "initiative-version-cite": Route(
        PUBLISHED_VERSION, version_pages("initiative-version-cite", {"format": "bibtex"})
    ),
    "initiative-cite": Route(PUBLISHED_VERSION, citations_of_records),
    "country-detail": Route(PUBLIC_PAGE, country_pages),
    "organisation-detail": Route(PUBLIC_PAGE, organisation_pages),
    "country-index": Route(PUBLIC_PAGE, page("country-index", query={"order": "name"})),
    "organisation-index": Route(PUBLIC_PAGE, organisation_index),
    "principles-matrix": Route(PUBLIC_PAGE, principles_matrix),
    "source-document": Route(PUBLIC_DOWNLOAD, document_downloads),
    "modality-vocabulary": Route(REFERENCE, page("modality-vocabulary")),
    "practice-list": Route(PUBLIC_PAGE, practice_index_pages),
    "practice-detail": Route(PUBLIC_PAGE, practice_detail_pages("practice-detail")),
    "practice-propose": Route(EDITOR_ONLY, practice_propose_pages),
    # the REST API
    "api:api-root": Route(STATIC_LIKE, reference_pages("api:api-root")),
    "api:initiative-list": Route(PUBLIC_API_LIST, api_initiative_list),
    "api:initiative-detail": Route(PUBLIC_API_DETAIL, api_initiative_details),
    "api:initiative-submit": Route(API_WRITE, api_submits),
    "api:initiative-withdrawn": Route(WITHDRAWALS, api_withdrawals),
    "api:evidence-list": Route(PUBLIC_API_LIST, api_evidence_list),
    "api:evidence-detail": Route(PUBLIC_API_DETAIL, api_evidence_details),
    "api:lesson-list": Route(PUBLIC_API_LIST, api_lesson_list),
    "api:lesson-detail": Route(PUBLIC_API_DETAIL, api_lesson_details),
    "api:organisation-list": Route(PUBLIC_API_LIST, api_organisation_list),
    "api:organisation-detail": Route(PUBLIC_API_DETAIL, api_organisation_details),
    "api:aggregate": Route(PUBLIC_API_AGGREGATE, api_aggregates),
    "api:practice-list": Route(PUBLIC_API_LIST, api_practice_list),
    "api:practice-detail": Route(PUBLIC_API_DETAIL, practice_detail_pages("api:practice-detail")),
    "api:country-list": Route(REFERENCE, reference_pages("api:country-list", list_route=True)),
    "api:country-detail": Route(
        REFERENCE, reference_pages("api:country-detail", GHOST_COUNTRY, "mz")
    ),
    "api:dialoguemechanism-list": Route(
        REFERENCE, reference_pages("api:dialoguemechanism-list", list_route=True)
    ),
    "api:dialoguemechanism-detail": Route(
        REFERENCE,
        reference_pages("api:dialoguemechanism-detail", lambda s: s.dialogue_mechanism.pk),
    ),
    "api:fundingmodel-list": Route(REFERENCE, reference_pages("api:fundingmodel-list")),
    "api:fundingmodel-detail": Route(
        REFERENCE, reference_pages("api:fundingmodel-detail", "triangular")
    ),
    "api:principle-list": Route(REFERENCE, reference_pages("api:principle-list")),
    "api:principle-detail": Route(
        REFERENCE,
        reference_pages("api:principle-detail", lambda s: s.records[0].evidence.principle_id),
    ),
    "api:report-list": Route(REPORTS, reference_pages("api:report-list")),
    "api:report-detail": Route(REPORTS, report_pages("api:report-detail", api=True)),
    "api:report-download": Route(REPORTS, report_pages("api:report-download", api=True)),
    "api-schema": Route(STATIC_LIKE, page("api-schema", query={"format": "json"})),
    "api-docs": Route(STATIC_LIKE, page("api-docs")),
    "api-redoc": Route(STATIC_LIKE, page("api-redoc")),
    API_FALLBACK: Route(STATIC_LIKE, api_fallback),
    "healthz": Route(STATIC_LIKE, page("healthz")),
    # open data: the IATI files hold published records only, whoever asks
    "data-home": Route(PUBLISHED_PAGE, data_page),
    "iati-activities": Route(PUBLISHED_PAGE, iati_files("iati-activities")),
    "iati-organisation-activities": Route(
        PUBLISHED_PAGE, iati_files("iati-organisation-activities", per_organisation=True)
    ),
    "iati-organisation": Route(PUBLISHED_PAGE, iati_files("iati-organisation")),
    "iati-registry": Route(PUBLISHED_PAGE, iati_files("iati-registry")),
    "iati-namespace": Route(STATIC_LIKE, page("iati-namespace")),
    "iati-namespace-uri": Route(STATIC_LIKE, page("iati-namespace-uri", ok=frozenset({302}))),
    "language-switch": Route(STATIC_LIKE, language_switches),
    # accounts (django.contrib.auth) and the signed-in person's own pages
    "login": Route(ACCOUNT, page("login", query={"next": "/my/"})),
    "logout": Route(ACCOUNT, page("logout", ok=frozenset({405}))),  # signing out is a POST
    "password_change": Route(ACCOUNT_ONLY, page("password_change")),
    "password_change_done": Route(ACCOUNT_ONLY, page("password_change_done")),
    "password_reset": Route(ACCOUNT, page("password_reset")),
    "password_reset_done": Route(ACCOUNT, page("password_reset_done")),
    "password_reset_confirm": Route(ACCOUNT, password_reset_confirm),
    "password_reset_complete": Route(ACCOUNT, page("password_reset_complete")),
    "invitation": Route(ACCOUNT, invitation_pages),
    # signed in, the sign-up page leads to the person's tokens
    "signup": Route(ACCOUNT, page("signup", ok=frozenset({200, 302}))),
    "signup-sent": Route(ACCOUNT, page("signup-sent")),
    "signup-resend": Route(ACCOUNT, page("signup-resend")),
    "signup-confirm": Route(ACCOUNT, signup_confirm_pages),
    "api-tokens": Route(ACCOUNT_ONLY, api_token_pages),
    "api-token-revoke": Route(ACCOUNT_ONLY, api_token_revokes),
    # editor pages (/my/)
    "editor-dashboard": Route(EDITOR_ONLY, editor_dashboard),
    "editor-initiative-create": Route(EDITOR_ONLY, editor_new_initiative),
    "editor-initiative-edit": Route(EDITOR_ONLY, editor_edit_pages),
    "editor-initiative-submit": Route(EDITOR_ONLY, editor_submits),
    "editor-initiative-preview": Route(PREVIEW, preview_pages),
    "evidence-confirmations": Route(EDITOR_ONLY, partner_confirmations),
    "import-upload": Route(IMPORTS, import_pages),
    "import-confirm": Route(IMPORTS, import_confirmations),
    "import-template": Route(IMPORTS, import_templates),
    "organisation-members": Route(EDITOR_ONLY, team_pages("organisation-members")),
    # Managers only: the organisations' editors are refused (403) — it is their own team.
    "organisation-member-invite": Route(
        EDITOR_ONLY, team_pages("organisation-member-invite", ok=frozenset({403}))
    ),
    "organisation-member-remove": Route(
        EDITOR_ONLY, team_pages("organisation-member-remove", ok=frozenset({403}))
    ),
    "organisation-member-role": Route(
        EDITOR_ONLY, team_pages("organisation-member-role", method="post")
    ),
    "organisation-invitation-resend": Route(
        EDITOR_ONLY, team_pages("organisation-invitation-resend", method="post")
    ),
    "organisation-invitation-revoke": Route(
        EDITOR_ONLY, team_pages("organisation-invitation-revoke", method="post")
    ),
    # the exchange
    "exchange-list": Route(
        PUBLIC_PAGE, page("exchange-list", query={"kind": "offer", "theme": "seeds-agroecology"})
    ),
    "exchange-detail": Route(PUBLIC_PAGE, listing_pages("exchange-detail")),
    "exchange-contact": Route(EDITOR_ONLY, nothing_there("exchange-contact")),
    "initiative-contact": Route(CONTACT, initiative_contact_pages),
    "exchange-mine": Route(EDITOR_ONLY, page("exchange-mine")),
    "exchange-create": Route(EDITOR_ONLY, page("exchange-create", ok=frozenset({200, 302}))),
    "exchange-edit": Route(EDITOR_ONLY, nothing_there("exchange-edit")),
    "exchange-renew": Route(EDITOR_ONLY, nothing_there("exchange-renew", method="post")),
    "exchange-withdraw": Route(EDITOR_ONLY, nothing_there("exchange-withdraw", method="post")),
    "exchange-messages": Route(EDITOR_ONLY, page("exchange-messages")),
    "exchange-message-reply": Route(EDITOR_ONLY, nothing_there("exchange-message-reply")),
    "exchange-message-report": Route(EDITOR_ONLY, nothing_there("exchange-message-report")),
    "api:listing-list": Route(
        PUBLIC_API_LIST, reference_pages("api:listing-list", list_route=True)
    ),
    "api:listing-detail": Route(PUBLIC_API_DETAIL, listing_pages("api:listing-detail")),
    # reports
    "report-list": Route(REPORTS, report_list_page),
    "report-detail": Route(REPORTS, report_pages("report-detail")),
    "report-download": Route(REPORTS, report_pages("report-download")),
    # open data: releases hold published records only
    "data-dictionary": Route(STATIC_LIKE, page("data-dictionary")),
    "release-list": Route(PUBLISHED_PAGE, page("release-list")),
    "release-detail": Route(PUBLISHED_PAGE, release_pages),
    "release-file": Route(PUBLISHED_PAGE, release_files),
}
# Mounted at /bench/ only when settings.BENCHMARK_VIEWS is on (never in tests by default).
BENCHMARK_ROUTES: dict[str, Route] = {
    "bench-bare-initiatives": Route(BENCHMARK, benchmark_pages("bench-bare-initiatives")),
    "bench-icontains-initiatives": Route(BENCHMARK, benchmark_pages("bench-icontains-initiatives")),
}
NAMESPACES: dict[str, Kind] = {"admin": STAFF_ONLY}


def classified_routes() -> dict[str, Route]:
    return {**ROUTES, **(BENCHMARK_ROUTES if settings.BENCHMARK_VIEWS else {})}


# ---------------------------------------------------------------------------------------------
# The resolver's patterns


@dataclass(frozen=True)
class Pattern:
    route: str  # the whole pattern, prefixes included
    name: str | None
    namespace: str

    @property
    def key(self) -> str:
        """How ``ROUTES`` names it: ``namespace:name``, or the pattern itself if unnamed."""
        if self.name is None:
            return self.route
        return f"{self.namespace}:{self.name}" if self.namespace else self.name


def url_patterns(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every pattern the project answers, walking included resolvers recursively."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from url_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield Pattern(route, entry.name, namespace)


def kind_of(pattern: Pattern) -> Kind | None:
    route = classified_routes().get(pattern.key)
    if route is not None:
        return route.kind
    return NAMESPACES.get(pattern.namespace.split(":")[0]) if pattern.namespace else None


def test_every_route_of_the_project_is_classified():
    unclassified = sorted({f"{p.key} ({p.route})" for p in url_patterns() if kind_of(p) is None})
    assert not unclassified, (
        "Routes without a kind in ROUTES (say what each may show, and add probes): "
        + ", ".join(unclassified)
    )


def test_every_classified_route_still_exists():
    keys = {pattern.key for pattern in url_patterns()}
    namespaces = {pattern.namespace.split(":")[0] for pattern in url_patterns()}
    gone = sorted(set(classified_routes()) - keys) + sorted(set(NAMESPACES) - namespaces)
    assert not gone, "Classified routes that no longer exist: " + ", ".join(gone)


# ---------------------------------------------------------------------------------------------
# Seeding once for the module, and the people's clients


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The records, created once for every test of the module in a transaction that is rolled
    back at the end (each test runs in a savepoint inside it)."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        records = seed_records()
        release_make()
        yield records
        transaction.set_rollback(True)


def user_of(seeded: SeededRecords, role: Role):
    if role is MODERATOR:
        return seeded.moderator
    if role.organisations:
        return seeded.editors[next(iter(role.organisations))]
    return None


@pytest.fixture
def clients(seeded) -> dict[Role, Client]:
    clients = {}
    for role in ROLES:
        client = Client()
        user = user_of(seeded, role)
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


# ---------------------------------------------------------------------------------------------
# Reading answers


def body_of(response) -> bytes:
    # The test client closes a streamed response once its content has been read.
    return b"".join(response.streaming_content) if response.streaming else response.content


def send(client: Client, probe: Probe, url: str | None = None):
    url = url or probe.url
    if probe.json_body:
        return getattr(client, probe.method)(
            url, json.dumps(probe.data), content_type="application/json", headers=probe.headers
        )
    return getattr(client, probe.method)(url, probe.data, headers=probe.headers)


def asks_to_sign_in(response) -> bool:
    if response.status_code == 401:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(
        (reverse("login"), reverse("admin:login"))
    )


@dataclass(frozen=True)
class Trace:
    text: str  # found in an answer, it shows that something hidden is there
    whose: str
    named_by: str  # a request saying this may have its own words repeated back

    def echoed_by(self, probe: Probe) -> bool:
        return self.named_by in probe.sent_text


def traces_hidden_from(seeded: SeededRecords, kind: Kind, role: Role) -> list[Trace]:
    """The traces of everything the person may not see on this kind of route."""
    hidden = []
    for record in seeded.records:
        if not kind.scope(role, record):
            hidden += [Trace(trace, str(record), trace) for trace in record.traces]
    for ghost in seeded.ghosts:
        if not kind.scope(role, ghost.record):
            whose = f"organisation named only in {ghost.record}"
            hidden += [Trace(trace, whose, trace) for trace in ghost.traces]
    if seeded.proposed_practice is not None and not (
        role.is_moderator or "org-a" in role.organisations
    ):
        whose = "practice org-a proposed"
        hidden += [
            Trace(trace, whose, trace)
            for trace in (seeded.proposed_practice.name, seeded.proposed_practice.slug)
        ]
    if seeded.submitted_listing is not None and not sees_submitted_listing(role):
        whose = "offer org-a submitted"
        hidden.append(Trace(seeded.submitted_listing.title, whose, SUBMITTED_LISTING))
    if not any(
        kind.scope(role, r) for r in seeded.records if GHOST_COUNTRY in r.facets["recipient"]
    ):
        # The country is reference data; its involvement (map titles, facet options) is not.
        # A filter on it is still offered, with no results, to whoever chose it.
        whose = "country only unpublished records work in"
        hidden += [
            Trace(f"{GHOST_COUNTRY_NAME}: ", whose, f"={GHOST_COUNTRY}"),
            Trace(f"f-recipient-{GHOST_COUNTRY.lower()}", whose, f"={GHOST_COUNTRY}"),
        ]
    return hidden


def visit(
    key: str, kind: Kind, probe: Probe, role: Role, seeded, client: Client, twins: dict
) -> None:
    where = f"{key} [{kind.name}] {probe.method.upper()} {probe.url} as {role.name}"
    opens = probe.may_open(role, kind)
    response = send(client, probe)
    status = response.status_code
    assert status < 500, f"{where}: server error {status}"

    if role.is_anonymous and kind.needs_account:
        assert asks_to_sign_in(response), f"{where}: answered {status}, not the sign-in page"
    elif not opens:
        assert status != 403, f"{where}: 403 tells an outsider that the record exists"
        assert status == 404 or asks_to_sign_in(response), f"{where}: answered {status}"
        if probe.missing:
            asked = (role, probe.method, probe.missing)
            if asked not in twins:
                twins[asked] = send(client, probe, probe.missing).status_code
            assert status == twins[asked], (
                f"{where}: answered {status}, but {twins[asked]} for something that does not exist"
            )
    else:
        assert status in probe.ok, f"{where}: answered {status}, expected {set(probe.ok)}"

    text = readable_text(body_of(response))
    for trace in traces_hidden_from(seeded, kind, role):
        if not trace.echoed_by(probe):
            assert trace.text not in text, f"{where}: shows {trace.text!r} ({trace.whose})"

    if not opens or (role.is_anonymous and kind.needs_account) or status not in probe.ok:
        return
    visible = [record for record in seeded.records if kind.scope(role, record)]
    if probe.shows is not None:
        for record in visible:
            if probe.shows(record, role):
                assert record.marker in text, f"{where}: does not show {record}"
    if probe.check is not None:
        try:
            probe.check(text, visible, role)
        except AssertionError as failure:
            raise AssertionError(f"{where}: {failure}") from failure


@pytest.mark.parametrize("key", sorted(classified_routes()))
def test_no_route_shows_what_its_visitor_may_not_see(key, seeded, clients):
    route = classified_routes()[key]
    probes = route.probes(seeded)
    assert probes, f"{key} has no probes"
    twins: dict = {}  # answers for things that do not exist, by person and request
    for probe in probes:
        for role in ROLES:
            if probe.outsiders_only and probe.may_open(role, route.kind):
                continue
            visit(key, route.kind, probe, role, seeded, clients[role], twins)
