"""/organisations/<slug>/: facts, networks and members, initiatives and roles, funding,
the gate (for the organisation itself and for what its page lists), queries."""

import re

import pytest
from django.urls import reverse

from initiatives.browse.index import public_index
from initiatives.models import Initiative, Participation
from organisations.models import NetworkMembership, OrganisationType
from tests.factories import (
    HIDDEN_STATES,
    FundingContributionFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    country,
)

State = Initiative.State
Role = Participation.Role


def url(actor) -> str:
    return reverse("organisation-detail", args=[actor.slug])


def section(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def take_part(actor, title, *roles, **fields):
    initiative = InitiativeFactory(title=title, **fields)
    for role in roles:
        ParticipationFactory(initiative=initiative, actor=actor, role=role)
    return initiative


@pytest.fixture
def federation(db):
    """A federation in two published initiatives and two networks (one visible)."""
    actor = OrganisationFactory(
        name="Federation of urban poor groups",
        acronym="FUPG",
        slug="fupg",
        actor_type=OrganisationType.COMMUNITY_BASED,
        home_country=country("ZA"),
        website="https://fupg.example.org",
        description="Savings groups of women in informal settlements.",
    )
    network = OrganisationFactory(name="Dwellers network", actor_type=OrganisationType.NETWORK)
    take_part(network, "Network-wide exchange", Role.PARTNER)
    secret_network = OrganisationFactory(
        name="Unannounced alliance", actor_type=OrganisationType.NETWORK
    )
    take_part(secret_network, "Alliance draft", Role.PARTNER, state=State.DRAFT)
    NetworkMembership.objects.create(member=actor, network=network, joined_year=2001)
    NetworkMembership.objects.create(member=actor, network=secret_network)
    return {
        "actor": actor,
        "network": network,
        "led": InitiativeFactory(title="Housing rights exchange", owner=actor),
        "partnered": take_part(actor, "Savings scheme training", Role.IMPLEMENTING, Role.FUNDING),
    }


@pytest.mark.django_db
def test_shows_type_home_country_website_and_description(client, federation):
    html = client.get(url(federation["actor"])).content.decode()
    page = text(html)
    assert "Federation of urban poor groups (FUPG)" in page
    assert "Type Community-based organisation" in page
    assert "IATI organisation type National NGO (code 22)" in page
    assert f'<a href="{reverse("country-detail", args=["ZA"])}">South Africa</a>' in html
    assert '<a href="https://fupg.example.org" rel="noopener">' in html
    assert "Savings groups of women in informal settlements." in page


@pytest.mark.django_db
def test_lists_the_visible_networks_it_belongs_to(client, federation):
    html = client.get(url(federation["actor"])).content.decode()
    networks = section(html, "networks")
    assert url(federation["network"]) in networks
    assert "Dwellers network · member since 2001" in text(networks)
    assert "Unannounced alliance" not in html


@pytest.mark.django_db
def test_a_network_lists_its_visible_members(client, federation):
    hidden_member = OrganisationFactory(name="Quiet member")
    take_part(hidden_member, "Quiet draft", Role.PARTNER, state=State.DRAFT)
    NetworkMembership.objects.create(member=hidden_member, network=federation["network"])
    members = section(client.get(url(federation["network"])).content.decode(), "members")
    assert "Federation of urban poor groups (FUPG) · South Africa" in text(members)
    assert "Quiet member" not in members


@pytest.mark.django_db
def test_lists_initiatives_it_takes_part_in_with_its_roles(client, federation):
    taking_part = text(
        section(client.get(url(federation["actor"])).content.decode(), "taking-part")
    )
    assert "2 initiatives." in taking_part
    assert "Savings scheme training Roles Implementing, Funding" in taking_part
    assert "Housing rights exchange Roles Lead Recorded by this organisation" in taking_part
    assert "Network-wide exchange" not in taking_part


@pytest.mark.django_db
def test_lists_initiatives_it_funds_with_the_contributions(client, federation):
    funded = InitiativeFactory(title="Seed bank fund")
    FundingContributionFactory(
        initiative=funded, funder=federation["actor"], amount=5000, currency="USD", year_start=2014
    )
    draft = InitiativeFactory(title="Funded draft", state=State.DRAFT)
    FundingContributionFactory(initiative=draft, funder=federation["actor"])
    html = client.get(url(federation["actor"])).content.decode()
    assert "Funding Citizen donations in the provider country: 5,000 USD · 2014" in text(
        section(html, "funded")
    )
    assert "Funded draft" not in html


@pytest.mark.django_db
def test_an_unknown_slug_is_not_found(client):
    assert client.get("/organisations/no-such-organisation/").status_code == 404


@pytest.fixture
def hidden(db):
    """A partner organisation named only in unpublished initiatives of another owner, and a
    published organisation that takes part in all of them too."""
    owner = OrganisationFactory(name="Hidden owner")
    proposed = OrganisationFactory(name="Proposed partner", slug="proposed-partner")
    public = OrganisationFactory(name="Public partner", slug="public-partner")
    take_part(public, "Visible project", Role.PARTNER)
    for state in HIDDEN_STATES:
        initiative = take_part(public, f"Secret {state} record", Role.PARTNER, owner=owner)
        initiative.state = state
        initiative.save()
        ParticipationFactory(initiative=initiative, actor=proposed, role=Role.PARTNER)
        FundingContributionFactory(initiative=initiative, funder=public)
    return {"owner": owner, "proposed": proposed, "public": public}


@pytest.mark.django_db
def test_an_organisation_named_only_in_unpublished_records_is_private(client, hidden, editor):
    assert client.get(url(hidden["proposed"])).status_code == 404
    assert client.get(url(hidden["owner"])).status_code == 404  # no account, nothing published
    client.force_login(editor)
    assert client.get(url(hidden["proposed"])).status_code == 404


@pytest.mark.django_db
def test_the_owning_editor_and_moderators_see_the_proposed_organisation(
    client, sign_in_editor, hidden, moderator
):
    sign_in_editor(hidden["owner"])
    page = text(client.get(url(hidden["proposed"])).content.decode())
    for state in HIDDEN_STATES:
        assert f"Secret {state} record" in page
    client.force_login(moderator)
    assert client.get(url(hidden["proposed"])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "other editor"])
