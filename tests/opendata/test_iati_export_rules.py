"""The IATI file invents nothing and shows the South-South character of the work: for each rule,
a record that would have broken it is written correctly, or listed as left out with its reason.
The file stays valid against the 2.03 XSD throughout."""

import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from devtools.synthetic import generate
from initiatives.completeness import completeness
from initiatives.models import Initiative, InitiativeCountry
from opendata.iati import mapping
from opendata.iati.activities import PORTAL_ELEMENTS, PORTAL_NS, export_gaps, write_activities
from opendata.iati.validation import validate_iati
from reference.iati import ActivityStatus
from reference.models import Sector
from tests.factories import InitiativeFactory, OrganisationFactory, Rows

D = Decimal
SSDC = {"ssdc": PORTAL_NS}
REF = "XI-IATI-TEST"
SITE = "https://ssdc.example.org"


@pytest.fixture(autouse=True)
def _portal_settings(settings):
    settings.IATI_REPORTING_ORG_REF = REF
    settings.SITE_URL = SITE


def export(queryset=None) -> tuple[dict[str, etree._Element], list, bytes]:
    """The activities written (by slug), the records left out, and the file."""
    out, left_out = io.BytesIO(), []
    queryset = Initiative.objects.all() if queryset is None else queryset
    write_activities(queryset, out, left_out=left_out)
    data = out.getvalue()
    root = etree.fromstring(data)
    written = {a.findtext("iati-identifier").removeprefix(f"{REF}-"): a for a in root}
    return written, left_out, data


def valid(data: bytes) -> bool:
    messages = validate_iati(io.BytesIO(data))
    assert messages == []
    return True


def activity_dates(activity: etree._Element) -> list[tuple[str, str]]:
    return [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]


def started(**fields) -> Initiative:
    return InitiativeFactory(start_year=2018, **fields)


# South-South visible


@pytest.mark.django_db
def test_provider_countries_are_named_in_a_cooperation_tag_and_the_portal_s_elements():
    initiative = started(cooperation_type=Initiative.CooperationType.TRIANGULAR)
    Rows(initiative).country("AR", role=InitiativeCountry.Role.PROVIDER)
    written, _left_out, data = export()
    activity = written[initiative.slug]
    (tag,) = [
        t
        for t in activity.findall("tag")
        if t.get("vocabulary-uri") == mapping.COOPERATION_VOCABULARY_URI
    ]
    assert tag.get("vocabulary") == "99"
    assert tag.get("code") == "south-south-triangular"
    assert tag.findtext("narrative") == "South-South triangular cooperation from Argentina, Brazil"
    providers = [e.get("code") for e in activity.findall("ssdc:provider-country", SSDC)]
    assert providers == ["AR", "BR"]
    assert "provider-country" in PORTAL_ELEMENTS
    assert valid(data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cooperation_type", "code"),
    [("bilateral", "1"), ("regional", "1"), ("triangular", "8")],
)
def test_collaboration_type_never_contradicts_the_cooperation_type(cooperation_type, code):
    # The triangular funding model stores collaboration type 8: bilateral work keeps 1.
    initiative = started(cooperation_type=cooperation_type)
    Rows(initiative).funding("triangular")
    written, _left_out, data = export()
    assert written[initiative.slug].find("collaboration-type").get("code") == code
    assert valid(data)


# Flow and finance types


@pytest.mark.django_db
def test_one_funding_model_gives_default_flow_and_finance_types():
    initiative = started()
    rows = Rows(initiative)
    rows.funding("citizen-donations", amount=10, currency="USD", date=date(2019, 2, 3))
    rows.funding("citizen-donations", amount=20, currency="USD", date=date(2019, 3, 4))
    written, _left_out, data = export()
    activity = written[initiative.slug]
    assert activity.find("default-flow-type").get("code") == "30"
    assert activity.find("default-finance-type").get("code") == "110"
    assert [t.find("flow-type") for t in activity.iter("transaction")] == [None, None]
    assert valid(data)


@pytest.mark.django_db
def test_funding_models_that_differ_put_their_types_on_each_transaction():
    initiative = started()
    rows = Rows(initiative)
    rows.funding("citizen-donations", amount=10, currency="USD", date=date(2019, 2, 3))
    rows.funding("triangular", amount=20, currency="USD", date=date(2019, 3, 4))
    written, _left_out, data = export()
    activity = written[initiative.slug]
    assert activity.find("default-flow-type") is None
    assert activity.find("default-finance-type") is None
    types = {
        t.find("transaction-date").get("iso-date"): (
            t.find("flow-type").get("code"),
            t.find("finance-type").get("code"),
        )
        for t in activity.iter("transaction")
    }
    assert types == {"2019-02-03": ("30", "110"), "2019-03-04": ("10", "110")}
    assert valid(data)


# Percentages only from recorded shares


