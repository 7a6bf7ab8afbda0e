"""A record's text in the reader's language: pages and the API show a translation where the
record has one, else the original, marked with its language."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    """A record written in Portuguese, translated into Spanish (description left blank)."""
    initiative = InitiativeFactory(
        title="Casas de sementes crioulas",
        slug="casas-de-sementes",
        summary="Agricultores trocam sementes entre Brasil e Moçambique.",
        description="As famílias guardam as sementes da comunidade.",
        language="pt",
    )
    initiative.translations.create(
        language="es",
        title="Bancos comunitarios de semillas nativas",
        summary="Agricultores intercambian semillas entre Brasil y Mozambique.",
    )
    lesson = initiative.lessons.create(text="A confiança leva anos.")
    lesson.translations.create(language="es", text="La confianza lleva años.")
    outcome = initiative.outcomes.create(title="Casas abertas", narrative="Doze casas.")
    outcome.translations.create(language="es", title="Bancos abiertos", narrative="Doce bancos.")
    return initiative


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_spanish_reader_gets_the_spanish_translation_marked_as_spanish(client, seeds):
    page = _page(client, "/es/initiatives/casas-de-sementes/")

    assert (
        '<h1 id="initiative-title" lang="es">Bancos comunitarios de semillas nativas</h1>' in page
    )
    assert '<p class="lead" lang="es">Agricultores intercambian semillas' in page
    assert "<title>Bancos comunitarios de semillas nativas" in page
    # The translation has no description: the original's, marked as Portuguese.
    assert '<div lang="pt"><p>As famílias guardam as sementes da comunidade.</p></div>' in page
    assert '<div lang="es"><p>La confianza lleva años.</p></div>' in page
    assert '<span lang="es">Bancos abiertos</span>' in page
    assert '<div lang="es"><p>Doce bancos.</p></div>' in page
    # Said in Spanish, with a link to the page in the language it was written in.
    note = re.search(r'<p class="language-note">(.*?)</p>', page, re.S)[1]
    assert "Traducido del portugués." in note
    assert 'href="/pt-br/initiatives/casas-de-sementes/" hreflang="pt"' in note


def test_a_french_reader_without_a_translation_gets_the_original_and_a_note(client, seeds):
    page = _page(client, "/fr/initiatives/casas-de-sementes/")

    assert '<h1 id="initiative-title" lang="pt">Casas de sementes crioulas</h1>' in page
    assert '<span lang="pt">Casas abertas</span>' in page
    note = re.search(r'<p class="language-note">(.*?)</p>', page, re.S)[1]
    assert "français" in note
    assert "href" not in note


def test_a_reader_of_the_original_language_gets_no_note(client, seeds):
    page = _page(client, "/pt-br/initiatives/casas-de-sementes/")

    assert '<h1 id="initiative-title" lang="pt">Casas de sementes crioulas</h1>' in page
    assert 'class="language-note"' not in page


@pytest.mark.parametrize("path", ["/es/", "/es/initiatives/", "/es/countries/MZ/"])
def test_lists_show_the_translated_title_in_its_language(client, seeds, path):
    page = _page(client, path)

    assert 'lang="es">Bancos comunitarios de semillas nativas</a>' in page
    assert "Casas de sementes crioulas" not in page


def test_the_list_reads_translations_without_more_queries(client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/es/initiatives/").status_code == 200
        return len(captured)

    InitiativeFactory.create_batch(2)
    untranslated = queries()
    for initiative in InitiativeFactory.create_batch(6, language="pt"):
        initiative.translations.create(language="es", title="Semillas", summary="Resumen.")
    assert queries() == untranslated


def test_an_unpublished_records_translation_stays_private(client, seeds):
    draft = InitiativeFactory(title="Borrador", state=Initiative.State.DRAFT)
    draft.translations.create(language="es", title="Traducción privada", summary="Privado.")

    for path in ["/es/", "/es/initiatives/", "/api/v1/initiatives/?lang=es"]:
        assert "Traducción privada" not in client.get(path).content.decode()
    assert client.get(f"/es/initiatives/{draft.slug}/").status_code == 404


def test_the_api_gives_the_asked_language_and_keeps_the_original(client, seeds):
    row = client.get("/api/v1/initiatives/", {"lang": "es"}).json()["results"][0]
    assert (row["title"], row["language"]) == ("Casas de sementes crioulas", "pt")
    assert row["text"] == {
        "language": "es",
        "title": "Bancos comunitarios de semillas nativas",
        "summary": "Agricultores intercambian semillas entre Brasil y Mozambique.",
    }

    detail = client.get("/api/v1/initiatives/casas-de-sementes/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert detail["text"]["title"] == "Bancos comunitarios de semillas nativas"
    assert detail["text"]["description"] == "As famílias guardam as sementes da comunidade."
    assert detail["text"]["from_original"] == ["description"]
    assert [t["language"] for t in detail["translations"]] == ["es"]
    assert detail["outcomes"][0]["text"] == {
        "language": "es",
        "title": "Bancos abiertos",
        "narrative": "Doce bancos.",
    }

    french = client.get("/api/v1/initiatives/", {"lang": "fr"}).json()["results"][0]
    assert french["text"]["language"] == "pt"
    assert french["text"]["title"] == "Casas de sementes crioulas"


def test_the_api_list_reads_translations_without_more_queries(client, count_queries):
    def get():
        assert client.get("/api/v1/initiatives/", {"lang": "es"}).status_code == 200

    owner = OrganisationFactory()
    InitiativeFactory.create_batch(2, owner=owner)
    untranslated = count_queries(get)
    for initiative in InitiativeFactory.create_batch(6, owner=owner, language="pt"):
        initiative.translations.create(language="es", title="Semillas", summary="Resumen.")
    assert count_queries(get) == untranslated
