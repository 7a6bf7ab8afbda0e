"""The IATI 2.03 activities file: valid against the standard and faithful to the records."""

import io
import random
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from funding.models import FundingModel
from initiatives.models import Indicator, Initiative, Participation, Source
from opendata.iati.activities import recorded_percentages
from organisations.models import OrganisationType
from principles.models import PrincipleEvidence
from reference.iati import ActivityStatus, OrganisationRole, ResultType
from reference.iati import OrganisationType as IatiOrganisationType
from reference.models import Modality, Sector, SustainableDevelopmentGoal
from reports.builders import iati
from reports.builders.iati import PORTAL_NS, validate_iati, write_iati
from tests.factories import InitiativeFactory, OrganisationFactory, Rows, country

D = Decimal
SSDC = {"ssdc": PORTAL_NS}
SITE = "https://ssdc.example.org"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(autouse=True)
def _portal_settings(settings):
    settings.IATI_REPORTING_ORG_REF = "XI-IATI-SSDC"
    settings.IATI_REPORTING_ORG_TYPE = 90
    settings.IATI_REPORTING_ORG_NAME = "SSDC Portal"
    settings.SITE_URL = SITE + "/"


# What an activity needs to be written at all: a start (here a year).
STARTED_2015 = {"start_year": 2015}


def funding_model(slug: str) -> FundingModel:
    return FundingModel.objects.get(slug=slug)


def export(initiatives) -> bytes:
    out = io.BytesIO()
    write_iati(initiatives, out)
    return out.getvalue()


