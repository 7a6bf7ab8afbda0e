"""The reference tables the migrations load, and their agreement with the carried codelists."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_countries import countries

from funding.models import FundingModel
from learning.models import Theme
from principles.models import Principle
from reference import iati
from reference.data import load
from reference.models import Country, Modality, Sector, SustainableDevelopmentGoal


@pytest.mark.parametrize(
    "enum, codelist",
    [
        (iati.ActivityStatus, "iati_activity_status"),
        (iati.OrganisationRole, "iati_organisation_role"),
        (iati.OrganisationType, "iati_organisation_type"),
        (iati.CollaborationType, "iati_collaboration_type"),
        (iati.FlowType, "iati_flow_type"),
        (iati.FinanceType, "iati_finance_type"),
        (iati.ResultType, "iati_result_type"),
    ],
)
def test_iati_enums_match_the_codelists(enum, codelist):
    names = {item["code"]: item["name"]["en"] for item in load(codelist)["items"]}
    for member in enum:
        assert names[str(member.value)] == str(member.label)


@pytest.mark.django_db
def test_every_iso_country_is_loaded_with_its_income_group():
    assert Country.objects.count() == len(countries)
    brazil, mozambique, india = (Country.objects.get(code=code) for code in ("BR", "MZ", "IN"))
    assert (brazil.income_group, brazil.income_group_fiscal_year) == ("upper_middle", 2025)
    assert mozambique.income_group == Country.IncomeGroup.LOW
    assert india.income_group == Country.IncomeGroup.LOWER_MIDDLE
    assert india.region == "South Asia"
    assert str(mozambique) == "Mozambique"


@pytest.mark.django_db
def test_vocabularies_are_seeded():
    assert Sector.objects.get(code="31120").category_code == "311"
    assert Sector.objects.get(code="31120").translated_names["es"]
    assert SustainableDevelopmentGoal.objects.count() == 17
    assert list(Modality.objects.values_list("slug", flat=True)) == [
        "peer-dialogue",
        "exchange-visits",
        "training",
        "tools-and-methods",
        "mentoring",
    ]
    assert FundingModel.objects.get(slug="triangular").iati_collaboration_type == 8
    assert list(
        Principle.objects.filter(principle_set__slug="busan").values_list("short_name", flat=True)
    ) == ["Ownership", "Results", "Inclusive partnerships", "Transparency"]


@pytest.mark.django_db
def test_reloading_reference_data_changes_no_counts():
    models = [
        Country,
        Sector,
        SustainableDevelopmentGoal,
        Modality,
        FundingModel,
        Principle,
        Theme,
    ]
    before = [model.objects.count() for model in models]
    call_command("load_reference_data", stdout=StringIO())
    assert [model.objects.count() for model in models] == before


@pytest.mark.django_db(transaction=True)
def test_an_emptied_database_gets_its_themes_back():
    """Browser tests empty every table; the reference data they reload includes the themes
    offers, requests and lessons are about."""
    Theme.objects.all().delete()
    call_command("load_reference_data", stdout=StringIO())
    assert Theme.objects.get(slug="seeds-agroecology").name == "Seeds and agroecology"
    assert Theme.objects.count() == 12
