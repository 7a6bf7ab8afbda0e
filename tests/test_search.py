"""Full-text search: the stored search vectors, ``Initiative.objects.search(text)`` and ``?q=``
on the initiative list."""

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, F, Func
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from initiatives.browse.counts import initiative_facets
from initiatives.browse.filters import InitiativeFilterSet
from initiatives.browse.search import ACCENTED, UNACCENTED, fold_accents, search_query
from initiatives.models import Initiative
from initiatives.services import SEARCH_CONFIG, initiative_refresh_search_vector, initiative_save
from organisations.services import organisation_save
from ssdc_portal.languages import path_in_language
from tests.factories import InitiativeFactory, OrganisationFactory, ParticipationFactory, country


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
    "text",
    [
        "mentoring",
        "mentor",
        '"mentoring circles"',
        '"peer mentoring"',
        "mentoring -circles",
        "circles or exchange",
        "women's mentoring",
        "d'appui",
    ],
)
def test_the_title_match_is_the_query_against_the_titles_alone(text):
    """Among the records a query finds, whatever its kind (prefix, phrase, exclusion, or,
    apostrophe), those ranked first for their title are exactly those whose title words
    alone match it."""
    records = [
        indexed(title="Mentoring circles", summary="Peer mentoring for women's groups."),
        indexed(title="Peer mentoring", description="Mentoring circles, d'appui."),
        indexed(title="Women's mentoring exchange", summary="Circles."),
        indexed(title="Points d'appui", description="Mentoring."),
    ]
    query = search_query(text, "en")
    matches = Initiative.objects.search(text, "en")
    titles_alone = matches.annotate(
        titles_alone=Func(
            Func(F("search_vector"), template="ts_filter(%(expressions)s, '{a}')"),
            query,
            arg_joiner=" @@ ",
            template="(%(expressions)s)",
            output_field=BooleanField(),
        )
    )
    expected = {record.pk for record in titles_alone.filter(titles_alone=True)}
    assert matches.exists()
    assert {record.pk for record in matches if record.search_title_match} == expected
    assert {record.pk for record in records} >= expected


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


# ---- languages: the record's own, its translations, the visitor's ----


def translate(initiative: Initiative, language: str, title: str, summary: str = "", **fields):
    """Add a translation to ``initiative`` and index it (as saving the record does)."""
    initiative.translations.create(
        language=language, title=title, summary=summary or f"{title}.", **fields
    )
    initiative_refresh_search_vector(initiative_ids=[initiative.pk])
    return initiative


def found_in(language: str, text: str) -> list[Initiative]:
    return list(Initiative.objects.search(text, language))


def page_found(client, language: str, text: str) -> list[str]:
    """The records (slugs) the public list shows a visitor of ``language`` for ``text``."""
    response = client.get(path_in_language(reverse("initiative-list"), language), {"q": text})
    assert response.status_code == 200
    return [initiative.slug for initiative in response.context["page"].object_list]


def api_found(client, language: str, text: str) -> list[str]:
    """The records (slugs) the API lists for ``?q=text&lang=language``."""
    response = client.get(API_LIST, {"q": text, "lang": language})
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


API_LIST = "/api/v1/initiatives/"


@pytest.fixture
def seed_bank(db):
    """A Brazilian record in Portuguese whose only Spanish text is its Spanish translation."""
    initiative = indexed(
        title="Bancos comunitários de sementes crioulas",
        summary="Agricultores familiares guardam e trocam suas variedades.",
        language="pt",
    )
    translate(
        initiative,
        "es",
        "Bancos comunitarios de semillas criollas",
        "Las familias campesinas guardan e intercambian sus variedades.",
    )
    indexed(title="Housing savings groups", summary="Savings for homes.", language="en")
    return initiative


