"""/initiatives/<slug>/: everything a reader needs, how to cite it, and the gate."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Indicator, Initiative
from principles.models import Principle, PrincipleEvidence
from reference.models import Modality, SustainableDevelopmentGoal
from tests.factories import (
    HIDDEN_STATES,
    InitiativeFactory,
    OrganisationFactory,
    Rows,
    initiative_with_every_row,
)

State = Initiative.State


@pytest.fixture
def full(db, settings):
    """A published initiative with a row of every kind the page shows."""
    settings.SITE_URL = "https://ssdc.example.org/"
    return initiative_with_every_row()


@pytest.fixture
def page(client, full):
    response = client.get(full.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        '<h1 id="initiative-title" lang="pt">Bancos de sementes crioulas</h1>',
        '<p class="lead" lang="pt">Agricultores trocam sementes.</p>',
        '<div lang="pt"><p>Visitas de intercâmbio entre comunidades.</p></div>',
        # countries and the flow, with shares
        '<li><a href="/countries/BR/">Brazil</a></li>',
        '<li><a href="/countries/MZ/">Mozambique</a> <span class="muted">(60 %)</span></li>',
        '<li><a href="/countries/ZA/">South Africa</a> <span class="muted">(40 %)</span></li>',
        "Triangular (with a traditional donor or multilateral)",
        "Implementation",
        # dates
        "1 June 2013 – 31 December 2016",
        "1 February 2013 – …",
        "<dt>Started</dt><dd>2013</dd>",
        "<li>Post-disaster</li>",
        "<dt>Provider-side government</dt><dd>Co-implementing</dd>",
        "<dt>Recipient-side government</dt><dd>Consulted</dd>",
        'Yes — <span lang="pt">Reuniões trimestrais com a FAO.</span>',
        "<dt>Last reviewed</dt>\n    <dd>5 March 2024</dd>",
        # participants and roles
        "Rede Sementes (RS)</a></th>\n            <td>Lead</td>",
        "União Nacional de Camponeses</a></th>\n            <td>Partner</td>",
        "<td>Social movement</td>",
        # themes
        'Agricultural development <span class="muted">(31120)</span>',
        "<li>Learning exchange visits</li>",
        "Goal 2. End hunger",
        # funding: mix derived from the amounts (300,000 and 100,000 BRL)
        '<span class="mix-label">Provider-country government funds</span> '
        '<span class="mix-share">75 %</span>',
        '<span class="mix-label">Resources mobilised by the beneficiary population</span> '
        '<span class="mix-share">25 %</span>',
        "<td>Agência Brasileira de Cooperação</td>",
        "<td>300,000 BRL</td>",
        "<td>2013–2016</td>",
        "<li>6 exchange visits (2014)</li>",
        # outcomes and indicators, lessons
        '<h3><span lang="pt">Casas de sementes abertas</span>',
        'Casas de sementes <span class="muted">(casas)</span>',
        "<td>0 (2013)</td>",
        "<td>10 (2016)</td>",
        "<td>12 (2016)</td>",
        '<div lang="pt"><p>A confiança leva tempo.</p></div>',
        # principle evidence, grouped, with stance, strength, confirmation and source
        "Ownership of development priorities",
        "Focus on results",
        '<span class="badge stance-supports">Supports</span>',
        '<span class="badge stance-challenges">Challenges</span>',
        '<span class="evidence-strength">Documented in a source</span>',
        '<span class="evidence-strength">Claimed by the initiative</span>',
        "Confirmed by União Nacional de Camponeses on 10 January 2024.",
        "Not yet confirmed by a second organisation.",
        "Nós decidimos.",
        "Source: IDS policy briefing, 2015",
        # sources and documents
        "IDS policy briefing, 2015",
        "Case study",
    ],
)
def test_the_page_shows_everything_a_reader_needs(page, text):
    assert text in page


@pytest.mark.django_db
def test_organisations_link_to_their_profiles(page, full):
    for participation in full.participations.select_related("actor"):
        url = reverse("organisation-detail", args=[participation.actor.slug])
        assert f'<a href="{url}">{participation.actor}</a>' in page


@pytest.mark.django_db
def test_evidence_is_grouped_by_principle(page):
    ownership = page.index("Ownership of development priorities")
    results = page.index("Focus on results")
    assert ownership < page.index("As comunidades escolheram") < results
    assert ownership < page.index("O governo de Moçambique") < results
    assert results < page.index("Doze casas de sementes funcionam")
    assert page.count('class="principle"') == 2


@pytest.mark.django_db
def test_documents_download_through_the_gate(client, full, page):
    source = full.sources.get()
    url = reverse("source-document", args=[source.pk])
    assert f'href="{url}"' in page
    assert client.get(url).status_code == 200
    Initiative.objects.filter(pk=full.pk).update(state=State.ARCHIVED)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_page_leaves_out_what_only_its_pdf_brief_prints(page):
    assert 'Download the document<span class="visually-hidden">: IDS policy briefing, 2015' in page
    assert "Document kept on the portal" not in page
    assert "Percentages are each country" not in page


@pytest.mark.django_db
def test_how_to_cite(page, full):
    year = full.updated_at.year
    today = timezone.localdate().strftime("%-d %B %Y")
    url = "https://ssdc.example.org/initiatives/bancos-de-sementes/"
    assert (
        f'Rede Sementes ({year}). <cite lang="pt">Bancos de sementes crioulas</cite>. '
        f"SSDC Portal. {url} (accessed {today})."
    ) in page
    assert f'Permanent link: <a href="{url}">{url}</a>' in page


@pytest.mark.django_db
def test_a_bare_record_renders_without_empty_sections(client):
    initiative = InitiativeFactory(description="")
    page = client.get(initiative.get_absolute_url()).content.decode()
    for heading in [
        "Description",
        "Funding and contributions",
        "Outcomes and lessons",
        "Evidence of the effectiveness principles",
        "Sources and documents",
        "What it works on and how",
    ]:
        assert f">{heading}</h2>" not in page
    assert "not reviewed yet" in page
    assert "How to cite this record" in page


RECIPIENTS = ["AR", "CL", "PE", "BO", "EC", "CO", "UY", "PY", "VE", "GY"]


def _add_related(initiative: Initiative, count: int) -> None:
    """``count`` rows of every related kind."""
    principles = list(Principle.objects.all())
    rows = Rows(initiative)
    for n in range(count):
        rows.participant()
        rows.country(RECIPIENTS[n])
        rows.funding(funder=OrganisationFactory())
        rows.non_monetary("participants", n + 1)
        outcome = rows.outcome(f"Outcome {n}")
        Indicator.objects.create(outcome=outcome, name=f"Indicator {n}", target=n)
        rows.evidence(
            principles[n % len(principles)].slug,
            source=rows.source(),
            strength=PrincipleEvidence.Strength.DOCUMENTED,
            confirmation="confirmed",
            confirmed_by_organisation=OrganisationFactory(),
            confirmed_at=timezone.now(),
        )
    initiative.sectors.add(*["31120", "43040", "15150", "16030", "24040"][:count])
    initiative.modalities.add(*Modality.objects.all()[:count])
    initiative.sdg_goals.add(*SustainableDevelopmentGoal.objects.all()[:count])


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_related_rows(client, django_assert_num_queries):
    from django.db import connection

    small = InitiativeFactory()
    _add_related(small, 2)
    large = InitiativeFactory()
    _add_related(large, 10)
    with CaptureQueriesContext(connection) as two:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_num_queries(len(two)):
        page = client.get(large.get_absolute_url()).content.decode()
    assert page.count("Indicator ") == 10
    # One query per part of the page: the record, its rows of each kind (practices used and
    # lessons included) and their translations.
    assert len(two) <= 18


@pytest.mark.django_db
# An archived record was public: its address answers 410 (see test_published_versions.py).
@pytest.mark.parametrize("state", [state for state in HIDDEN_STATES if state != "archived"])
def test_unpublished_records_are_not_found_except_by_their_organisation(
    client, sign_in_editor, state
):
    owner = OrganisationFactory()
    initiative = InitiativeFactory(state=state, owner=owner, title="Hidden record")
    assert client.get(initiative.get_absolute_url()).status_code == 404

    sign_in_editor()
    assert client.get(initiative.get_absolute_url()).status_code == 404

    sign_in_editor(owner)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    assert f'<span class="badge badge-{state}">' in response.content.decode()
    assert "Only your organisation and the moderators can see this record." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_unknown_slug_is_not_found(client):
    assert client.get("/initiatives/no-such-record/").status_code == 404
