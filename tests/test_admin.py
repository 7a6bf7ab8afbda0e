import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import connection
from django.forms import modelform_factory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invitation
from initiatives.history import INITIATIVE_PARTS
from initiatives.models import ROW_PARTS, Initiative
from learning.models import PracticeUse
from organisations.models import Organisation
from tests.admin_site import NO_ADD_PAGE, REGISTERED_MODELS, admin_url
from tests.factories import (
    InitiativeFactory,
    InvitationFactory,
    OrganisationFactory,
    PracticeFactory,
    Rows,
    SourceFactory,
    UserFactory,
    country,
)


def autocomplete(client, app_label, model_name, field_name, term, language="en"):
    # Another language than English is sent to its address (/pt-br/admin/…), as a browser is.
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
        headers={"accept-language": language},
        follow=True,
    )
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_every_admin_page_opens_for_a_superuser(superuser_client, model, view):
    expected = 403 if view == "add" and model in NO_ADD_PAGE else 200

    assert superuser_client.get(admin_url(model, view)).status_code == expected


def test_initiative_change_page_shows_its_inlines(superuser_client):
    initiative = InitiativeFactory(title="Seed banks in Mozambique")
    rows = Rows(initiative)
    rows.country("ZA")
    rows.participant(OrganisationFactory(name="União Camponesa"))
    rows.funding()
    rows.evidence(source=rows.source(citation="Seed bank evaluation, 2016"))

    response = superuser_client.get(admin_url(Initiative, "change", initiative.pk))

    assert response.status_code == 200
    content = response.content.decode()
    for inline_prefix in INITIATIVE_PARTS:
        assert f'id="id_{inline_prefix}-TOTAL_FORMS"' in content
    assert "South Africa" in content
    assert "União Camponesa" in content
    assert "Seed bank evaluation, 2016" in content


def test_initiative_fieldsets_show_every_editable_field(rf):
    shown = flatten_fieldsets(admin.site._registry[Initiative].get_fieldsets(rf.get("/")))
    editable = modelform_factory(Initiative, fields="__all__").base_fields

    # Countries and participants have a through model, so they are edited in inlines; the
    # sectors (with shares, a through model too) are picked under another name.
    assert set(editable) - set(shown) == {"countries", "participants", "sectors"}
    assert "sector_choices" in shown


def test_initiative_evidence_offers_only_the_initiatives_own_sources(superuser_client):
    initiative = InitiativeFactory()
    Rows(initiative).source(citation="Own report, 2015")
    SourceFactory(citation="Unrelated report, 2015")  # of another initiative

    response = superuser_client.get(admin_url(Initiative, "change", initiative.pk))

    content = response.content.decode()
    assert "Own report, 2015" in content
    assert "Unrelated report, 2015" not in content


def test_initiative_changelist_search_by_title(moderator_client):
    InitiativeFactory(title="Seed banks in Mozambique")
    InitiativeFactory(title="Water committees in Bolivia")

    response = moderator_client.get(admin_url(Initiative, "changelist"), {"q": "seed banks"})

    assert [row.title for row in response.context["cl"].result_list] == ["Seed banks in Mozambique"]


@pytest.mark.parametrize("term", ["moz", "MZ", "mozambique"])
@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("initiatives", "initiativecountry", "country"),
        ("organisations", "organisation", "home_country"),
    ],
)
def test_country_autocomplete_matches_code_and_name(
    moderator_client, app_label, model_name, field_name, term
):
    results = autocomplete(moderator_client, app_label, model_name, field_name, term)

    assert results == [{"id": "MZ", "text": "Mozambique"}]


def test_country_autocomplete_matches_names_in_the_moderators_language(moderator_client):
    results = autocomplete(
        moderator_client, "initiatives", "initiativecountry", "country", "moçamb", language="pt"
    )

    assert results == [{"id": "MZ", "text": "Moçambique"}]


