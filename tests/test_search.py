"""Full-text search: the stored search vectors, ``Initiative.objects.search(text)`` and ``?q=``
on the initiative list."""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.urls import reverse

from initiatives.browse.search import ACCENTED, UNACCENTED, fold_accents, search_query
from initiatives.models import Initiative
from initiatives.services import SEARCH_CONFIG, initiative_refresh_search_vector, initiative_save
from organisations.services import organisation_save
from tests.factories import InitiativeFactory, OrganisationFactory, ParticipationFactory


def indexed(**fields) -> Initiative:
    initiative = InitiativeFactory(**fields)
    initiative_refresh_search_vector(initiative_ids=[initiative.pk])
    return initiative


def found(text: str) -> list[Initiative]:
    return list(Initiative.objects.search(text))


@pytest.fixture
def seeds(db):
    return indexed(
        title="Native seed banks",
        summary="Family farmers swap varieties.",
        description="Rural leaders visit each other every harvest.",
    )


@pytest.fixture
def housing(db):
    initiative = indexed(title="Housing savings groups", summary="Savings for homes.")
    ParticipationFactory(
        initiative=initiative, actor=OrganisationFactory(name="Slum Dwellers Federation")
    )
    initiative_refresh_search_vector(initiative_ids=[initiative.pk])
    return initiative


# ---- the stored vector ----


def vector_query(text: str) -> SearchQuery:
    return SearchQuery(text, config=SEARCH_CONFIG)


def vector_matches(text: str) -> set[Initiative]:
    """The records whose stored vector matches ``text`` (no ranking, prefixes or folding)."""
    return set(Initiative.objects.filter(search_vector=vector_query(text)))


@pytest.mark.django_db
def test_refreshed_vector_finds_title_summary_description_and_organisations(seeds, housing):
    Initiative.objects.update(search_vector=None)

    assert initiative_refresh_search_vector(initiative_ids=[seeds.pk, housing.pk]) == 2

    assert vector_matches("seed") == {seeds}
    assert vector_matches("farmers") == {seeds}
    assert vector_matches("rural leaders") == {seeds}
    assert vector_matches("dwellers") == {housing}
    assert vector_matches("earthquake") == set()


@pytest.mark.django_db
def test_title_ranks_above_description():
    in_title = indexed(title="Mentoring circles", summary="x")
    in_body = indexed(title="Other", summary="y", description="Some mentoring later.")
    query = vector_query("mentoring")
    ranked = list(
        Initiative.objects.filter(search_vector=query)
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank")
    )
    assert ranked == [in_title, in_body]


# ---- Initiative.objects.search ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("seed", "title"),
        ("farmers", "summary"),
        ("harvest", "description"),
        ("rural leaders", "description"),
    ],
)
def test_finds_words_in_every_indexed_field(seeds, housing, text, field):
    assert found(text) == [seeds]


@pytest.mark.django_db
def test_finds_organisation_names(seeds, housing):
    assert found("dwellers federation") == [housing]


@pytest.mark.django_db
def test_unrelated_words_find_nothing(seeds, housing):
    assert found("earthquake") == []


@pytest.mark.django_db
def test_title_matches_rank_first_even_against_many_mentions_elsewhere():
    in_description = indexed(
        title="Exchange programme",
        summary="Mentoring mentoring mentoring.",
        description="Mentoring, mentoring and more mentoring for mentoring's sake.",
    )
    in_title = indexed(title="Mentoring circles", summary="Peers meet monthly.")
    assert found("mentoring") == [in_title, in_description]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Cooperação técnica entre países", "cooperacao tecnica"),
        ("Cooperacao tecnica entre paises", "cooperação técnica"),
        ("ÉCOLE DES SEMENCES", "école des semences"),
        ("Educación popular", "EDUCACION popular"),
        ("Formação de formadores", "formacao"),
    ],
)
def test_accents_are_folded_both_ways(stored, typed):
    initiative = indexed(title=stored)
    indexed(title="Something else entirely")
    assert found(typed) == [initiative]