@pytest.mark.django_db
def test_a_spanish_visitor_finds_a_record_through_its_spanish_translation(client, seed_bank):
    assert found_in("es", "semillas") == [seed_bank]
    assert page_found(client, "es", "semillas") == [seed_bank.slug]
    assert api_found(client, "es", "semillas") == [seed_bank.slug]
    assert found_in("es", "familias campesinas") == [seed_bank]


@pytest.mark.django_db
def test_the_api_takes_the_language_of_accept_language_too(client, seed_bank):
    spanish = InitiativeFactory(title="Water committees", language="en")
    translate(spanish, "es", "Comités de agua", "Cooperativo de agua potable.")
    response = client.get(API_LIST, {"q": "cooperativas"}, HTTP_ACCEPT_LANGUAGE="es")
    assert [row["slug"] for row in response.json()["results"]] == [spanish.slug]
    english = client.get(API_LIST, {"q": "cooperativas"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "stored", "typed"),
    [
        ("es", "Cooperativa de recicladores", "cooperativas"),
        ("es", "Bancos de semilla nativa", "semillas nativas"),
        ("pt", "Banco de semente crioula", "sementes crioulas"),
        ("fr", "Banque de semence paysanne", "semences paysannes"),
        ("en", "Seed fair", "seeds"),
    ],
)
def test_words_match_their_stems_in_the_visitors_language(client, language, stored, typed):
    """Neither as typed nor as a prefix: only the stem of the visitor's language finds it."""
    if language == "en":
        record = indexed(title=stored, language="en")
    else:
        record = translate(
            InitiativeFactory(title="Farmer exchanges", language="en"), language, stored
        )
    indexed(title="Something else entirely", language="en")
    interface = {"pt": "pt-br"}.get(language, language)

    assert found_in(language, typed) == [record]
    assert page_found(client, interface, typed) == [record.slug]
    assert api_found(client, interface, typed) == [record.slug]


@pytest.mark.django_db
def test_the_records_own_language_is_stemmed_under_its_configuration():
    spanish = indexed(title="Cooperativa de recicladores", language="es")
    swahili = indexed(title="Cooperativa ya wakulima", language="sw")
    assert vector_matches_in("spanish", "cooperativas") == {spanish}
    assert vector_matches_in("simple", "cooperativa") == {spanish, swahili}
    # A language PostgreSQL has no configuration for is indexed as written only.
    assert found_in("es", "cooperativas") == [spanish]


def vector_matches_in(config: str, text: str) -> set[Initiative]:
    return set(Initiative.objects.filter(search_vector=SearchQuery(text, config=config)))


@pytest.mark.django_db
def test_the_stem_is_the_visitors_language_only(client):
    record = InitiativeFactory(title="Water committees", language="en")
    translate(record, "es", "Comités de agua", "Un cooperativo de agua potable.")
    assert found_in("es", "cooperativas") == [record]
    # English stems "cooperativas" to "cooperativa", French to "cooperativ": neither is here.
    assert found_in("en", "cooperativas") == []
    assert found_in("fr", "cooperativas") == []
    assert page_found(client, "en", "cooperativas") == []
    assert page_found(client, "es", "cooperativas") == [record.slug]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "typed"),
    [("Cooperação técnica entre países", "cooperacao"), ("Cooperacao tecnica", "cooperação")],
)
def test_accents_are_folded_both_ways_in_translations(client, stored, typed):
    record = InitiativeFactory(title="Technical exchanges", language="en")
    translate(record, "pt", stored)
    for language in ("pt-br", "en", "es"):
        assert found_in(language, typed) == [record], language
    assert page_found(client, "pt-br", typed) == [record.slug]


@pytest.mark.django_db
def test_translations_text_summary_description_and_lessons_are_indexed():
    record = InitiativeFactory(title="Exchanges", language="en")
    translate(
        record,
        "fr",
        "Échanges",
        "Les paysannes partagent leurs semences.",
        description="Des visites chaque saison.",
    )
    lesson = record.lessons.create(text="Community radio helped.")
    lesson.translations.create(language="fr", text="Les radios communautaires ont aidé.")
    initiative_refresh_search_vector(initiative_ids=[record.pk])
    for text in ("paysannes", "visites saison", "radios communautaires"):
        assert found_in("fr", text) == [record], text


