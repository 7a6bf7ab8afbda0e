"""Editors and moderators write translations of a record's text and of its outcomes, on the
editor's page, through the write API and in the admin, under the same rules and history."""

import pytest
from django.urls import reverse
from reversion.models import Version

from initiatives.models import Initiative, InitiativeTranslation, OutcomeTranslation
from tests.factories import InitiativeFactory, Rows
from tests.html_forms import form_fields
from tests.test_moderation_admin import change_form_data

State = Initiative.State
OWN_LANGUAGE = "The record is written in this language already; choose another."
REPEATED = "There is already a translation into this language."
OUTCOME_REPEATED = "This outcome already has a translation into this language."


def edit_url(initiative):
    return reverse("editor-initiative-edit", args=[initiative.slug])


def api_url(initiative):
    return f"/api/v1/initiatives/{initiative.slug}/"


def open_form(client, initiative) -> dict:
    response = client.get(edit_url(initiative))
    assert response.status_code == 200
    return form_fields(response.content.decode(), "editor-form")


def latest_revision(initiative):
    return Version.objects.get_for_object(initiative).first().revision


def revision_models(revision) -> set[str]:
    return {version.content_type.model for version in revision.version_set.all()}


@pytest.fixture
def record(organisation):
    """A draft in English with one outcome."""
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    Rows(initiative).outcome("Seed banks run by farmers' groups")
    return initiative


# ---- the editor's page ----


