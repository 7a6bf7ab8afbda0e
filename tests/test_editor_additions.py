"""The editor's page helps: searchable menus sorted by name in the page's language; what a
good record still lacks (on the page and on /my/); a preview of the public page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from initiatives.completeness import completeness, record_gaps, with_completeness
from initiatives.editor.forms import name_key
from initiatives.models import Initiative
from principles.models import Principle, PrincipleSet
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    Rows,
)
from tests.html_forms import form_fields

State = Initiative.State


def address(name, initiative, language="en"):
    with translation.override(language):
        return reverse(name, args=[initiative.slug])


def options(page: str, name: str) -> list[str]:
    """The option labels of the select named ``name``, in the page's order."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return re.findall(r"<option[^>]*>([^<]*)</option>", select[1])


def select_tag(page: str, name: str) -> str:
    return re.search(rf'<select name="{re.escape(name)}"[^>]*>', page)[0]


# ---- pickers --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_long_menus_are_marked_for_the_picker_and_sorted_by_name_in_the_page_language(
    signed_in, organisation
):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    Rows(initiative).source()
    for name in ["Zapatistas", "Ágora Comunitária", "banco de semillas"]:
        # Each named in a published record: any editor may pick it.
        Rows(InitiativeFactory()).participant(OrganisationFactory(name=name))

    page = signed_in.get(address("editor-initiative-edit", initiative, "es")).content.decode()

    pickers = ["sectors", "language", "countries-0-country", "participants-0-actor"]
    pickers += ["funding-0-funder", "sources-0-language"]
    for name in pickers:
        assert "data-picker" in select_tag(page, name), name
    # Record languages by their Spanish names, not by their codes.
    languages = options(page, "language")
    assert languages == sorted(languages, key=name_key)
    assert languages.index("Alemán") < languages.index("Español") < languages.index("Inglés")
    assert options(page, "sources-0-language")[0] == "---------"
    assert options(page, "sources-0-language")[1:] == languages
    # Countries and organisations by name, accents and case aside.
    countries = options(page, "countries-0-country")
    assert countries.index("Alemania") < countries.index("Brasil") < countries.index("Zambia")
    actors = options(page, "participants-0-actor")
    assert actors.index("Ágora Comunitária") < actors.index("banco de semillas")
    assert actors.index("banco de semillas") < actors.index("Zapatistas")
    # Sectors by their Spanish names (the code after the name), under categories so sorted.
    sectors = re.search(r'<select name="sectors"[^>]*>(.*?)</select>', page, re.S)[1]
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', sectors, re.S)
    assert len(groups) > 10
    assert [label for label, _ in groups] == sorted((label for label, _ in groups), key=name_key)
    for _label, group in groups:
        names = re.findall(r"<option[^>]*>([^<]*)</option>", group)
        assert names == sorted(names, key=name_key)
    assert "Desarrollo agrario (31120)" in sectors


# ---- completeness ---------------------------------------------------------------------------


def gap_anchors(initiative) -> list[str]:
    return [gap.anchor for gap in record_gaps(initiative)]


@pytest.mark.django_db
def test_a_bare_record_lacks_everything_and_a_full_one_nothing():
    bare = InitiativeFactory(description="")  # under way, with no start recorded
    assert set(gap_anchors(bare)) == {
        "id_description",
        "id_actual_start",
        "funding",
        "sources",
        "evidence",
        "translations",
    }
    assert completeness(bare).percent < 40

    full = InitiativeFactory(description="Farmers visit each other.", start_year=2015)
    rows = Rows(full)
    rows.funding()
    source = rows.source()
    rows.evidence("ownership", source=source)
    rows.outcome("Seed banks").indicators.create(name="Banks opened")
    full.translations.create(language="es", title="Bancos", summary="Resumen")
    assert record_gaps(full) == []
    assert completeness(full).percent == 100


