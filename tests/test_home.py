import pytest
from django.urls import reverse

from initiatives.models import Initiative
from tests.factories import InitiativeFactory

State = Initiative.State


@pytest.mark.django_db
def test_home_lists_published_initiatives_only(client):
    published = InitiativeFactory(title="Seed banks across the Atlantic")
    hidden = [
        InitiativeFactory(title=f"Hidden {state}", state=state)
        for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ARCHIVED)
    ]

    response = client.get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert published.title in page
    assert published.get_absolute_url() in page
    for initiative in hidden:
        assert initiative.title not in page
    assert response.context["initiative_count"] == 1


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_rows(client, count_queries):
    InitiativeFactory.create_batch(2)
    two_rows = count_queries(lambda: client.get(reverse("home")))
    InitiativeFactory.create_batch(48)
    response = {}
    assert count_queries(lambda: response.setdefault("r", client.get(reverse("home")))) == (
        two_rows
    )
    assert two_rows <= 10
    assert response["r"].context["initiative_count"] == 50


@pytest.mark.django_db
def test_page_has_skip_link_and_language(client):
    page = client.get(reverse("home")).content.decode()
    assert 'href="#main"' in page
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_unpublished_detail_is_not_found_for_the_public(client):
    draft = InitiativeFactory(state=State.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_owning_editor_sees_own_draft_but_not_another_organisations(client, editor):
    organisation = editor.memberships.get().organisation
    own = InitiativeFactory(state=State.DRAFT, owner=organisation)
    other = InitiativeFactory(state=State.DRAFT)
    client.force_login(editor)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_home_shows_the_four_demo_case_studies_and_not_the_unpublished_ones(client):
    from devtools.demo import demo_load

    demo_load()
    page = client.get(reverse("home")).content.decode()

    for initiative in Initiative.objects.all():
        if initiative.state == State.PUBLISHED:
            assert initiative.title in page
        else:
            assert initiative.title not in page
    assert Initiative.objects.published().count() == 4
    assert Initiative.objects.exclude(state=State.PUBLISHED).count() == 3


@pytest.mark.django_db
def test_home_shows_the_flow_map_and_charts_of_published_records_only(client):
    from tests.factories import InitiativeCountryFactory, country

    InitiativeFactory()
    hidden = InitiativeFactory(state=State.DRAFT)
    InitiativeCountryFactory(initiative=hidden, country=country("HT"))
    page = client.get(reverse("home")).content.decode()
    assert "Initiatives by funding model" in page and "<svg" in page
    assert "Haiti" not in page