def test_organisation_autocomplete_matches_name_and_acronym(moderator_client):
    actor = OrganisationFactory(name="União Nacional de Camponeses", acronym="UNAC")
    OrganisationFactory(name="Brazilian Semi-Arid Articulation", acronym="ASA")
    expected = [{"id": str(actor.pk), "text": "União Nacional de Camponeses (UNAC)"}]

    for term in ["unac", "camponeses"]:
        assert autocomplete(moderator_client, "initiatives", "participation", "actor", term) == (
            expected
        )
    assert autocomplete(moderator_client, "funding", "fundingcontribution", "funder", "UNAC") == (
        expected
    )


def initiative_changelist_queries(client, initiatives: int) -> int:
    InitiativeFactory.create_batch(initiatives - Initiative.objects.count())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(Initiative, "changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == initiatives
    return len(queries)


def test_initiative_changelist_query_count_does_not_grow_with_rows(superuser_client):
    assert initiative_changelist_queries(superuser_client, 2) == initiative_changelist_queries(
        superuser_client, 20
    )


def test_non_staff_user_is_sent_to_the_login_page(client, db):
    client.force_login(UserFactory())
    url = admin_url(Initiative, "changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("part", ROW_PARTS)
def test_rows_of_a_record_cannot_be_changed_outside_the_record(superuser_client, part):
    initiative = InitiativeFactory()
    rows = Rows(initiative)
    row = {
        "countries": lambda: initiative.country_links.first(),
        "participants": lambda: initiative.participations.first(),
        "nonmonetary": lambda: rows.non_monetary("participants", 12),
        "outcomes": lambda: rows.outcome("Seed banks run"),
        "practices": lambda: PracticeUse.objects.create(
            initiative=initiative, practice=PracticeFactory()
        ),
        "indicators": lambda: rows.outcome("x").indicators.create(name="Banks"),
        "sources": rows.source,
        "funding": rows.funding,
        "evidence": rows.evidence,
        "translations": lambda: initiative.translations.create(
            language="es", title="Bancos de semillas", summary="Intercambios."
        ),
        "outcome_translations": lambda: rows.outcome("x").translations.create(
            language="fr", title="Banques de semences"
        ),
        "lessons": lambda: initiative.lessons.create(text="Trust takes time."),
        "lesson_translations": lambda: initiative.lessons.create(text="x").translations.create(
            language="fr", text="La confiance prend du temps."
        ),
    }[part]()
    model = ROW_PARTS[part].model
    response = superuser_client.post(admin_url(model, "change", row.pk), {})
    assert response.status_code == 403
    assert (
        superuser_client.post(admin_url(model, "delete", row.pk), {"post": "yes"}).status_code
        == 403
    )
    assert model.objects.filter(pk=row.pk).exists()


def test_moderators_look_up_invitations_and_may_delete_them_but_not_change_them(
    moderator_client,
):
    invitation = InvitationFactory(email="ana@example.org", organisation__name="Rede Sementes")

    listing = moderator_client.get(admin_url(Invitation, "changelist"), {"q": "ana@"})
    page = moderator_client.get(admin_url(Invitation, "change", invitation.pk))
    moderator_client.post(admin_url(Invitation, "change", invitation.pk), {"state": "accepted"})

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [invitation]
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING
    response = moderator_client.post(
        admin_url(Invitation, "delete", invitation.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_organisations_filter_by_home_country(moderator_client):
    OrganisationFactory(name="Articulação Semiárido", home_country=country("BR"))
    OrganisationFactory(name="União Nacional de Camponeses", home_country=country("MZ"))
    OrganisationFactory(name="Global Fund for Community Foundations", home_country=None)
    url = admin_url(Organisation, "changelist")

    response = moderator_client.get(url)

    assert response.status_code == 200
    [countries] = [
        spec for spec in response.context["cl"].filter_specs if spec.title == "home country"
    ]
    links = {
        str(choice["display"]): choice["query_string"]
        for choice in countries.choices(response.context["cl"])
    }
    assert list(links) == ["All", "Brazil", "Mozambique", "-"]
    filtered = moderator_client.get(url + links["Mozambique"])
    assert [actor.name for actor in filtered.context["cl"].result_list] == [
        "União Nacional de Camponeses"
    ]