@pytest.mark.django_db
def test_each_gap_is_said_with_its_count_and_links_to_its_section():
    initiative = InitiativeFactory(description="Described.", start_year=2015)
    rows = Rows(initiative)
    rows.funding()
    source = rows.source()
    rows.evidence("ownership", source=source)
    rows.evidence("inclusive-partnerships")  # no source
    rows.outcome("Seed banks")
    rows.outcome("Trainings")
    rows.country("ZA")  # a second recipient, and neither has a share
    initiative.translations.create(language="fr", title="Banques", summary="Résumé")

    gaps = {gap.anchor: gap.message for gap in record_gaps(initiative)}

    assert gaps == {
        "indicators": "Add indicators to 2 outcomes that have none.",
        "evidence": "Back 1 piece of principle evidence with a source.",
        "countries": "Where several countries share a role, give each its share of the effort "
        "(2 countries have none).",
    }


@pytest.mark.django_db
def test_evidence_on_principles_of_another_set_is_not_busan_evidence():
    other = PrincipleSet.objects.create(slug="istanbul", name="Istanbul principles")
    principle = Principle.objects.create(principle_set=other, name="Voice", short_name="Voice")
    initiative = InitiativeFactory()
    Rows(initiative).evidence(principle)
    assert "Show how the initiative practised at least one Busan principle." in [
        gap.message for gap in record_gaps(initiative)
    ]


@pytest.mark.django_db
def test_annotated_records_give_the_same_gaps_without_a_query():
    initiative = InitiativeFactory(description="")
    Rows(initiative).outcome("Seed banks")
    expected = record_gaps(initiative)

    annotated = with_completeness(Initiative.objects.filter(pk=initiative.pk)).get()
    with CaptureQueriesContext(connection) as queries:
        assert record_gaps(annotated) == expected
    assert len(queries) == 0


@pytest.mark.django_db
def test_the_form_lists_the_gaps_with_links_to_the_sections(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT, description="")

    page = signed_in.get(address("editor-initiative-edit", initiative, "fr")).content.decode()

    box = re.search(r'<section class="notice completeness".*?</section>', page, re.S)[0]
    assert "Complétude" in box
    assert '<a href="#funding">' in box
    assert '<a href="#id_description">' in box
    assert 'id="funding"' in page and 'id="id_description"' in page


@pytest.mark.django_db
def test_the_dashboard_says_what_each_record_lacks(signed_in, organisation):
    lacking = InitiativeFactory(
        owner=organisation, state=State.DRAFT, description="", start_year=2015
    )
    edit = address("editor-initiative-edit", lacking)

    page = signed_in.get(reverse("editor-dashboard")).content.decode()

    assert "5 things to add" in page
    assert f'<a href="{edit}#funding">Record how the initiative was funded.</a>' in page


@pytest.mark.django_db
def test_the_dashboard_with_completeness_costs_the_same_queries_for_more_records(
    signed_in, organisation
):
    def record():
        initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
        rows = Rows(initiative)
        rows.outcome("Seed banks")
        rows.evidence("ownership")
        rows.country("ZA")
        return initiative

    record()
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("editor-dashboard"))
    for _ in range(8):
        record()
    with CaptureQueriesContext(connection) as many:
        page = signed_in.get(reverse("editor-dashboard")).content.decode()

    assert page.count("Back 1 piece of principle evidence with a source.") == 9
    assert len(many) == len(few), [query["sql"][:120] for query in many]


# ---- preview --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_editors_preview_their_draft_as_the_public_page_would_show_it(signed_in, organisation):
    draft = InitiativeFactory(
        owner=organisation, state=State.DRAFT, title="Seed guardians", summary="Farmers swap."
    )
    edit_page = signed_in.get(address("editor-initiative-edit", draft)).content.decode()
    preview = address("editor-initiative-preview", draft)
    assert f'href="{preview}"' in edit_page

    response = signed_in.get(preview)

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Preview — not published" in page
    assert "Seed guardians" in page and "Farmers swap." in page
    assert [template.name for template in response.templates][0] == (
        "initiatives/initiative_detail.html"
    )


@pytest.mark.django_db
def test_moderators_may_preview_any_record(moderator_client):
    draft = InitiativeFactory(state=State.SUBMITTED, title="Seed guardians")
    response = moderator_client.get(address("editor-initiative-preview", draft))
    assert response.status_code == 200
    assert "Preview — not published" in response.content.decode()


