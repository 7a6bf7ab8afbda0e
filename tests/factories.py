"""factory_boy factories for the domain model; reference rows come from the migrations."""

import datetime
from decimal import Decimal
from io import StringIO

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import MODERATORS_GROUP, Invitation, Membership, User
from funding.models import FundingContribution, FundingModel
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    Participation,
    PublishedVersion,
    Source,
)
from learning.models import ContactMessage, Listing, Practice, Theme
from organisations.models import Organisation, OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.models import (
    CivicSpaceRating,
    Country,
    DialogueMechanism,
    Modality,
    SustainableDevelopmentGoal,
)
from reports.models import Report

# Every state but published: only the owner's members and the moderators see such a record.
HIDDEN_STATES = [
    Initiative.State.DRAFT,
    Initiative.State.SUBMITTED,
    Initiative.State.RETURNED,
    Initiative.State.ARCHIVED,
]


def country(code: str) -> Country:
    return Country.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class ModeratorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True  # adding to a group needs no second save

    is_staff = True

    @factory.post_generation
    def moderators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=MODERATORS_GROUP))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    actor_type = OrganisationType.NATIONAL_NGO
    home_country = factory.LazyFunction(lambda: country("BR"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation waiting for an answer, open for another week."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Membership.Role.EDITOR
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A complete initiative: Brazil to Mozambique, led by its owner organisation."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    summary = "Partners share what they learned at home."
    cooperation_type = Initiative.CooperationType.BILATERAL
    owner = factory.SubFactory(OrganisationFactory)
    state = Initiative.State.PUBLISHED
    provider = factory.RelatedFactory(
        "tests.factories.InitiativeCountryFactory",
        factory_related_name="initiative",
        country=factory.LazyFunction(lambda: country("BR")),
        role=InitiativeCountry.Role.PROVIDER,
    )
    recipient = factory.RelatedFactory(
        "tests.factories.InitiativeCountryFactory", factory_related_name="initiative"
    )
    lead = factory.RelatedFactory(
        "tests.factories.ParticipationFactory",
        factory_related_name="initiative",
        actor=factory.SelfAttribute("..owner"),
        role=Participation.Role.LEAD,
    )

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        """Index the record for search, as saving it through the services does."""
        if create:
            from initiatives.services import initiative_refresh_search_vector

            initiative_refresh_search_vector(initiative_ids=[self.pk])


class InitiativeRowFactory(factory.django.DjangoModelFactory):
    """A row of an initiative: of a new published one unless ``initiative`` is given."""

    class Meta:
        abstract = True

    initiative = factory.SubFactory(InitiativeFactory)


class InitiativeCountryFactory(InitiativeRowFactory):
    class Meta:
        model = InitiativeCountry

    country = factory.LazyFunction(lambda: country("MZ"))
    role = InitiativeCountry.Role.RECIPIENT


class ParticipationFactory(InitiativeRowFactory):
    class Meta:
        model = Participation

    actor = factory.SubFactory(OrganisationFactory)
    role = Participation.Role.IMPLEMENTING


class SourceFactory(InitiativeRowFactory):
    class Meta:
        model = Source

    citation = factory.Sequence(lambda n: f"Field report number {n}, 2015")
    year = 2015


class FundingContributionFactory(InitiativeRowFactory):
    class Meta:
        model = FundingContribution

    funding_model = factory.LazyFunction(lambda: FundingModel.objects.get(slug="citizen-donations"))


class PrincipleEvidenceFactory(InitiativeRowFactory):
    class Meta:
        model = PrincipleEvidence

    principle = factory.LazyFunction(lambda: Principle.objects.get(slug="ownership"))
    narrative = "Community groups chose which practices to adopt."
    recorded_by_organisation = factory.SelfAttribute("initiative.owner")


class PracticeFactory(factory.django.DjangoModelFactory):
    """An accepted practice, written in English."""

    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    summary = "A way of working that travels."
    status = Practice.Status.ACCEPTED


class Rows:
    """Adds related rows to one initiative, naming reference rows by code or slug, so that a
    test's setup states only the values it checks."""

    def __init__(self, initiative: Initiative):
        self.initiative = initiative

    def country(self, code: str, **fields) -> InitiativeCountry:
        """A recipient country (unless ``role`` says otherwise)."""
        return InitiativeCountryFactory(initiative=self.initiative, country=country(code), **fields)

    def participant(self, actor=None, **fields) -> Participation:
        """An implementing participant (unless ``role`` says otherwise), a new one if no actor."""
        if actor is not None:
            fields["actor"] = actor
        return ParticipationFactory(initiative=self.initiative, **fields)

    def funding(self, model: str | None = None, **fields) -> FundingContribution:
        """A contribution under the funding model with the slug ``model`` (citizen donations
        by default)."""
        if model is not None:
            fields["funding_model"] = FundingModel.objects.get(slug=model)
        return FundingContributionFactory(initiative=self.initiative, **fields)

    def source(self, **fields) -> Source:
        return SourceFactory(initiative=self.initiative, **fields)

    def evidence(self, principle: Principle | str | None = None, **fields) -> PrincipleEvidence:
        """Evidence on ``principle``, given or by its slug (ownership by default)."""
        if isinstance(principle, str):
            principle = Principle.objects.get(slug=principle)
        if principle is not None:
            fields["principle"] = principle
        return PrincipleEvidenceFactory(initiative=self.initiative, **fields)

    def outcome(self, title: str, **fields):
        return self.initiative.outcomes.create(title=title, **fields)

    def non_monetary(self, kind: str, quantity, **fields):
        return self.initiative.non_monetary_contributions.create(
            kind=kind, quantity=quantity, **fields
        )

    def modalities(self, *slugs: str) -> None:
        self.initiative.modalities.add(*(Modality.objects.get(slug=slug) for slug in slugs))


def initiative_between(title: str, *, provider="BR", recipient="MZ", **fields) -> Initiative:
    """An initiative from one country (ISO code) to another."""
    return InitiativeFactory(
        title=title,
        provider__country=country(provider),
        recipient__country=country(recipient),
        **fields,
    )


def brazil_with_context(**mechanism) -> Country:
    """Brazil with two civic-space ratings (2019, 2022) and a national dialogue council;
    ``mechanism`` adds to the council's fields."""
    brazil = country("BR")
    CivicSpaceRating.objects.create(
        country=brazil,
        year=2019,
        source=CivicSpaceRating.Source.CIVICUS_MONITOR,
        rating=CivicSpaceRating.Rating.OBSTRUCTED,
        source_url="https://monitor.civicus.org/country/brazil/",
    )
    CivicSpaceRating.objects.create(
        country=brazil,
        year=2022,
        source=CivicSpaceRating.Source.ENABLING_ENVIRONMENT_INDEX,
        score="61.50",
    )
    DialogueMechanism.objects.create(
        country=brazil,
        name="National council on food security",
        kind=DialogueMechanism.Kind.NATIONAL,
        year_started=2003,
        description="Civil society and ministries meet every quarter.",
        source_citation="Council statute, 2003",
        **mechanism,
    )
    return brazil


def initiative_with_every_row() -> Initiative:
    """A published initiative, "Bancos de sementes crioulas" (in Portuguese), with a row of
    every kind its page shows: countries with shares, participants, sectors, goals,
    modalities, funding, non-monetary contributions, an outcome with an indicator, a source
    with a document, and principle evidence that supports and challenges, confirmed or not."""
    owner = OrganisationFactory(name="Rede Sementes", acronym="RS")
    initiative = InitiativeFactory(
        title="Bancos de sementes crioulas",
        slug="bancos-de-sementes",
        summary="Agricultores trocam sementes.",
        description="Visitas de intercâmbio entre comunidades.",
        language="pt",
        owner=owner,
        provider__country=country("BR"),
        recipient__country=country("MZ"),
        recipient__share=Decimal("60"),
        cooperation_type=Initiative.CooperationType.TRIANGULAR,
        planned_start=datetime.date(2013, 2, 1),
        actual_start=datetime.date(2013, 6, 1),
        actual_end=datetime.date(2016, 12, 31),
        is_post_disaster=True,
        provider_government_involvement="co_implementing",
        recipient_government_involvement="consulted",
        coordinates_with_other_donors=True,
        coordination_note="Reuniões trimestrais com a FAO.",
        published_at=timezone.now(),
        reviewed_at=datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC),
    )
    rows = Rows(initiative)
    rows.country("ZA", share=Decimal("40"))
    initiative.lessons.create(text="A confiança leva tempo.", for_civil_society=True)
    partner = OrganisationFactory(name="União Nacional de Camponeses", actor_type="social_movement")
    rows.participant(partner, role=Participation.Role.PARTNER)
    funder = OrganisationFactory(name="Agência Brasileira de Cooperação")
    initiative.sectors.add("31120")
    initiative.sdg_goals.add(SustainableDevelopmentGoal.objects.get(number=2))
    rows.modalities("exchange-visits")
    rows.funding(
        "provider-government",
        funder=funder,
        amount=Decimal("300000"),
        currency="BRL",
        year_start=2013,
        year_end=2016,
    )
    rows.funding("beneficiary-resources", amount=Decimal("100000"), currency="BRL")
    rows.non_monetary("exchange_visits", 6, year=2014)
    outcome = rows.outcome("Casas de sementes abertas", narrative="Doze casas.")
    Indicator.objects.create(
        outcome=outcome,
        name="Casas de sementes",
        unit="casas",
        baseline=0,
        baseline_year=2013,
        target=10,
        target_year=2016,
        actual=12,
        actual_year=2016,
    )
    source = rows.source(
        citation="IDS policy briefing, 2015", year=2015, document_type="case_study"
    )
    source.document.save("briefing.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    rows.evidence(
        "ownership",
        strength=PrincipleEvidence.Strength.DOCUMENTED,
        source=source,
        narrative="As comunidades escolheram as sementes.",
        quote="Nós decidimos.",
        confirmation="confirmed",
        confirmed_by_organisation=partner,
        confirmed_at=datetime.datetime(2024, 1, 10, tzinfo=datetime.UTC),
    )
    rows.evidence(
        "ownership",
        stance=PrincipleEvidence.Stance.CHALLENGES,
        narrative="O governo de Moçambique pouco participou.",
    )
    rows.evidence("results", narrative="Doze casas de sementes funcionam.")
    return initiative


def learning_around(initiative: Initiative) -> tuple[User, Practice, Listing]:
    """What the learning pages show around ``initiative_with_every_row()``: a practice it
    used (translated into Spanish) with a lesson about it, its owner's open offer and its
    partner's request that answers it, a message from the partner, and the partner's editor,
    who confirms evidence. Returns the partner's editor, the practice and the offer."""
    partner = initiative.participations.get(role=Participation.Role.PARTNER).actor
    practice = PracticeFactory(
        name="Community seed banks", slug="community-seed-banks", summary="Seeds kept together."
    )
    practice.translations.create(
        language="es", name="Bancos comunitarios de semillas", summary="Semillas guardadas."
    )
    practice.themes.set(Theme.objects.filter(slug="seeds-agroecology"))
    initiative.practice_uses.create(practice=practice, adaptation="Casas de sementes.")
    initiative.lessons.update(practice=practice)
    open_until = timezone.localdate() + datetime.timedelta(days=90)
    offer, request = (
        Listing.objects.create(
            kind=kind,
            organisation=organisation,
            title=title,
            description=description,
            language="pt",
            practice=practice,
            languages=["pt", "es"],
            formats=["exchange_visit"],
            open_until=open_until,
            state=Listing.State.PUBLISHED,
        )
        for kind, organisation, title, description in [
            ("offer", initiative.owner, "Casas de sementes", "Como guardamos sementes."),
            ("request", partner, "Aprender a guardar sementes", "Queremos aprender."),
        ]
    )
    offer.countries.set(["MZ"])
    partner_editor = MembershipFactory(organisation=partner).user
    ContactMessage.objects.create(
        sender=partner_editor,
        sender_organisation=partner,
        recipient_organisation=initiative.owner,
        listing=offer,
        subject="Visita em maio",
        body="Podemos visitar uma casa de sementes?",
        relayed_at=timezone.now(),
        relayed_to=1,
    )
    return partner_editor, practice, offer


def reports_in_each_state(initiative, *, requested_by, brief_requested_by=None) -> list[Report]:
    """Three reports as a requester's list shows them: a data set still queued, a country
    profile that failed, and a finished brief of ``initiative`` with its file."""
    return [
        Report.objects.create(kind="dataset", requested_by=requested_by, fingerprint="a" * 64),
        Report.objects.create(
            kind="country-profile",
            parameters={"country": "MZ"},
            requested_by=requested_by,
            fingerprint="b" * 64,
            state="failed",
            error="The database could not be reached.",
        ),
        Report.objects.create(
            kind="initiative-brief",
            parameters={"initiative": initiative.slug},
            requested_by=brief_requested_by or requested_by,
            fingerprint="c" * 64,
            state="succeeded",
            progress=100,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="brief.pdf"),
            size=15,
            finished_at=timezone.now(),
        ),
    ]


