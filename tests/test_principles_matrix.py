"""/principles/: cells hold the strongest evidence of each stance, the list's filters narrow
the rows, summaries count every matching initiative, the gate holds, queries stay flat."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives import matrix as matrix_page
from initiatives.models import Initiative
from principles.models import Principle, PrincipleEvidence, PrincipleSet
from reference.models import Modality
from tests.factories import (
    HIDDEN_STATES,
    InitiativeFactory,
    OrganisationFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
    initiative_between,
)
from tests.html_forms import form_fields

URL = reverse("principles-matrix")
SUPPORTS = PrincipleEvidence.Stance.SUPPORTS
CHALLENGES = PrincipleEvidence.Stance.CHALLENGES
CLAIMED, DOCUMENTED, EVALUATED = PrincipleEvidence.Strength
BUSAN_HEADERS = [
    "Initiative",
    "Ownership",
    "Results",
    "Inclusive partnerships",
    "Transparency",
    "Principles with evidence",
]


class _MatrixReader(HTMLParser):
    """The text of every cell of ``table.matrix``, row by row (header, body, footer), as a
    screen reader reads it: visually hidden text in, ``aria-hidden`` content out."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = self.in_cell = False
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.hidden_depth or attributes.get("aria-hidden") == "true":
            self.hidden_depth += 1
        elif tag == "table" and "matrix" in (attributes.get("class") or "").split():
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td"):
            self.rows[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag):
        if self.hidden_depth:
            self.hidden_depth -= 1
        elif tag == "table":
            self.inside = False
        elif tag in ("th", "td"):
            self.in_cell = False
            self.rows[-1][-1] = " ".join(self.rows[-1][-1].split())

    def handle_data(self, data):
        if self.in_cell and not self.hidden_depth:
            self.rows[-1][-1] += data


def matrix(html: str) -> list[list[str]]:
    reader = _MatrixReader()
    reader.feed(html)
    return reader.rows


def body_titles(html: str, titles) -> set[str]:
    """Which of ``titles`` head a body row of the matrix."""
    rows = matrix(html)[1:-1]
    return {title for title in titles for row in rows if row[0].startswith(title)}


def row_of(html: str, title: str) -> list[str]:
    return next(row for row in matrix(html) if row[0].startswith(title))


def principle(slug: str, set_slug: str = "busan") -> Principle:
    return Principle.objects.get(slug=slug, principle_set__slug=set_slug)


def record(initiative, slug, stance=SUPPORTS, strength=CLAIMED, **fields):
    source = SourceFactory(initiative=initiative) if strength > CLAIMED else None
    return PrincipleEvidenceFactory(
        initiative=initiative,
        principle=principle(slug),
        stance=stance,
        strength=strength,
        source=source,
        **fields,
    )


@pytest.fixture
def evidence(db):
    mixed = initiative_between("Mixed evidence exchange", provider="IN", recipient="BD")
    record(mixed, "ownership", SUPPORTS, CLAIMED)
    record(mixed, "ownership", SUPPORTS, EVALUATED)
    record(mixed, "results", SUPPORTS, DOCUMENTED)
    record(mixed, "results", CHALLENGES, CLAIMED)
    plain = InitiativeFactory(title="Plain seed exchange")
    return {"mixed": mixed, "plain": plain}


@pytest.mark.django_db
def test_each_cell_shows_the_strongest_evidence_of_each_stance(client, evidence):
    html = client.get(URL).content.decode()
    assert matrix(html)[0] == BUSAN_HEADERS
    title, ownership, results, inclusive, transparency, evidenced = row_of(
        html, "Mixed evidence exchange"
    )
    assert title == "Mixed evidence exchange India to Bangladesh"
    assert "Supports, evaluated" in ownership and "claimed" not in ownership
    assert "Supports, documented" in results and "Challenges, claimed" in results
    assert results.index("Supports") < results.index("Challenges")
    assert inclusive == transparency == "no evidence"
    assert evidenced == "2 of 4"
    assert row_of(html, "Plain seed exchange")[1:] == ["no evidence"] * 4 + ["0 of 4"]


@pytest.mark.django_db
def test_a_cell_links_to_the_initiatives_evidence_on_that_principle(client, evidence):
    html = client.get(URL).content.decode()
    target = f"{evidence['mixed'].get_absolute_url()}#principle-{principle('ownership').pk}"
    assert f'<a class="matrix-link" href="{target}">' in html


