import pytest
from django.contrib.postgres.search import SearchQuery

from initiatives.models import Initiative
from initiatives.services import SEARCH_CONFIG, initiative_refresh_search_vector
from tests.factories import InitiativeFactory, OrganisationFactory, ParticipationFactory


def search(text):
    query = SearchQuery(text, config=SEARCH_CONFIG)
    return set(Initiative.objects.filter(search_vector=query))


@pytest.mark.django_db
def test_refreshed_vector_finds_title_summary_description_and_organisations():
    seeds = InitiativeFactory(
        title="Native seed banks",
        summary="Family farmers swap seeds.",
        description="Rural leaders visit each other.",
    )
    housing = InitiativeFactory(title="Housing savings groups", summary="Savings for homes.")
    ParticipationFactory(
        initiative=housing, actor=OrganisationFactory(name="Slum Dwellers Federation")
    )

    assert initiative_refresh_search_vector(initiative_ids=[seeds.pk, housing.pk]) == 2

    assert search("seed") == {seeds}
    assert search("farmers") == {seeds}
    assert search("rural leaders") == {seeds}
    assert search("dwellers") == {housing}
    assert search("earthquake") == set()


@pytest.mark.django_db
def test_title_ranks_above_description():
    from django.contrib.postgres.search import SearchRank

    in_title = InitiativeFactory(title="Mentoring circles", summary="x")
    in_body = InitiativeFactory(title="Other", summary="y", description="Some mentoring later.")
    initiative_refresh_search_vector(initiative_ids=[in_title.pk, in_body.pk])
    query = SearchQuery("mentoring", config=SEARCH_CONFIG)
    ranked = list(
        Initiative.objects.filter(search_vector=query)
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank")
    )
    assert ranked == [in_title, in_body]
