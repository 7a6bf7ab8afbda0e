"""Every database constraint of the domain model rejects the row it is meant to reject."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import ApiToken, Invitation, Membership
from funding.models import FundingModel
from initiatives.models import (
    Indicator,
    InitiativeCountry,
    InitiativeSector,
    InitiativeTranslation,
    NonMonetaryContribution,
    Outcome,
    OutcomeTranslation,
    Participation,
    PublishedVersion,
)
from organisations.models import NetworkMembership, Organisation
from principles.models import Principle, PrincipleEvidence, PrincipleSet
from reference.models import (
    CivicSpaceRating,
    Country,
    DialogueMechanism,
    Modality,
    Sector,
    SustainableDevelopmentGoal,
)
from tests.factories import (
    FundingContributionFactory,
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
    UserFactory,
    country,
    record_published_version,
)

PROJECT_APPS = ["reference", "organisations", "accounts", "initiatives", "funding", "principles"]


def brazil():
    return country("BR")


def evidence(**overrides):
    initiative = InitiativeFactory()
    fields = {
        "initiative": initiative,
        "principle": Principle.objects.get(slug="results"),
        "narrative": "Farmers kept records of yields.",
        "recorded_by_organisation": initiative.owner,
        **overrides,
    }
    return PrincipleEvidence.objects.create(**fields)


def duplicate_membership():
    membership = MembershipFactory()
    Membership.objects.create(user=membership.user, organisation=membership.organisation)


def duplicate_evidence_without_source():
    first = PrincipleEvidenceFactory()
    PrincipleEvidence.objects.create(
        initiative=first.initiative,
        principle=first.principle,
        narrative="Same principle again, no source.",
        recorded_by_organisation=first.recorded_by_organisation,
    )


def duplicate_initiative_country():
    initiative = InitiativeFactory()
    for _ in range(2):
        InitiativeCountry.objects.create(initiative=initiative, country=brazil(), role="provider")


def duplicate_participation():
    initiative, actor = InitiativeFactory(), OrganisationFactory()
    for _ in range(2):
        Participation.objects.create(initiative=initiative, actor=actor, role="lead")


def network_membership(**kwargs):
    return NetworkMembership.objects.create(**kwargs)


def self_membership():
    actor = OrganisationFactory(actor_type="network")
    network_membership(member=actor, network=actor)


def duplicate_network_membership():
    member, network = OrganisationFactory(), OrganisationFactory(actor_type="network")
    for _ in range(2):
        network_membership(member=member, network=network)


def indicator(**kwargs):
    outcome = Outcome.objects.create(initiative=InitiativeFactory(), title="Seed banks running")
    return Indicator.objects.create(outcome=outcome, name="Seed banks", **kwargs)


def contribution(**kwargs):
    return FundingContributionFactory(**kwargs)


def confirmed_by_self():
    initiative = InitiativeFactory()
    evidence(
        initiative=initiative,
        recorded_by_organisation=initiative.owner,
        confirmation="confirmed",
        confirmed_by_organisation=initiative.owner,
        confirmed_at=timezone.now(),
    )


def published_version(number: int = 1):
    """A second published version of an initiative, numbered ``number`` (its first is 1)."""
    first = record_published_version(InitiativeFactory())
    return PublishedVersion.objects.create(
        initiative=first.initiative,
        number=number,
        revision=first.revision,
        published_at=first.published_at,
    )


CASES = {
    "membership_unique_user_organisation": duplicate_membership,
    "user_email_unique_ignoring_case": lambda: [
        UserFactory(email="ana@example.org"),
        UserFactory(email="Ana@Example.org"),
    ],
    "api_token_name_not_empty": lambda: ApiToken.objects.create(
        user=UserFactory(), name="", prefix="abc", secret_hash="0" * 64
    ),
    "membership_role_valid": lambda: MembershipFactory(role="owner"),
    "invitation_one_open_per_address_and_organisation": lambda: InvitationFactory(
        email="ANA@example.org",
        organisation=InvitationFactory(email="ana@example.org").organisation,
    ),
    "invitation_role_valid": lambda: InvitationFactory(role="owner"),
    "invitation_state_valid": lambda: InvitationFactory(state="forgotten"),
    "country_income_group_has_fiscal_year": lambda: Country.objects.filter(code="BR").update(
        income_group_fiscal_year=None
    ),
    "country_income_group_valid": lambda: Country.objects.filter(code="BR").update(
        income_group="rich"
    ),
    "civic_space_rating_unique_per_year": lambda: [
        CivicSpaceRating.objects.create(
            country=brazil(), year=2020, source="civicus_monitor", rating="obstructed"
        )
        for _ in range(2)
    ],
    "civic_space_rating_has_rating_or_score": lambda: CivicSpaceRating.objects.create(
        country=brazil(), year=2020, source="other"
    ),
    "civic_space_rating_score_0_100": lambda: CivicSpaceRating.objects.create(
        country=brazil(), year=2020, source="other", score=Decimal("101")
    ),
    "civic_space_rating_year_range": lambda: CivicSpaceRating.objects.create(
        country=brazil(), year=1850, source="other", rating="open"
    ),
    "dialogue_mechanism_unique_name": lambda: [
        DialogueMechanism.objects.create(country=brazil(), name="Council", kind="national")
        for _ in range(2)
    ],
    "dialogue_mechanism_year_range": lambda: DialogueMechanism.objects.create(
        country=brazil(), name="Council", kind="national", year_started=1200
    ),
    "sector_code_five_digits": lambda: Sector.objects.create(
        code="311", name="Agriculture", category_code="311", category_name="Agriculture"
    ),
    "sdg_number_1_17": lambda: SustainableDevelopmentGoal.objects.create(number=18, name="No"),
    "actor_type_valid": lambda: OrganisationFactory(actor_type="club"),
    "actor_unique_iati_identifier": lambda: OrganisationFactory.create_batch(
        2, iati_identifier="BR-1"
    ),
    "actor_name_not_empty": lambda: OrganisationFactory(name=""),
    "network_membership_unique": duplicate_network_membership,
    "network_membership_not_self": self_membership,
    "initiative_title_not_empty": lambda: InitiativeFactory(title=""),
    "initiative_slug_not_empty": lambda: InitiativeFactory(slug=""),
    "initiative_state_valid": lambda: InitiativeFactory(state="deleted"),
    "initiative_cooperation_type_valid": lambda: InitiativeFactory(cooperation_type="northern"),
    "initiative_version_positive": lambda: InitiativeFactory(version=0),
    "initiative_planned_end_after_start": lambda: InitiativeFactory(
        planned_start=datetime.date(2015, 1, 1), planned_end=datetime.date(2014, 1, 1)
    ),
    "initiative_actual_end_after_start": lambda: InitiativeFactory(
        actual_start=datetime.date(2015, 1, 1), actual_end=datetime.date(2014, 12, 31)
    ),
    "initiative_end_year_after_start_year": lambda: InitiativeFactory(
        start_year=2012, end_year=2011
    ),
    "initiative_start_year_range": lambda: InitiativeFactory(start_year=1066),
    "initiative_end_year_range": lambda: InitiativeFactory(end_year=2300),
    "initiative_country_unique_role": duplicate_initiative_country,
    "initiative_country_role_valid": lambda: InitiativeCountry.objects.create(
        initiative=InitiativeFactory(), country=brazil(), role="observer"
    ),
    "initiative_country_share_0_100": lambda: InitiativeCountry.objects.create(
        initiative=InitiativeFactory(), country=brazil(), role="recipient", share=Decimal("120")
    ),
    "published_version_number_unique": lambda: published_version(number=1),
    "published_version_number_positive": lambda: published_version(number=0),
    "initiative_sector_share_0_100": lambda: InitiativeSector.objects.create(
        initiative=InitiativeFactory(), sector_id="15150", share=Decimal("120")
    ),
    "participation_unique_role": duplicate_participation,
    "participation_role_valid": lambda: Participation.objects.create(
        initiative=InitiativeFactory(), actor=OrganisationFactory(), role="sponsor"
    ),
    "non_monetary_quantity_positive": lambda: NonMonetaryContribution.objects.create(
        initiative=InitiativeFactory(), kind="person_days", quantity=0
    ),
    "non_monetary_other_has_unit": lambda: NonMonetaryContribution.objects.create(
        initiative=InitiativeFactory(), kind="other", quantity=3
    ),
    "outcome_title_not_empty": lambda: Outcome.objects.create(
        initiative=InitiativeFactory(), title=""
    ),
    "indicator_name_not_empty": lambda: Indicator.objects.create(
        outcome=Outcome.objects.create(initiative=InitiativeFactory(), title="x"), name=""
    ),
    "indicator_target_year_after_baseline": lambda: indicator(baseline_year=2015, target_year=2012),
    "indicator_actual_year_after_baseline": lambda: indicator(baseline_year=2015, actual_year=2014),
    "source_citation_not_empty": lambda: SourceFactory(citation=""),
    "source_year_range": lambda: SourceFactory(year=3000),
    "funding_amount_not_negative": lambda: contribution(amount=Decimal("-1"), currency="BRL"),
    "funding_amount_has_currency": lambda: contribution(amount=Decimal("1000")),
    "funding_years_in_order": lambda: contribution(year_start=2016, year_end=2014),
    "funding_year_range": lambda: contribution(year_start=1700),
    "principle_unique_slug_in_set": lambda: Principle.objects.create(
        principle_set=PrincipleSet.objects.get(slug="busan"), slug="results", name="Again"
    ),
    "evidence_unique_per_source": duplicate_evidence_without_source,
    "evidence_stance_valid": lambda: evidence(stance="neutral"),
    "evidence_strength_valid": lambda: evidence(strength=0),
    "evidence_narrative_not_empty": lambda: evidence(narrative=""),
    "evidence_confirmed_by_another_organisation": confirmed_by_self,
    "evidence_confirmation_has_organisation_and_date": lambda: evidence(
        confirmation="confirmed", confirmed_by_organisation=OrganisationFactory()
    ),
    "evidence_dispute_has_note": lambda: evidence(
        confirmation="disputed",
        confirmed_by_organisation=OrganisationFactory(),
        confirmed_at=timezone.now(),
        confirmation_note="  ",
    ),
    "evidence_documented_needs_source": lambda: evidence(strength=2),
    "initiative_translation_unique_language": lambda: [
        InitiativeTranslation.objects.create(
            initiative=initiative, language="es", title="Semillas", summary="Uno."
        )
        for initiative in [InitiativeFactory()] * 2
    ],
    "initiative_translation_title_not_empty": lambda: InitiativeTranslation.objects.create(
        initiative=InitiativeFactory(), language="es", title="", summary="Uno."
    ),
    "initiative_translation_language_valid": lambda: InitiativeTranslation.objects.create(
        initiative=InitiativeFactory(), language="de", title="Saatgut", summary="Eins."
    ),
    "outcome_translation_unique_language": lambda: [
        OutcomeTranslation.objects.create(outcome=outcome, language="fr", title="Banques")
        for outcome in [Outcome.objects.create(initiative=InitiativeFactory(), title="x")] * 2
    ],
    "outcome_translation_title_not_empty": lambda: OutcomeTranslation.objects.create(
        outcome=Outcome.objects.create(initiative=InitiativeFactory(), title="x"),
        language="fr",
        title="",
    ),
    "outcome_translation_language_valid": lambda: OutcomeTranslation.objects.create(
        outcome=Outcome.objects.create(initiative=InitiativeFactory(), title="x"),
        language="xx",
        title="Banques",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("constraint, make_bad_row", CASES.items(), ids=list(CASES))
def test_constraint_rejects_bad_row(constraint, make_bad_row):
    with pytest.raises(IntegrityError, match=constraint):
        make_bad_row()


FIELD_UNIQUES = [
    ("initiative slug", lambda: InitiativeFactory.create_batch(2, slug="same")),
    ("actor slug", lambda: OrganisationFactory.create_batch(2, slug="same")),
    ("modality slug", lambda: Modality.objects.create(slug="training", name="Training again")),
    (
        "funding model slug",
        lambda: FundingModel.objects.create(
            slug="triangular",
            name="Other triangular",
            iati_flow_type=10,
            iati_finance_type=110,
            iati_collaboration_type=8,
        ),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("what, make_duplicate", FIELD_UNIQUES, ids=[c[0] for c in FIELD_UNIQUES])
def test_unique_fields_reject_duplicates(what, make_duplicate):
    with pytest.raises(IntegrityError, match="duplicate key"):
        make_duplicate()


@pytest.mark.django_db
def test_a_second_evidence_row_with_another_source_is_allowed():
    first = PrincipleEvidenceFactory(source=SourceFactory(), strength=2)
    second = PrincipleEvidence.objects.create(
        initiative=first.initiative,
        principle=first.principle,
        narrative="An evaluation found the same.",
        recorded_by_organisation=first.recorded_by_organisation,
        source=SourceFactory(initiative=first.initiative),
        strength=3,
    )
    assert first.initiative.principle_evidence.count() == 2
    assert second.is_co_attested is False


def test_every_constraint_of_the_model_has_a_case():
    declared = {
        constraint.name
        for app_label in PROJECT_APPS
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }
    assert declared == set(CASES)


@pytest.mark.django_db
def test_organisation_types_map_to_iati_organisation_types():
    assert Organisation(actor_type="faith_based").iati_organisation_type == 22
    assert Organisation(actor_type="multilateral").iati_organisation_type == 40
    assert Participation(role="funding").iati_role == 1


@pytest.mark.django_db
def test_an_address_may_be_invited_again_once_its_invitation_was_answered():
    first = InvitationFactory(email="ana@example.org", state=Invitation.State.DECLINED)
    InvitationFactory(email="Ana@example.org", organisation=first.organisation)
    assert first.organisation.invitations.count() == 2
