"""Aggregates behind the charts and map, and the SVG the chart building blocks produce."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser

from funding.models import FundingModel
from initiatives import aggregates, charts
from initiatives.aggregates import CountryCount, Flow, PrincipleCount
from initiatives.models import Initiative, InitiativeCountry
from principles.models import Principle, PrincipleEvidence
from reference.models import Modality, Sector
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
    country,
)

State = Initiative.State
SVG = "{http://www.w3.org/2000/svg}"
BUSAN = "Busan principles for effective development cooperation"


def add_country(initiative, code, role=InitiativeCountry.Role.RECIPIENT):
    InitiativeCountryFactory(initiative=initiative, country=country(code), role=role)


def fund(initiative, slug):
    FundingContributionFactory(
        initiative=initiative, funding_model=FundingModel.objects.get(slug=slug)
    )


def evidence(initiative, principle_slug, stance=PrincipleEvidence.Stance.SUPPORTS):
    PrincipleEvidenceFactory(
        initiative=initiative,
        principle=Principle.objects.get(slug=principle_slug),
        stance=stance,
        source=SourceFactory(initiative=initiative),
    )


def category(code):
    return Sector.objects.get(code=code).category_name


@pytest.fixture
def seeded():
    """Three published initiatives, and one hidden initiative in each other state with data
    no published one has (Mexico → Haiti, private sector, peer dialogue, sector 73010, the
    results principle, 1999)."""
    modality = {m.slug: m for m in Modality.objects.all()}

    seeds = InitiativeFactory(title="Seed banks", start_year=2012)  # Brazil → Mozambique
    add_country(seeds, "ZA")  # two recipient countries
    seeds.modalities.add(modality["training"], modality["mentoring"])  # two modalities
    seeds.sectors.add("31120", "31166", "43072")  # two purpose codes in one category
    fund(seeds, "citizen-donations")
    fund(seeds, "citizen-donations")  # the same model twice: one initiative
    fund(seeds, "triangular")
    evidence(seeds, "ownership")
    evidence(seeds, "ownership")  # two pieces of evidence: one initiative
    evidence(seeds, "ownership", PrincipleEvidence.Stance.CHALLENGES)

    farmers = InitiativeFactory(title="Farmers", planned_start=datetime.date(2014, 5, 1))
    farmers.modalities.add(modality["training"])
    farmers.sectors.add("31120")
    fund(farmers, "triangular")
    evidence(farmers, "ownership")
    evidence(farmers, "inclusive-partnerships", PrincipleEvidence.Stance.CHALLENGES)

    scorecards = InitiativeFactory(
        title="Scorecards",
        actual_start=datetime.date(2015, 3, 1),
        planned_start=datetime.date(2013, 1, 1),
        start_year=2010,
        provider=None,
        recipient=None,
    )
    add_country(scorecards, "IN", InitiativeCountry.Role.PROVIDER)
    add_country(scorecards, "BD")
    add_country(scorecards, "IN")  # provider and recipient: no flow from India to India

    for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ARCHIVED):
        hidden = InitiativeFactory(
            title=f"Hidden {state}", state=state, start_year=1999, provider=None, recipient=None
        )
        add_country(hidden, "MX", InitiativeCountry.Role.PROVIDER)
        add_country(hidden, "HT")
        hidden.modalities.add(modality["peer-dialogue"])
        hidden.sectors.add("73010")
        fund(hidden, "private-sector")
        evidence(hidden, "results")
    return {"seeds": seeds, "farmers": farmers, "scorecards": scorecards}


def public():
    return Initiative.objects.visible_to(AnonymousUser())


# --- aggregates --------------------------------------------------------------------------


@pytest.mark.django_db
def test_totals_count_visible_and_published(seeded, moderator):
    assert aggregates.count_totals(public()) == aggregates.Totals(initiatives=3, published=3)
    everything = aggregates.count_totals(Initiative.objects.visible_to(moderator))
    assert everything == aggregates.Totals(initiatives=7, published=3)
    assert everything.unpublished == 4


@pytest.mark.django_db
def test_count_by_funding_model_lists_every_model_and_counts_initiatives_once(seeded):
    assert aggregates.count_by_funding_model(public()) == [
        ("Citizen donations in the provider country", 1),
        ("Provider-country government funds", 0),
        ("Triangular cooperation", 2),
        ("Resources mobilised by the beneficiary population", 0),
        ("Private sector", 0),
        ("Mixed or other sources", 0),
    ]


@pytest.mark.django_db
def test_count_by_modality_counts_each_modality_of_an_initiative(seeded):
    assert aggregates.count_by_modality(public()) == [
        ("Peer-to-peer strategic dialogue", 0),
        ("Learning exchange visits", 0),
        ("Capacity-building training", 2),
        ("Design and application of tools and methods", 0),
        ("Mentoring and coaching", 1),
    ]


@pytest.mark.django_db
def test_count_by_sector_category_counts_an_initiative_once_per_category(seeded):
    assert aggregates.count_by_sector_category(public()) == [
        (category("31120"), 2),
        (category("43072"), 1),
    ]
    assert aggregates.count_by_sector_category(public(), limit=1) == [(category("31120"), 2)]


@pytest.mark.django_db
def test_count_by_principle_counts_initiatives_per_stance(seeded):
    assert aggregates.count_by_principle(public()) == [
        PrincipleCount("Ownership", BUSAN, supports=2, challenges=1),
        PrincipleCount("Results", BUSAN, supports=0, challenges=0),
        PrincipleCount("Inclusive partnerships", BUSAN, supports=0, challenges=1),
        PrincipleCount("Transparency", BUSAN, supports=0, challenges=0),
    ]


@pytest.mark.django_db
def test_count_by_start_year_prefers_actual_then_planned_then_year(seeded):
    InitiativeFactory(title="No year")
    assert aggregates.count_by_start_year(public()) == [(2012, 1), (2014, 1), (2015, 1), (None, 1)]


@pytest.mark.django_db
def test_count_flows_pairs_providers_with_recipients(seeded):
    assert aggregates.count_flows(public()) == [
        Flow("BR", "MZ", 2),
        Flow("BR", "ZA", 1),  # ties by provider, then recipient name
        Flow("IN", "BD", 1),
    ]


@pytest.mark.django_db
def test_count_by_country_counts_each_role_and_each_initiative_once(seeded):
    assert aggregates.count_by_country(public()) == [
        CountryCount("BR", as_provider=2, as_recipient=0, initiatives=2),
        CountryCount("MZ", as_provider=0, as_recipient=2, initiatives=2),
        CountryCount("BD", as_provider=0, as_recipient=1, initiatives=1),
        CountryCount("IN", as_provider=1, as_recipient=1, initiatives=1),
        CountryCount("ZA", as_provider=0, as_recipient=1, initiatives=1),
    ]


AGGREGATES = [
    aggregates.count_totals,
    aggregates.count_by_funding_model,
    aggregates.count_by_modality,
    aggregates.count_by_sector_category,
    aggregates.count_by_principle,
    aggregates.count_by_start_year,
    aggregates.count_flows,
    aggregates.count_by_country,
]


@pytest.mark.django_db
@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda f: f.__name__)
def test_unpublished_records_never_count_for_the_public_or_other_editors(
    seeded, aggregate, editor, moderator
):
    published_only = aggregate(Initiative.objects.published())
    assert aggregate(public()) == published_only
    assert aggregate(Initiative.objects.visible_to(editor)) == published_only
    assert aggregate(Initiative.objects.visible_to(moderator)) != published_only


@pytest.mark.django_db
def test_an_editor_counts_own_organisations_unpublished_records(seeded, editor):
    organisation = editor.memberships.get().organisation
    InitiativeFactory(owner=organisation, state=State.DRAFT, provider=None, recipient=None)
    own = Initiative.objects.visible_to(editor)
    assert aggregates.count_totals(own) == aggregates.Totals(initiatives=4, published=3)


@pytest.mark.django_db
def test_moderators_count_every_state(seeded, moderator):
    everything = Initiative.objects.visible_to(moderator)
    assert aggregates.count_flows(everything)[0] == Flow("MX", "HT", 4)
    assert ("Private sector", 4) in aggregates.count_by_funding_model(everything)
    assert (1999, 4) in aggregates.count_by_start_year(everything)
    assert (category("73010"), 4) in aggregates.count_by_sector_category(everything)


@pytest.mark.django_db
def test_aggregates_accept_filtered_querysets_with_joins(seeded):
    """A filter across a many-valued relation repeats rows; counts must not."""
    joined = public().filter(country_links__role=InitiativeCountry.Role.RECIPIENT)
    assert aggregates.count_totals(joined).initiatives == 3
    assert aggregates.count_flows(joined) == aggregates.count_flows(public())
    only_seeds = public().filter(title="Seed banks")
    assert aggregates.count_by_modality(only_seeds)[2] == ("Capacity-building training", 1)


@pytest.mark.django_db
@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda f: f.__name__)
def test_each_aggregate_runs_one_query(seeded, aggregate, django_assert_num_queries):
    with django_assert_num_queries(1):
        aggregate(public())


# --- SVG ---------------------------------------------------------------------------------


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


def assert_self_contained(svg):
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc") is not None
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "foreignObject", "image", "use", "a", "style"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            assert "href" not in name and name != "src"
            assert "url(" not in value
    text = str(svg).replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in text and "https://" not in text
    return root


def test_bar_chart_is_self_contained_svg_with_the_data_as_rows():
    chart = charts.bar_chart(
        key="chart-test",
        title="Initiatives by funding model",
        category_header="Funding model",
        rows=[("Citizen donations", 3), ("Private sector", 0)],
    )
    root = assert_self_contained(chart.svg)
    assert root.find(f"{SVG}title").text == "Initiatives by funding model"
    assert chart.rows == (("Citizen donations", 3), ("Private sector", 0))
    assert chart.headers == ("Funding model", "Initiatives")
    assert chart.has_data and not chart.is_empty
    assert len(root.findall(f".//{SVG}rect")) == 1  # no bar for zero
    texts = [element.text.strip() for element in root.iter(f"{SVG}text")]
    assert texts == ["Citizen donations", "3", "Private sector", "0"]
    assert "Citizen donations: 3; Private sector: 0" in chart.description


def test_labels_are_escaped_and_stripped_of_characters_xml_forbids():
    label = '<script>alert("x")</script> & Co\x00'
    chart = charts.bar_chart(
        key="chart-test", title="<b>T</b>", category_header="C", rows=[(label, 2)]
    )
    root = assert_self_contained(chart.svg)
    assert root.find(f"{SVG}title").text == "<b>T</b>"
    assert '<script>alert("x")</script> & Co' in [t.text.strip() for t in root.iter(f"{SVG}text")]
    assert "<script" not in str(chart.svg)


def test_long_labels_wrap_to_two_lines_at_most():
    label = "Resources mobilised by the beneficiary population through savings groups, " * 3
    chart = charts.bar_chart(key="c", title="T", category_header="C", rows=[(label, 1)])
    lines = [t.text.strip() for t in parse(chart.svg).iter(f"{SVG}text")][:-1]
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert chart.rows[0][0] == label  # the table keeps the whole label


def test_grouped_bar_chart_has_a_legend_and_a_column_per_series():
    chart = charts.grouped_bar_chart(
        key="chart-principles",
        title="Evidence",
        category_header="Principle",
        series=("Supports", "Challenges"),
        rows=[("Ownership", (2, 1)), ("Results", (0, 0))],
    )
    assert_self_contained(chart.svg)
    assert chart.headers == ("Principle", "Supports", "Challenges")
    assert chart.rows == (("Ownership", 2, 1), ("Results", 0, 0))
    assert [item.label for item in chart.legend] == ["Supports", "Challenges"]
    assert len(parse(chart.svg).findall(f".//{SVG}rect")) == 2


def test_empty_charts_say_so():
    chart = charts.bar_chart(
        key="c", title="T", category_header="C", rows=[("Training", 0)], empty_message="None yet."
    )
    root = assert_self_contained(chart.svg)
    assert chart.is_empty and not chart.has_data
    assert [t.text for t in root.iter(f"{SVG}text")] == ["None yet."]
    default = charts.bar_chart(key="c", title="T", category_header="C", rows=[])
    assert default.description == "No published initiatives yet."


def test_timeline_fills_gaps_and_tables_unknown_years():
    chart = charts.timeline_chart(key="t", title="T", rows=[(2010, 2), (2013, 1), (None, 4)])
    root = assert_self_contained(chart.svg)
    assert [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")] == [
        "2010: 2",
        "2011: 0",
        "2012: 0",
        "2013: 1",
    ]
    assert chart.rows == (("2010", 2), ("2013", 1), ("Year not recorded", 4))
    only_unknown = charts.timeline_chart(key="t", title="T", rows=[(None, 4)])
    assert only_unknown.is_empty and only_unknown.has_data
    assert only_unknown.description == "No start dates recorded yet."


def test_shade_classes_cover_every_count_without_gaps():
    assert charts.shade_classes(0) == []
    assert charts.shade_classes(3) == [(1, 1), (2, 2), (3, 3)]
    for largest in (6, 17, 100, 5000):
        classes = charts.shade_classes(largest)
        assert len(classes) == 5
        assert classes[0][0] == 1 and classes[-1][1] == largest
        for (_, high), (low, _) in zip(classes, classes[1:]):
            assert low == high + 1


def test_world_geometry_has_countries_with_centres_inside_the_map():
    geometry = charts.world_geometry()
    assert len(geometry.countries) > 200
    assert "aq" not in geometry.countries
    for code in ("br", "mz", "za", "in", "bd", "kh", "mx", "ht", "ss", "tv"):
        x, y = geometry.countries[code].centre
        assert 0 <= x <= geometry.width and 0 <= y <= geometry.height, code
    brazil, india = geometry.countries["br"].centre, geometry.countries["in"].centre
    assert brazil[0] < india[0] and brazil[1] > india[1]  # west of and south of India


def test_world_map_shades_countries_draws_flows_and_tables_both():
    chart = charts.world_map(
        key="map",
        title="Flows",
        countries=[
            CountryCount("BR", 2, 0, 2),
            CountryCount("MZ", 0, 1, 1),
            CountryCount("HT", 0, 1, 1),
        ],
        flows=[Flow("BR", "MZ", 1), Flow("BR", "HT", 1)],
    )
    root = assert_self_contained(chart.svg)
    titles = {element.text for element in root.iter(f"{SVG}title")}
    assert {"Brazil: 2", "Mozambique: 1", "Brazil → Mozambique: 1", "Brazil → Haiti: 1"} <= titles
    assert chart.rows == (("Brazil", "Mozambique", 1), ("Brazil", "Haiti", 1))
    assert chart.tables[1].rows == (
        ("Brazil", 2, 0, 2),
        ("Haiti", 0, 1, 1),
        ("Mozambique", 0, 1, 1),
    )
    assert [item.label for item in chart.legend][:3] == ["No initiatives", "1", "2"]
    assert "Brazil → Mozambique: 1" in chart.description
    viewbox = root.get("viewBox").split()
    assert viewbox[:2] == ["0", "0"] and int(viewbox[2]) == charts.MAP_WIDTH


def test_empty_world_map_is_still_a_map_with_a_message():
    chart = charts.world_map(key="map", title="Flows", countries=[], flows=[])
    assert_self_contained(chart.svg)
    assert chart.is_empty and not chart.has_data
    assert chart.description == "No published initiatives yet."
    texts = [t.text for t in parse(chart.svg).iter(f"{SVG}text")]
    assert texts == ["No published initiatives yet."]


@pytest.mark.django_db
def test_queryset_charts_render_the_seeded_data(seeded):
    total = aggregates.count_totals(public()).initiatives
    built = [
        charts.funding_model_chart(public(), total=total),
        charts.modality_chart(public(), total=total),
        charts.sector_chart(public(), total=total),
        charts.principle_chart(public(), total=total),
        charts.start_year_chart(public(), total=total),
        charts.flow_map(public()),
    ]
    for chart in built:
        assert_self_contained(chart.svg)
        assert not chart.is_empty
    assert len({chart.key for chart in built}) == len(built)
    assert "Haiti" not in "".join(str(chart.svg) for chart in built)
