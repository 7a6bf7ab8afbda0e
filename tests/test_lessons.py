"""Lessons learned are rows of an initiative: written on the editor's page and through the
write API, shown on the record's page, found by search, and listed at /api/v1/lessons/ only
where the initiative may be seen."""

import pytest
from django.urls import reverse
from reversion.models import Version

from initiatives.models import Initiative
from learning.models import Lesson, Practice, Theme
from tests.factories import InitiativeFactory, initiative_between
from tests.html_forms import form_fields
from tests.test_search import api_found, page_found

State = Initiative.State
LESSONS = "/api/v1/lessons/"


def edit_url(initiative):
    return reverse("editor-initiative-edit", args=[initiative.slug])


def open_form(client, initiative) -> dict:
    response = client.get(edit_url(initiative))
    assert response.status_code == 200
    return form_fields(response.content.decode(), "editor-form")


def patch(client, initiative, body):
    initiative.refresh_from_db()
    return client.patch(
        f"/api/v1/initiatives/{initiative.slug}/",
        body,
        content_type="application/json",
        headers={"if-match": f'"v{initiative.version}"'},
    )


def listed(client, **query) -> list[str]:
    response = client.get(LESSONS, query)
    assert response.status_code == 200, response.content
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def seed_banks(db):
    return Practice.objects.create(
        name="Community seed banks",
        slug="community-native-seed-banks",
        summary="Farmers keep and lend native seeds.",
        status=Practice.Status.ACCEPTED,
    )


# ---- the editor's page and the write API ----


@pytest.mark.django_db
def test_an_editor_adds_and_removes_a_lesson_row_on_the_page(
    signed_in, editor, organisation, seed_banks, run_on_commit
):
    record = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    data = open_form(signed_in, record)
    assert data["lessons-TOTAL_FORMS"] == "1"
    data |= {
        "lessons-0-text": "Seed fairs travel better than manuals.",
        "lessons-0-for_civil_society": "on",
        "lessons-0-for_funders": "on",
        "lessons-0-theme": str(Theme.objects.get(slug="seeds-agroecology").pk),
        "lessons-0-practice": str(seed_banks.pk),
        "lesson_translations-0-lesson": "new:lessons-0",
        "lesson_translations-0-language": "fr",
        "lesson_translations-0-text": "Les foires aux semences voyagent mieux.",
    }
    response = run_on_commit(lambda: signed_in.post(edit_url(record), data))

    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = record.lessons.get()
    assert (lesson.text, lesson.audiences, lesson.practice) == (
        "Seed fairs travel better than manuals.",
        ["civil_society", "funders"],
        seed_banks,
    )
    assert lesson.translations.get().text == "Les foires aux semences voyagent mieux."
    assert {"lesson", "lessontranslation"} <= {
        version.content_type.model
        for version in Version.objects.get_for_object(record).first().revision.version_set.all()
    }
    assert Initiative.objects.search("foires").get() == record

    data = open_form(signed_in, record)
    data |= {"lessons-0-DELETE": "on", "lesson_translations-0-DELETE": "on"}
    response = run_on_commit(lambda: signed_in.post(edit_url(record), data))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Lesson.objects.filter(initiative=record).exists()
    assert not Initiative.objects.search("foires").exists()


@pytest.mark.django_db
def test_the_add_button_gives_the_lessons_part_a_new_row(signed_in, organisation):
    record = InitiativeFactory(owner=organisation, state=State.DRAFT)
    data = open_form(signed_in, record)
    response = signed_in.post(edit_url(record), {**data, "add_row": "lessons"})
    assert response.status_code == 200
    assert form_fields(response.content.decode(), "editor-form")["lessons-TOTAL_FORMS"] == "2"


