"""The /dashboard/ page: charts and the map of what the visitor may see, with tables."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from funding.models import FundingModel
from initiatives.models import Initiative, InitiativeCountry
from principles.models import Principle
from reference.models import Modality, Sector
from ssdc_portal.languages import path_in_language
from tests.factories import (
    HIDDEN_STATES,
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    OrganisationFactory,
    PrincipleEvidenceFactory,
    country,
)

State = Initiative.State
URL = "/dashboard/"


def full_initiative(**kwargs):
    """An initiative with something in every chart: Brazil → Mozambique by default."""
    initiative = InitiativeFactory(**kwargs)
    initiative.modalities.add(Modality.objects.get(slug="training"))
    initiative.sectors.add("31120")
    FundingContributionFactory(initiative=initiative)
    PrincipleEvidenceFactory(initiative=initiative)
    return initiative


def hidden_initiative(state, **kwargs):
    """An initiative in ``state`` whose data no published one shares: Mexico → Haiti,
    private sector, peer dialogue, reconstruction (73010), the results principle, 1999."""
    initiative = InitiativeFactory(
        title=f"Hidden {state}",
        state=state,
        start_year=1999,
        provider=None,
        recipient=None,
        **kwargs,
    )
    InitiativeCountryFactory(
        initiative=initiative, country=country("MX"), role=InitiativeCountry.Role.PROVIDER
    )
    InitiativeCountryFactory(initiative=initiative, country=country("HT"))
    initiative.modalities.add(Modality.objects.get(slug="peer-dialogue"))
    initiative.sectors.add("73010")
    FundingContributionFactory(
        initiative=initiative, funding_model=FundingModel.objects.get(slug="private-sector")
    )
    PrincipleEvidenceFactory(initiative=initiative, principle=Principle.objects.get(slug="results"))
    return initiative


def page_text(response):
    """The page as a reader (or screen reader) gets it: text, SVG titles and descriptions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


HIDDEN_TRACES = ["Mexico", "Haiti", "1999", "Reconstruction Relief"]


def test_dashboard_address_is_stable():
    assert reverse("dashboard") == URL


@pytest.mark.django_db
def test_dashboard_shows_charts_map_and_table_alternatives(client):
    full_initiative(start_year=2012)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Where initiatives work: countries and provider → recipient flows",
        "Initiatives by funding model",
        "Initiatives by modality",
        "Initiatives by sector",
        "Evidence on the effectiveness principles",
        "Initiatives by start year",
    ):
        assert f">{heading}</h2>" in html
    assert html.count('role="img"') == 6
    assert html.count("<details") == 6
    assert html.count("<summary>") == 6
    assert "<caption>Initiatives per country</caption>" in html
    assert '<th scope="col">Provider country</th>' in html
    assert '<th scope="row">Brazil</th><td>Mozambique</td><td class="numeric">1</td>' in html
    assert '<th scope="row">Capacity-building training</th><td class="numeric">1</td>' in html
    assert '<th scope="row">2012</th><td class="numeric">1</td>' in html
    assert 'tabindex="0"' in html  # scrollable tables are reachable by keyboard
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script" not in main
    assert 'href="/dashboard/" aria-current="page"' in html


@pytest.mark.django_db
def test_dashboard_with_nothing_published_says_so(client):
    hidden_initiative(State.DRAFT)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(">No published initiatives yet.</text>") == 6
    assert "<details" not in html  # no tables of zeros
    assert "Haiti" not in page_text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("state", HIDDEN_STATES)
@pytest.mark.parametrize("viewer", ["anonymous", "other_editor"])
def test_unpublished_initiatives_leave_no_trace(client, sign_in_editor, state, viewer):
    published = full_initiative()
    hidden_initiative(state)
    if viewer == "other_editor":
        sign_in_editor(published.owner)
    response = client.get(URL)
    text = page_text(response)
    for trace in HIDDEN_TRACES:
        assert trace not in text
    assert response.context["totals"].initiatives == 1
    assert "dashboard-unpublished-notice" not in response.content.decode()
    funding = response.context["charts"][0]
    assert ("Private sector", 0) in funding.rows
    assert response.context["flow_map"].rows == (("Brazil", "Mozambique", 1),)


@pytest.mark.django_db
def test_moderators_see_every_state_with_a_notice(client, moderator):
    full_initiative()
    for state in HIDDEN_STATES:
        hidden_initiative(state)
    client.force_login(moderator)
    response = client.get(URL)
    text = page_text(response)
    for trace in HIDDEN_TRACES:
        assert trace in text
    assert response.context["totals"].initiatives == 5
    assert ("Mexico", "Haiti", 4) in response.context["flow_map"].rows
    assert "These figures include 4 initiatives that are not published" in text
    assert "the public sees 1 published" in text