@pytest.mark.django_db
def test_sector_percentages_are_the_recorded_shares():
    initiative = started()
    initiative.sectors.set(Sector.objects.filter(code__in=["15150", "31166"]))
    initiative.sector_links.filter(sector="15150").update(share=D(75))
    initiative.sector_links.filter(sector="31166").update(share=D(25))
    written, _left_out, data = export()
    sectors = {s.get("code"): s.get("percentage") for s in written[initiative.slug].iter("sector")}
    assert sectors == {"15150": "75.00", "31166": "25.00"}
    assert export_gaps(initiative) == []
    assert valid(data)


@pytest.mark.django_db
def test_one_sector_is_all_of_the_work():
    initiative = started()
    initiative.sectors.set(Sector.objects.filter(code="15150"))
    written, _left_out, _data = export()
    (sector,) = written[initiative.slug].iter("sector")
    assert sector.get("percentage") == "100"


@pytest.mark.django_db
def test_sectors_or_recipients_without_complete_shares_get_no_percentage_and_count_as_gaps():
    initiative = started()
    initiative.sectors.set(Sector.objects.filter(code__in=["15150", "31166"]))
    initiative.sector_links.filter(sector="15150").update(share=D(75))  # the other has none
    Rows(initiative).country("AO", share=D(40))  # Mozambique has none
    written, _left_out, data = export()
    activity = written[initiative.slug]
    assert [s.get("percentage") for s in activity.iter("sector")] == [None, None]
    assert [c.get("percentage") for c in activity.iter("recipient-country")] == [None, None]
    assert valid(data)
    gaps = export_gaps(initiative)
    assert len(gaps) == 2
    assert any("Sectors" in gap for gap in gaps)
    assert any("Recipient countries" in gap for gap in gaps)


@pytest.mark.django_db
def test_recipient_shares_that_do_not_add_up_are_not_scaled():
    initiative = started()
    initiative.country_links.filter(role="recipient").update(share=D(50))
    Rows(initiative).country("AO", share=D(40))
    written, _left_out, data = export()
    percentages = [c.get("percentage") for c in written[initiative.slug].iter("recipient-country")]
    assert percentages == [None, None]
    assert valid(data)


# Dates


@pytest.mark.django_db
def test_work_under_way_without_a_start_gets_no_actual_start_never_the_creation_date():
    initiative = InitiativeFactory(
        activity_status=ActivityStatus.IMPLEMENTATION, planned_start=date(2020, 5, 1)
    )
    written, _left_out, data = export()
    dates = [
        (d.get("type"), d.get("iso-date")) for d in written[initiative.slug].iter("activity-date")
    ]
    assert dates == [("1", "2020-05-01")]
    assert any("no actual start" in gap for gap in export_gaps(initiative))
    assert valid(data)


@pytest.mark.django_db
def test_a_start_year_alone_is_written_as_the_first_day_of_that_year():
    initiative = started(activity_status=ActivityStatus.IMPLEMENTATION)
    written, _left_out, _data = export()
    dates = [
        (d.get("type"), d.get("iso-date")) for d in written[initiative.slug].iter("activity-date")
    ]
    assert dates == [("2", "2018-01-01")]
    assert export_gaps(initiative) == []


@pytest.mark.django_db
def test_a_record_without_any_start_is_left_out_with_its_reason():
    kept = started(title="Dated")
    undated = InitiativeFactory(title="Undated", end_year=2020)
    written, left_out, data = export()
    assert set(written) == {kept.slug}
    assert [(initiative.pk, reason) for initiative, reason in left_out] == [
        (undated.pk, mapping.left_out_reason(undated))
    ]
    assert "start" in left_out[0][1]
    assert undated.slug.encode() not in data
    assert valid(data)


@pytest.mark.django_db
def test_left_out_is_optional():
    InitiativeFactory()
    started()
    out = io.BytesIO()
    assert write_activities(Initiative.objects.all(), out) == 1


# Transactions and planned disbursements


@pytest.mark.django_db
def test_only_a_dated_amount_is_a_transaction_from_the_funder_to_the_owner():
    owner = OrganisationFactory(name="Owner NGO", iati_identifier="BR-CNPJ-1")
    funder = OrganisationFactory(name="Funder Foundation")
    initiative = started(owner=owner)
    rows = Rows(initiative)
    rows.funding(funder=funder, amount=D(100), currency="EUR", date=date(2018, 9, 14))
    rows.funding(funder=funder, amount=D(50), currency="EUR", year_start=2018, year_end=2020)
    rows.funding(funder=funder, amount=D(70), currency="EUR")  # neither date nor year
    rows.funding(funder=funder, year_start=2018)  # no amount
    written, _left_out, data = export()
    activity = written[initiative.slug]
    (transaction,) = activity.iter("transaction")
    assert transaction.find("transaction-type").get("code") == "11"
    assert transaction.find("transaction-date").get("iso-date") == "2018-09-14"
    assert transaction.find("value").get("value-date") == "2018-09-14"
    assert transaction.findtext("provider-org/narrative") == "Funder Foundation"
    assert transaction.findtext("receiver-org/narrative") == "Owner NGO"
    assert transaction.find("receiver-org").get("ref") == "BR-CNPJ-1"
    (planned,) = activity.iter("planned-disbursement")
    assert planned.find("period-start").get("iso-date") == "2018-01-01"
    assert planned.find("period-end").get("iso-date") == "2020-12-31"
    assert planned.findtext("value") == "50"
    assert activity.find("budget") is None
    assert not [t for t in data.split(b"<transaction-date") if b'-01-01"' in t[:30]]
    assert valid(data)