def activities(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {activity.findtext("iati-identifier"): activity for activity in root}


def identifier(initiative: Initiative) -> str:
    return f"XI-IATI-SSDC-{initiative.slug}"


def narrative(element: etree._Element, path: str) -> str | None:
    return element.findtext(f"{path}/narrative")


def percentages(activity: etree._Element, tag: str) -> dict[str, Decimal]:
    return {e.get("code"): D(e.get("percentage")) for e in activity.iterchildren(tag)}


@pytest.fixture
def rich(db):
    """A published initiative with every kind of row the export uses."""
    owner = OrganisationFactory(name="Rede Sementes", iati_identifier="BR-CNPJ-12345678000190")
    initiative = InitiativeFactory(
        title="Community seed banks",
        slug="seed-banks",
        summary="Farmers' groups share how they run seed banks.",
        description="Exchange visits between Brazilian and Mozambican farmers' groups.",
        language="pt",
        owner=owner,
        activity_status=ActivityStatus.IMPLEMENTATION,
        planned_start=date(2019, 3, 1),
        actual_start=date(2019, 4, 1),
        planned_end=date(2022, 12, 31),
    )
    # The factory's recipient (Mozambique) has no share; Angola has one, Guinea-Bissau not.
    rows = Rows(initiative)
    rows.country("AO", share=D("60.00"))
    rows.country("GW")
    initiative.sectors.set(Sector.objects.filter(code__in=["31166", "15150"]))
    initiative.sdg_goals.set(SustainableDevelopmentGoal.objects.filter(number__in=[2, 5]))
    rows.modalities("training", "exchange-visits")

    partner = OrganisationFactory(
        name="União Camponesa",
        actor_type=OrganisationType.COMMUNITY_BASED,
        home_country=country("MZ"),
    )
    rows.participant(partner, role=Participation.Role.PARTNER)
    foundation = OrganisationFactory(name="Fundo Solidário", actor_type=OrganisationType.FOUNDATION)
    rows.participant(foundation, role=Participation.Role.FUNDING)
    agency = OrganisationFactory(
        name="Agency for Cooperation",
        actor_type=OrganisationType.MULTILATERAL,
        iati_identifier="XM-DAC-41114",
        home_country=None,
    )
    # Created first, but its funding model comes second by position.
    rows.funding(
        "provider-government", funder=agency, amount=D("5000.00"), currency="USD", year_start=2020
    )
    rows.funding(
        "citizen-donations",
        funder=foundation,
        amount=D("1200.50"),
        currency="USD",
        date=date(2019, 5, 20),
    )
    rows.funding("mixed-other")

    evaluation = rows.source(
        citation="Mid-term evaluation of the seed-bank exchange",
        url="https://example.org/evaluation",
        document_type=Source.DocumentType.EVALUATION,
        year=2021,
    )
    rows.source(
        citation="Annual report 2020",
        document="sources/2021/01/annual-report.pdf",
        document_type=Source.DocumentType.ANNUAL_REPORT,
        year=2020,
        language="en",
    )
    rows.source(citation="Interview notes", year=None)

    outcome = rows.outcome(
        "More seed varieties kept locally",
        narrative="Groups now keep their own seed.",
        result_type=ResultType.OUTCOME,
    )
    Indicator.objects.create(
        outcome=outcome,
        name="Varieties stored",
        unit="varieties",
        baseline=D(12),
        baseline_year=2019,
        target=D(40),
        target_year=2022,
        actual=D("35.50"),
        actual_year=2022,
    )
    outcome.translations.create(
        language="es", title="Más variedades guardadas en la comunidad", narrative=""
    )
    rows.outcome("Told only in words", position=1)
    initiative.translations.create(
        language="es",
        title="Bancos comunitarios de semillas",
        summary="Los grupos de agricultores comparten cómo gestionan sus bancos de semillas.",
    )

    rows.evidence(
        "ownership",
        quote="We chose the varieties ourselves.",
        confirmation="confirmed",
        confirmed_by_organisation=partner,
        confirmed_at=timezone.now(),
    )
    rows.evidence(
        "results",
        stance=PrincipleEvidence.Stance.CHALLENGES,
        strength=PrincipleEvidence.Strength.DOCUMENTED,
        narrative="Yields were not measured.",
        source=evaluation,
    )
    return initiative


@pytest.fixture
def rich_activity(rich):
    data = export(Initiative.objects.published())
    assert validate_iati(io.BytesIO(data)) == []
    return activities(data)[identifier(rich)]


def test_the_export_of_a_complete_record_is_valid_iati(rich, tmp_path):
    path = tmp_path / "activities.xml"
    with path.open("wb") as out:
        assert write_iati(Initiative.objects.published(), out) == 1
    assert validate_iati(path) == []
    assert validate_iati(str(path)) == []


def test_the_activity_names_the_record_and_the_portal_as_secondary_reporter(rich, rich_activity):
    root = rich_activity.getparent()
    assert root.get("version") == "2.03"
    assert root.nsmap["ssdc"] == PORTAL_NS
    assert rich_activity.findtext("iati-identifier") == "XI-IATI-SSDC-seed-banks"
    assert rich_activity.get(XML_LANG) == "pt"
    assert rich_activity.get("hierarchy") == "1"
    assert rich_activity.get("default-currency") == "USD"
    updated = rich_activity.get("last-updated-datetime")
    assert updated == rich.updated_at.isoformat(timespec="seconds")
    reporting = rich_activity.find("reporting-org")
    assert reporting.attrib == {"ref": "XI-IATI-SSDC", "type": "90", "secondary-reporter": "1"}
    assert narrative(rich_activity, "reporting-org") == "SSDC Portal"
    assert narrative(rich_activity, "title") == "Community seed banks"
    descriptions = {
        d.get("type"): d.findtext("narrative") for d in rich_activity.iter("description")
    }
    assert descriptions["1"] == rich.summary
    assert descriptions["2"] == rich.description


def test_participants_and_funders_are_listed_once_per_role(rich_activity):
    orgs = {
        (o.get("role"), o.get("type"), o.get("ref"), o.findtext("narrative"))
        for o in rich_activity.iter("participating-org")
    }
    funding, accountable, implementing = (
        str(role)
        for role in (
            OrganisationRole.FUNDING,
            OrganisationRole.ACCOUNTABLE,
            OrganisationRole.IMPLEMENTING,
        )
    )
    assert orgs == {
        (accountable, "22", "BR-CNPJ-12345678000190", "Rede Sementes"),
        (implementing, "22", None, "União Camponesa"),
        (funding, "60", None, "Fundo Solidário"),  # a participant that also funds: once
        (funding, "40", "XM-DAC-41114", "Agency for Cooperation"),  # a funder only
    }
    assert len(rich_activity.findall("participating-org")) == 4


def test_status_and_dates_follow_the_record(rich_activity):
    assert rich_activity.find("activity-status").get("code") == "2"
    dates = [(d.get("type"), d.get("iso-date")) for d in rich_activity.iter("activity-date")]
    assert dates == [("1", "2019-03-01"), ("2", "2019-04-01"), ("3", "2022-12-31")]


def test_recipients_without_complete_shares_are_written_without_percentages(rich_activity):
    countries = rich_activity.findall("recipient-country")
    assert {c.get("code") for c in countries} == {"AO", "MZ", "GW"}
    assert [c.get("percentage") for c in countries] == [None, None, None]


def test_sectors_without_shares_are_written_without_percentages(rich_activity):
    sectors = rich_activity.findall("sector")
    assert {s.get("vocabulary") for s in sectors} == {"1"}
    assert {s.get("code") for s in sectors} == {"15150", "31166"}
    assert [s.get("percentage") for s in sectors] == [None, None]


def test_tags_carry_goals_modalities_and_principles(rich_activity):
    tags = rich_activity.findall("tag")
    assert {t.get("code") for t in tags if t.get("vocabulary") == "2"} == {"2", "5"}
    modalities = [t for t in tags if t.get("vocabulary-uri", "").endswith("/modalities/")]
    assert {t.get("code") for t in modalities} == {"training", "exchange-visits"}
    assert {t.get("vocabulary") for t in modalities} == {"99"}
    assert modalities[0].get("vocabulary-uri") == f"{SITE}/vocabularies/modalities/"
    names = dict(Modality.objects.values_list("slug", "name"))
    for tag in modalities:
        assert tag.findtext("narrative") == names[tag.get("code")]
        assert tag.find("narrative").get(XML_LANG) == "en"  # the activity itself is in pt
    principles = [t for t in tags if t.get("vocabulary-uri") == f"{SITE}/principles/"]
    assert {t.get("code") for t in principles} == {"ownership", "results"}


def test_funding_models_that_differ_give_no_default_types(rich_activity):
    # Bilateral cooperation: Bilateral, whatever the funding models say.
    assert rich_activity.find("collaboration-type").get("code") == "1"
    assert rich_activity.find("default-flow-type") is None
    assert rich_activity.find("default-finance-type") is None
    (transaction,) = rich_activity.iter("transaction")
    donations = funding_model("citizen-donations")
    assert transaction.find("flow-type").get("code") == str(donations.iati_flow_type)
    assert transaction.find("finance-type").get("code") == str(donations.iati_finance_type)


def test_an_amount_with_years_only_is_a_planned_disbursement_over_those_years(rich_activity):
    (planned,) = rich_activity.iter("planned-disbursement")
    assert planned.get("type") == "1"
    assert planned.find("period-start").get("iso-date") == "2020-01-01"
    assert planned.find("period-end").get("iso-date") == "2020-12-31"
    assert (D(planned.findtext("value")), planned.find("value").get("currency")) == (
        D(5000),
        "USD",
    )
    assert planned.find("provider-org").get("ref") == "XM-DAC-41114"
    assert narrative(planned, "receiver-org") == "Rede Sementes"


def test_contributions_with_an_amount_and_a_date_become_incoming_commitments(rich_activity):
    transactions = {
        t.findtext("provider-org/narrative"): (
            t.find("transaction-type").get("code"),
            t.find("transaction-date").get("iso-date"),
            D(t.findtext("value")),
            t.find("value").get("currency"),
            t.find("value").get("value-date"),
            t.find("provider-org").get("ref"),
            t.findtext("receiver-org/narrative"),
            t.find("receiver-org").get("ref"),
        )
        for t in rich_activity.iter("transaction")
    }
    # The agency's contribution has only its year: no transaction for it.
    assert transactions == {
        "Fundo Solidário": (
            "11",
            "2019-05-20",
            D("1200.5"),
            "USD",
            "2019-05-20",
            None,
            "Rede Sementes",
            "BR-CNPJ-12345678000190",
        ),
    }


def test_sources_with_a_link_or_a_file_become_document_links(rich, rich_activity):
    links = {narrative(link, "title"): link for link in rich_activity.findall("document-link")}
    assert set(links) == {"Mid-term evaluation of the seed-bank exchange", "Annual report 2020"}
    page = links["Mid-term evaluation of the seed-bank exchange"]
    assert page.get("url") == "https://example.org/evaluation"
    assert page.get("format") == "text/html"
    assert page.find("category").get("code") == "A07"
    assert page.find("document-date").get("iso-date") == "2021-01-01"
    upload = links["Annual report 2020"]
    report = rich.sources.get(citation="Annual report 2020")
    assert upload.get("url") == SITE + reverse("source-document", args=[report.pk])
    assert upload.get("format") == "application/pdf"
    assert upload.find("category").get("code") == "B01"
    assert upload.find("language").get("code") == "en"
    assert upload.find("title/narrative").get(XML_LANG) == "en"


def test_every_outcome_becomes_a_result(rich_activity):
    results = rich_activity.findall("result")
    assert len(results) == 2
    result, told_in_words = results
    assert narrative(told_in_words, "title") == "Told only in words"
    (qualitative,) = told_in_words.findall("indicator")
    assert qualitative.get("measure") == "5"
    assert narrative(qualitative, "title") == "Told only in words"
    assert qualitative.find("period") is None and qualitative.find("baseline") is None
    assert result.get("type") == str(ResultType.OUTCOME)
    assert result.get("aggregation-status") == "0"
    assert narrative(result, "title") == "More seed varieties kept locally"
    assert narrative(result, "description") == "Groups now keep their own seed."
    indicator = result.find("indicator")
    assert indicator.get("measure") == "1"
    assert narrative(indicator, "title") == "Varieties stored (varieties)"
    assert indicator.find("baseline").attrib == {"year": "2019", "value": "12"}
    period = indicator.find("period")
    assert period.find("period-start").get("iso-date") == "2022-01-01"
    assert period.find("period-end").get("iso-date") == "2022-12-31"
    assert period.find("target").get("value") == "40"
    assert period.find("actual").get("value") == "35.5"


def narratives(element: etree._Element, path: str) -> list[tuple[str | None, str]]:
    return [(n.get(XML_LANG), n.text) for n in element.findall(f"{path}/narrative")]


def test_translations_are_narratives_in_their_language(rich_activity):
    assert narratives(rich_activity, "title") == [
        (None, "Community seed banks"),
        ("es", "Bancos comunitarios de semillas"),
    ]
    summary, general = rich_activity.findall("description")
    assert [language for language, _text in narratives(summary, ".")] == [None, "es"]
    assert narratives(general, ".") == [
        (None, "Exchange visits between Brazilian and Mozambican farmers' groups.")
    ]  # the translation has no description
    result = rich_activity.find("result")
    assert narratives(result, "title")[1] == ("es", "Más variedades guardadas en la comunidad")
    assert len(narratives(result, "description")) == 1


def test_the_portal_extension_comes_last_in_its_own_namespace(rich, rich_activity):
    extension = [child for child in rich_activity if child.tag.startswith(f"{{{PORTAL_NS}}}")]
    assert list(rich_activity)[-len(extension) :] == extension
    assert {child.prefix for child in extension} == {"ssdc"}
    assert rich_activity.find("ssdc:cooperation-type", SSDC).get("code") == "bilateral"
    modalities = {m.get("code") for m in rich_activity.findall("ssdc:modality", SSDC)}
    assert modalities == {"training", "exchange-visits"}
    evidence = {
        e.get("principle"): e for e in rich_activity.findall("ssdc:principle-evidence", SSDC)
    }
    ownership, results = evidence["ownership"], evidence["results"]
    partner = rich.participations.get(role=Participation.Role.PARTNER).actor
    assert ownership.attrib == {
        "principle": "ownership",
        "principle-set": "busan",
        "stance": "supports",
        "strength": "1",
        "recorded-by": rich.owner.slug,
        "confirmed-by": partner.slug,
    }
    assert ownership.findtext("ssdc:narrative", namespaces=SSDC) == (
        "Community groups chose which practices to adopt."
    )
    assert ownership.findtext("ssdc:quote", namespaces=SSDC) == "We chose the varieties ourselves."
    assert results.get("stance") == "challenges"
    assert results.get("strength") == "2"
    assert "confirmed-by" not in results.attrib
    assert results.find("ssdc:quote", SSDC) is None


@pytest.mark.django_db
def test_triangular_cooperation_is_collaboration_type_8():
    initiative = InitiativeFactory(
        cooperation_type=Initiative.CooperationType.TRIANGULAR, **STARTED_2015
    )
    Rows(initiative).funding()  # citizen donations: type 6 by default
    data = export(Initiative.objects.all())
    assert validate_iati(io.BytesIO(data)) == []
    activity = activities(data)[identifier(initiative)]
    assert activity.find("collaboration-type").get("code") == "8"
    assert activity.find("ssdc:cooperation-type", SSDC).get("code") == "triangular"


@pytest.mark.django_db
def test_a_bare_record_with_a_start_year_is_still_valid_with_defaults():
    initiative = InitiativeFactory(activity_status=ActivityStatus.PIPELINE, start_year=2030)
    initiative.participations.all().delete()
    data = export(Initiative.objects.all())
    assert validate_iati(io.BytesIO(data)) == []
    activity = activities(data)[identifier(initiative)]
    org = activity.find("participating-org")
    assert (org.get("role"), org.findtext("narrative")) == ("2", initiative.owner.name)
    assert org.get("type") == str(IatiOrganisationType.NATIONAL_NGO)
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("1", "2030-01-01")]
    assert activity.find("collaboration-type").get("code") == "1"
    assert activity.find("default-flow-type") is None
    assert activity.find("transaction") is None
    assert activity.get("default-currency") is None
    assert [d.get("type") for d in activity.iter("description")] == ["1"]
    # One recipient without a share takes the whole activity.
    assert percentages(activity, "recipient-country") == {"MZ": D(100)}
    assert activity.find("sector") is None
    assert activity.find("ssdc:principle-evidence", SSDC) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ActivityStatus.CLOSED, [("2", "2015-01-01"), ("4", "2018-12-31")]),
        (ActivityStatus.IMPLEMENTATION, [("2", "2015-01-01"), ("3", "2018-12-31")]),
        (ActivityStatus.PIPELINE, [("1", "2015-01-01"), ("3", "2018-12-31")]),
    ],
)
def test_years_alone_span_whole_years_actual_or_planned_by_status(status, expected):
    initiative = InitiativeFactory(activity_status=status, start_year=2015, end_year=2018)
    activity = activities(export(Initiative.objects.all()))[identifier(initiative)]
    assert [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")] == expected


@pytest.mark.django_db
def test_an_end_year_never_ends_before_an_exact_start_in_that_year():
    initiative = InitiativeFactory(
        activity_status=ActivityStatus.CLOSED, actual_start=date(2018, 6, 1), end_year=2018
    )
    activity = activities(export(Initiative.objects.all()))[identifier(initiative)]
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("2", "2018-06-01"), ("4", "2018-12-31")]


