import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.db import connection
from django.forms import modelform_factory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Revision

from accounts.models import Invitation
from funding.models import FundingContribution
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from organisations.models import Organisation
from principles.models import PrincipleEvidence
from reports.models import Report
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    InvitationFactory,
    OrganisationFactory,
    ParticipationFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
    UserFactory,
    country,
)

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
# The audit (revisions, the admin log) is read-only: it has no add page.
# Rows of an initiative are changed on its own page only (one revision, version check).
RECORD_PARTS = {
    InitiativeCountry,
    Participation,
    NonMonetaryContribution,
    Outcome,
    Indicator,
    Source,
    FundingContribution,
    PrincipleEvidence,
}
# Reports are asked for on /reports/ and the API; the admin only looks at them.
# Sign-in attempts and lockouts are recorded by django-axes; moderators lift a lockout by
# deleting its attempt.
SIGN_IN_RECORDS = {AccessAttempt, AccessLog, AccessFailureLog}
# Invitations are sent by organisations' managers from their team page, which e-mails the
# link, and answered by the invited people; the admin looks them up and may delete them.
READ_ONLY_MODELS = {Revision, LogEntry, Report, Invitation, *RECORD_PARTS, *SIGN_IN_RECORDS}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


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


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_every_admin_page_opens_for_a_superuser(superuser_client, model, view):
    expected = 403 if view == "add" and model in READ_ONLY_MODELS else 200

    assert superuser_client.get(admin_url(model, view)).status_code == expected


def test_initiative_change_page_shows_its_inlines(superuser_client):
    initiative = InitiativeFactory(title="Seed banks in Mozambique")
    InitiativeCountryFactory(initiative=initiative, country=country("ZA"))
    ParticipationFactory(initiative=initiative, actor=OrganisationFactory(name="União Camponesa"))
    FundingContributionFactory(initiative=initiative)
    source = SourceFactory(initiative=initiative, citation="Seed bank evaluation, 2016")
    PrincipleEvidenceFactory(initiative=initiative, source=source)

    response = superuser_client.get(admin_url(Initiative, "change", initiative.pk))

    assert response.status_code == 200
    content = response.content.decode()
    for inline_prefix in [
        "country_links",
        "participations",
        "funding_contributions",
        "principle_evidence",
        "outcomes",
        "non_monetary_contributions",
        "sources",
    ]:
        assert f'id="id_{inline_prefix}-TOTAL_FORMS"' in content
    assert "South Africa" in content
    assert "União Camponesa" in content
    assert "Seed bank evaluation, 2016" in content


def test_initiative_fieldsets_show_every_editable_field(rf):
    shown = flatten_fieldsets(admin.site._registry[Initiative].get_fieldsets(rf.get("/")))
    editable = modelform_factory(Initiative, fields="__all__").base_fields

    # Countries and participants have a through model, so they are edited in inlines.
    assert set(editable) - set(shown) == {"countries", "participants"}


def test_initiative_evidence_offers_only_the_initiatives_own_sources(superuser_client):
    initiative = InitiativeFactory()
    SourceFactory(initiative=initiative, citation="Own report, 2015")
    SourceFactory(citation="Unrelated report, 2015")

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


@pytest.mark.parametrize("model", sorted(RECORD_PARTS, key=str), ids=lambda m: m._meta.label)
def test_rows_of_a_record_cannot_be_changed_outside_the_record(superuser_client, model):
    initiative = InitiativeFactory()
    row = {
        InitiativeCountry: lambda: initiative.country_links.first(),
        Participation: lambda: initiative.participations.first(),
        NonMonetaryContribution: lambda: NonMonetaryContribution.objects.create(
            initiative=initiative, kind="participants", quantity=12
        ),
        Outcome: lambda: Outcome.objects.create(initiative=initiative, title="Seed banks run"),
        Indicator: lambda: Indicator.objects.create(
            outcome=Outcome.objects.create(initiative=initiative, title="x"), name="Banks"
        ),
        Source: lambda: SourceFactory(initiative=initiative),
        FundingContribution: lambda: FundingContributionFactory(initiative=initiative),
        PrincipleEvidence: lambda: PrincipleEvidenceFactory(initiative=initiative),
    }[model]()
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
