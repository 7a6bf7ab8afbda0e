"""Practices that travel: their index and pages in every language, their path from one
initiative to the next, who may see a proposed practice, the practices an initiative page
lists, linking a practice in the editor, proposing one, and the API."""

import pytest
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from initiatives.models import Initiative
from learning.models import Practice, PracticeTranslation, PracticeUse, Theme
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    PracticeFactory,
    Rows,
)
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db
State = Initiative.State

NAMES = {
    "en": "Community native seed banks",
    "es": "Bancos comunitarios de semillas nativas",
    "pt": "Bancos comunitários de sementes crioulas",
    "fr": "Banques communautaires de semences paysannes",
}
PREFIX = {"en": "", "es": "/es", "pt": "/pt-br", "fr": "/fr"}


def seed_banks() -> Practice:
    practice = PracticeFactory(
        name=NAMES["en"],
        slug="community-native-seed-banks",
        summary="Farmers keep and lend seeds of local varieties.",
    )
    practice.themes.set(Theme.objects.filter(slug="seeds-agroecology"))
    for language in ("es", "pt", "fr"):
        PracticeTranslation.objects.create(
            practice=practice,
            language=language,
            name=NAMES[language],
            summary=f"Resumen {language}",
        )
    return practice


def used(practice, *, started: int, state=State.PUBLISHED, learned_from=None, title=None, **kw):
    initiative = InitiativeFactory(
        state=state, start_year=started, **({"title": title} if title else {}), **kw
    )
    PracticeUse.objects.create(
        initiative=initiative,
        practice=practice,
        learned_from=learned_from,
        adaptation=f"Adapted in {initiative.title}",
    )
    return initiative


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_index_and_page_speak_the_readers_language(client, language):
    practice = seed_banks()
    first = used(practice, started=2012, title="Seed banks from Brazil")
    used(practice, started=2016, learned_from=first, title="Seed bank guide", recipient=None)

    index = page(client, f"{PREFIX[language]}/practices/")
    detail = page(client, f"{PREFIX[language]}/practices/{practice.slug}/")

    for html in (index, detail):
        assert NAMES[language] in html
    if language != "en":
        assert f"Resumen {language}" in index
        assert NAMES["en"] not in index
    assert "2 initiatives" in index or language != "en"
    # The path: both initiatives, the second learned from the first, drawn and in the table.
    assert detail.index("Seed banks from Brazil") < detail.index("Seed bank guide")
    assert 'data-testid="learned-from">Seed banks from Brazil' in detail
    assert 'id="practice-path-title"' in detail  # the SVG diagram
    assert 'id="map-practice"' in detail  # the world map with its table of countries
    assert "Brazil" in detail or "Brasil" in detail or "Brésil" in detail


def test_the_index_counts_visible_initiatives_and_countries_and_filters_by_theme(client):
    practice = seed_banks()
    used(practice, started=2012)  # Brazil → Mozambique (the factory's countries)
    used(practice, started=2013, state=State.DRAFT)
    other = PracticeFactory(name="Scorecards")
    other.themes.set(Theme.objects.filter(slug="social-accountability"))

    index = page(client, "/practices/")
    assert "1 initiative" in index and "2 countries" in index
    assert "Scorecards" in index

    seeds = page(client, "/practices/?theme=seeds-agroecology")
    assert NAMES["en"] in seeds and "Scorecards" not in seeds


def test_an_untranslated_practice_is_shown_in_its_language_and_marked(client):
    PracticeFactory(name="Mutirão", slug="mutirao", language="pt", summary="Trabalho coletivo.")

    html = page(client, "/fr/practices/mutirao/")
    assert '<span lang="pt">Mutirão</span>' in html
    assert "portugais" in html.lower()


def test_the_path_never_shows_an_unpublished_initiative(client, sign_in_editor):
    practice = seed_banks()
    draft = used(practice, started=2010, state=State.DRAFT, title="Secret draft")
    public = used(practice, started=2014, learned_from=draft, title="Public use")

    html = page(client, f"/practices/{practice.slug}/")
    assert "Public use" in html
    assert "Secret draft" not in html and draft.slug not in html
    assert 'data-testid="learned-from"' not in html

    # Its organisation's editors see their draft on the path, as what taught the practice.
    sign_in_editor(draft.owner)
    html = page(client, f"/practices/{practice.slug}/")
    assert 'data-testid="learned-from">Secret draft' in html
    # And the initiative page says where it was learned, only to whoever may see the source.
    client.logout()
    assert "Secret draft" not in page(client, public.get_absolute_url())