@pytest.mark.django_db
def test_a_start_year_still_to_come_is_never_an_actual_date():
    year = timezone.localdate().year + 2
    initiative = InitiativeFactory(activity_status=ActivityStatus.IMPLEMENTATION, start_year=year)
    activity = activities(export(Initiative.objects.all()))[identifier(initiative)]
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("1", f"{year}-01-01")]


@pytest.mark.django_db
def test_a_link_to_a_file_gets_the_file_s_media_type():
    initiative = InitiativeFactory(**STARTED_2015)
    Rows(initiative).source(url="https://example.org/files/Report.PDF?download=1")
    activity = activities(export(Initiative.objects.all()))[identifier(initiative)]
    assert activity.find("document-link").get("format") == "application/pdf"


@pytest.mark.django_db
def test_characters_xml_cannot_carry_are_dropped_from_text():
    initiative = InitiativeFactory(summary="Line one\x0bline two\x1f", **STARTED_2015)
    data = export(Initiative.objects.all())
    assert validate_iati(io.BytesIO(data)) == []
    activity = activities(data)[identifier(initiative)]
    assert narrative(activity, "description") == "Line oneline two"


@pytest.mark.django_db
def test_only_the_records_given_are_written():
    published = InitiativeFactory(slug="out-in-the-open", **STARTED_2015)
    draft = InitiativeFactory(slug="still-a-draft", state=Initiative.State.DRAFT, **STARTED_2015)
    out = io.BytesIO()
    assert write_iati(Initiative.objects.published(), out) == 1
    written = activities(out.getvalue())
    assert set(written) == {identifier(published)}
    assert identifier(draft) not in written
    assert b"still-a-draft" not in out.getvalue()