@pytest.mark.django_db
def test_no_one_else_finds_the_preview(client):
    draft = InitiativeFactory(state=State.DRAFT)
    published = InitiativeFactory(state=State.PUBLISHED)
    for initiative in [draft, published]:
        preview = address("editor-initiative-preview", initiative)
        assert client.get(preview).status_code == 404, "anonymous"
        client.force_login(MembershipFactory().user)  # an editor of another organisation
        assert client.get(preview).status_code == 404, "another organisation's editor"
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("built", [True, False])
def test_the_picker_is_loaded_only_where_tom_select_was_built(
    signed_in, organisation, monkeypatch, built
):
    from ssdc_portal import context_processors

    monkeypatch.setattr(context_processors, "_has_static", lambda path: built)
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)

    page = signed_in.get(address("editor-initiative-edit", initiative)).content.decode()

    assert ("vendor/tom-select.complete.min.js" in page) == built
    assert ("js/pickers.js" in page) == built
    # Either way the menus are plain selects that the form sends.
    assert "data-picker" in select_tag(page, "sectors")


# ---- the list of sections ----------------------------------------------------------------------


def section_states(page: str) -> dict[str, str]:
    """Each section of the list of sections (by its id on the page) and its state in words."""
    nav = re.search(r'<nav class="section-nav".*?</nav>', page, re.S)[0]
    return dict(
        re.findall(
            r'<a href="#([^"]+)">.*?<span class="section-state">— ([^<]+)</span></a>', nav, re.S
        )
    )


def progress(page: str) -> tuple[str, str, str]:
    """The overall line: its words, and the progress element's value and maximum."""
    words = re.search(r'<label for="section-progress">([^<]+)</label>', page)[1]
    bar = re.search(r'<progress id="section-progress" max="(\d+)" value="(\d+)">', page)
    return words, bar[2], bar[1]


@pytest.mark.django_db
def test_the_list_of_sections_says_what_is_complete_and_what_is_to_do(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT, description="")
    Rows(initiative).outcome("Seed banks")  # without an indicator

    page = signed_in.get(address("editor-initiative-edit", initiative)).content.decode()

    assert section_states(page) == {
        "basics": "to do",  # no description
        "countries": "complete",
        "participants": "complete",
        "themes": "complete",
        "context": "complete",
        "government": "complete",
        "funding": "to do",
        "outcomes": "to do",
        "lessons": "optional",
        "sources": "to do",
        "evidence": "to do",
        "practices": "optional",
        "translations": "optional",
    }
    assert progress(page) == ("5 of 10 sections complete", "5", "10")
    # Every section listed is on the page.
    for anchor in section_states(page):
        assert f'id="{anchor}"' in page


@pytest.mark.django_db
def test_a_record_without_the_countries_and_organisations_a_submission_needs(
    signed_in, organisation
):
    initiative = InitiativeFactory(
        owner=organisation, state=State.DRAFT, provider=None, lead=None, description="Done."
    )

    page = signed_in.get(address("editor-initiative-edit", initiative, "es")).content.decode()

    states = section_states(page)
    assert states["countries"] == "pendiente" and states["participants"] == "pendiente"
    assert states["themes"] == "completa"


@pytest.mark.django_db
def test_nothing_is_complete_in_a_record_not_saved_yet(signed_in, organisation):
    page = signed_in.get(reverse("editor-initiative-create")).content.decode()

    states = section_states(page)
    assert set(states.values()) == {"to do", "optional"}
    assert progress(page) == ("0 of 10 sections complete", "0", "10")


@pytest.mark.django_db
def test_sections_with_notes_after_a_save_need_attention(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT, description="")
    edit = address("editor-initiative-edit", initiative)
    data = form_fields(signed_in.get(edit).content.decode(), "editor-form")
    data.update({"title": "", "countries-0-share": "140"})

    page = signed_in.post(edit, data).content.decode()

    states = section_states(page)
    assert states["basics"] == "needs attention"
    assert states["countries"] == "needs attention"
    assert states["funding"] == "to do"
    assert states["themes"] == "complete"
