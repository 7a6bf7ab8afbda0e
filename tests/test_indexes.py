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


# ---- charts that link to the list they count ----


def svg_links(html: str, key: str) -> dict[str, str]:
    """The links of chart ``key``'s SVG: name → address."""
    start = html.index(f'id="{key}"')
    svg = html[
        html.index("<svg xmlns", start) : html.index("</svg>", html.index("<svg xmlns", start))
    ]
    found = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    return {name: href.replace("&amp;", "&") for href, name in found}


def table_links(html: str, key: str) -> list[str]:
    start = html.index(f'id="{key}"')
    section = html[start : html.index("</section>", start)]
    tables = section[section.index("<table") :]
    return [href.replace("&amp;", "&") for href in re.findall(r'<a href="([^"]+)">', tables)]


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_home_charts_link_each_bar_and_row_to_the_list_they_count(client, prefix):
    from tests.factories import FundingContributionFactory

    initiative = initiative_between("Seeds", provider="BR", recipient="MZ")
    FundingContributionFactory(initiative=initiative)
    funding_model = initiative.funding_contributions.get().funding_model
    InitiativeFactory(state=Initiative.State.DRAFT)

    html = client.get(prefix + "/").content.decode()

    expected = f"{prefix}/initiatives/?funding_model={funding_model.slug}"
    bars = svg_links(html, "chart-funding-model")
    assert list(bars.values()) == [expected]  # the funding models without initiatives: none
    assert list(bars)[0].endswith(
        ("1 initiative, show it in the list", "1 iniciativa, verla en la lista")
    )
    assert table_links(html, "chart-funding-model") == [expected]
    flows = svg_links(html, "map-flows")
    assert list(flows.values()) == [f"{prefix}/initiatives/?provider=BR&recipient=MZ"]
    assert table_links(html, "map-flows") == [
        f"{prefix}/initiatives/?provider=BR&recipient=MZ",
        f"{prefix}/initiatives/?provider=BR",
        f"{prefix}/initiatives/?recipient=MZ",
    ]
    assert 'role="group" aria-labelledby="map-flows-title"' in html
    listed = client.get(flows_link := list(flows.values())[0]).content.decode()
    assert "Seeds" in listed and flows_link.startswith(prefix)


def test_the_country_map_is_zoomed_to_its_country_and_links_its_flows(client):
    initiative_between("Seeds", provider="BR", recipient="MZ")
    html = client.get(reverse("country-detail", args=["BR"])).content.decode()
    svg = html[html.index('id="map-country-flows"') :]
    svg = svg[svg.index("<svg xmlns") :]
    svg = svg[: svg.index("</svg>")]
    view_box = [float(n) for n in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    assert view_box[2] < 1000  # zoomed in
    assert 'fill="#ffbf47" stroke="#1b1f23"' in svg and "<title>Brazil</title>" in svg
    assert "The map is zoomed to Brazil, shown in yellow with a dark outline." in svg
    assert svg_links(html, "map-country-flows") == {
        "Brazil → Mozambique: 1 initiative, show it in the list": (
            "/initiatives/?provider=BR&recipient=MZ"
        )
    }


def test_the_dashboard_keeps_plain_charts(client):
    initiative_between("Seeds", provider="BR", recipient="MZ")
    html = client.get(reverse("dashboard")).content.decode()
    assert (
        "<a href"
        not in html[
            html.index('id="map-flows"') : html.index("</svg>", html.index('id="map-flows"'))
        ]
    )


# ---- logo and favicon ----


def test_the_header_shows_the_logo_linking_home_and_pages_name_a_favicon(client):
    from django.contrib.staticfiles import finders

    html = client.get("/fr/countries/").content.decode()
    assert re.search(
        r'<a class="brand" href="/fr/"><img class="brand-logo" '
        r'src="[^"]*logo\.svg" alt=""[^>]*>Portail',
        html,
    )
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg" type="image/svg\+xml">', html)
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.png"', html)
    for name in ("favicon.svg", "favicon.png", "img/logo.svg", "apple-touch-icon.png"):
        assert finders.find(name), name