@pytest.mark.django_db
def test_progress_is_reported_by_chunk(monkeypatch):
    monkeypatch.setattr(iati, "CHUNK_SIZE", 2)
    InitiativeFactory.create_batch(5, **STARTED_2015)
    calls = []
    count = write_iati(Initiative.objects.all(), io.BytesIO(), progress=lambda *a: calls.append(a))
    assert count == 5
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


def make_full(n: int) -> None:
    """``n`` initiatives, each with one row of every related kind."""
    sector = Sector.objects.get(code="15150")
    for _ in range(n):
        initiative = InitiativeFactory(**STARTED_2015)
        initiative.sectors.add(sector)
        initiative.sdg_goals.add(5)
        initiative.modalities.add(Modality.objects.first())
        rows = Rows(initiative)
        rows.participant()
        funder = OrganisationFactory(actor_type=OrganisationType.FOUNDATION)
        rows.funding(funder=funder, amount=10, currency="EUR", year_start=2020)
        source = rows.source(url="https://example.org/a")
        outcome = rows.outcome("Change")
        Indicator.objects.create(outcome=outcome, name="People", target=5, target_year=2020)
        rows.evidence(strength=2, source=source)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_records(count_queries):
    make_full(2)
    small = count_queries(lambda: write_iati(Initiative.objects.all(), io.BytesIO()))
    make_full(18)
    out = io.BytesIO()
    assert count_queries(lambda: write_iati(Initiative.objects.all(), out)) == small
    assert len(activities(out.getvalue())) == 20
    assert validate_iati(io.BytesIO(out.getvalue())) == []


