"""Every admin page opens, with data in it, for a superuser and for a moderator.

The data set below has rows for every model registered in the admin, so that the change
lists run their columns, filters and search over real rows. A model registered without rows
here fails ``test_the_data_set_covers_every_registered_model``: add some below.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Membership, User
from accounts.tokens import api_token_create
from initiatives.models import Indicator, NonMonetaryContribution, Source
from initiatives.services import initiative_approve, initiative_save, initiative_submit
from learning.models import ContactMessage, Listing, Practice, PracticeUse, Theme
from opendata.releases.services import release_make
from organisations.models import NetworkMembership, OrganisationType
from principles.models import PrincipleEvidence
from reference.models import CivicSpaceRating, DialogueMechanism
from tests.admin_site import NO_ADD_PAGE, REGISTERED_MODELS, admin_url
from tests.factories import (
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    Rows,
    UserFactory,
    country,
    reports_in_each_state,
)

# Moderators manage content, not who holds which rights.
HIDDEN_FROM_MODERATORS = {Group}
# Moderators look people up but do not create accounts here (teams invite their members).
MODERATORS_VIEW_ONLY = {User}


def build_data_set(moderator: User) -> None:
    """A small portal in use: organisations in networks, initiatives in every state with all
    their rows, evidence confirmed by a partner, reports, tokens, sign-in records, history."""
    brazil, mozambique, south_africa = country("BR"), country("MZ"), country("ZA")
    network = OrganisationFactory(
        name="South-South Civil Society Alliance",
        acronym="SSCA",
        actor_type=OrganisationType.NETWORK,
    )
    articulation = OrganisationFactory(
        name="Articulação Semiárido", acronym="ASA", home_country=brazil, iati_identifier="BR-1"
    )
    peasants = OrganisationFactory(
        name="União Nacional de Camponeses", acronym="UNAC", home_country=mozambique
    )
    OrganisationFactory(name="Global Fund for Community Foundations", home_country=None)
    OrganisationFactory(name="Abalimi Bezekhaya", home_country=south_africa)
    NetworkMembership.objects.create(member=articulation, network=network, joined_year=2010)
    NetworkMembership.objects.create(member=peasants, network=network)

    editor = MembershipFactory(
        organisation=articulation, role=Membership.Role.MANAGER, user__username="amara"
    ).user
    partner = MembershipFactory(organisation=peasants, user__username="joao").user
    UserFactory(username="former-staff", is_active=False)
    api_token_create(user=editor, name="Data sync")
    InvitationFactory(organisation=articulation, email="lucia@example.org", invited_by=editor)

    published = InitiativeFactory(
        title="Seed banks in the semi-arid", owner=articulation, start_year=2012, end_year=2016
    )
    rows = Rows(published)
    rows.country("ZA")
    rows.participant(peasants)
    rows.funding(funder=network, amount=Decimal("25000.00"), currency="USD", year_start=2012)
    rows.funding("citizen-donations", is_in_kind=True)
    evaluation = rows.source(
        citation="Seed bank evaluation, 2016",
        url="https://example.org/evaluation",
        document_type=Source.DocumentType.EVALUATION,
        language="pt",
        document=ContentFile(b"%PDF-1.4\n%%EOF\n", name="evaluation.pdf"),
    )
    rows.evidence(
        source=evaluation,
        strength=PrincipleEvidence.Strength.EVALUATED,
        confirmation="confirmed",
        confirmed_by_organisation=peasants,
        confirmed_at=timezone.now(),
    )
    rows.evidence(
        "inclusive-partnerships",
        stance=PrincipleEvidence.Stance.CHALLENGES,
        narrative="Women's groups joined only in the second year.",
    )
    outcome = rows.outcome("Community seed banks run by farmers", narrative="40 banks.")
    Indicator.objects.create(
        outcome=outcome,
        name="Seed banks running",
        unit="banks",
        baseline=Decimal(0),
        baseline_year=2012,
        target=Decimal(50),
        target_year=2016,
        actual=Decimal(40),
        actual_year=2016,
    )
    outcome.translations.create(language="es", title="Bancos de semillas comunitarios")
    outcome.initiative.translations.create(
        language="fr", title="Banques de semences", summary="Des échanges entre paysans."
    )
    lesson = outcome.initiative.lessons.create(
        text="Seed fairs spread varieties faster than training.",
        for_civil_society=True,
        theme=Theme.objects.get(slug="seeds-agroecology"),
    )
    lesson.translations.create(language="pt", text="As feiras espalham as variedades.")
    rows.non_monetary(NonMonetaryContribution.Kind.PERSON_DAYS, 120)
    rows.non_monetary(
        NonMonetaryContribution.Kind.OTHER, Decimal("300.5"), unit="seed packets", year=2014
    )
    # Edited after publication (a revision of its own), then moderated.
    published.summary = "Farmers share how they keep seeds through the dry season."
    initiative_save(initiative=published, by=editor, expected_version=published.version)

    submitted = InitiativeFactory(title="Cisterns in Haiti", owner=articulation, state="draft")
    initiative_submit(initiative=submitted, by=editor)
    for state in ["draft", "returned", "archived"]:
        InitiativeFactory(title=f"An initiative {state}", owner=peasants, state=state)
    approved = InitiativeFactory(title="Urban gardens", owner=peasants, state="draft")
    initiative_submit(initiative=approved, by=partner)
    initiative_approve(initiative=approved, by=moderator)

    practice = Practice.objects.create(
        name="Community seed banks",
        slug="community-seed-banks",
        summary="Farmers keep and lend seeds.",
        status=Practice.Status.ACCEPTED,
    )
    practice.themes.set(Theme.objects.filter(slug="seeds-agroecology"))
    practice.translations.create(language="pt", name="Bancos de sementes", summary="Sementes.")
    PracticeUse.objects.create(initiative=published, practice=practice, learned_from=approved)
    Practice.objects.create(
        name="Seed fairs",
        slug="seed-fairs",
        summary="A yearly swap.",
        proposed_by=partner,
        proposed_by_organisation=peasants,
    )

    CivicSpaceRating.objects.create(
        country=brazil, year=2024, source="civicus_monitor", rating="obstructed", score=45
    )
    DialogueMechanism.objects.create(
        country=brazil, name="Conselho Nacional de Segurança Alimentar", kind="national"
    )

    offer = Listing.objects.create(
        kind="offer",
        organisation=articulation,
        title="Seed banks of the semi-arid",
        description="Visits to community seed banks.",
        theme=Theme.objects.get(slug="seeds-agroecology"),
        languages=["pt", "es"],
        formats=["exchange_visit"],
        open_until=timezone.localdate() + timedelta(days=90),
        created_by=editor,
    )
    offer.countries.set([mozambique, south_africa])
    ContactMessage.objects.create(
        sender=partner,
        sender_organisation=peasants,
        recipient_organisation=articulation,
        listing=offer,
        subject="A visit in May",
        body="Could we visit a seed bank?",
        reported_at=timezone.now(),
        reported_by=editor,
        report_note="Test report",
    )

    now = timezone.now()
    reports_in_each_state(published, requested_by=editor, brief_requested_by=moderator)
    release_make(by=moderator)

    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=[published],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Summary"]}}],
    )
    LogEntry.objects.log_actions(
        user_id=moderator.pk, queryset=[network], action_flag=ADDITION, change_message=[]
    )
    LogEntry.objects.log_actions(
        user_id=moderator.pk, queryset=[outcome], action_flag=DELETION, change_message=""
    )

    sign_in = {
        "user_agent": "Mozilla/5.0",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(
        **sign_in,
        username="amara",
        ip_address="203.0.113.7",
        attempt_time=now,
        get_data="",
        post_data="username=amara",
        failures_since_start=5,
    )
    AccessAttempt.objects.create(
        **sign_in,
        username="joao",
        ip_address="198.51.100.2",
        attempt_time=now - timedelta(minutes=3),
        get_data="",
        post_data="username=joao",
        failures_since_start=2,
    )
    AccessFailureLog.objects.create(
        **sign_in, username="amara", ip_address="203.0.113.7", attempt_time=now, locked_out=True
    )
    AccessLog.objects.create(
        **sign_in,
        username="joao",
        ip_address="198.51.100.2",
        attempt_time=now - timedelta(hours=1),
        logout_time=now,
    )


@pytest.fixture
def data_set(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    moderator = ModeratorFactory(username="moderator")
    superuser = UserFactory(username="admin", is_staff=True, is_superuser=True)
    build_data_set(moderator)
    return {"superuser": superuser, "moderator": moderator}


def test_the_data_set_covers_every_registered_model(data_set):
    empty = [model._meta.label for model in REGISTERED_MODELS if not model.objects.exists()]

    assert empty == [], "add rows for these models to build_data_set()"


def expected_status(model, who: str, view: str) -> int:
    if who == "moderator" and model in HIDDEN_FROM_MODERATORS:
        return 403
    if view == "add" and (
        model in NO_ADD_PAGE or (who == "moderator" and model in MODERATORS_VIEW_ONLY)
    ):
        return 403
    return 200


def filter_links(response) -> list[str]:
    """The query string of the options of every filter in a change list's side bar.

    A long vocabulary (languages, content types, sector categories) runs the same code for
    each value, so only its first and last few options are opened; the last ones include
    the "empty" option where there is one."""
    changelist = response.context["cl"]
    links = []
    for spec in changelist.filter_specs:
        choices = list(spec.choices(changelist))
        if len(choices) > 12:
            choices = choices[:6] + choices[-6:]
        links += [choice["query_string"] for choice in choices]
    return links


@pytest.mark.parametrize("who", ["superuser", "moderator"])
@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_every_admin_page_opens_with_data(client, data_set, model, who):
    client.force_login(data_set[who])
    changelist_url = admin_url(model, "changelist")
    row = model.objects.order_by("pk").first()

    response = client.get(changelist_url)

    assert response.status_code == expected_status(model, who, "changelist")
    if response.status_code == 403:
        assert client.get(admin_url(model, "change", row.pk)).status_code == 403
        return
    assert response.context["cl"].result_count > 0
    searched = client.get(changelist_url, {"q": "a"})
    assert searched.status_code == 200
    for query_string in filter_links(response):
        filtered = client.get(changelist_url + query_string)
        assert filtered.status_code == 200, query_string
    assert client.get(admin_url(model, "add")).status_code == expected_status(model, who, "add")
    change = client.get(admin_url(model, "change", row.pk))
    assert change.status_code == 200
    assert change.context["original"] == row