@pytest.mark.django_db
def test_an_editor_adds_changes_and_removes_translations_on_the_page(signed_in, editor, record):
    outcome = record.outcomes.get()
    data = open_form(signed_in, record)
    assert data["translations-TOTAL_FORMS"] == "1"
    assert data["outcome_translations-TOTAL_FORMS"] == "1"
    data |= {
        "translations-0-language": "es",
        "translations-0-title": "Bancos de semillas",
        "translations-0-summary": "Agricultores intercambian semillas nativas.",
        "translations-0-description": "Las ferias funcionan.",
        "outcome_translations-0-outcome": str(outcome.pk),
        "outcome_translations-0-language": "fr",
        "outcome_translations-0-title": "Banques de semences",
    }

    response = signed_in.post(edit_url(record), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    translation = record.translations.get()
    assert (translation.language, translation.title, translation.description) == (
        "es",
        "Bancos de semillas",
        "Las ferias funcionan.",
    )
    assert outcome.translations.get().title == "Banques de semences"
    revision = latest_revision(record)
    assert revision.user == editor
    assert {"initiativetranslation", "outcometranslation"} <= revision_models(revision)

    data = open_form(signed_in, record)
    assert data["translations-0-title"] == "Bancos de semillas"
    data["translations-0-title"] = "Bancos comunitarios de semillas"
    assert signed_in.post(edit_url(record), data).status_code == 302
    assert record.translations.get().title == "Bancos comunitarios de semillas"
    assert Version.objects.get_for_object(translation).first().field_dict["title"] == (
        "Bancos comunitarios de semillas"
    )

    data = open_form(signed_in, record)
    data |= {"translations-0-DELETE": "on", "outcome_translations-0-DELETE": "on"}
    assert signed_in.post(edit_url(record), data).status_code == 302
    assert not record.translations.exists()
    assert not OutcomeTranslation.objects.filter(outcome=outcome).exists()
    assert Version.objects.get_for_object(record).count() == 3


@pytest.mark.django_db
def test_the_page_explains_translations_and_offers_only_the_portal_languages(signed_in, record):
    page = signed_in.get(edit_url(record)).content.decode()
    assert 'href="#translations"' in page
    assert "The record stays as written" in page
    language_menu = page.split('name="translations-0-language"')[1].split("</select>")[0]
    assert [
        value for value in ["en", "es", "pt", "fr", "de"] if f'value="{value}"' in language_menu
    ] == [
        "en",
        "es",
        "pt",
        "fr",
    ]


@pytest.mark.django_db
def test_the_page_notes_translations_into_the_records_language_or_twice_into_one(signed_in, record):
    outcome = record.outcomes.get()
    data = open_form(signed_in, record)
    data |= {
        "translations-TOTAL_FORMS": "3",
        "translations-0-language": "en",
        "translations-0-title": "Seed banks",
        "translations-0-summary": "Farmers swap seeds.",
        "translations-1-language": "pt",
        "translations-1-title": "Bancos de sementes",
        "translations-1-summary": "Agricultores trocam sementes.",
        "translations-2-language": "pt",
        "translations-2-title": "Bancos de sementes crioulas",
        "translations-2-summary": "Agricultores trocam sementes crioulas.",
        "outcome_translations-TOTAL_FORMS": "2",
        "outcome_translations-0-outcome": str(outcome.pk),
        "outcome_translations-0-language": "fr",
        "outcome_translations-0-title": "Banques de semences",
        "outcome_translations-1-outcome": str(outcome.pk),
        "outcome_translations-1-language": "fr",
        "outcome_translations-1-title": "Banques de semences paysannes",
    }

    response = signed_in.post(edit_url(record), data)

    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert OWN_LANGUAGE in page
    assert REPEATED in page
    assert OUTCOME_REPEATED in page
    assert not InitiativeTranslation.objects.exists()
    assert not OutcomeTranslation.objects.exists()


@pytest.mark.django_db
def test_changing_the_records_language_to_one_it_is_translated_into_gets_a_note(signed_in, record):
    InitiativeTranslation.objects.create(
        initiative=record, language="es", title="Bancos", summary="Semillas."
    )
    data = open_form(signed_in, record) | {"language": "es"}

    response = signed_in.post(edit_url(record), data)

    assert response.status_code == 200
    assert OWN_LANGUAGE in response.content.decode().replace("&#x27;", "'")
    record.refresh_from_db()
    assert record.language == "en"

    data["translations-0-DELETE"] = "on"
    assert signed_in.post(edit_url(record), data).status_code == 302
    record.refresh_from_db()
    assert record.language == "es" and not record.translations.exists()


@pytest.mark.django_db
def test_a_translation_of_an_outcome_being_removed_gets_a_note(signed_in, record):
    outcome = record.outcomes.get()
    data = open_form(signed_in, record) | {
        "outcomes-0-DELETE": "on",
        "outcome_translations-0-outcome": str(outcome.pk),
        "outcome_translations-0-language": "pt",
        "outcome_translations-0-title": "Bancos de sementes",
    }

    response = signed_in.post(edit_url(record), data)

    assert response.status_code == 200
    assert "This outcome is being removed" in response.content.decode()
    assert record.outcomes.exists()


@pytest.mark.django_db
def test_outcomes_and_translations_of_other_records_cannot_be_named(signed_in, record):
    other = InitiativeFactory(state=State.DRAFT)
    foreign_outcome = Rows(other).outcome("Someone else's outcome")
    foreign = OutcomeTranslation.objects.create(
        outcome=foreign_outcome, language="fr", title="Pas à vous"
    )
    data = open_form(signed_in, record) | {
        "outcome_translations-0-outcome": str(foreign_outcome.pk),
        "outcome_translations-0-language": "fr",
        "outcome_translations-0-title": "Détourné",
    }
    response = signed_in.post(edit_url(record), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()

    # A tampered row id naming the other record's translation changes nothing of it.
    data |= {
        "outcome_translations-INITIAL_FORMS": "1",
        "outcome_translations-0-id": str(foreign.pk),
        "outcome_translations-0-outcome": str(record.outcomes.get().pk),
    }
    signed_in.post(edit_url(record), data)
    foreign.refresh_from_db()
    assert (foreign.outcome, foreign.title) == (foreign_outcome, "Pas à vous")


@pytest.mark.django_db
def test_editors_of_another_organisation_cannot_write_translations(signed_in):
    foreign = InitiativeFactory(state=State.DRAFT)
    response = signed_in.post(
        edit_url(foreign),
        {
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language": "es",
            "translations-0-title": "Ajeno",
            "translations-0-summary": "No es suyo.",
        },
    )
    assert response.status_code == 404
    published = InitiativeFactory()
    change = {"translations": [{"language": "es", "title": "Ajeno", "summary": "No."}]}
    headers = {"if-match": '"v1"'}
    for initiative, refused in [(foreign, 404), (published, 403)]:
        response = signed_in.patch(
            api_url(initiative), change, content_type="application/json", headers=headers
        )
        assert response.status_code == refused
    assert not InitiativeTranslation.objects.exists()


# ---- the write API ----


def patch(client, initiative, body):
    initiative.refresh_from_db()
    return client.patch(
        api_url(initiative),
        body,
        content_type="application/json",
        headers={"if-match": f'"v{initiative.version}"'},
    )


@pytest.mark.django_db
def test_the_api_writes_changes_and_removes_translations(signed_in, editor, record):
    outcome = record.outcomes.get()
    response = patch(
        signed_in,
        record,
        {
            "translations": [
                {"language": "pt", "title": "Bancos de sementes", "summary": "Trocas."},
                {
                    "language": "fr",
                    "title": "Banques de semences",
                    "summary": "Échanges.",
                    "description": "Des foires de semences.",
                },
            ],
            "outcome_translations": [
                {"outcome": outcome.pk, "language": "es", "title": "Bancos de semillas"}
            ],
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(row["language"], row["title"]) for row in body["translations"]] == [
        ("fr", "Banques de semences"),
        ("pt", "Bancos de sementes"),
    ]
    assert body["translations"][0]["description"] == "Des foires de semences."
    assert body["outcome_translations"] == [
        {"outcome": outcome.pk, "language": "es", "title": "Bancos de semillas", "narrative": ""}
    ]
    assert body["outcomes"][0]["id"] == outcome.pk
    revision = latest_revision(record)
    assert revision.user == editor
    assert {"initiativetranslation", "outcometranslation"} <= revision_models(revision)

    changed = patch(
        signed_in,
        record,
        {"translations": [{"language": "pt", "title": "Bancos comunitários", "summary": "T."}]},
    )
    assert changed.status_code == 200, changed.json()
    assert list(record.translations.values_list("language", "title")) == [
        ("pt", "Bancos comunitários")
    ]
    assert outcome.translations.count() == 1, "lists left out are kept"

    removed = patch(signed_in, record, {"translations": [], "outcome_translations": []})
    assert removed.status_code == 200
    assert removed.json()["translations"] == removed.json()["outcome_translations"] == []
    assert not InitiativeTranslation.objects.exists() and not OutcomeTranslation.objects.exists()
    assert Version.objects.get_for_object(record).count() == 3


@pytest.mark.django_db
def test_the_api_gives_the_translation_rules_notes(signed_in, record):
    outcome = record.outcomes.get()
    other_outcome = Rows(InitiativeFactory()).outcome("Not this record's")
    response = patch(
        signed_in,
        record,
        {
            "translations": [
                {"language": "en", "title": "Seed banks", "summary": "S."},
                {"language": "es", "title": "Bancos", "summary": "S."},
                {"language": "es", "title": "Bancos otra vez", "summary": "S."},
                {"language": "de", "title": "Saatgutbanken", "summary": "S."},
            ],
            "outcome_translations": [
                {"outcome": outcome.pk, "language": "fr", "title": "Banques"},
                {"outcome": outcome.pk, "language": "fr", "title": "Banques encore"},
                {"outcome": other_outcome.pk, "language": "fr", "title": "Ailleurs"},
            ],
        },
    )

    assert response.status_code == 400
    details = response.json()["error"]["details"]
    rows = details["translations"]["rows"]
    assert rows[0] == {"language": [OWN_LANGUAGE]}
    assert rows[1] == {}
    assert rows[2] == {"language": [REPEATED]}
    assert "language" in rows[3]
    outcome_rows = details["outcome_translations"]["rows"]
    assert outcome_rows[1] == {"language": [OUTCOME_REPEATED]}
    assert outcome_rows[2] == {"outcome": [f"This record has no outcome {other_outcome.pk}."]}
    assert not InitiativeTranslation.objects.exists()


@pytest.mark.django_db
def test_the_api_checks_translations_against_the_records_language_as_it_will_be(signed_in, record):
    InitiativeTranslation.objects.create(
        initiative=record, language="es", title="Bancos", summary="Semillas."
    )
    kept = patch(signed_in, record, {"language": "es"})
    assert kept.status_code == 400
    assert "translation into this language" in kept.json()["error"]["details"]["language"][0]

    sent = patch(
        signed_in,
        record,
        {"language": "es", "translations": [{"language": "es", "title": "B", "summary": "S."}]},
    )
    assert sent.status_code == 400
    assert sent.json()["error"]["details"]["translations"]["rows"][0] == {
        "language": [OWN_LANGUAGE]
    }

    switched = patch(
        signed_in,
        record,
        {"language": "es", "translations": [{"language": "en", "title": "Banks", "summary": "S."}]},
    )
    assert switched.status_code == 200, switched.json()
    assert list(record.translations.values_list("language", flat=True)) == ["en"]


@pytest.mark.django_db
def test_the_api_refuses_outcome_translations_sent_with_new_outcomes(signed_in, record):
    outcome = record.outcomes.get()
    response = patch(
        signed_in,
        record,
        {
            "outcomes": [{"title": "A new outcome"}],
            "outcome_translations": [{"outcome": outcome.pk, "language": "fr", "title": "B"}],
        },
    )
    assert response.status_code == 400
    assert "outcome_translations" in response.json()["error"]["details"]
    assert record.outcomes.get() == outcome


@pytest.mark.django_db
def test_the_schema_describes_the_translation_lists(client):
    schema = client.get(
        "/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}
    ).json()
    write = schema["components"]["schemas"]["InitiativeWriteSchemaRequest"]["properties"]
    assert write["translations"]["items"]["$ref"].endswith("/_TranslationRowRequest")
    assert write["outcome_translations"]["items"]["$ref"].endswith("/_OutcomeTranslationRowRequest")
    row = schema["components"]["schemas"]["_TranslationRowRequest"]
    assert set(row["required"]) == {"language", "title", "summary"}
    detail = schema["components"]["schemas"]["InitiativeDetail"]["properties"]
    assert {"translations", "outcome_translations"} <= set(detail)


# ---- the admin ----


def admin_change_url(initiative):
    return reverse("admin:initiatives_initiative_change", args=[initiative.pk])


@pytest.mark.django_db
def test_a_moderator_adds_and_changes_a_translation_in_the_admin(moderator_client, moderator):
    initiative = InitiativeFactory(language="pt")
    data = change_form_data(moderator_client, initiative)
    data |= {
        "translations-TOTAL_FORMS": "1",
        "translations-0-language": "en",
        "translations-0-title": "Seed banks",
        "translations-0-summary": "Farmers swap native seeds.",
    }

    response = moderator_client.post(admin_change_url(initiative), data)

    assert response.status_code == 302
    translation = initiative.translations.get()
    assert translation.title == "Seed banks"
    revision = latest_revision(initiative)
    assert (revision.user, revision.comment) == (moderator, "Changed in the admin: translations")
    assert "initiativetranslation" in revision_models(revision)

    data = change_form_data(moderator_client, initiative)
    data["translations-0-title"] = "Community seed banks"
    assert moderator_client.post(admin_change_url(initiative), data).status_code == 302
    translation.refresh_from_db()
    assert translation.title == "Community seed banks"
    assert Version.objects.get_for_object(initiative).count() == 2


@pytest.mark.django_db
def test_the_admin_gives_the_translation_rules_as_form_errors(moderator_client):
    initiative = InitiativeFactory(language="pt")
    base = change_form_data(moderator_client, initiative)
    own = base | {
        "translations-TOTAL_FORMS": "1",
        "translations-0-language": "pt",
        "translations-0-title": "Bancos de sementes",
        "translations-0-summary": "Trocas.",
    }
    twice = base | {
        "translations-TOTAL_FORMS": "2",
        "translations-0-language": "es",
        "translations-0-title": "Bancos",
        "translations-0-summary": "S.",
        "translations-1-language": "es",
        "translations-1-title": "Bancos otra vez",
        "translations-1-summary": "S.",
    }
    for data, note in [(own, OWN_LANGUAGE), (twice, REPEATED)]:
        response = moderator_client.post(admin_change_url(initiative), data)
        assert response.status_code == 200
        assert note in response.content.decode().replace("&#x27;", "'")
    assert not initiative.translations.exists()


@pytest.mark.django_db
def test_a_new_record_can_be_recorded_with_a_translation(signed_in, organisation):
    create = reverse("editor-initiative-create")
    data = form_fields(signed_in.get(create).content.decode(), "editor-form") | {
        "title": "Bancos de sementes",
        "summary": "Agricultores trocam sementes crioulas.",
        "language": "pt",
        "cooperation_type": "bilateral",
        "translations-0-language": "pt",
        "translations-0-title": "Bancos",
        "translations-0-summary": "Trocas.",
    }
    response = signed_in.post(create, data)
    assert response.status_code == 200
    assert OWN_LANGUAGE in response.content.decode().replace("&#x27;", "'")

    data |= {
        "translations-0-language": "en",
        "translations-0-title": "Seed banks",
        "translations-0-summary": "Farmers swap seeds.",
    }
    assert signed_in.post(create, data).status_code == 302
    initiative = Initiative.objects.get(title="Bancos de sementes")
    assert list(initiative.translations.values_list("language", "title")) == [("en", "Seed banks")]


@pytest.mark.django_db
def test_two_translations_can_swap_their_languages(signed_in, record):
    outcome = record.outcomes.get()
    for language, title in [("es", "Bancos de semillas"), ("fr", "Banques de semences")]:
        InitiativeTranslation.objects.create(
            initiative=record, language=language, title=title, summary="…"
        )
        outcome.translations.create(language=language, title=title)
    data = open_form(signed_in, record)
    assert (data["translations-0-language"], data["outcome_translations-0-language"]) == (
        "es",
        "es",
    )
    data |= {
        "translations-0-language": "fr",
        "translations-1-language": "es",
        "outcome_translations-0-language": "fr",
        "outcome_translations-1-language": "es",
    }

    assert signed_in.post(edit_url(record), data).status_code == 302

    swapped = [("es", "Banques de semences"), ("fr", "Bancos de semillas")]
    assert list(record.translations.values_list("language", "title")) == swapped
    assert list(outcome.translations.values_list("language", "title")) == swapped