def test_nobody_else_sees_unpublished_initiatives_on_a_public_profile(client, hidden, editor, who):
    if who == "other editor":
        client.force_login(editor)
    html = client.get(url(hidden["public"])).content.decode()
    assert "Visible project" in html
    assert "Secret" not in html
    assert "1 initiative." in text(section(html, "taking-part"))
    assert 'data-testid="funded"' not in html


@pytest.mark.django_db
def test_the_owning_editor_sees_their_records_on_a_public_profile(client, sign_in_editor, hidden):
    sign_in_editor(hidden["owner"])
    html = client.get(url(hidden["public"])).content.decode()
    assert "5 initiatives." in text(section(html, "taking-part"))
    assert text(section(html, "funded")).count("Secret") == len(HIDDEN_STATES)


@pytest.mark.django_db
def test_initiatives_are_paginated(client, federation, monkeypatch):
    from initiatives import organisation_extensions

    monkeypatch.setattr(organisation_extensions, "ORGANISATION_PAGE_SIZE", 1)
    first = client.get(url(federation["actor"])).content.decode()
    second = client.get(url(federation["actor"]) + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    titles = {"Housing rights exchange", "Savings scheme training"}
    assert {t for t in titles if t in first} | {t for t in titles if t in second} == titles
    assert client.get(url(federation["actor"]) + "?page=x&funded_page=-1").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("actor_type", [OrganisationType.NATIONAL_NGO, OrganisationType.NETWORK])
@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_initiatives(
    client, count_queries, editor, actor_type, signed_in
):
    """The public's lists are narrowed and paged by the facet index; an editor's (who may
    see their own unpublished records) in SQL: both in a fixed number of queries."""
    if signed_in:
        client.force_login(editor)
    actor = OrganisationFactory(actor_type=actor_type)
    network = OrganisationFactory(actor_type=OrganisationType.NETWORK)
    take_part(network, "Network project", Role.PARTNER)
    NetworkMembership.objects.create(member=actor, network=network)

    def seed(n):
        for i in range(n):
            take_part(actor, f"Project {i}", Role.IMPLEMENTING, Role.PARTNER)
            funded = InitiativeFactory(owner=actor)
            FundingContributionFactory(initiative=funded, funder=actor)
            if actor_type == OrganisationType.NETWORK:
                member = OrganisationFactory()
                MembershipFactory(organisation=member)
                NetworkMembership.objects.create(member=member, network=actor)

    def queries() -> int:
        public_index()  # built once after each change to what is published, not per request
        return count_queries(lambda: client.get(url(actor)))

    seed(1)
    small = queries()
    seed(9)
    large = queries()
    assert small == large
    assert large <= (14 if signed_in else 12)
