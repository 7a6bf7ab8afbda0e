"""The IATI mapping: every value the portal records has its IATI code, declared in
``opendata.iati.mapping``, and the activities file takes its codes from there."""

import ast
import io
from pathlib import Path

import pytest
from lxml import etree

from funding.models import FundingContribution, FundingModel
from initiatives.models import Initiative, Participation, Source
from opendata.iati import mapping
from opendata.iati.activities import write_activities
from organisations.models import OrganisationType
from reference.data import codelist_items
from reference.iati import CollaborationType, OrganisationRole
from reference.iati import OrganisationType as IatiOrganisationType
from tests.factories import InitiativeFactory, SourceFactory

ROOT = Path(__file__).resolve().parents[2]
# The apps below opendata: none of them may import it.
LOWER_APPS = ["reference", "organisations", "accounts", "funding", "principles", "initiatives"]


def codes(codelist: str) -> set[str]:
    return {item["code"] for item in codelist_items(codelist, active_only=False)}


def test_source_document_types_map_to_iati_document_categories():
    assert mapping.document_category(Source.DocumentType.EVALUATION) == "A07"
    assert mapping.document_category("annual_report") == "B01"
    assert set(mapping.DOCUMENT_CATEGORY) == set(Source.DocumentType.values)
    assert set(mapping.DOCUMENT_CATEGORY.values()) <= codes("iati_document_category")


def test_every_organisation_type_and_participation_role_has_an_iati_code():
    for actor_type in OrganisationType.values:
        assert mapping.organisation_type(actor_type) in IatiOrganisationType
    for role in Participation.Role.values:
        assert mapping.participation_role(role) in OrganisationRole
    assert mapping.organisation_type("faith_based") == 22
    assert mapping.participation_role("funding") == 1


def test_collaboration_type_follows_the_cooperation_type_alone():
    triangular = Initiative.CooperationType.TRIANGULAR
    assert mapping.collaboration_type(triangular) == CollaborationType.TRIANGULAR
    assert mapping.collaboration_type("bilateral") == CollaborationType.BILATERAL
    assert mapping.collaboration_type("regional") == CollaborationType.BILATERAL


@pytest.mark.django_db
def test_flow_and_finance_types_are_shared_only_when_every_funding_model_agrees():
    own_funds = FundingModel.objects.get(slug="citizen-donations")
    triangular = FundingModel.objects.get(slug="triangular")
    assert mapping.flow_and_finance_types(own_funds) == (30, 110)
    same = [FundingContribution(funding_model=own_funds)] * 2
    assert mapping.shared_flow_and_finance(same) == (30, 110)
    mixed = [*same, FundingContribution(funding_model=triangular)]
    assert mapping.shared_flow_and_finance(mixed) is None
    assert mapping.shared_flow_and_finance([]) is None


def test_the_reporting_organisation_is_configuration(settings):
    settings.IATI_REPORTING_ORG_REF = "XI-IATI-TEST"
    settings.IATI_REPORTING_ORG_TYPE = 21
    settings.IATI_REPORTING_ORG_NAME = "Test portal"
    assert mapping.reporting_org() == mapping.ReportingOrg("XI-IATI-TEST", "21", "Test portal")


@pytest.mark.django_db
def test_the_activities_file_takes_its_codes_from_the_mapping(monkeypatch):
    source = SourceFactory(
        initiative=InitiativeFactory(start_year=2015),
        document_type=Source.DocumentType.EVALUATION,
        url="https://example.org/evaluation",
    )
    monkeypatch.setitem(mapping.DOCUMENT_CATEGORY, Source.DocumentType.EVALUATION, "A01")
    out = io.BytesIO()
    write_activities(Initiative.objects.filter(pk=source.initiative_id), out)
    categories = etree.fromstring(out.getvalue()).xpath("//document-link/category/@code")
    assert categories == ["A01"]


def test_no_app_below_opendata_imports_it():
    importers = []
    for app in LOWER_APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(name.split(".")[0] == "opendata" for name in names):
                    importers.append(str(path.relative_to(ROOT)))
    assert importers == []
