"""/countries/<iso2>/: context, dialogue, initiatives by role, partners, the gate, queries."""

import re

import pytest
from django.urls import reverse

from initiatives import profiles
from initiatives.browse.index import public_index
from initiatives.services import initiative_archive
from learning.models import Practice, Theme
from ssdc_portal.languages import path_in_language
from tests.factories import (
    HIDDEN_STATES,
    InitiativeCountryFactory,
    ModeratorFactory,
    OrganisationFactory,
    brazil_with_context,
    initiative_between,
)

URL = reverse("country-detail", args=["BR"])


def section(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</section>', html, re.S)
    assert match, f"no section {testid}"
    return match.group(1)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def brazil(db):
    """Brazil's context, one initiative from it and one to it, all published."""
    brazil_with_context(source_url="https://example.org/statute")
    return {
        "from": initiative_between(
            "Native seed banks in Mozambique", provider="BR", recipient="MZ"
        ),
        "to": initiative_between(
            "Urban housing exchange with Brazil", provider="IN", recipient="BR"
        ),
    }


@pytest.mark.django_db
def test_shows_income_group_region_and_civic_space_over_time(client, brazil):
    html = client.get(URL).content.decode()
    assert "<h1" in html and ">Brazil</h1>" in html
    assert text(html).count("Upper-middle income, fiscal year 2025") == 1
    assert "Latin America &amp; Caribbean" in html
    ratings = text(html[html.index("civic-space-caption") : html.index("</table>")])
    assert ratings.index("2022 Enabling Environment Index — 61.5") < ratings.index(
        "2019 CIVICUS Monitor Obstructed —"
    )
    assert '<a href="https://monitor.civicus.org/country/brazil/" rel="noopener">' in html


@pytest.mark.django_db
def test_shows_dialogue_mechanisms_with_kind_year_and_source(client, brazil):
    page = text(client.get(URL).content.decode())
    assert "National council on food security National participatory space · since 2003" in page
    assert "Civil society and ministries meet every quarter." in page
    assert "Source: Council statute, 2003" in page


@pytest.mark.django_db
def test_lists_initiatives_where_the_country_is_provider_and_where_recipient(client, brazil):
    html = client.get(reverse("country-detail", args=["br"])).content.decode()
    as_provider, as_recipient = section(html, "as-provider"), section(html, "as-recipient")
    assert brazil["from"].get_absolute_url() in as_provider
    assert "Native seed banks in Mozambique" in as_provider
    assert "Urban housing exchange" not in as_provider
    assert brazil["to"].get_absolute_url() in as_recipient
    assert "Native seed banks" not in as_recipient
    assert text(html).count("Initiatives as provider 1 Initiatives as recipient 1") == 1


@pytest.mark.django_db
def test_partner_countries_are_the_other_side_of_the_flows_with_counts(client, brazil):
    initiative_between("Second seed exchange", provider="BR", recipient="MZ")
    html = client.get(URL).content.decode()
    partners = text(html[html.index('id="partners-caption"') :].split("</table>")[0])
    assert "Mozambique 2 0" in partners
    assert "India 0 1" in partners
    assert partners.index("Mozambique") < partners.index("India")
    assert f'href="{reverse("country-detail", args=["MZ"])}"' in html
    assert "Initiatives involving Brazil: countries and flows" in html


@pytest.mark.django_db
def test_the_map_lists_the_largest_flows_and_points_to_the_partner_table(
    client, brazil, monkeypatch
):
    from initiatives import charts

    monkeypatch.setattr(charts, "FLOWS_LISTED", 1)
    initiative_between("Second seed exchange", provider="BR", recipient="MZ")
    response = client.get(URL)
    assert response.context["flow_map"].rows == (("Brazil", "Mozambique", 2),)
    html = response.content.decode()
    assert 'href="#partners-heading"' in html
    assert "Every flow to or from Brazil: the table of partner countries" in html
    partners = text(html[html.index('id="partners-caption"') :].split("</table>")[0])
    assert "Mozambique 2 0" in partners and "India 0 1" in partners


def partner_rows(html: str) -> str:
    return text(html[html.index('id="partners-caption"') :].split("</table>")[0])


@pytest.mark.django_db
def test_the_partners_and_the_map_follow_each_publication_and_archive(client, brazil):
    """The rendered partner table and map are kept by a process: never past a change."""
    assert "Haiti" not in partner_rows(client.get(URL).content.decode())
    to_haiti = initiative_between("Cisterns in Haiti", provider="BR", recipient="HT")
    html = client.get(URL).content.decode()
    assert "Haiti 1 0" in partner_rows(html)
    assert 'data-testid="as-provider"' in html and "Cisterns in Haiti" in html
    initiative_archive(initiative=to_haiti, by=ModeratorFactory())
    html = client.get(URL).content.decode()
    assert "Haiti" not in partner_rows(html)
    assert "Mozambique 1 0" in partner_rows(html)


@pytest.mark.django_db
def test_the_partners_and_the_map_are_in_the_language_of_each_page(client, brazil):
    for language, partner, caption in [
        ("fr", "Mozambique", "Pays partenaire"),
        ("en", "Mozambique", "Partner country"),
        ("es", "Mozambique", "País socio"),
        ("en", "Mozambique", "Partner country"),
    ]:
        html = client.get(path_in_language(URL, language)).content.decode()
        assert caption in partner_rows(html) and partner in partner_rows(html)
        if language != "en":
            assert "Partner country" not in html


@pytest.mark.django_db
def test_a_long_list_shows_the_newest_and_links_to_the_filtered_list(client, brazil, monkeypatch):
    monkeypatch.setattr(profiles, "COUNTRY_LIST_SIZE", 1)
    initiative_between("Second seed exchange", provider="BR", recipient="MZ")
    as_provider = section(client.get(URL).content.decode(), "as-provider")
    assert as_provider.count('class="result"') == 1
    assert "?provider=BR" in as_provider
    assert "See all 2 initiatives in the list" in text(as_provider)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XX", "bra", "b1", "1"])
def test_an_unknown_code_is_not_found(client, code):
    assert client.get(f"/countries/{code}/").status_code == 404


@pytest.mark.django_db
def test_a_country_without_initiatives_or_context_still_has_a_profile(client):
    page = text(client.get(reverse("country-detail", args=["nr"])).content.decode())
    assert "No civic-space ratings recorded yet." in page
    assert "No dialogue mechanism recorded yet." in page
    assert "No partner countries recorded yet." in page


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_initiatives(client, count_queries, editor, signed_in):
    """The public's counts come from the facet index; an editor's (who may see their own
    unpublished records) are counted in SQL: both in a fixed number of queries."""
    if signed_in:
        client.force_login(editor)
    theme = Theme.objects.get(slug="seeds-agroecology")
    practice = Practice.objects.create(
        name="Seed banks", slug="seed-banks", summary="Kept by farmers.", status="accepted"
    )

    def seed(n):
        for i in range(n):
            record = initiative_between(f"From {i}", provider="BR", recipient="MZ")
            lesson = record.lessons.create(
                text=f"Lesson {i}", for_funders=True, theme=theme, practice=practice
            )
            lesson.translations.create(language="fr", text=f"Leçon {i}")
            record.translations.create(language="fr", title=f"De {i}", summary="Résumé.")
            InitiativeCountryFactory(
                initiative=initiative_between(f"To {i}", provider="IN", recipient="BR")
            )

    def queries() -> int:
        public_index()  # built once after each change to what is published, not per request
        return count_queries(lambda: client.get(URL))

    seed(1)
    small = queries()
    seed(9)
    large = queries()
    assert small == large
    assert large <= (18 if signed_in else 11)
    assert "Lesson 8" in section(client.get(URL).content.decode(), "lessons")


@pytest.mark.django_db
def test_lists_lessons_of_initiatives_from_or_in_the_country_with_their_initiative(client, brazil):
    brazil["from"].lessons.create(text="Seed fairs build trust.", for_civil_society=True)
    brazil["to"].lessons.create(text="Savings come first.", for_governments=True)
    initiative_between("Elsewhere", provider="IN", recipient="ZA").lessons.create(
        text="Not about Brazil."
    )
    lessons = section(client.get(URL).content.decode(), "lessons")
    assert "Seed fairs build trust." in lessons and "Savings come first." in lessons
    assert "Not about Brazil." not in lessons
    assert "For civil society" in lessons and "For governments" in lessons
    assert f'href="{brazil["from"].get_absolute_url()}"' in lessons


@pytest.mark.django_db
def test_a_long_list_of_lessons_links_to_all_of_them(client, brazil, monkeypatch):
    monkeypatch.setattr(profiles, "COUNTRY_LESSON_COUNT", 1)
    for text_ in ("First lesson.", "Second lesson."):
        brazil["from"].lessons.create(text=text_)
    lessons = section(client.get(URL).content.decode(), "lessons")
    assert lessons.count('class="lesson"') == 1
    assert f'href="{reverse("api:lesson-list")}?country=BR"' in lessons
    assert "See all 2 lessons as data" in text(lessons)


@pytest.fixture
def hidden(db):
    """A published initiative from Brazil, and one in every other state from another
    organisation, each with Kiribati as the partner (only they involve it)."""
    owner = OrganisationFactory(name="Hidden owner")
    published = initiative_between("Visible seed exchange", provider="BR", recipient="MZ")
    records = {
        state: initiative_between(
            f"Secret {state} record",
            provider="BR" if i % 2 else "KI",
            recipient="KI" if i % 2 else "BR",
            owner=owner,
            state=state,
        )
        for i, state in enumerate(HIDDEN_STATES)
    }
    for record in records.values():
        record.lessons.create(text=f"Secret lesson of {record.title}")
    return {"owner": owner, "published": published, "records": records}


def assert_nothing_hidden(html: str):
    page = text(html)
    assert "Secret" not in page
    assert "Kiribati" not in page
    assert "Initiatives as provider 1 Initiatives as recipient 0" in page


@pytest.mark.django_db
def test_the_public_sees_no_trace_of_unpublished_initiatives(client, hidden):
    html = client.get(URL).content.decode()
    assert "Visible seed exchange" in html
    assert_nothing_hidden(html)


@pytest.mark.django_db
def test_another_organisations_editor_sees_no_trace_of_them(client, hidden, editor):
    client.force_login(editor)
    assert_nothing_hidden(client.get(URL).content.decode())


@pytest.mark.django_db
def test_the_owning_editor_sees_their_own_records(client, sign_in_editor, hidden):
    sign_in_editor(hidden["owner"])
    page = text(client.get(URL).content.decode())
    for state in HIDDEN_STATES:
        assert f"Secret {state} record" in page
    assert "Kiribati 2 2" in page
    assert "Initiatives as provider 3 Initiatives as recipient 2" in page


@pytest.mark.django_db
def test_what_an_editor_saw_is_never_shown_to_the_public(client, sign_in_editor, hidden):
    """The same process renders the owner's page (with drafts) and the public's, in turns."""
    for _ in range(2):
        assert_nothing_hidden(client.get(URL).content.decode())
        sign_in_editor(hidden["owner"])
        assert "Kiribati 2 2" in text(client.get(URL).content.decode())
        client.logout()