# The validator, on files written by hand


def activity_xml(ref: str, extra_before_dates: str = "", extra_after_dates: str = "") -> str:
    return f"""  <iati-activity>
    <iati-identifier>{ref}</iati-identifier>
    <reporting-org ref="XI-IATI-SSDC" type="90"><narrative>SSDC Portal</narrative></reporting-org>
    <title><narrative>Title</narrative></title>
    <description type="1"><narrative>Summary</narrative></description>
    <participating-org role="2"><narrative>An organisation</narrative></participating-org>
    {extra_before_dates}
    <activity-date type="1" iso-date="2020-01-01"/>
    {extra_after_dates}
  </iati-activity>"""


def document(*activity_texts: str) -> io.BytesIO:
    body = "\n".join(activity_texts)
    text = f'<?xml version="1.0"?>\n<iati-activities version="2.03">\n{body}\n</iati-activities>\n'
    return io.BytesIO(text.encode())


STATUS = '<activity-status code="2"/>'


def line_of(source: io.BytesIO, needle: str, occurrence: int = 1) -> int:
    lines = source.getvalue().decode().splitlines()
    found = [number for number, text in enumerate(lines, 1) if needle in text]
    return found[occurrence - 1]


@pytest.mark.django_db
def test_a_hand_written_valid_file_passes():
    assert validate_iati(document(activity_xml("XX-1", STATUS))) == []