# Humanitarian flag, outcomes, links


@pytest.mark.django_db
def test_post_disaster_work_and_humanitarian_sectors_are_humanitarian():
    disaster = started(is_post_disaster=True)
    relief = started()
    relief.sectors.set(Sector.objects.filter(code="73010"))
    conflict = started(is_conflict_affected=True)
    plain = started()
    written, _left_out, data = export()
    flags = {slug: activity.get("humanitarian") for slug, activity in written.items()}
    assert flags == {disaster.slug: "1", relief.slug: "1", conflict.slug: None, plain.slug: None}
    assert valid(data)


@pytest.mark.django_db
def test_an_outcome_without_indicators_is_a_result_with_a_qualitative_indicator():
    initiative = started()
    Rows(initiative).outcome("Farmers trust each other more", narrative="Told in words.")
    written, _left_out, data = export()
    (result,) = written[initiative.slug].iter("result")
    (indicator,) = result.iter("indicator")
    assert indicator.get("measure") == "5"
    assert indicator.findtext("title/narrative") == "Farmers trust each other more"
    assert valid(data)


@pytest.mark.django_db
def test_links_start_with_the_configured_site_address():
    initiative = started()
    initiative.modalities.set(initiative.modalities.model.objects.all()[:1])
    written, _left_out, _data = export()
    uris = [t.get("vocabulary-uri") for t in written[initiative.slug].iter("tag")]
    assert f"{SITE}/vocabularies/modalities/" in uris


# The completeness indicator says what the file lacks


@pytest.mark.django_db
def test_the_editor_is_told_about_missing_shares_and_start():
    initiative = InitiativeFactory(activity_status=ActivityStatus.IMPLEMENTATION)
    initiative.sectors.set(Sector.objects.filter(code__in=["15150", "31166"]))
    initiative.country_links.filter(role="recipient").update(share=D(50))
    Rows(initiative).country("AO", share=D(40))
    gaps = {gap.anchor: gap.message for gap in completeness(initiative).gaps}
    assert "sector" in gaps["themes"]
    assert "90" in gaps["countries"] and "100" in gaps["countries"]
    assert "start" in gaps["id_actual_start"]

    initiative.sector_links.update(share=D(50))
    initiative.country_links.filter(country="AO").update(share=D(50))
    Initiative.objects.filter(pk=initiative.pk).update(start_year=2019)
    initiative.refresh_from_db()
    anchors = {gap.anchor for gap in completeness(initiative).gaps}
    assert not {"themes", "id_actual_start"} & anchors
    assert "countries" not in anchors


# Over a synthetic data set


@pytest.mark.django_db
def test_every_synthetic_activity_is_honest_about_its_cooperation():
    generate(120, seed=11, progress=lambda message: None)
    queryset = Initiative.objects.prefetch_related("country_links__country", "sector_links")
    records = {initiative.slug: initiative for initiative in queryset}
    written, left_out, data = export()
    assert valid(data)
    assert len(written) + len(left_out) == len(records)
    humanitarian = 0
    for slug, activity in written.items():
        initiative = records[slug]
        expected = "8" if initiative.cooperation_type == "triangular" else "1"
        assert activity.find("collaboration-type").get("code") == expected
        tags = [
            t
            for t in activity.iter("tag")
            if t.get("vocabulary-uri") == mapping.COOPERATION_VOCABULARY_URI
        ]
        assert [t.get("code") for t in tags] == [
            mapping.COOPERATION_TAG[initiative.cooperation_type]
        ]
        providers = sorted(
            (link.country for link in initiative.country_links.all() if link.role == "provider"),
            key=lambda country: str(country.code),
        )
        for country in providers:
            assert country.name in tags[0].findtext("narrative")
        assert [e.get("code") for e in activity.findall("ssdc:provider-country", SSDC)] == [
            str(country.code) for country in providers
        ]
        sectors = [link.sector_id for link in initiative.sector_links.all()]
        should_be_humanitarian = initiative.is_post_disaster or any(
            code[:3] in {"720", "730", "740"} for code in sectors
        )
        assert (activity.get("humanitarian") == "1") == should_be_humanitarian
        humanitarian += should_be_humanitarian
    assert humanitarian > 0