def test_a_proposed_practice_is_seen_only_by_its_organisation_and_the_moderators(client):
    membership = MembershipFactory()
    proposed = PracticeFactory(
        name="Seed fairs",
        status=Practice.Status.PROPOSED,
        proposed_by_organisation=membership.organisation,
    )
    url = reverse("practice-detail", args=[proposed.slug])
    api = reverse("api:practice-detail", args=[proposed.slug])

    assert client.get(url).status_code == 404
    assert client.get(api).status_code == 404
    assert "Seed fairs" not in page(client, "/practices/")
    client.force_login(MembershipFactory().user)  # another organisation's editor
    assert client.get(url).status_code == 404
    assert client.get(api).status_code == 404

    for person in (membership.user, ModeratorFactory()):
        client.force_login(person)
        html = page(client, url)
        assert 'data-testid="awaiting-review"' in html
        assert client.get(api).json()["status"] == "proposed"


def test_an_initiative_page_lists_its_practices(client):
    practice = seed_banks()
    draft = used(practice, started=2010, state=State.DRAFT, title="Hidden teacher")
    teacher = used(practice, started=2011, title="Public teacher")
    learner = InitiativeFactory(title="Learner")
    PracticeUse.objects.create(
        initiative=learner, practice=practice, learned_from=teacher, adaptation="Smaller banks."
    )
    other = InitiativeFactory(title="Other learner")
    PracticeUse.objects.create(initiative=other, practice=practice, learned_from=draft)

    html = page(client, learner.get_absolute_url())
    assert 'data-testid="practices-used"' in html
    assert f'href="{reverse("practice-detail", args=[practice.slug])}"' in html
    assert "Public teacher" in html and "Smaller banks." in html
    assert "Hidden teacher" not in page(client, other.get_absolute_url())


def test_query_counts_do_not_grow_with_practices_and_uses(client, count_queries):
    def seed(count: int) -> Practice:
        practice = None
        for number in range(count):
            practice = PracticeFactory()
            practice.themes.set(Theme.objects.all()[:2])
            PracticeTranslation.objects.create(
                practice=practice, language="es", name=f"Práctica {number}", summary="Resumen"
            )
            previous = None
            for year in range(2):
                previous = used(practice, started=2010 + year, learned_from=previous)
        return practice

    def counts() -> tuple[int, ...]:
        practice = Practice.objects.order_by("-pk").first()
        return tuple(
            count_queries(lambda url=url: client.get(url))
            for url in (
                "/practices/",
                f"/practices/{practice.slug}/",
                "/api/v1/practices/",
                f"/api/v1/practices/{practice.slug}/",
            )
        )

    seed(2)
    small = counts()
    seed(18)
    assert counts() == small
    print("queries (index, page, API list, API detail):", small)


def test_an_editor_links_a_practice_learned_from_another_initiative(client, sign_in_editor):
    practice = seed_banks()
    teacher = used(practice, started=2010, title="Teacher")
    InitiativeFactory(state=State.DRAFT, title="Someone's draft")
    mine = InitiativeFactory(state=State.DRAFT, title="Mine")
    editor = sign_in_editor(mine.owner)
    PracticeFactory(name="Not ours", status=Practice.Status.PROPOSED)
    PracticeFactory(
        name="Our proposal",
        status=Practice.Status.PROPOSED,
        proposed_by_organisation=editor.memberships.get().organisation,
    )

    url = reverse("editor-initiative-edit", args=[mine.slug])
    html = page(client, url)
    assert "Our proposal" in html and "Not ours" not in html
    assert "Someone's draft" not in html
    assert f'href="{reverse("practice-propose")}"' in html
    fields = form_fields(html, "editor-form")
    fields["practices-0-practice"] = str(practice.pk)
    fields["practices-0-learned_from"] = str(teacher.pk)
    fields["practices-0-adaptation"] = "Written up as a guide."
    assert client.post(url, fields).status_code == 302

    use = PracticeUse.objects.get(initiative=mine)
    assert (use.practice, use.learned_from, use.adaptation) == (
        practice,
        teacher,
        "Written up as a guide.",
    )
    # The link is part of the record's history, and the API gives it.
    assert Version.objects.get_for_object(use).exists()
    detail = client.get(reverse("api:initiative-detail", args=[mine.slug])).json()
    assert detail["practices"] == [
        {
            "practice": practice.slug,
            "learned_from": teacher.slug,
            "adaptation": "Written up as a guide.",
        }
    ]
    preview = page(client, reverse("editor-initiative-preview", args=[mine.slug]))
    assert "Teacher" in preview and "Written up as a guide." in preview


