"""/countries/ and /organisations/: what they list and count, the gate, queries, languages;
and the breadcrumbs that lead back to them."""

import re

import pytest
from django.urls import reverse

from initiatives import indexes
from initiatives.models import Initiative
from organisations.models import OrganisationType
from tests.factories import (
    HIDDEN_STATES,
    InitiativeFactory,
    ModeratorFactory,
    OrganisationFactory,
    ParticipationFactory,
    country,
    initiative_between,
)

pytestmark = pytest.mark.django_db

COUNTRIES = reverse("country-index")
ORGANISATIONS = reverse("organisation-index")
LANGUAGE_PREFIXES = {"en": "", "es": "/es", "pt-br": "/pt-br", "fr": "/fr"}


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def entry(html: str, name: str) -> str:
    """The text of the list item whose first link names ``name``."""
    pattern = rf'<li>\s*<a class="index-name"[^>]*>{re.escape(name)}</a>(.*?)</li>'
    match = re.search(pattern, html, re.S)
    assert match, f"no entry for {name}"
    return text(match.group(1))


# ---- countries ----


def test_lists_countries_of_published_initiatives_with_their_counts_by_role(client):
    initiative_between("Seeds", provider="BR", recipient="MZ")
    initiative_between("Housing", provider="IN", recipient="BR")
    initiative_between("Water", provider="BR", recipient="AO")

    html = client.get(COUNTRIES).content.decode()

    assert entry(html, "Brazil") == "2 as provider · 1 as recipient"
    assert entry(html, "Mozambique") == "none as provider · 1 as recipient"
    assert f'href="{reverse("country-detail", args=["BR"])}"' in html
    assert f'href="{reverse("initiative-list")}?provider=BR"' in html
    assert f'href="{reverse("initiative-list")}?recipient=MZ"' in html
    assert "Spain" not in html  # no initiative


def test_groups_countries_by_region_or_by_their_initial(client):
    initiative_between("Seeds", provider="BR", recipient="MZ")
    initiative_between("Housing", provider="IN", recipient="AO")
    page = text(client.get(COUNTRIES).content.decode())
    assert page.index("Latin America and the Caribbean") < page.index("Brazil")
    assert page.index("South Asia") < page.index("India")
    assert page.index("Sub-Saharan Africa") < page.index("Angola") < page.index("Mozambique")

    by_name = text(client.get(COUNTRIES + "?order=name").content.decode())
    assert by_name.index("A Angola") < by_name.index("B Brazil") < by_name.index("I India")


def test_countries_are_named_and_sorted_in_the_page_language(client):
    initiative_between("Seeds", provider="DE", recipient="EG")  # Alemania, Egipto
    initiative_between("Housing", provider="AT", recipient="MZ")  # Austria
    page = text(client.get("/es" + COUNTRIES + "?order=name").content.decode())
    assert page.index("Alemania") < page.index("Austria") < page.index("Egipto")


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_unpublished_initiatives_are_neither_counted_nor_listed(client, state):
    initiative_between("Seeds", provider="BR", recipient="MZ")
    initiative_between("Hidden", provider="BR", recipient="CL", state=state)
    moderator = ModeratorFactory()
    for who in (None, moderator):
        if who:
            client.force_login(who)
        html = client.get(COUNTRIES).content.decode()
        assert "Chile" not in html
        assert entry(html, "Brazil") == "1 as provider · none as recipient"


def test_country_index_queries_do_not_grow_with_rows(client, count_queries):
    initiative_between("Seeds", provider="BR", recipient="MZ")
    small = count_queries(lambda: client.get(COUNTRIES))
    for code in ("AO", "CL", "IN", "ZA", "KE", "PE"):
        initiative_between(f"To {code}", provider="BR", recipient=code)
        initiative_between(f"From {code}", provider=code, recipient="MZ")
    assert count_queries(lambda: client.get(COUNTRIES)) == small
    assert count_queries(lambda: client.get(COUNTRIES + "?order=name")) == small
    assert small <= 4


# ---- organisations ----


