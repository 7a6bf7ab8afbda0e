from decimal import Decimal

import pytest

from funding.models import FundingModel
from tests.factories import FundingContributionFactory, InitiativeFactory


def model(slug):
    return FundingModel.objects.get(slug=slug)


@pytest.mark.django_db
def test_mix_follows_amounts_in_one_currency():
    initiative = InitiativeFactory()
    FundingContributionFactory(
        initiative=initiative, funding_model=model("triangular"), amount=300, currency="USD"
    )
    FundingContributionFactory(
        initiative=initiative,
        funding_model=model("beneficiary-resources"),
        amount=100,
        currency="USD",
    )
    mix = initiative.funding_contributions.funding_mix()
    assert [(m.slug, share) for m, share in mix] == [
        ("triangular", Decimal("75.0")),
        ("beneficiary-resources", Decimal("25.0")),
    ]


@pytest.mark.django_db
def test_mix_counts_contributions_when_amounts_are_missing():
    initiative = InitiativeFactory()
    FundingContributionFactory(initiative=initiative, funding_model=model("provider-government"))
    FundingContributionFactory(initiative=initiative, funding_model=model("provider-government"))
    FundingContributionFactory(
        initiative=initiative, funding_model=model("citizen-donations"), amount=5, currency="MXN"
    )
    mix = dict(initiative.funding_contributions.funding_mix())
    assert mix[model("provider-government")] == Decimal("66.7")
    assert mix[model("citizen-donations")] == Decimal("33.3")


@pytest.mark.django_db
def test_no_contributions_no_mix():
    assert InitiativeFactory().funding_contributions.funding_mix() == []
