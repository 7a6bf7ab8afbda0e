"""The bitmap facet index gives exactly the counts SQL gives, and never stale ones."""

import itertools
import random
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from funding.models import FundingModel
from initiatives.browse import index as facet_index
from initiatives.browse.counts import initiative_facets
from initiatives.browse.facets import BY_NAME, FACETS
from initiatives.browse.filters import InitiativeFilterSet
from initiatives.models import Initiative
from organisations.models import OrganisationType
from principles.models import Principle
from reference.models import Modality
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    ParticipationFactory,
    PrincipleEvidenceFactory,
    country,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied():
    """Published records differing in every facet, and unpublished ones that must not count."""
    chooser = random.Random(5)  # noqa: S311 - varied test data, not secrets
    more = random.Random(7)  # noqa: S311 - the same, for the facets added later
    modalities = list(Modality.objects.all()[:4])
    principles = list(Principle.objects.all()[:3])
    funding_models = list(FundingModel.objects.filter(slug__in=["citizen-donations", "triangular"]))
    for n in range(24):
        initiative = InitiativeFactory(
            title=f"Seed exchange {n}" if n % 3 else f"Housing savings {n}",
            state="published" if n % 5 else chooser.choice(["draft", "submitted", "archived"]),
            recipient__country=country(chooser.choice(["MZ", "HT", "KH"])),
            cooperation_type=chooser.choice(["bilateral", "triangular", "regional"]),
            start_year=chooser.choice([2005, 2010, 2015, None]),
            is_fragile_state=n % 4 == 0,
            activity_status=chooser.choice([2, 4]),
        )
        if n % 2:
            InitiativeCountryFactory(initiative=initiative, country=country("ZA"))
        initiative.modalities.add(*chooser.sample(modalities, 2))
        initiative.sectors.add(chooser.choice(["31120", "16030", "15150"]))
        FundingContributionFactory(initiative=initiative)
        for principle in chooser.sample(principles, chooser.randint(0, 2)):
            PrincipleEvidenceFactory(initiative=initiative, principle=principle)
        if n % 3 == 0:
            initiative.is_post_disaster = True
            initiative.save(update_fields=["is_post_disaster"])
            InitiativeCountryFactory(
                initiative=initiative, country=country(more.choice(["IN", "ZA"])), role="provider"
            )
        FundingContributionFactory(initiative=initiative, funding_model=more.choice(funding_models))
        ParticipationFactory(
            initiative=initiative,
            actor__actor_type=more.choice([OrganisationType.NETWORK, OrganisationType.ACADEMIC]),
        )


def counts(facets) -> dict:
    return {(f.name, o.value): (o.count, o.label, o.selected) for f in facets for o in f.options}


def facets_for(query: str, *, public: bool):
    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    return initiative_facets(filterset, public=public)


QUERIES = [
    "",
    "recipient=MZ",
    "recipient=MZ&recipient=HT",
    "recipient=ZA&modality=exchange-visits",
    "sector=31120&cooperation_type=triangular",
    "context=fragile&year=2010",
    "status=4&principle=ownership",
    "q=seed",
    "q=seed&recipient=KH",
    "funding_model=citizen-donations&actor_type=network",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_index_counts_what_sql_counts(varied, query):
    assert counts(facets_for(query, public=True)) == counts(facets_for(query, public=False))


def _query(**values) -> str:
    query = QueryDict(mutable=True)
    for name, chosen in values.items():
        query.setlist(name, chosen)
    return query.urlencode()


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_every_facet_counts_and_lists_in_the_index_what_sql_does(varied, facet):
    """For each declared facet: its values one at a time, two together, and one with a
    search and a value of another facet give the same counts and the same results from the
    index as from SQL."""
    options = {f.name: f.options for f in facets_for("", public=False)}
    values = [option.value for option in options[facet.name]]
    assert len(values) >= 2, "the data must give every facet two values at least"
    other = "year" if facet.name != "year" else "recipient"
    queries = [
        *(_query(**{facet.name: [value]}) for value in values),
        _query(**{facet.name: values[:2]}),
        _query(q=["seed"], **{facet.name: values[-1:], other: [options[other][0].value]}),
    ]
    rows = Initiative.objects.published()
    for query in queries:
        filterset = InitiativeFilterSet(QueryDict(query), queryset=rows)
        assert facet_index.public_facet_rows(filterset, public=True) is not None, query
        assert counts(facets_for(query, public=True)) == counts(facets_for(query, public=False))
        indexed = facet_index.public_results(filterset, rows, public=True)
        assert [i.pk for i in indexed[0 : len(indexed)]] == list(
            filterset.qs.values_list("pk", flat=True)
        ), query


def test_every_table_a_facet_reads_notes_its_public_changes():
    """A facet whose counts read a table without a trigger noting its changes would be served
    stale from the index after a change to that table (truncating any of them, too)."""
    tables = {table for facet in FACETS for table in facet.tables}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relation.relname, trigger.tgname FROM pg_trigger AS trigger"
            " JOIN pg_class AS relation ON relation.oid = trigger.tgrelid"
            " WHERE trigger.tgname LIKE relation.relname || '_public_%%'"
        )
        triggers = cursor.fetchall()
    watched = {table for table, _name in triggers}
    truncation_noted = {table for table, name in triggers if name.endswith("_everything")}
    assert sorted(tables - watched) == []
    assert sorted(tables - truncation_noted) == []


def test_a_facet_names_the_tables_its_values_are_named_from():
    assert BY_NAME["modality"].tables == {
        "initiatives_initiative",
        "initiatives_initiative_modalities",
        "initiatives_modality",
    }
    assert BY_NAME["actor_type"].tables == {
        "initiatives_initiative",
        "initiatives_participation",
        "initiatives_actor",
    }
    assert BY_NAME["year"].tables == {"initiatives_initiative"}