@pytest.mark.django_db
def test_the_summary_row_counts_initiatives_with_evidence_per_principle(client, evidence):
    footer = matrix(client.get(URL).content.decode())[-1]
    assert footer == [
        "All 2 matching initiatives",
        "1 with evidence supports: 1 · challenges: 0 · confirmed: 0",
        "1 with evidence supports: 1 · challenges: 1 · confirmed: 0",
        "0 with evidence supports: 0 · challenges: 0 · confirmed: 0",
        "0 with evidence supports: 0 · challenges: 0 · confirmed: 0",
        "",
    ]


@pytest.mark.django_db
def test_the_table_is_accessible_and_scrolls_on_a_phone(client, evidence):
    html = client.get(URL).content.decode()
    assert re.search(
        r'<div class="table-scroll matrix-scroll" role="region" tabindex="0" '
        r'aria-labelledby="matrix-caption">\s*<table class="matrix">\s*'
        r'<caption id="matrix-caption">',
        html,
    )
    assert html.count('<th scope="col"') == len(BUSAN_HEADERS)
    assert html.count('<th scope="row"') == 3  # two initiatives and the summary
    assert 'lang="en">Mixed evidence exchange</a>' in html
    assert f'<a href="{URL}" aria-current="page">Principles</a>' in html


@pytest.mark.django_db
def test_another_principle_set_can_be_chosen(client, evidence):
    south_south = PrincipleSet.objects.create(slug="south-south", name="South-South principles")
    for position, name in enumerate(["Solidarity", "Horizontality"]):
        Principle.objects.create(
            principle_set=south_south,
            slug=name.lower(),
            name=name,
            short_name=name,
            position=position,
        )
    PrincipleEvidenceFactory(
        initiative=evidence["plain"], principle=principle("horizontality", "south-south")
    )
    html = client.get(URL, {"set": "south-south"}).content.decode()
    assert matrix(html)[0] == [
        "Initiative",
        "Solidarity",
        "Horizontality",
        "Principles with evidence",
    ]
    assert row_of(html, "Plain seed exchange")[1:] == [
        "no evidence",
        "Evidence on Horizontality: Supports, claimed",
        "1 of 2",
    ]
    assert row_of(html, "Mixed evidence exchange")[1:] == ["no evidence", "no evidence", "0 of 2"]


@pytest.mark.django_db
def test_an_unknown_principle_set_shows_a_message_and_the_busan_set(client, evidence):
    response = client.get(URL, {"set": "<b>nope</b>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no principle set “&lt;b&gt;nope&lt;/b&gt;”." in html
    assert matrix(html)[0] == BUSAN_HEADERS


@pytest.fixture
def varied(db):
    """Published initiatives that differ in countries, modality, cooperation and evidence."""
    seeds = InitiativeFactory(title="Seed bank exchange")
    seeds.modalities.add(Modality.objects.get(slug="exchange-visits"))
    record(seeds, "ownership", SUPPORTS)
    training = initiative_between(
        "Accountability training",
        provider="IN",
        recipient="BD",
        cooperation_type=Initiative.CooperationType.TRIANGULAR,
    )
    training.modalities.add(Modality.objects.get(slug="training"))
    record(training, "results", CHALLENGES)
    housing = initiative_between("Housing network", provider="IN", recipient="ZA")
    record(housing, "results", SUPPORTS)
    return [seeds.title, training.title, housing.title]


SEEDS, TRAINING, HOUSING = "Seed bank exchange", "Accountability training", "Housing network"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {SEEDS, TRAINING, HOUSING}),
        ({"provider": "IN"}, {TRAINING, HOUSING}),
        ({"recipient": "BD"}, {TRAINING}),
        ({"provider": ["BR", "IN"]}, {SEEDS, TRAINING, HOUSING}),
        ({"modality": "training"}, {TRAINING}),
        ({"cooperation_type": "triangular"}, {TRAINING}),
        ({"principle": "results"}, {TRAINING, HOUSING}),
        ({"principle": "results", "stance": "challenges"}, {TRAINING}),
        ({"stance": "supports", "provider": "IN"}, {HOUSING}),
    ],
)
def test_filters_narrow_the_rows_as_they_narrow_the_list(client, varied, query, expected):
    listed = {i.title for i in client.get(reverse("initiative-list"), query).context["page"]}
    assert listed == expected
    assert body_titles(client.get(URL, query).content.decode(), varied) == expected


@pytest.mark.django_db
def test_active_filters_are_shown_with_links_to_remove_them_or_clear_all(client, varied):
    html = client.get(URL, {"provider": "IN", "modality": "training"}).content.decode()
    start = html.index('id="active-filters-heading"')
    active = html[start : html.index("</section>", start)]
    assert "Provider country: <strong>India</strong>" in active
    assert "Modality: <strong>Capacity-building training</strong>" in active
    assert f'href="{URL}?modality=training"' in active
    assert f'href="{URL}?provider=IN"' in active
    assert f'<a href="{URL}">Clear all filters</a>' in active


