"""/initiatives/: filters, facet counts, sorting, pages, htmx, query counts and the gate."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from initiatives.browse.counts import KeyFigures, initiative_facets, key_figures
from initiatives.browse.filters import InitiativeFilterSet
from initiatives.models import Initiative, Participation
from initiatives.services import initiative_refresh_search_vector
from organisations.models import OrganisationType
from principles.models import PrincipleEvidence
from reference.iati import ActivityStatus
from reference.models import Modality
from ssdc_portal.languages import path_in_language
from tests.factories import InitiativeFactory, OrganisationFactory, Rows, country
from tests.html_forms import form_fields

State = Initiative.State
URL = reverse("initiative-list")
CONTEXT_FIELDS = {
    "fragile": "is_fragile_state",
    "post_disaster": "is_post_disaster",
    "conflict": "is_conflict_affected",
}


def build(
    title,
    *,
    provider="BR",
    recipients=("MZ",),
    sectors=(),
    modalities=(),
    funding=(),
    evidence=(),
    owner_type=OrganisationType.NATIONAL_NGO,
    partner_types=(),
    contexts=(),
    **fields,
):
    """A published initiative (unless ``state`` says otherwise) with the related rows named."""
    initiative = InitiativeFactory(
        title=title,
        provider__country=country(provider),
        recipient__country=country(recipients[0]),
        owner__actor_type=owner_type,
        **{CONTEXT_FIELDS[key]: True for key in contexts},
        **fields,
    )
    rows = Rows(initiative)
    for code in recipients[1:]:
        rows.country(code)
    initiative.sectors.add(*sectors)
    rows.modalities(*modalities)
    for slug in funding:
        rows.funding(slug)
    for slug, stance in evidence:
        rows.evidence(slug, stance=stance)
    for actor_type in partner_types:
        rows.participant(actor__actor_type=actor_type)
    initiative_refresh_search_vector(initiative_ids=[initiative.pk])
    return initiative


SUPPORTS = PrincipleEvidence.Stance.SUPPORTS
CHALLENGES = PrincipleEvidence.Stance.CHALLENGES
# Alpha's facets; the published record among records in every other state has them too.
ALPHA_FACETS = {
    "provider": "BR",
    "recipients": ("MZ",),
    "sectors": ["31120"],
    "modalities": ["exchange-visits"],
    "funding": ["citizen-donations"],
    "evidence": [("ownership", SUPPORTS)],
    "contexts": ["fragile"],
    "cooperation_type": "bilateral",
    "activity_status": ActivityStatus.IMPLEMENTATION,
}


@pytest.fixture
def data(db):
    """Four published initiatives that differ in every facet."""
    return {
        "alpha": build(
            "Alpha seed exchange",
            **ALPHA_FACETS,
            owner_type=OrganisationType.NATIONAL_NGO,
            actual_start=datetime.date(2012, 5, 1),
            planned_start=datetime.date(2011, 1, 1),
            start_year=2009,
        ),
        "beta": build(
            "Beta accountability training",
            provider="IN",
            recipients=("BD", "KH"),
            sectors=["15150"],
            modalities=["training"],
            funding=["triangular"],
            evidence=[("ownership", CHALLENGES), ("results", SUPPORTS)],
            owner_type=OrganisationType.NATIONAL_NGO,
            partner_types=[OrganisationType.NETWORK],
            contexts=["post_disaster"],
            cooperation_type="triangular",
            activity_status=ActivityStatus.CLOSED,
            planned_start=datetime.date(2015, 3, 1),
            start_year=2010,
        ),
        "gamma": build(
            "Gamma farmer visits",
            provider="MX",
            recipients=("HT",),
            sectors=["31120", "43040"],
            modalities=["exchange-visits", "mentoring"],
            funding=["citizen-donations", "citizen-donations"],
            owner_type=OrganisationType.FAITH_BASED,
            partner_types=[OrganisationType.FAITH_BASED],
            contexts=["fragile", "conflict"],
            cooperation_type="regional",
            activity_status=ActivityStatus.IMPLEMENTATION,
            start_year=2015,
        ),
        "delta": build(
            "Delta housing savings",
            provider="ZA",
            recipients=("IN",),
            owner_type=OrganisationType.COMMUNITY_BASED,
            cooperation_type="bilateral",
            activity_status=ActivityStatus.FINALISATION,
        ),
    }


def titles(response) -> set[str]:
    return {initiative.title.split()[0].lower() for initiative in response.context["page"]}


# ---- filters ----

FILTER_CASES = [
    ({}, {"alpha", "beta", "gamma", "delta"}),
    ({"provider": "BR"}, {"alpha"}),
    ({"provider": ["BR", "IN"]}, {"alpha", "beta"}),
    ({"recipient": "KH"}, {"beta"}),
    ({"recipient": ["MZ", "HT"]}, {"alpha", "gamma"}),
    ({"recipient": "BR"}, set()),
    ({"sector": "31120"}, {"alpha", "gamma"}),
    ({"sector": "43040"}, {"gamma"}),
    ({"sector": ["31120", "43040"]}, {"alpha", "gamma"}),
    ({"modality": "exchange-visits"}, {"alpha", "gamma"}),
    ({"modality": ["training", "mentoring"]}, {"beta", "gamma"}),
    ({"funding_model": "citizen-donations"}, {"alpha", "gamma"}),
    ({"funding_model": "triangular"}, {"beta"}),
    ({"principle": "ownership"}, {"alpha", "beta"}),
    ({"principle": "ownership", "stance": "supports"}, {"alpha"}),
    ({"principle": "ownership", "stance": "challenges"}, {"beta"}),
    ({"principle": ["ownership", "results"], "stance": "supports"}, {"alpha", "beta"}),
    ({"stance": "challenges"}, {"beta"}),
    ({"principle": "results"}, {"beta"}),
    ({"actor_type": "network"}, {"beta"}),
    ({"actor_type": "faith_based"}, {"gamma"}),
    ({"actor_type": ["community_based", "network"]}, {"beta", "delta"}),
    ({"context": "fragile"}, {"alpha", "gamma"}),
    ({"context": "conflict"}, {"gamma"}),
    ({"context": ["fragile", "post_disaster"]}, {"alpha", "beta", "gamma"}),
    ({"cooperation_type": "triangular"}, {"beta"}),
    ({"cooperation_type": ["bilateral", "regional"]}, {"alpha", "gamma", "delta"}),
    ({"status": "2"}, {"alpha", "gamma"}),
    ({"status": ["3", "4"]}, {"beta", "delta"}),
    # start year: actual start, else planned start, else the year given
    ({"year": "2012"}, {"alpha"}),
    ({"year": "2015"}, {"beta", "gamma"}),
    ({"year": ["2009", "2010", "2011"]}, set()),
    ({"q": "farmer"}, {"gamma"}),
    # combinations
    ({"provider": ["BR", "MX"], "sector": "43040"}, {"gamma"}),
    (
        {
            "context": "fragile",
            "modality": "exchange-visits",
            "funding_model": "citizen-donations",
            "status": "2",
        },
        {"alpha", "gamma"},
    ),
    ({"q": "seed", "provider": "BR", "year": "2012"}, {"alpha"}),
    ({"q": "seed", "provider": "IN"}, set()),
    ({"cooperation_type": "bilateral", "year": "2015"}, set()),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_each_filter_and_combination_narrows_the_list(client, data, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert not response.context["filterset"].errors
    assert titles(response) == expected
    assert response.context["page"].paginator.count == len(expected)


@pytest.mark.django_db
def test_filters_on_related_rows_never_repeat_an_initiative(client, data):
    response = client.get(
        URL,
        {"sector": ["31120", "43040"], "funding_model": "citizen-donations", "context": "fragile"},
    )
    rows = list(response.context["page"])
    assert len(rows) == len(set(rows)) == 2


INVALID = [
    ({"provider": "XX"}, "provider", "XX is not one of the available choices"),
    ({"recipient": "mz"}, "recipient", "mz is not one of the available choices"),
    ({"sector": "abc"}, "sector", "“abc” is not a known DAC sector code"),
    ({"sector": "99999"}, "sector", "“99999” is not a known DAC sector code"),
    ({"modality": "telepathy"}, "modality", "“telepathy” is not a known modality"),
    ({"modality": "<script>"}, "modality", "“&lt;script&gt;” is not a known modality"),
    ({"funding_model": "lottery"}, "funding_model", "“lottery” is not a known funding model"),
    ({"principle": "speed"}, "principle", "“speed” is not a known principle"),
    ({"stance": "neutral"}, "stance", "neutral is not one of the available choices"),
    ({"actor_type": "alien"}, "actor_type", "alien is not one of the available choices"),
    ({"context": "war"}, "context", "war is not one of the available choices"),
    ({"cooperation_type": "x"}, "cooperation_type", "x is not one of the available choices"),
    ({"status": "9"}, "status", "9 is not one of the available choices"),
    ({"status": "two"}, "status", "two is not one of the available choices"),
    ({"year": "1800"}, "year", "1800 is not one of the available choices"),
    ({"year": "twenty"}, "year", "twenty is not one of the available choices"),
    ({"ordering": "-pk"}, "ordering", "-pk is not one of the available choices"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "field", "message"), INVALID)
def test_invalid_values_give_a_message_and_the_other_filters_still_apply(
    client, data, params, field, message
):
    response = client.get(URL, {**params, "provider": params.get("provider", "BR")})
    assert response.status_code == 200
    assert field in response.context["filterset"].errors
    page = response.content.decode()
    assert "Some filters could not be applied" in page
    assert message in page
    expected = {"alpha", "beta", "gamma", "delta"} if field == "provider" else {"alpha"}
    assert titles(response) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", ""])
def test_odd_page_numbers_show_a_page_not_an_error(client, data, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 4


# ---- facet counts ----


def counts_by_facet(params: dict) -> dict[str, dict[str, int]]:
    filterset = InitiativeFilterSet(
        _query(params), queryset=Initiative.objects.visible_to(AnonymousUser())
    )
    return {
        facet.name: {option.value: option.count for option in facet.options}
        for facet in initiative_facets(filterset)
    }


def list_count(params: dict) -> int:
    filterset = InitiativeFilterSet(
        _query(params), queryset=Initiative.objects.visible_to(AnonymousUser())
    )
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def _query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


CANDIDATES = {
    "provider": ["BR", "IN", "MX", "ZA", "FR"],
    "recipient": ["MZ", "BD", "KH", "HT", "IN", "FR"],
    "sector": ["31120", "15150", "43040", "11110"],
    "modality": ["peer-dialogue", "exchange-visits", "training", "tools-and-methods", "mentoring"],
    "funding_model": [
        "citizen-donations",
        "provider-government",
        "triangular",
        "beneficiary-resources",
        "private-sector",
        "mixed-other",
    ],
    "principle": ["ownership", "results", "inclusive-partnerships", "transparency-accountability"],
    "actor_type": OrganisationType.values,
    "context": ["fragile", "post_disaster", "conflict"],
    "cooperation_type": ["bilateral", "triangular", "regional"],
    "status": [str(value) for value in ActivityStatus.values],
    "year": ["2009", "2010", "2011", "2012", "2015", "2020"],
}

ACTIVE_FILTERS = [
    {},
    {"context": "fragile"},
    {"provider": ["BR", "MX"], "modality": "exchange-visits"},
    {"funding_model": "citizen-donations", "status": "2", "year": "2015"},
    {"principle": "ownership", "stance": "supports"},
    {"stance": "challenges"},
    {"q": "seed or farmer or accountability", "cooperation_type": ["bilateral", "triangular"]},
    {"actor_type": "national_ngo", "recipient": ["MZ", "BD"], "sector": "31120"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("active", ACTIVE_FILTERS)
def test_facet_counts_equal_the_count_of_the_list_filtered_by_that_value(data, active):
    facets = counts_by_facet(active)
    assert set(facets) == set(CANDIDATES)
    for name, values in CANDIDATES.items():
        for value in values:
            expected = list_count({**active, name: value})
            assert facets[name].get(value, 0) == expected, (name, value, active)


@pytest.mark.django_db
def test_a_facet_keeps_its_other_values_when_one_is_chosen(client, data):
    response = client.get(URL, {"provider": "BR"})
    provider = next(f for f in response.context["facets"] if f.name == "provider")
    assert {(o.value, o.count, o.selected) for o in provider.options} == {
        ("BR", 1, True),
        ("IN", 1, False),
        ("MX", 1, False),
        ("ZA", 1, False),
    }
    page = response.content.decode()
    assert 'name="provider" value="BR" id="f-provider-br" checked' in page
    assert 'Mexico <span class="facet-count">(1)</span>' in page


@pytest.mark.django_db
def test_a_chosen_value_without_results_stays_offered_so_it_can_be_unticked(client, data):
    response = client.get(URL, {"provider": "BR", "context": "conflict"})
    provider = next(f for f in response.context["facets"] if f.name == "provider")
    assert ("BR", 0, True) in {(o.value, o.count, o.selected) for o in provider.options}


@pytest.mark.django_db
def test_long_facets_show_the_first_values_and_the_rest_on_demand(client, data):
    for code in ["FR", "DE", "ES", "PT", "IT", "NL", "BE", "AR"]:
        build(f"Extra {code}", provider=code)
    response = client.get(URL, {"provider": "ZA"})
    provider = next(f for f in response.context["facets"] if f.name == "provider")
    assert len(provider.options) == 12
    # The first eight, and South Africa because it is chosen (it ranks last: "S").
    assert [o.value for o in provider.leading][-1] == "ZA"
    assert len(provider.leading) == 9
    assert len(provider.more) == 3
    assert "3 more" in response.content.decode()


# ---- sorting and pages ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["alpha", "beta", "delta", "gamma"]),
        ("start_year", ["alpha", "beta", "gamma", "delta"]),  # 2012, 2015, 2015, none
        ("-start_year", ["beta", "gamma", "alpha", "delta"]),
    ],
)
def test_sorting(client, data, ordering, expected):
    response = client.get(URL, {"ordering": ordering})
    assert [i.title.split()[0].lower() for i in response.context["page"]] == expected


@pytest.mark.django_db
def test_newest_published_first_by_default(client, data):
    now = timezone.now()
    for days, key in enumerate(["gamma", "alpha", "delta", "beta"]):
        Initiative.objects.filter(pk=data[key].pk).update(
            published_at=now - datetime.timedelta(days=days)
        )
    response = client.get(URL)
    assert [i.title.split()[0].lower() for i in response.context["page"]] == [
        "gamma",
        "alpha",
        "delta",
        "beta",
    ]


@pytest.mark.django_db
def test_a_search_is_sorted_by_relevance_unless_asked_otherwise(client, data):
    assert [i.title for i in client.get(URL, {"q": "farmer"}).context["page"]] == [
        "Gamma farmer visits"
    ]
    build("Zeta", summary="A farmer meeting.")
    build("Farmer schools")
    by_relevance = client.get(URL, {"q": "farmer", "ordering": ""}).context["page"]
    assert by_relevance[0].title == "Farmer schools"
    by_title = client.get(URL, {"q": "farmer", "ordering": "title"}).context["page"]
    assert [i.title for i in by_title] == ["Farmer schools", "Gamma farmer visits", "Zeta"]


@pytest.mark.django_db
def test_pages_of_twenty_with_links_that_keep_the_filters(client):
    for n in range(25):
        build(f"Seed project {n:02}")
    response = client.get(URL, {"provider": "BR", "ordering": "title"})
    assert len(response.context["page"].object_list) == 20
    page = response.content.decode()
    assert 'href="?provider=BR&amp;ordering=title&amp;page=2"' in page
    second = client.get(URL, {"provider": "BR", "ordering": "title", "page": 2})
    assert [i.title for i in second.context["page"]] == [f"Seed project {n}" for n in range(20, 25)]
    assert "25 initiatives found · page 2 of 2" in second.content.decode()


@pytest.mark.django_db
def test_the_rendered_form_resubmits_the_same_view(client, data):
    params = {"provider": ["BR", "MX"], "modality": "exchange-visits", "q": "seed or farmer"}
    first = client.get(URL, params)
    fields = form_fields(first.content.decode(), "listing-form")
    assert fields["provider"] == ["BR", "MX"]
    assert fields["q"] == "seed or farmer"
    again = client.get(URL, fields)
    assert list(again.context["page"]) == list(first.context["page"])
    assert titles(again) == {"alpha", "gamma"}


# ---- htmx ----


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_results_and_facets(client, data):
    response = client.get(URL, {"provider": "BR"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "<form" not in page
    assert "Alpha seed exchange" in page
    assert 'id="facets"' in page
    assert 'id="result-status" hx-swap-oob="innerHTML">1 initiative found' in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_the_full_page_wires_htmx_to_the_results_region(client, data):
    page = client.get(URL).content.decode()
    assert "<html" in page
    assert 'hx-get="/initiatives/" hx-target="#results-region" hx-push-url="true"' in page
    assert '<div id="results-region"' in page
    assert 'role="status" aria-live="polite"' in page
    assert '<details class="facet-panel" open>' in page
    assert "<legend>Provider country</legend>" in page


# ---- query counts ----


def _rows(count: int) -> None:
    sectors = ["31120", "15150", "43040"]
    slugs = ["training", "mentoring", "exchange-visits"]
    for n in range(count):
        build(
            f"Initiative about seeds {n}",
            provider=["BR", "IN", "MX"][n % 3],
            recipients=("MZ", "HT")[: 1 + n % 2],
            sectors=sectors[: 1 + n % 3],
            modalities=slugs[: 1 + n % 3],
            funding=["citizen-donations"],
            evidence=[("ownership", SUPPORTS)],
            partner_types=[OrganisationType.NETWORK],
            start_year=2000 + n % 5,
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "seeds"},
        {"q": "seeds", "provider": ["BR", "IN"], "sector": "31120", "modality": "training"},
        {"funding_model": "citizen-donations", "principle": "ownership", "year": "2001"},
    ],
)
def test_list_query_count_does_not_grow_with_rows(client, params):
    from django.db import connection

    client.get(URL)  # both counted requests then find an index older than the data
    _rows(2)
    with CaptureQueriesContext(connection) as two_rows:
        response = client.get(URL, params)
    assert response.status_code == 200
    _rows(48)
    with CaptureQueriesContext(connection) as fifty_rows:
        response = client.get(URL, params)
    assert len(fifty_rows) == len(two_rows)
    assert len(two_rows) <= 10


@pytest.mark.django_db
def test_list_query_count_for_a_signed_in_editor(client, editor, django_assert_num_queries):
    from django.db import connection

    organisation = editor.memberships.get().organisation
    client.force_login(editor)
    _rows(2)
    InitiativeFactory(owner=organisation, state=State.DRAFT)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "seeds", "provider": "BR"})
    _rows(48)
    InitiativeFactory.create_batch(5, owner=organisation, state=State.DRAFT)
    with django_assert_num_queries(len(few)):
        client.get(URL, {"q": "seeds", "provider": "BR"})


@pytest.mark.django_db
def test_facets_are_counted_in_one_query(data, django_assert_num_queries):
    filterset = InitiativeFilterSet(
        _query({"provider": "BR", "q": "seed"}),
        queryset=Initiative.objects.visible_to(AnonymousUser()),
    )
    filterset.is_valid()
    with django_assert_num_queries(1):
        initiative_facets(filterset)


# ---- the visibility gate ----

# One distinctive value per hidden state, in every facet.
HIDDEN_MARKS = {
    State.DRAFT: {
        "provider": "FJ",
        "recipients": ("TO",),
        "sectors": ["11110"],
        "modalities": ["peer-dialogue"],
        "funding": ["provider-government"],
        "evidence": [("results", SUPPORTS)],
        "owner_type": OrganisationType.SOCIAL_MOVEMENT,
        "contexts": ["conflict"],
        "cooperation_type": "regional",
        "activity_status": ActivityStatus.PIPELINE,
        "start_year": 1991,
    },
    State.SUBMITTED: {
        "provider": "CL",
        "recipients": ("BO",),
        "sectors": ["12110"],
        "modalities": ["training"],
        "funding": ["beneficiary-resources"],
        "evidence": [("inclusive-partnerships", SUPPORTS)],
        "owner_type": OrganisationType.ACADEMIC,
        "contexts": ["post_disaster"],
        "cooperation_type": "triangular",
        "activity_status": ActivityStatus.CANCELLED,
        "start_year": 1992,
    },
    State.RETURNED: {
        "provider": "KE",
        "recipients": ("UG",),
        "sectors": ["13010"],
        "modalities": ["tools-and-methods"],
        "funding": ["private-sector"],
        "evidence": [("transparency-accountability", SUPPORTS)],
        "owner_type": OrganisationType.FOUNDATION,
        "cooperation_type": "regional",
        "activity_status": ActivityStatus.SUSPENDED,
        "start_year": 1993,
    },
    State.ARCHIVED: {
        "provider": "VN",
        "recipients": ("LA",),
        "sectors": ["14010"],
        "modalities": ["mentoring"],
        "funding": ["mixed-other"],
        "evidence": [("ownership", CHALLENGES)],
        "owner_type": OrganisationType.PRIVATE_SECTOR,
        "activity_status": ActivityStatus.CLOSED,
        "start_year": 1994,
    },
}
HIDDEN_VALUES = {
    "provider": {"FJ", "CL", "KE", "VN"},
    "recipient": {"TO", "BO", "UG", "LA"},
    "sector": {"11110", "12110", "13010", "14010"},
    "modality": {"peer-dialogue", "training", "tools-and-methods", "mentoring"},
    "funding_model": {"provider-government", "beneficiary-resources", "private-sector"},
    "principle": {"results", "inclusive-partnerships", "transparency-accountability"},
    "actor_type": {"social_movement", "academic", "foundation", "private_sector"},
    "context": {"conflict", "post_disaster"},
    "cooperation_type": {"regional", "triangular"},
    "status": {"1", "5", "6", "4"},
    "year": {"1991", "1992", "1993", "1994"},
}


@pytest.fixture
def owner_organisation(db):
    return OrganisationFactory(name="Owner organisation")


@pytest.fixture
def every_state(owner_organisation):
    """One published initiative and one in every other state, each hidden one with its own
    title word, countries, sector, modality, funding, evidence, organisation type and year."""
    published = build("Visible published record", **ALPHA_FACETS, start_year=2012)
    hidden = {}
    for state, marks in HIDDEN_MARKS.items():
        initiative = build(f"Secret{state} record", state=state, **marks)
        Initiative.objects.filter(pk=initiative.pk).update(owner=owner_organisation)
        Participation.objects.filter(initiative=initiative, role="lead").update(
            actor=owner_organisation
        )
        hidden[state] = initiative
    owner_organisation.actor_type = OrganisationType.SOCIAL_MOVEMENT
    owner_organisation.save()
    initiative_refresh_search_vector(initiative_ids=[i.pk for i in hidden.values()])
    return published, hidden


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "other editor", "member without edits"])
def test_nothing_unpublished_leaks_into_list_counts_facets_search_or_detail(
    client, sign_in_editor, every_state, researcher, who
):
    published, hidden = every_state
    if who == "other editor":
        sign_in_editor()
    elif who == "member without edits":
        client.force_login(researcher)

    response = client.get(URL)
    page = response.content.decode()
    assert response.context["page"].paginator.count == 1
    assert "1 initiative found" in page
    assert published.title in page
    for initiative in hidden.values():
        assert initiative.title not in page
        assert initiative.slug not in page
    for facet in response.context["facets"]:
        shown = {option.value for option in facet.options}
        assert not shown & (HIDDEN_VALUES[facet.name] - _published_values(facet.name)), facet.name

    for state, initiative in hidden.items():
        searched = client.get(URL, {"q": f"secret{state}"})
        assert searched.context["page"].paginator.count == 0
        assert all(o.count == 0 for f in searched.context["facets"] for o in f.options)
        # A withdrawn record was public once: its address says so (410), nothing more.
        gone = state == State.ARCHIVED
        assert client.get(initiative.get_absolute_url()).status_code == (410 if gone else 404)

    for name, values in HIDDEN_VALUES.items():
        for value in values - _published_values(name):
            filtered = client.get(URL, {name: value})
            assert filtered.context["page"].paginator.count == 0, (name, value)
            counted = {
                (f.name, o.value) for f in filtered.context["facets"] for o in f.options if o.count
            }
            # Only the filtered facet counts anything (its own filter is left out): the
            # published record's value.
            assert counted == {(name, v) for v in _published_values(name)}, (name, value)

    home = client.get(reverse("home"))
    assert home.context["figures"] == key_figures(Initiative.objects.published())
    assert home.context["figures"].initiatives == 1
    assert home.context["figures"].countries == 2


def _published_values(name: str) -> set[str]:
    """Values the published record itself has (they may show): Alpha's facets, as the list's
    filters spell them."""
    return {
        "provider": {ALPHA_FACETS["provider"]},
        "recipient": set(ALPHA_FACETS["recipients"]),
        "sector": set(ALPHA_FACETS["sectors"]),
        "modality": set(ALPHA_FACETS["modalities"]),
        "funding_model": set(ALPHA_FACETS["funding"]),
        "principle": {slug for slug, _stance in ALPHA_FACETS["evidence"]},
        "actor_type": {"national_ngo"},  # build()'s owner
        "context": set(ALPHA_FACETS["contexts"]),
        "cooperation_type": {ALPHA_FACETS["cooperation_type"]},
        "status": {str(ALPHA_FACETS["activity_status"].value)},
        "year": {"2012"},
    }[name]


@pytest.mark.django_db
def test_the_owning_editor_sees_own_records_in_every_state_with_their_state(
    client, sign_in_editor, every_state, owner_organisation
):
    published, hidden = every_state
    sign_in_editor(owner_organisation)

    response = client.get(URL)
    page = response.content.decode()
    assert response.context["page"].paginator.count == 5
    for state, initiative in hidden.items():
        assert initiative.title in page
        assert f'<span class="badge badge-{state}">' in page
        # Its own editors too read a withdrawn record through its preview, not its address.
        gone = state == State.ARCHIVED
        assert client.get(initiative.get_absolute_url()).status_code == (410 if gone else 200)
        assert client.get(URL, {"q": f"secret{state}"}).context["page"].paginator.count == 1
    assert 'class="badge badge-published"' not in page
    modality = next(f for f in response.context["facets"] if f.name == "modality")
    assert {o.value for o in modality.options} == HIDDEN_VALUES["modality"] | {"exchange-visits"}


@pytest.mark.django_db
def test_moderators_see_every_record(client, every_state, moderator):
    client.force_login(moderator)
    assert client.get(URL).context["page"].paginator.count == 5


@pytest.mark.django_db
def test_combining_filters_from_hidden_records_reveals_nothing(client, every_state):
    combos = itertools.product(["FJ", "CL"], ["TO", "BO"])
    for provider, recipient in combos:
        response = client.get(URL, {"provider": provider, "recipient": recipient})
        assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_an_unbound_filter_set_lists_and_counts_everything_visible(data):
    filterset = InitiativeFilterSet(queryset=Initiative.objects.visible_to(AnonymousUser()))
    facets = {f.name: {o.value: o.count for o in f.options} for f in initiative_facets(filterset)}
    assert facets["provider"] == {"BR": 1, "IN": 1, "MX": 1, "ZA": 1}
    assert facets["modality"] == {"exchange-visits": 2, "training": 1, "mentoring": 1}
    assert filterset.qs.count() == 4


# ---- home: search box and key figures (same module as the facets) ----


@pytest.mark.django_db
def test_home_search_box_and_key_figures(client, data):
    build("Hidden draft", provider="FJ", recipients=("TO",), state=State.DRAFT)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert '<form method="get" action="/initiatives/" class="home-search" role="search">' in page
    assert '<input type="search" id="home-q" name="q"' in page
    # Countries: BR, MZ, IN, BD, KH, MX, HT, ZA. Organisations: four owners, two partners.
    assert response.context["figures"] == KeyFigures(initiatives=4, countries=8, organisations=6)
    assert '<strong data-testid="country-count">8</strong>' in page
    assert '<strong data-testid="organisation-count">6</strong>' in page


@pytest.mark.django_db
def test_the_modality_vocabulary_page_lists_the_codes_exports_use(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        page = client.get("/vocabularies/modalities/").content.decode()
    for modality in Modality.objects.all():
        assert f"<code>{modality.slug}</code>" in page
        assert f"?modality={modality.slug}" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, to, unknown",
    [
        ("en", "to", "recipient not given"),
        ("es", "hacia", "receptor no indicado"),
        ("pt-br", "para", "receptor não informado"),
        ("fr", "vers", "bénéficiaire non indiqué"),
    ],
)
def test_a_listed_initiative_says_from_where_to_where_in_the_readers_language(
    client, language, to, unknown
):
    initiative = build("Seed fairs", provider="BR")
    Rows(initiative).country("MX", role="provider")
    initiative.country_links.filter(role="recipient").delete()
    from_brazil = InitiativeFactory(title="School gardens")  # Brazil → Mozambique

    page = client.get(path_in_language(URL, language)).content.decode()

    with translation.override(language):
        brazil, mexico, mozambique = (str(country(code).name) for code in ("BR", "MX", "MZ"))
    hidden = f'<span class="visually-hidden">{to}</span>'
    assert f'<span class="flow">{brazil}, {mexico} <span aria-hidden="true">→</span>' in page
    assert f"{hidden} {unknown}</span>" in page
    assert f"{hidden} {mozambique}</span>" in page
    assert from_brazil.title in page