def test_python_and_sql_fold_the_same_letters():
    assert len(ACCENTED) == len(UNACCENTED)
    assert (
        fold_accents("São Tomé, Côte d'Ivoire, Ñuñoa, Łódź")
        == "Sao Tome, Cote d'Ivoire, Nunoa, Lodz"
    )


@pytest.mark.django_db
def test_sql_folding_matches_python_folding():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT translate(normalize(%s, NFC), %s, %s)", [ACCENTED, ACCENTED, UNACCENTED]
        )
        assert cursor.fetchone()[0] == fold_accents(ACCENTED) == UNACCENTED


@pytest.mark.django_db
def test_stop_words_do_not_have_to_appear_in_the_record(seeds):
    # Neither "the", "of", "de" nor "la" occur in the record: they must not be required.
    assert found("the seed banks") == [seeds]
    assert found("banks of seed") == [seeds]
    assert found("la seed de banks") == [seeds]


@pytest.mark.django_db
def test_a_query_of_stop_words_only_does_not_error(seeds):
    assert found("the") == []
    assert found("de la") == []


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["!!!", "&|!", "()", ":*", "'", '"', "-", "— … ·", "\\", "<->"])
def test_punctuation_only_finds_nothing_without_error(seeds, housing, text):
    assert found(text) == []


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   ", None])
def test_blank_text_does_not_filter(seeds, housing, text):
    assert set(Initiative.objects.search(text)) == {seeds, housing}


def test_blank_text_gives_no_query():
    assert search_query("  ") is None


@pytest.mark.django_db
def test_the_last_word_matches_as_a_prefix(seeds, housing):
    assert found("sav") == [housing]
    assert found("native se") == [seeds]
    assert found("sa") == [housing]  # two letters are enough


@pytest.mark.django_db
def test_web_search_syntax(seeds, housing):
    assert found('"seed banks"') == [seeds]
    assert found('"banks seed"') == []
    assert set(found("seed or housing")) == {seeds, housing}
    assert found("savings -homes") == []
    assert found("family -homes") == [seeds]


@pytest.mark.django_db
def test_renaming_an_organisation_refreshes_its_initiatives_vectors(
    housing, seeds, django_capture_on_commit_callbacks
):
    organisation = housing.participations.get(actor__name="Slum Dwellers Federation").actor
    organisation.name = "Urban Poor Alliance"
    with django_capture_on_commit_callbacks(execute=True):
        organisation_save(organisation=organisation)
    assert found("alliance") == [housing]
    assert found("dwellers") == []


@pytest.mark.django_db
def test_saving_an_initiative_refreshes_its_vector(editor, django_capture_on_commit_callbacks):
    organisation = editor.memberships.get().organisation
    initiative = indexed(title="Seed fairs", owner=organisation)
    initiative.title = "Water committees"
    with django_capture_on_commit_callbacks(execute=True):
        initiative_save(initiative=initiative, by=editor, expected_version=initiative.version)
    assert found("water") == [initiative]
    assert found("fairs") == []


@pytest.mark.django_db
def test_search_uses_the_gin_index(seeds):
    sql, params = Initiative.objects.search("seed").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "initiative_search_gin" in plan


# ---- the page ----


@pytest.mark.django_db
def test_the_list_page_searches_and_ranks(client, seeds, housing):
    in_description = indexed(title="Mentors", description="Seed libraries in schools.")
    response = client.get(reverse("initiative-list"), {"q": "seed"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [seeds, in_description]
    assert housing.title not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["!!!", "(((", "'", "the"])
def test_the_list_page_answers_odd_searches_with_no_results(client, seeds, text):
    response = client.get(reverse("initiative-list"), {"q": text})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "0 initiatives found" in response.content.decode()


@pytest.mark.django_db
def test_an_overlong_search_is_refused_with_a_message(client, seeds):
    response = client.get(reverse("initiative-list"), {"q": "seed " * 100})
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()