@pytest.mark.django_db
def test_the_form_keeps_filters_it_has_no_field_for(client, varied):
    html = client.get(URL, {"provider": "IN", "modality": "training", "set": "busan"})
    fields = form_fields(html.content.decode(), "matrix-form")
    assert fields == {
        "set": "busan",
        "q": "",
        "provider": "IN",
        "recipient": "",
        "stance": "",
        "confirmation": "",
        "modality": "training",
    }


@pytest.mark.django_db
def test_invalid_filter_values_show_a_message_never_an_error(client, varied):
    query = {
        "provider": "QQ",
        "sector": "12",
        "modality": "no-such-modality",
        "year": "abc",
        "stance": "maybe",
        "page": "zz",
    }
    response = client.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some choices could not be applied" in html
    assert "“no-such-modality” is not a known modality." in html
    assert body_titles(html, varied) == set(varied)


@pytest.mark.django_db
def test_rows_are_paginated_and_summaries_count_every_page(client, varied, monkeypatch):
    monkeypatch.setattr(matrix_page, "MATRIX_PAGE_SIZE", 2)
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert len(body_titles(first, varied)) == 2 and len(body_titles(second, varied)) == 1
    assert body_titles(first, varied) | body_titles(second, varied) == set(varied)
    assert "Page 1 of 2" in first
    assert matrix(second)[-1][:3] == [
        "All 3 matching initiatives",
        "1 with evidence supports: 1 · challenges: 0 · confirmed: 0",
        "2 with evidence supports: 1 · challenges: 1 · confirmed: 0",
    ]


@pytest.mark.django_db
def test_the_cells_take_two_grouped_queries_whatever_the_number_of_rows(client, count_queries):
    def seed(n):
        for _ in range(n):
            initiative = InitiativeFactory()
            for slug in ("ownership", "results", "inclusive-partnerships"):
                record(initiative, slug, SUPPORTS, DOCUMENTED)
                record(initiative, slug, CHALLENGES, CLAIMED)

    seed(2)
    small = count_queries(lambda: client.get(URL))
    seed(18)
    large = count_queries(lambda: client.get(URL))
    assert small == large
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    evidence = [q for q in captured if 'FROM "principles_principleevidence"' in q["sql"]]
    assert len(evidence) == 2  # the page's cells, the summary row
    assert len(captured) <= 8


@pytest.fixture
def hidden(db):
    """One published initiative without transparency evidence, and one in every other state
    whose evidence on transparency is the only such evidence."""
    owner = OrganisationFactory(name="Hidden owner")
    InitiativeFactory(title="Visible exchange")
    for state in HIDDEN_STATES:
        initiative = InitiativeFactory(title=f"Secret {state} record", owner=owner, state=state)
        record(initiative, "transparency-accountability", CHALLENGES, EVALUATED)
    return owner


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "other editor"])
@pytest.mark.parametrize(
    "query", [{}, {"principle": "transparency-accountability"}, {"stance": "challenges"}]
)
def test_nobody_else_sees_unpublished_initiatives_or_their_evidence(
    client, hidden, editor, who, query
):
    if who == "other editor":
        client.force_login(editor)
    html = client.get(URL, query).content.decode()
    assert "Secret" not in html
    assert not any("evaluated" in cell for row in matrix(html) for cell in row)
    if query:
        assert "No initiative matches these filters." in html
    else:
        assert matrix(html)[-1][4] == "0 with evidence supports: 0 · challenges: 0 · confirmed: 0"


@pytest.mark.django_db
def test_the_owning_editor_sees_their_own_records_in_the_matrix(client, sign_in_editor, hidden):
    sign_in_editor(hidden)
    html = client.get(URL).content.decode()
    for state in HIDDEN_STATES:
        assert row_of(html, f"Secret {state} record")[4].endswith(": Challenges, evaluated")
    assert matrix(html)[-1][4] == "4 with evidence supports: 0 · challenges: 4 · confirmed: 0"


@pytest.mark.django_db
def test_removing_a_search_drops_it_whatever_its_spacing(client, varied):
    html = client.get(URL, {"q": "  seed ", "stance": "supports"}).content.decode()
    assert "Search: <strong>seed</strong>" in html
    assert f'href="{URL}?stance=supports"' in html
    assert body_titles(html, varied) == {SEEDS}