@pytest.mark.django_db
def test_a_missing_required_element_is_reported_with_its_line_and_activity():
    source = document(activity_xml("XX-1", STATUS), activity_xml("XX-2"))
    messages = validate_iati(source)
    assert len(messages) == 1
    expected_line = line_of(source, "<activity-date", occurrence=2)
    assert messages[0].startswith(f"line {expected_line} (activity XX-2): ")
    assert "activity-status" in messages[0]


@pytest.mark.django_db
def test_every_schema_error_is_reported_not_only_the_first():
    source = document(
        activity_xml("XX-1", STATUS + "<bogus/>"),
        activity_xml("XX-2", STATUS),
        activity_xml("XX-3", STATUS, '<activity-date type="1" iso-date="not a date"/>'),
    )
    messages = validate_iati(source)
    assert len(messages) == 2
    assert messages[0].startswith(f"line {line_of(source, '<bogus/>')} (activity XX-1): ")
    assert "bogus" in messages[0]
    assert "(activity XX-3)" in messages[1]
    assert "not a date" in messages[1]


@pytest.mark.django_db
def test_recipient_percentages_must_add_up_to_100():
    countries = (
        '<recipient-country code="MZ" percentage="50"/>'
        '<recipient-country code="AO" percentage="40"/>'
    )
    source = document(activity_xml("XX-1", STATUS), activity_xml("XX-2", STATUS, countries))
    messages = validate_iati(source)
    assert len(messages) == 1
    assert "(activity XX-2)" in messages[0]
    assert "recipient-country" in messages[0]
    assert "90" in messages[0]