def load_reference_data() -> None:
    """Put back what the migrations load (countries, vocabularies, the Moderators group)
    when an emptied database lacks it."""
    from importlib import import_module

    from django.apps import apps
    from django.core.management import call_command

    if not Country.objects.exists():
        call_command("load_reference_data", stdout=StringIO())
        import_module("accounts.migrations.0002_squashed_0004_api_tokens").create_group(apps, None)
        import_module(
            "accounts.migrations.0005_squashed_0008_organisations_move_to_their_app"
        ).grant(apps, None)
        import_module("learning.migrations.0003_lessons_from_lessons_learned").grant_moderators(
            apps, None
        )


def record_published_version(initiative: Initiative, **changes) -> PublishedVersion:
    """Save ``initiative`` (published), after ``changes`` to its fields, as one revision of its
    history: its next published version, as an edit through the services makes it."""
    import reversion

    from initiatives.services import initiative_version_published

    for name, value in changes.items():
        setattr(initiative, name, value)
    with reversion.create_revision():
        initiative.save()
        initiative_version_published(initiative=initiative)
    return initiative.published_versions.order_by("-number").first()


def withdraw(initiative: Initiative) -> Initiative:
    """Archive ``initiative`` (withdrawn now), its published versions kept."""
    Initiative.objects.filter(pk=initiative.pk).update(
        state=Initiative.State.ARCHIVED, archived_at=timezone.now()
    )
    initiative.refresh_from_db()
    return initiative


def withdrawn_initiative(**fields) -> Initiative:
    """An initiative published once (version 1), then withdrawn."""
    initiative = InitiativeFactory(**fields)
    record_published_version(initiative)
    return withdraw(initiative)