@pytest.mark.django_db
def test_editors_see_their_own_organisations_unpublished_initiatives(client, editor):
    full_initiative()
    hidden_initiative(State.DRAFT, owner=editor.memberships.get().organisation)
    client.force_login(editor)
    response = client.get(URL)
    assert "Haiti" in page_text(response)
    assert "These figures include 1 initiative that is not published" in page_text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_dashboard_query_count_does_not_grow_with_initiatives(client, moderator, signed_in):
    """The public's figures come from the facet index; a moderator's (every state) are
    counted in SQL: both in a fixed number of queries."""
    if signed_in:
        client.force_login(moderator)

    def seed(count):
        for index in range(count):
            initiative = full_initiative(start_year=2000 + index % 20)
            InitiativeCountryFactory(initiative=initiative, country=country("ZA"))
            initiative.sectors.add(Sector.objects.order_by("code")[index % 40])
        hidden_initiative(State.DRAFT)

    seed(2)
    with CaptureQueriesContext(connection) as two:
        client.get(URL)
    seed(28)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(URL)
    assert response.context["totals"].initiatives == (32 if signed_in else 30)  # + 2 drafts
    assert len(two) == len(thirty) <= (12 if signed_in else 10)


@pytest.mark.django_db
def test_the_public_figures_from_the_index_equal_those_counted_in_sql():
    """The public's dashboard counts from the facet index; every chart and the map must
    hold exactly what SQL counts of the published records."""
    from initiatives.aggregates import QueryCounts
    from initiatives.published_counts import PublishedCounts, involving_country
    from principles.models import PrincipleEvidence

    for index in range(6):
        initiative = full_initiative(start_year=2010 + index % 3)
        if index % 2:
            InitiativeCountryFactory(initiative=initiative, country=country("ZA"))
            initiative.sectors.add("31161", "15110")  # a second code of a category, another
        if index % 3 == 0:  # a two-way exchange: no flow to itself
            InitiativeCountryFactory(
                initiative=initiative,
                country=country("MZ"),
                role=InitiativeCountry.Role.PROVIDER,
            )
            PrincipleEvidenceFactory(
                initiative=initiative,
                principle=Principle.objects.get(slug="results"),
                stance=PrincipleEvidence.Stance.CHALLENGES,
                confirmation=PrincipleEvidence.Confirmation.CONFIRMED,
                confirmed_by_organisation=OrganisationFactory(),
                confirmed_at=timezone.now(),
            )
    InitiativeFactory(start_year=None)  # no year: counted last
    for state in HIDDEN_STATES:
        hidden_initiative(state)

    published = Initiative.objects.visible_to(None)
    in_sql, from_index = QueryCounts(published), PublishedCounts()
    for figure in ("totals", "funding_models", "modalities", "principles", "start_years"):
        assert getattr(from_index, figure)() == getattr(in_sql, figure)(), figure
    assert from_index.sector_categories(limit=2) == in_sql.sector_categories(limit=2)
    assert from_index.countries() == in_sql.countries()
    assert from_index.flows() == in_sql.flows()
    assert (None, 1) in from_index.start_years()

    brazil = QueryCounts(published.involving_country("BR"))
    assert involving_country("BR").countries() == brazil.countries()
    assert involving_country("BR").flows(involving="BR") == [
        flow for flow in brazil.flows() if "BR" in (flow.provider, flow.recipient)
    ]


@pytest.mark.django_db
def test_the_table_of_flows_lists_the_largest_and_links_to_all_of_them(client, monkeypatch):
    from initiatives import charts

    monkeypatch.setattr(charts, "FLOWS_LISTED", 1)
    full_initiative()
    full_initiative()
    InitiativeFactory(recipient__country=country("ZA"))  # Brazil → South Africa, once
    response = client.get(URL)
    assert response.context["flow_map"].rows == (("Brazil", "Mozambique", 2),)
    html = response.content.decode()
    address = reverse("api:aggregate", kwargs={"kind": "country-pairs"})
    assert f'href="{address}?format=csv"' in html
    assert f'href="{address}?format=json"' in html
    assert "the table lists the 1 largest, of 2 flows" in page_text(response)
    # Countries are few: their table stays complete.
    countries = response.context["flow_map"].extra_tables[0].rows
    assert [row[0] for row in countries] == ["Brazil", "Mozambique", "South Africa"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Brazil", "Germany"]), ("fr", ["Allemagne", "Brésil"])],
)
def test_equally_large_flows_are_listed_by_country_names_in_the_readers_language(
    client, language, expected
):
    """Flows of the same size follow the providers' names as the reader reads them, on the
    page (from the index) and in the SQL counts alike, not their codes."""
    from initiatives.aggregates import QueryCounts
    from initiatives.published_counts import PublishedCounts

    for provider in ("BR", "DE"):
        InitiativeFactory(provider__country=country(provider), recipient__country=country("HT"))
    with translation.override(language):
        from_index = [flow.provider_name for flow in PublishedCounts().flows()]
        in_sql = [flow.provider_name for flow in QueryCounts(Initiative.objects.all()).flows()]
    assert from_index == in_sql == expected
    response = client.get(path_in_language(URL, language))
    assert [row[0] for row in response.context["flow_map"].rows] == expected