@pytest.mark.django_db
def test_a_translated_title_ranks_above_a_mention_in_a_translated_summary():
    in_summary = InitiativeFactory(title="Farmer visits", language="en")
    translate(in_summary, "es", "Visitas campesinas", "Intercambian semillas y saberes.")
    in_title = InitiativeFactory(title="Native seeds", language="en")
    translate(in_title, "es", "Semillas nativas", "Ferias en cada cosecha.")
    assert found_in("es", "semillas") == [in_title, in_summary]


@pytest.mark.django_db
def test_saving_a_translation_through_the_services_indexes_it(
    editor, django_capture_on_commit_callbacks
):
    organisation = editor.memberships.get().organisation
    record = indexed(title="Seed fairs", owner=organisation, state=Initiative.State.DRAFT)
    translation_row = {"language": "es", "title": "Ferias de semillas", "summary": "Cada año."}
    with django_capture_on_commit_callbacks(execute=True):
        initiative_save(
            initiative=record,
            by=editor,
            expected_version=record.version,
            rows={"translations": [translation_row]},
        )
    assert found_in("es", "ferias") == [record]
    record.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        initiative_save(
            initiative=record, by=editor, expected_version=record.version, rows={"translations": []}
        )
    assert found_in("es", "ferias") == []


@pytest.mark.django_db
def test_an_unpublished_records_translation_never_makes_it_findable_by_visitors(client, seed_bank):
    for state in ("draft", "submitted", "returned", "archived"):
        hidden = InitiativeFactory(title=f"Hidden {state}", language="en", state=state)
        translate(hidden, "es", f"Semillas ocultas {state}")
    assert page_found(client, "es", "semillas") == [seed_bank.slug]
    assert api_found(client, "es", "semillas") == [seed_bank.slug]
    assert page_found(client, "es", "ocultas") == []
    assert api_found(client, "es", "ocultas") == []
    response = client.get(path_in_language(reverse("initiative-list"), "es"), {"q": "semillas"})
    assert all(o.count <= 1 for f in response.context["facets"] for o in f.options)


def facet_counts(query: str, *, public: bool) -> dict:
    """Facet counts of the public list for ``query``: from the index or counted in SQL."""
    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    return {
        (f.name, o.value): o.count
        for f in initiative_facets(filterset, public=public)
        for o in f.options
    }


@pytest.mark.django_db
def test_facet_counts_of_a_translated_only_match_agree_in_the_index_and_in_sql(seed_bank):
    other = InitiativeFactory(title="Seed fairs", language="en", recipient__country=country("HT"))
    translate(other, "es", "Ferias de semillas", "Cada cosecha.")
    InitiativeFactory(title="Semillas ocultas", language="es", state="draft")
    for language in ("es", "en"):
        with translation.override(language):
            for query in ("q=semillas", "q=semillas&recipient=HT"):
                from_index = facet_counts(query, public=True)
                assert from_index == facet_counts(query, public=False), (language, query)
    with translation.override("es"):
        counts = facet_counts("q=semillas", public=True)
    assert counts[("recipient", "MZ")] == 1  # the seed bank, by its Spanish translation
    assert counts[("recipient", "HT")] == 1
    assert counts[("provider", "BR")] == 2


@pytest.mark.django_db
def test_the_index_remembers_searches_per_language(client):
    record = InitiativeFactory(title="Water committees", language="en")
    translate(record, "es", "Comités de agua", "Un cooperativo de agua potable.")
    assert page_found(client, "es", "cooperativas") == [record.slug]
    assert page_found(client, "en", "cooperativas") == []
    assert page_found(client, "fr", "cooperativas") == []
    assert page_found(client, "es", "cooperativas") == [record.slug]