def test_lists_organisations_with_type_home_country_and_published_initiatives(client):
    owner = OrganisationFactory(name="Rede Sementes", actor_type=OrganisationType.NETWORK)
    partner = OrganisationFactory(name="Kilimo Trust", home_country=country("KE"))
    first = InitiativeFactory(owner=owner)
    InitiativeFactory(owner=owner)
    ParticipationFactory(initiative=first, actor=partner)
    InitiativeFactory(owner=owner, state=Initiative.State.DRAFT)

    html = client.get(ORGANISATIONS).content.decode()

    assert entry(html, "Rede Sementes") == "Network or alliance · Brazil · 2 published initiatives"
    assert entry(html, "Kilimo Trust") == "National NGO · Kenya · 1 published initiative"
    assert f'href="{reverse("organisation-detail", args=[owner.slug])}"' in html


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_an_organisation_named_only_in_unpublished_records_is_not_listed(client, state):
    InitiativeFactory(owner=OrganisationFactory(name="Open Org"))
    InitiativeFactory(owner=OrganisationFactory(name="Proposed Org"), state=state)
    html = client.get(ORGANISATIONS).content.decode()
    assert "Open Org" in html and "Proposed Org" not in html


def test_the_name_filter_finds_organisations_by_name(client):
    InitiativeFactory(owner=OrganisationFactory(name="Rede Sementes", acronym="RS"))
    InitiativeFactory(owner=OrganisationFactory(name="Kilimo Trust"))
    page = text(client.get(ORGANISATIONS + "?q=semen").content.decode())
    assert "Rede Sementes" in page and "Kilimo Trust" not in page
    assert "1 organisation matches “semen”." in page
    assert "Rede Sementes" in text(client.get(ORGANISATIONS + "?q=rs").content.decode())
    nothing = text(client.get(ORGANISATIONS + "?q=zzz").content.decode())
    assert "No organisation matches this name." in nothing


def test_organisations_are_paginated(client, monkeypatch):
    monkeypatch.setattr(indexes, "ORGANISATION_INDEX_SIZE", 2)
    for name in ("Alpha", "Beta", "Gamma"):
        InitiativeFactory(owner=OrganisationFactory(name=name))
    first = client.get(ORGANISATIONS).content.decode()
    second = client.get(ORGANISATIONS + "?page=2").content.decode()
    assert "Alpha" in first and "Beta" in first and "Gamma" not in first
    assert "Gamma" in second and "Page 2 of 2" in second
    assert client.get(ORGANISATIONS + "?page=x").status_code == 200


def test_organisation_index_queries_do_not_grow_with_rows(client, count_queries):
    InitiativeFactory()
    small = count_queries(lambda: client.get(ORGANISATIONS))
    for _ in range(8):
        initiative = InitiativeFactory(owner=OrganisationFactory(home_country=country("KE")))
        ParticipationFactory(initiative=initiative)
    assert count_queries(lambda: client.get(ORGANISATIONS)) == small
    assert count_queries(lambda: client.get(ORGANISATIONS + "?q=organisation")) == small
    assert small <= 4


# ---- both, in every language ----


@pytest.mark.parametrize("language", LANGUAGE_PREFIXES)
@pytest.mark.parametrize("address", [COUNTRIES, ORGANISATIONS])
def test_index_pages_open_in_every_language_and_are_in_the_main_navigation(
    client, language, address
):
    initiative_between("Seeds", provider="BR", recipient="MZ")
    prefix = LANGUAGE_PREFIXES[language]
    response = client.get(prefix + address)
    assert response.status_code == 200
    html = response.content.decode()
    nav = html[html.index('<nav aria-label="') : html.index("</nav>")]
    assert f'href="{prefix}{address}" aria-current="page"' in nav
    assert f'href="{prefix}{COUNTRIES}"' in nav and f'href="{prefix}{ORGANISATIONS}"' in nav


# ---- breadcrumbs ----


def crumbs(html: str) -> list[str]:
    match = re.search(r'<nav class="breadcrumb" aria-label="[^"]+">\s*<ol>(.*?)</ol>', html, re.S)
    assert match, "no breadcrumb"
    items = re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    assert 'aria-current="page"' in items[-1]
    assert all("aria-current" not in item for item in items[:-1])
    return [text(item) for item in items]


def test_profiles_and_initiatives_lead_back_to_their_index(client):
    initiative = initiative_between("Seeds", provider="BR", recipient="MZ")
    country_page = client.get(reverse("country-detail", args=["BR"])).content.decode()
    assert crumbs(country_page) == ["Home", "Countries", "Brazil"]
    assert f'<a href="{COUNTRIES}">Countries</a>' in country_page
    owner = initiative.owner
    organisation_page = client.get(reverse("organisation-detail", args=[owner.slug]))
    assert crumbs(organisation_page.content.decode()) == ["Home", "Organisations", owner.name]
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert crumbs(detail) == ["Home", "Initiatives", "Seeds"]
    assert crumbs(client.get("/fr" + COUNTRIES).content.decode()) == ["Accueil", "Pays"]