def test_an_editor_proposes_a_practice_on_the_page(client, sign_in_editor):
    editor = sign_in_editor()
    organisation = editor.memberships.get().organisation
    response = client.post(
        reverse("practice-propose"),
        {
            "name": "Seed fairs",
            "summary": "Farmers swap seeds once a year.",
            "language": "en",
            "themes": [Theme.objects.get(slug="seeds-agroecology").pk],
            "organisation": organisation.pk,
        },
    )
    practice = Practice.objects.get(name="Seed fairs")
    assert response["Location"] == reverse("practice-detail", args=[practice.slug])
    assert practice.status == Practice.Status.PROPOSED
    assert (practice.proposed_by, practice.proposed_by_organisation) == (editor, organisation)
    assert 'data-testid="awaiting-review"' in page(client, response["Location"])
    assert "<legend>Themes</legend>" in page(client, reverse("practice-propose"))


def test_the_api_proposes_a_practice_for_one_of_the_callers_organisations(client):
    membership = MembershipFactory()
    body = {
        "organisation": membership.organisation.slug,
        "name": "Seed fairs",
        "summary": "Farmers swap seeds once a year.",
        "language": "en",
        "themes": ["seeds-agroecology"],
    }
    url = reverse("api:practice-list")
    assert client.post(url, body, content_type="application/json").status_code in (401, 403)

    client.force_login(MembershipFactory().user)
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert "organisation" in refused.json()["error"]["details"]

    client.force_login(membership.user)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "proposed"
    assert response.json()["themes"] == ["seeds-agroecology"]
    assert Practice.objects.get(name="Seed fairs").proposed_by == membership.user
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "name" in again.json()["error"]["details"]


def test_the_api_gives_text_in_the_language_asked_for_with_uses_and_countries(client):
    practice = seed_banks()
    draft = used(practice, started=2010, state=State.DRAFT)
    public = used(practice, started=2012, learned_from=draft)
    Rows(public).country("ZA")

    detail = client.get(
        reverse("api:practice-detail", args=[practice.slug]), HTTP_ACCEPT_LANGUAGE="fr"
    ).json()
    assert (detail["name"], detail["text_language"]) == (NAMES["fr"], "fr")
    assert {row["language"] for row in detail["translations"]} == {"es", "pt", "fr"}
    assert detail["uses"] == [
        {
            "initiative": public.slug,
            "title": public.title,
            "learned_from": None,
            "adaptation": f"Adapted in {public.title}",
            "countries": {"provider": ["BR"], "recipient": ["MZ", "ZA"]},
        }
    ]
    assert detail["countries"] == ["BR", "MZ", "ZA"]
    listed = client.get(reverse("api:practice-list"), {"theme": "social-accountability"})
    assert listed.json()["results"] == []
    found = client.get(reverse("api:practice-list"), {"q": "semences"}).json()["results"]
    assert [row["slug"] for row in found] == [practice.slug]


def test_moderators_accept_a_proposed_practice_with_a_note(client):
    proposed = PracticeFactory(name="Seed fairs", status=Practice.Status.PROPOSED)
    moderator = ModeratorFactory(is_staff=True, is_superuser=True)
    client.force_login(moderator)
    url = reverse("admin:learning_practice_changelist")
    assert "Seed fairs" in page(client, f"{url}?status__exact=proposed")

    confirm = client.post(url, {"action": "accept_practices", "_selected_action": [proposed.pk]})
    assert "Note to the proposing organisation" in confirm.content.decode()
    client.post(
        url,
        {
            "action": "accept_practices",
            "_selected_action": [proposed.pk],
            "apply": "1",
            "note": "Welcome.",
        },
    )
    proposed.refresh_from_db()
    assert (proposed.status, proposed.review_note) == (Practice.Status.ACCEPTED, "Welcome.")
    client.logout()
    assert client.get(reverse("practice-detail", args=[proposed.slug])).status_code == 200


def test_the_main_navigation_leads_to_the_practices(client):
    html = page(client, "/")
    assert f'href="{reverse("practice-list")}"' in html
    with translation.override("es"):
        assert reverse("practice-list") == "/es/practices/"