def test_the_index_is_rebuilt_when_the_data_changes(varied):
    before = counts(facets_for("", public=True))
    version = facet_index.content_version()
    InitiativeFactory(recipient__country=country("BO"))
    assert facet_index.content_version() > version
    after = counts(facets_for("", public=True))
    assert ("recipient", "BO") not in before
    assert after[("recipient", "BO")][0] == 1


def test_unpublishing_a_record_takes_it_out_of_the_counts(varied):
    record = Initiative.objects.published().first()
    before = counts(facets_for("", public=True))
    Initiative.objects.filter(pk=record.pk).update(state="archived")
    after = counts(facets_for("", public=True))
    assert after == counts(facets_for("", public=False))
    assert after != before


def test_filters_the_index_does_not_hold_are_counted_in_sql(varied, django_assert_num_queries):
    filterset = InitiativeFilterSet(
        QueryDict("stance=supports"), queryset=Initiative.objects.published()
    )
    assert facet_index.public_facet_rows(filterset, public=True) is None


def test_a_warm_index_costs_one_query(varied, django_assert_num_queries):
    facets_for("", public=True)
    with django_assert_num_queries(1):  # the content version
        facets_for("recipient=MZ&cooperation_type=triangular&year=2010", public=True)


def test_the_list_page_uses_the_index_for_visitors_only(client, varied, editor, monkeypatch):
    calls = []
    original = facet_index.FacetIndex.rows

    def spy(index, *args, **kwargs):
        calls.append(index)
        return original(index, *args, **kwargs)

    monkeypatch.setattr(facet_index.FacetIndex, "rows", spy)
    client.get("/initiatives/")
    assert len(calls) == 1
    client.force_login(editor)
    client.get("/initiatives/")
    assert len(calls) == 1, "an editor's scope includes their drafts: counted in SQL"


def test_every_pair_of_facets_agrees(varied):
    pairs = ["recipient=HT", "modality=exchange-visits", "year=2015", "context=fragile"]
    for first, second in itertools.combinations(pairs, 2):
        query = f"{first}&{second}"
        assert counts(facets_for(query, public=True)) == counts(facets_for(query, public=False))


@pytest.mark.parametrize(
    "query", ["", "recipient=MZ", "q=seed&year=2010&ordering=newest", "context=fragile"]
)
def test_the_list_pages_from_the_index_show_what_sql_shows(client, varied, settings, query):
    from django.core.paginator import Paginator

    from initiatives.browse.index import public_results

    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    rows = Initiative.objects.published().for_listing()
    indexed = public_results(filterset, rows, public=True)
    assert indexed is not None
    expected = list(filterset.qs.values_list("pk", flat=True))
    for size in (3, 7):
        pages = Paginator(indexed, size)
        assert pages.count == len(expected)
        shown = [i.pk for number in pages.page_range for i in pages.page(number).object_list]
        assert shown == expected


@pytest.mark.parametrize("query", ["ordering=title", "q=seed&ordering=-start_year"])
def test_other_orders_are_paged_in_sql_and_counted_by_the_index(varied, query):
    from django.core.paginator import Paginator

    from initiatives.browse.index import CountedResults, public_results

    rows = Initiative.objects.published()
    filterset = InitiativeFilterSet(QueryDict(query), queryset=rows)
    results = public_results(filterset, rows, public=True)
    assert isinstance(results, CountedResults)
    expected = list(filterset.qs.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        pages = Paginator(results, 4)
        shown = [i.pk for number in pages.page_range for i in pages.page(number).object_list]
    assert pages.count == len(expected)
    assert shown == expected
    reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "initiatives_initiative"')]
    limits = [re.search(r"LIMIT (\d+)", sql) for sql in reads]
    assert reads and all(limit and int(limit[1]) <= 4 for limit in limits), "a page, never all"


@pytest.mark.parametrize("query", ["q=seed", "q=seed&recipient=MZ"])
def test_searches_are_ranked_once_and_paged_from_the_index(varied, query):
    from django.core.paginator import Paginator

    from initiatives.browse.index import RankedResults, public_results

    rows = Initiative.objects.published()
    expected = list(
        InitiativeFilterSet(QueryDict(query), queryset=rows).qs.values_list("pk", flat=True)
    )
    assert expected, "the data must give the search something to find"

    def pages_shown():
        filterset = InitiativeFilterSet(QueryDict(query), queryset=rows)
        results = public_results(filterset, rows, public=True)
        assert isinstance(results, RankedResults)
        pages = Paginator(results, 4)
        assert pages.count == len(expected)
        return [i.pk for number in pages.page_range for i in pages.page(number).object_list]

    assert pages_shown() == expected  # best match first, as SQL ranks them
    with CaptureQueriesContext(connection) as queries:
        assert pages_shown() == expected
    reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "initiatives_initiative"')]
    assert len(reads) == len(range(0, len(expected), 4)), "one read per page, no new ranking"
    assert all('"id" IN' in sql and "ts_rank" not in sql for sql in reads)


def test_a_remembered_search_sees_a_record_published_after_it(client, varied):
    def found():
        page = client.get("/initiatives/", {"q": "housing"}).content.decode()
        return page.count('class="result-title"'), "Housing cooperatives abroad" in page

    shown, _ = found()
    assert shown > 0
    InitiativeFactory(title="Housing cooperatives abroad", state="published")
    assert found() == (shown + 1, True)


def test_scopes_with_drafts_are_paged_in_sql(varied):
    from initiatives.browse.index import public_results

    rows = Initiative.objects.published()
    assert (
        public_results(InitiativeFilterSet(QueryDict(""), queryset=rows), rows, public=False)
        is None
    )