@pytest.mark.django_db
def test_several_recipients_all_need_a_percentage():
    countries = '<recipient-country code="MZ" percentage="100"/><recipient-country code="AO"/>'
    messages = validate_iati(document(activity_xml("XX-1", STATUS, countries)))
    assert len(messages) == 1
    assert "every item" in messages[0]


@pytest.mark.django_db
def test_sector_percentages_add_up_per_vocabulary():
    sectors = (
        '<sector vocabulary="1" code="15150" percentage="50"/>'
        '<sector vocabulary="1" code="31166" percentage="50"/>'
        '<sector vocabulary="99" code="own" percentage="100"><narrative>Own</narrative></sector>'
    )
    assert validate_iati(document(activity_xml("XX-1", STATUS, sectors))) == []
    short = (
        '<sector code="15150" percentage="50"/>'  # no vocabulary: DAC 5-digit, like the next
        '<sector vocabulary="1" code="31166" percentage="20"/>'
    )
    messages = validate_iati(document(activity_xml("XX-1", STATUS, short)))
    assert len(messages) == 1
    assert "sector (vocabulary 1)" in messages[0]
    assert "70" in messages[0]


@pytest.mark.django_db
def test_a_file_that_is_not_well_formed_is_reported_with_its_line():
    broken = activity_xml("XX-1", STATUS).replace("</title>", "</titel>")
    source = document(activity_xml("XX-0", STATUS), broken)
    messages = validate_iati(source)
    assert messages == [
        f"line {line_of(source, '</titel>')}: Opening and ending tag mismatch: title line "
        f"{line_of(source, '</titel>')} and titel"
    ]


@pytest.mark.django_db
def test_a_truncated_file_is_reported():
    source = document(activity_xml("XX-1", STATUS))
    truncated = io.BytesIO(source.getvalue()[: -len(b"</iati-activities>\n")])
    messages = validate_iati(truncated)
    assert len(messages) == 1
    assert "Premature end of data" in messages[0]


@pytest.mark.django_db
def test_an_export_of_nothing_is_not_a_valid_iati_file():
    out = io.BytesIO()
    assert write_iati(Initiative.objects.none(), out) == 0
    out.seek(0)
    assert any("iati-activity" in message for message in validate_iati(out))


# Splitting 100 % among recipients


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([], []),
        ([None], ["100"]),
        ([D(100)], ["100"]),
        ([D(30)], ["100"]),  # one country takes everything: that is what was recorded
        ([D(70), D(30)], ["70.00", "30.00"]),
        ([D("33.33"), D("33.33"), D("33.34")], ["33.33", "33.33", "33.34"]),
        ([None, None], None),  # never an equal split
        ([D(60), None, None], None),
        ([D(50), D(40)], None),  # 90 in all: not scaled up
        ([D(60), D(60)], None),
        ([D(100), None], None),
        ([D(0), D(0)], None),
    ],
)
def test_percentages_come_only_from_recorded_shares(shares, expected):
    result = recorded_percentages(shares)
    if expected is None:
        assert result is None
    else:
        assert result == [D(value) for value in expected]


def test_recorded_percentages_always_add_up_to_exactly_100_or_are_not_given():
    generator = random.Random(2024)  # noqa: S311 - test data, not security
    for _ in range(500):
        shares = [
            None if generator.random() < 0.3 else D(generator.randint(0, 10000)) / 100
            for _ in range(generator.randint(1, 9))
        ]
        result = recorded_percentages(shares)
        assert result is None or sum(result) == 100, shares