@pytest.mark.django_db
def test_a_translation_kept_for_a_lesson_being_removed_gets_a_note(signed_in, organisation):
    record = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    record.lessons.create(text="Listen first.").translations.create(
        language="es", text="Escuchar primero."
    )
    data = open_form(signed_in, record) | {"lessons-0-DELETE": "on"}
    response = signed_in.post(edit_url(record), data)
    assert response.status_code == 200
    assert "This lesson is being removed" in response.content.decode()
    assert record.lessons.exists()


@pytest.mark.django_db
def test_the_api_writes_lessons_and_their_translations(signed_in, organisation, seed_banks):
    record = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    response = patch(
        signed_in,
        record,
        {
            "lessons": [
                {
                    "text": "Mentoring after training makes tools stick.",
                    "for_governments": True,
                    "theme": "social-accountability",
                    "practice": seed_banks.slug,
                }
            ]
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    lesson = body["lessons"][0]
    assert (lesson["audiences"], lesson["theme"], lesson["practice"]) == (
        ["governments"],
        "social-accountability",
        seed_banks.slug,
    )
    response = patch(
        signed_in,
        record,
        {"lesson_translations": [{"lesson": lesson["id"], "language": "es", "text": "Tutoría."}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["lesson_translations"] == [
        {"lesson": lesson["id"], "language": "es", "text": "Tutoría."}
    ]
    refused = patch(
        signed_in,
        record,
        {"lesson_translations": [{"lesson": lesson["id"], "language": "en", "text": "Same."}]},
    )
    assert refused.status_code == 400
    assert "lesson_translations" in refused.json()["error"]["details"]
    unknown = patch(signed_in, record, {"lessons": [{"text": "x", "theme": "no-such-theme"}]})
    assert unknown.status_code == 400


@pytest.mark.django_db
def test_the_api_does_not_take_another_records_lesson(signed_in, organisation):
    record = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    foreign = InitiativeFactory().lessons.create(text="Not yours.")
    response = patch(
        signed_in,
        record,
        {"lesson_translations": [{"lesson": foreign.pk, "language": "es", "text": "No."}]},
    )
    assert response.status_code == 400
    assert not foreign.translations.exists()


# ---- search ----


@pytest.mark.django_db
def test_a_word_only_in_a_lesson_finds_the_record_on_the_page_and_in_the_api(client):
    record = InitiativeFactory(title="Exchanges", summary="Visits.", language="en")
    InitiativeFactory(title="Other exchanges", summary="Visits.", language="en")
    patch_free = record.lessons.create(text="Radio dramas reached the villages.")
    patch_free.translations.create(language="es", text="Las radionovelas llegaron lejos.")
    from initiatives.services import initiative_refresh_search_vector

    initiative_refresh_search_vector(initiative_ids=[record.pk])
    for language, word in (("en", "dramas"), ("es", "radionovelas"), ("en", "radionovelas")):
        assert page_found(client, language, word) == [record.slug], word
        assert api_found(client, language, word) == [record.slug], word


@pytest.mark.django_db
def test_saving_lessons_through_the_api_keeps_the_search_up_to_date(
    signed_in, organisation, run_on_commit
):
    record = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    assert not Initiative.objects.search("scorecards").exists()
    body = {"lessons": [{"text": "Scorecards work when officials attend."}]}
    response = run_on_commit(lambda: patch(signed_in, record, body))
    assert response.status_code == 200, response.content
    assert Initiative.objects.search("scorecards").get() == record


# ---- the record's page and its API ----


@pytest.mark.django_db
def test_the_record_page_lists_its_lessons_in_the_readers_language(client, seed_banks):
    record = InitiativeFactory(language="en")
    lesson = record.lessons.create(
        text="Trust takes years.",
        for_civil_society=True,
        for_governments=True,
        theme=Theme.objects.get(slug="seeds-agroecology"),
        practice=seed_banks,
    )
    lesson.translations.create(language="fr", text="La confiance prend des années.")
    record.lessons.create(text="Plain lesson.")
    page = client.get(record.get_absolute_url()).content.decode()
    assert '<ul class="lesson-list"' in page
    assert '<div lang="en"><p>Trust takes years.</p></div>' in page
    assert "For civil society" in page and "For governments" in page
    assert "Theme: Seeds and agroecology" in page
    assert "Community seed banks" in page
    assert "From the initiative" not in page
    french = client.get(f"/fr{record.get_absolute_url()}").content.decode()
    assert '<div lang="fr"><p>La confiance prend des années.</p></div>' in french
    assert '<div lang="en"><p>Plain lesson.</p></div>' in french


@pytest.mark.django_db
def test_a_practice_not_accepted_is_not_shown_with_the_lesson(client):
    proposed = Practice.objects.create(name="Secret method", slug="secret", summary="S.")
    record = InitiativeFactory()
    record.lessons.create(text="A lesson.", practice=proposed)
    assert "Secret method" not in client.get(record.get_absolute_url()).content.decode()
    detail = client.get(f"/api/v1/initiatives/{record.slug}/").json()
    assert detail["lessons"][0]["practice"] is None


@pytest.mark.django_db
def test_the_record_in_the_api_carries_its_lessons(client):
    record = InitiativeFactory(language="en")
    lesson = record.lessons.create(text="Go slowly.", for_funders=True)
    lesson.translations.create(language="es", text="Despacio.")
    body = client.get(f"/api/v1/initiatives/{record.slug}/", {"lang": "es"}).json()
    assert body["lessons"] == [
        {
            "id": lesson.pk,
            "text": "Go slowly.",
            "audiences": ["funders"],
            "for_civil_society": False,
            "for_governments": False,
            "for_funders": True,
            "theme": None,
            "practice": None,
            "shown": {"language": "es", "text": "Despacio."},
        }
    ]
    assert body["lesson_translations"] == [
        {"lesson": lesson.pk, "language": "es", "text": "Despacio."}
    ]


# ---- /api/v1/lessons/ ----


@pytest.fixture
def records(db, organisation):
    """A published record and a draft of ``organisation``, one lesson each."""
    published = initiative_between("Seeds", provider="BR", recipient="MZ")
    published.lessons.create(text="Published lesson.", for_civil_society=True)
    draft = initiative_between(
        "Housing", provider="IN", recipient="ZA", owner=organisation, state=State.DRAFT
    )
    draft.lessons.create(text="Draft lesson.", for_governments=True)
    return {"published": published, "draft": draft}


@pytest.mark.django_db
def test_the_lessons_of_unpublished_records_are_hidden_from_the_public(client, records):
    assert listed(client) == ["Published lesson."]
    hidden = records["draft"].lessons.get()
    assert client.get(f"{LESSONS}{hidden.pk}/").status_code == 404


@pytest.mark.django_db
def test_another_organisations_editor_does_not_see_them(client, records, sign_in_editor):
    sign_in_editor()
    assert listed(client) == ["Published lesson."]
    assert client.get(f"{LESSONS}{records['draft'].lessons.get().pk}/").status_code == 404


@pytest.mark.django_db
def test_the_owners_editors_and_moderators_see_them(client, records, editor, moderator):
    for person in (editor, moderator):
        client.force_login(person)
        assert set(listed(client)) == {"Published lesson.", "Draft lesson."}
        lesson = records["draft"].lessons.get()
        detail = client.get(f"{LESSONS}{lesson.pk}/")
        assert detail.status_code == 200
        assert detail.json()["initiative"] == records["draft"].slug


@pytest.mark.django_db
def test_the_lessons_filters(client, seed_banks):
    theme = Theme.objects.get(slug="seeds-agroecology")
    seeds = initiative_between("Seeds", provider="BR", recipient="MZ")
    seeds.lessons.create(
        text="Seeds travel with people.", for_civil_society=True, theme=theme, practice=seed_banks
    ).translations.create(language="pt", text="As sementes viajam com as pessoas.")
    housing = initiative_between("Housing", provider="IN", recipient="ZA")
    housing.lessons.create(text="Savings come first.", for_funders=True)

    assert listed(client, initiative=seeds.slug) == ["Seeds travel with people."]
    assert listed(client, country="mz") == ["Seeds travel with people."]
    assert listed(client, country="IN") == ["Savings come first."]
    assert listed(client, theme="seeds-agroecology") == ["Seeds travel with people."]
    assert listed(client, practice=seed_banks.slug) == ["Seeds travel with people."]
    assert listed(client, audience="funders") == ["Savings come first."]
    assert listed(client, q="savings") == ["Savings come first."]
    assert listed(client, q="sementes") == ["Seeds travel with people."]
    assert listed(client, country="FR") == []
    assert client.get(LESSONS, {"audience": "everyone"}).status_code == 400


@pytest.mark.django_db
def test_the_lessons_list_costs_the_same_queries_for_2_and_20_lessons(
    client, count_queries, seed_banks
):
    theme = Theme.objects.get(slug="seeds-agroecology")

    def seed(n):
        for i in range(n):
            record = initiative_between(f"Record {i}", provider="BR", recipient="MZ")
            record.translations.create(language="fr", title=f"Fiche {i}", summary="Résumé.")
            lesson = record.lessons.create(text=f"Lesson {i}", theme=theme, practice=seed_banks)
            lesson.translations.create(language="fr", text=f"Leçon {i}")

    seed(2)
    small = count_queries(lambda: client.get(LESSONS, {"lang": "fr"}))
    seed(18)
    large = count_queries(lambda: client.get(LESSONS, {"lang": "fr"}))
    assert len(listed(client)) == 20
    assert small == large
    assert large <= 4


@pytest.mark.django_db
def test_the_lessons_endpoint_is_described_in_the_openapi_document(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/lessons/", "/api/v1/lessons/{id}/"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/lessons/"]["get"]["parameters"]}
    assert {"initiative", "country", "theme", "practice", "audience", "q", "cursor"} <= parameters


# ---- exports ----


@pytest.mark.django_db
def test_the_dataset_export_carries_each_records_lessons(seed_banks):
    import io
    import json

    from reports.builders.dataset import write_dataset

    record = InitiativeFactory(slug="seed-fairs")
    record.lessons.create(text="Fairs spread seeds.", for_civil_society=True, for_funders=True)
    record.lessons.create(text="Keep records.", position=2)
    out = io.BytesIO()
    write_dataset(Initiative.objects.published(), "json", out)
    row = json.loads(out.getvalue())["initiatives"][0]
    assert row["lessons"] == ["Fairs spread seeds.", "Keep records."]
    assert row["lesson_audiences"] == ["civil_society+funders", "unspecified"]


@pytest.mark.django_db
def test_the_iati_export_carries_lessons_with_their_translations(settings, seed_banks):
    import io

    from lxml import etree

    from reports.builders.iati import PORTAL_NS, write_iati

    settings.IATI_REPORTING_ORG_REF = "XI-IATI-SSDC"
    settings.IATI_REPORTING_ORG_TYPE = 90
    settings.IATI_REPORTING_ORG_NAME = "SSDC Portal"
    record = InitiativeFactory(language="en", start_year=2015)
    lesson = record.lessons.create(
        text="Fairs spread seeds.",
        for_civil_society=True,
        for_governments=True,
        theme=Theme.objects.get(slug="seeds-agroecology"),
        practice=seed_banks,
    )
    lesson.translations.create(language="pt", text="As feiras espalham sementes.")
    out = io.BytesIO()
    write_iati(Initiative.objects.published(), out)
    (element,) = etree.fromstring(out.getvalue()).iter(f"{{{PORTAL_NS}}}lesson")
    assert dict(element.attrib) == {
        "audiences": "civil_society governments",
        "theme": "seeds-agroecology",
        "practice": seed_banks.slug,
    }
    narratives = [(n.get("{http://www.w3.org/XML/1998/namespace}lang"), n.text) for n in element]
    assert narratives == [(None, "Fairs spread seeds."), ("pt", "As feiras espalham sementes.")]
