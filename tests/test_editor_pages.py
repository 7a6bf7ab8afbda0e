"""CSO staff record and maintain initiatives in the browser (pages under /my/)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from funding.models import FundingModel
from initiatives.models import Initiative
from organisations.models import Organisation
from principles.models import Principle
from tests.factories import (
    FundingContributionFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    Rows,
    SourceFactory,
    country,
)
from tests.html_forms import form_fields

State = Initiative.State
CREATE = reverse("editor-initiative-create")


def edit_url(initiative):
    return reverse("editor-initiative-edit", args=[initiative.slug])


def open_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_fields(response.content.decode(), "editor-form")


def add_row(client, url, data, prefix):
    """Press the form's "add" button for ``prefix`` and return the re-rendered fields."""
    response = client.post(url, {**data, "add_row": prefix})
    assert response.status_code == 200
    return form_fields(response.content.decode(), "editor-form")


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    initiative = InitiativeFactory(state=State.DRAFT)
    for url in [reverse("editor-dashboard"), CREATE, edit_url(initiative)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    submit = client.post(reverse("editor-initiative-submit", args=[initiative.slug]))
    assert submit["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_dashboard_lists_own_initiatives_with_state_and_note(signed_in, organisation):
    returned = InitiativeFactory(
        owner=organisation, state=State.RETURNED, review_note="Please cite the evaluation."
    )
    foreign = InitiativeFactory(state=State.DRAFT, title="Someone else's draft")

    page = signed_in.get(reverse("editor-dashboard")).content.decode()

    assert organisation.name in page
    assert returned.title in page and "Returned to the organisation" in page
    assert "Please cite the evaluation." in page
    assert foreign.title not in page


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow(signed_in, organisation, django_assert_num_queries):
    InitiativeFactory.create_batch(2, owner=organisation, state=State.DRAFT)
    with CaptureQueriesContext(connection) as small:
        signed_in.get(reverse("editor-dashboard"))
    InitiativeFactory.create_batch(18, owner=organisation, state=State.DRAFT)
    with django_assert_num_queries(len(small)):
        response = signed_in.get(reverse("editor-dashboard"))
    assert response.content.decode().count('/edit/"') == 20


@pytest.mark.django_db
def test_editor_records_a_complete_initiative(signed_in, editor, organisation):
    data = open_form(signed_in, CREATE)
    # A partner the portal already knows: it is named in a published record.
    partner = InitiativeFactory(
        owner__name="Mozambican seed guardians", owner__actor_type="social_movement"
    ).owner
    data = add_row(signed_in, CREATE, data, "countries")
    data = add_row(signed_in, CREATE, data, "participants")
    data.update(
        {
            "title": "Seed banks across the Atlantic",
            "summary": "Family farmers exchange native seeds and ways to keep them.",
            "cooperation_type": "bilateral",
            "start_year": "2012",
            "sectors": ["31120", "31166"],
            "modalities": [],
            "countries-0-country": "BR",
            "countries-0-role": "provider",
            "countries-1-country": "MZ",
            "countries-1-role": "recipient",
            "participants-0-actor": str(organisation.pk),
            "participants-0-role": "lead",
            "participants-1-actor": str(partner.pk),
            "participants-1-role": "partner",
            "funding-0-funding_model": str(FundingModel.objects.get(slug="provider-government").pk),
            "evidence-0-principle": str(Principle.objects.get(slug="ownership").pk),
            "evidence-0-stance": "supports",
            "evidence-0-strength": "1",
            "evidence-0-narrative": "Farmers' groups chose which varieties to keep.",
        }
    )

    response = signed_in.post(CREATE, data)

    initiative = Initiative.objects.get(title="Seed banks across the Atlantic")
    assert response.status_code == 302 and response["Location"] == edit_url(initiative)
    assert initiative.slug == "seed-banks-across-the-atlantic"
    assert (initiative.owner, initiative.state, initiative.created_by) == (
        organisation,
        State.DRAFT,
        editor,
    )
    assert set(initiative.country_links.values_list("country", "role")) == {
        ("BR", "provider"),
        ("MZ", "recipient"),
    }
    assert set(initiative.participations.values_list("actor__name", "role")) == {
        (organisation.name, "lead"),
        ("Mozambican seed guardians", "partner"),
    }
    assert initiative.funding_contributions.get().funding_model.slug == "provider-government"
    evidence = initiative.principle_evidence.get()
    assert (evidence.recorded_by, evidence.recorded_by_organisation) == (editor, organisation)
    assert set(initiative.sectors.values_list("code", flat=True)) == {"31120", "31166"}
    assert Version.objects.get_for_object(initiative).get().revision.user == editor


@pytest.mark.django_db
def test_invalid_input_is_explained_next_to_the_field_and_nothing_is_lost(signed_in):
    data = open_form(signed_in, CREATE)
    data.update(
        {
            "title": "Kitchen gardens",
            "summary": "",
            "cooperation_type": "bilateral",
            "planned_start": "2015-05-01",
            "planned_end": "2014-01-01",
            "countries-0-country": "BR",
            "countries-0-role": "provider",
            "countries-0-share": "140",
            "funding-0-funding_model": str(FundingModel.objects.first().pk),
            "funding-0-amount": "5000",
        }
    )

    response = signed_in.post(CREATE, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert not Initiative.objects.exists()
    assert "This field is required." in page
    assert "The end cannot come before the start." in page
    assert "Give the currency of the amount." in page
    assert "Ensure this value is less than or equal to 100." in page
    assert 'value="Kitchen gardens"' in page
    assert 'aria-invalid="true"' in page


@pytest.mark.django_db
def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(signed_in):
    data = open_form(signed_in, CREATE)
    data["title"] = "Half-typed title"
    response = signed_in.post(CREATE, {**data, "add_row": "sources"})
    assert "This field is required." not in response.content.decode(), "no notes before saving"
    fields = add_row(signed_in, CREATE, data, "sources")
    assert fields["sources-TOTAL_FORMS"] == "2"
    assert fields["title"] == "Half-typed title"
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_proposing_a_new_organisation_creates_it(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    data = add_row(
        signed_in, edit_url(initiative), open_form(signed_in, edit_url(initiative)), "participants"
    )
    index = int(data["participants-TOTAL_FORMS"]) - 1
    data.update(
        {
            f"participants-{index}-new_organisation_name": "Haitian farmers' cooperative",
            f"participants-{index}-new_organisation_type": "community_based",
            f"participants-{index}-new_organisation_country": "HT",
            f"participants-{index}-role": "partner",
        }
    )
    assert signed_in.post(edit_url(initiative), data).status_code == 302
    created = Organisation.objects.get(name="Haitian farmers' cooperative")
    assert created.home_country == country("HT")
    assert initiative.participations.filter(actor=created, role="partner").exists()


def propose_organisation(client, initiative, name: str):
    """Save ``initiative``'s form with a new participant row proposing ``name``."""
    data = add_row(
        client, edit_url(initiative), open_form(client, edit_url(initiative)), "participants"
    )
    index = int(data["participants-TOTAL_FORMS"]) - 1
    data.update(
        {
            f"participants-{index}-new_organisation_name": name,
            f"participants-{index}-new_organisation_type": "community_based",
            f"participants-{index}-new_organisation_country": "HT",
            f"participants-{index}-role": "partner",
        }
    )
    return client.post(edit_url(initiative), data)


@pytest.mark.django_db
def test_proposing_an_organisation_the_editor_can_see_is_refused(signed_in, organisation):
    InitiativeFactory(owner__name="Haitian farmers' cooperative")  # published: visible to all
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)

    response = propose_organisation(signed_in, initiative, "HAITIAN farmers' cooperative")

    assert response.status_code == 200
    assert (
        "“HAITIAN farmers&#x27; cooperative” is already in the portal: choose it from the list."
        in response.content.decode()
    )
    assert Organisation.objects.filter(name__iexact="Haitian farmers' cooperative").count() == 1


@pytest.mark.django_db
def test_an_organisation_named_only_in_another_organisations_draft_stays_unrevealed(
    signed_in, organisation
):
    hidden = ParticipationFactory(
        initiative__state=State.DRAFT,
        actor__name="Haitian farmers' cooperative",
        actor__slug="haitian-farmers-cooperative",
    ).actor
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)

    response = propose_organisation(signed_in, initiative, "Haitian farmers' cooperative")

    assert response.status_code == 302
    proposed = initiative.participations.get(role="partner").actor
    assert proposed != hidden, "the hidden organisation is neither revealed nor reused"
    assert proposed.name == "Haitian farmers' cooperative"
    assert proposed.home_country == country("HT")
    assert re.fullmatch(r"haitian-farmers-cooperative-[0-9a-f]{6}", proposed.slug)
    hidden.refresh_from_db()
    assert hidden.participations.count() == 1


@pytest.mark.django_db
def test_a_new_initiatives_address_does_not_count_hidden_drafts_with_its_title(
    signed_in, organisation
):
    for slug in ("seed-fairs", "seed-fairs-2"):
        InitiativeFactory(title="Seed fairs", slug=slug, state=State.DRAFT)  # another's drafts
    data = open_form(signed_in, CREATE)
    data.update({"title": "Seed fairs", "summary": "s", "cooperation_type": "bilateral"})

    response = signed_in.post(CREATE, data)

    created = Initiative.objects.get(owner=organisation)
    assert response.status_code == 302 and response["Location"] == edit_url(created)
    assert re.fullmatch(r"seed-fairs-[0-9a-f]{6}", created.slug)


@pytest.mark.django_db
def test_uploads_accept_documents_and_refuse_other_files(
    signed_in, organisation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    data = open_form(signed_in, edit_url(initiative))
    data.update({"sources-0-citation": "Evaluation report, 2016", "sources-0-year": "2016"})

    script = SimpleUploadedFile("run.sh", b"#!/bin/sh\nrm -rf /\n", "text/x-sh")
    refused = signed_in.post(edit_url(initiative), {**data, "sources-0-document": script})
    assert refused.status_code == 200
    assert "File extension “sh” is not allowed." in refused.content.decode()
    assert not initiative.sources.exists()

    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    accepted = signed_in.post(edit_url(initiative), {**data, "sources-0-document": pdf})
    assert accepted.status_code == 302
    source = initiative.sources.get()
    assert source.document.name.startswith("sources/") and source.document.name.endswith(".pdf")
    assert str(tmp_path) in source.document.path


@pytest.mark.django_db
def test_two_editors_save_the_same_version_and_the_second_is_refused(client, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT, title="Original")
    first, second = (MembershipFactory(organisation=organisation).user for _ in range(2))
    client.force_login(first)
    first_form = open_form(client, edit_url(initiative))
    second_client = client.__class__()
    second_client.force_login(second)
    second_form = open_form(second_client, edit_url(initiative))

    first_form["title"] = "First editor's title"
    assert client.post(edit_url(initiative), first_form).status_code == 302
    second_form["title"] = "Second editor's title"
    second_form["summary"] = "A summary written meanwhile."
    response = second_client.post(edit_url(initiative), second_form)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this initiative" in page
    assert "First editor&#x27;s title" in page, "what changed is shown"
    assert 'value="Second editor&#x27;s title"' in page, "the second editor's input is kept"
    assert "A summary written meanwhile." in page
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("First editor's title", 2)

    # Having seen the differences, the second editor can save deliberately.
    retry = form_fields(page, "editor-form")
    assert second_client.post(edit_url(initiative), retry).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Second editor's title", 3)


@pytest.mark.django_db
def test_submit_needs_a_complete_record_then_notifies_moderators(
    signed_in, organisation, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    incomplete = InitiativeFactory(owner=organisation, state=State.DRAFT, provider=None)
    response = signed_in.post(
        reverse("editor-initiative-submit", args=[incomplete.slug]), follow=True
    )
    assert "Before submitting, add at least one provider country." in response.content.decode()
    incomplete.refresh_from_db()
    assert incomplete.state == State.DRAFT

    complete = InitiativeFactory(owner=organisation, state=State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("editor-initiative-submit", args=[complete.slug]), follow=True
        )
    assert "was submitted for review" in response.content.decode()
    complete.refresh_from_db()
    assert complete.state == State.SUBMITTED
    assert [message.to for message in mailoutbox] == [[moderator.email]]


@pytest.mark.django_db
def test_returned_initiative_shows_the_note_and_can_be_fixed_and_resubmitted(
    signed_in, organisation
):
    initiative = InitiativeFactory(
        owner=organisation, state=State.RETURNED, review_note="Add the year it began."
    )
    data = open_form(signed_in, edit_url(initiative))
    assert "Add the year it began." in signed_in.get(edit_url(initiative)).content.decode()
    data["start_year"] = "2011"
    response = signed_in.post(edit_url(initiative), {**data, "submit_for_review": ""})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.state, initiative.start_year) == (State.SUBMITTED, 2011)


@pytest.mark.django_db
def test_archived_initiatives_are_read_only(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.ARCHIVED)
    response = signed_in.get(edit_url(initiative))
    assert response.status_code == 302 and response["Location"] == reverse("editor-dashboard")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, url_name",
    [
        ("get", "editor-initiative-edit"),
        ("post", "editor-initiative-edit"),
        ("post", "editor-initiative-submit"),
    ],
)
@pytest.mark.parametrize("state", State.values)
def test_editors_of_another_organisation_cannot_touch_the_record(
    signed_in, method, url_name, state
):
    foreign = InitiativeFactory(state=state, title="Not yours")
    response = getattr(signed_in, method)(reverse(url_name, args=[foreign.slug]), {"title": "x"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.title, foreign.state) == ("Not yours", state)


@pytest.mark.django_db
def test_cannot_create_for_an_organisation_one_does_not_belong_to(signed_in, organisation):
    other = MembershipFactory().organisation
    data = open_form(signed_in, CREATE)
    data.update(
        {
            "owner": str(other.pk),
            "title": "Smuggled",
            "summary": "s",
            "cooperation_type": "bilateral",
        }
    )
    response = signed_in.post(CREATE, data)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Initiative.objects.filter(title="Smuggled").exists()


@pytest.mark.django_db
def test_uploads_are_checked_by_content_and_size(signed_in, organisation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    data = open_form(signed_in, edit_url(initiative))
    data.update({"sources-0-citation": "Evaluation report, 2016"})

    disguised = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script>", "application/pdf"
    )
    response = signed_in.post(edit_url(initiative), {**data, "sources-0-document": disguised})
    assert "This file does not look like a PDF document" in response.content.decode()

    huge = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    response = signed_in.post(edit_url(initiative), {**data, "sources-0-document": huge})
    assert "The file is larger than 10 MB." in response.content.decode()
    assert not initiative.sources.exists()
    assert not list(tmp_path.rglob("*.pdf")), "nothing is written on a refused upload"


@pytest.mark.django_db
def test_form_page_query_count_does_not_grow_with_rows(signed_in, organisation):
    """Each row's organisation (or outcome) menu is filled from one query, not one per row."""
    small = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    Rows(small).outcome("Seed banks")
    large = InitiativeFactory(owner=organisation, state=State.DRAFT, language="en")
    for _ in range(6):
        ParticipationFactory(initiative=large)
        FundingContributionFactory(initiative=large, funder=OrganisationFactory())
        SourceFactory(initiative=large)
    for language in ["es", "pt", "fr"]:
        large.translations.create(language=language, title="Título", summary="Resumo")
        for position in range(3):
            outcome = Rows(large).outcome(f"Outcome {language} {position}")
            for other in {"es", "pt", "fr"} - {language}:
                outcome.translations.create(language=other, title="Resultado")
    with CaptureQueriesContext(connection) as few:
        signed_in.get(edit_url(small))
    with CaptureQueriesContext(connection) as many:
        response = signed_in.get(edit_url(large))

    assert response.status_code == 200
    assert response.content.decode().count('name="outcome_translations-') > 18 * 3
    assert len(many) == len(few), [query["sql"][:120] for query in many]


@pytest.mark.django_db
def test_the_same_principle_twice_without_a_source_gets_a_note_not_an_error(
    signed_in, organisation
):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    data = add_row(
        signed_in, edit_url(initiative), open_form(signed_in, edit_url(initiative)), "evidence"
    )
    ownership = str(Principle.objects.get(slug="ownership").pk)
    for index in range(2):
        data |= {
            f"evidence-{index}-principle": ownership,
            f"evidence-{index}-stance": "supports",
            f"evidence-{index}-strength": "1",
            f"evidence-{index}-narrative": f"Seen in the field ({index}).",
        }

    response = signed_in.post(edit_url(initiative), data)

    assert response.status_code == 200
    assert "This principle is already evidenced with this source." in response.content.decode()
    assert not initiative.principle_evidence.exists()


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db
def test_adding_a_row_in_place_returns_only_that_part_with_what_was_typed(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state=State.DRAFT)
    url = edit_url(initiative)
    data = open_form(signed_in, url) | {
        "title": "Typed but not saved",
        "outcomes-0-title": "Seed banks in twelve villages",
    }

    response = signed_in.post(url, {**data, "add_row": "outcomes"}, **HTMX)

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="outcomes"')
    assert "<html" not in fragment and 'name="title"' not in fragment
    assert 'name="outcomes-TOTAL_FORMS" value="2"' in fragment
    assert 'value="Seed banks in twelve villages"' in fragment
    assert "This field is required." not in fragment, "no notes before saving"
    # The focus goes to the first field of the new row.
    (autofocused,) = re.findall(r"<[^>]*autofocus[^>]*>", fragment)
    assert 'name="outcomes-1-title"' in autofocused
    # The indicators' menus now offer the outcome typed above (out of band: by their id).
    (menu,) = re.findall(r'<select name="indicators-0-outcome".*?</select>', fragment, re.S)
    assert 'hx-swap-oob="true"' in menu
    assert 'value="new:outcomes-0"' in menu and "Seed banks in twelve villages" in menu
    assert not Initiative.objects.exclude(title=initiative.title).exists(), "nothing is saved"


@pytest.mark.django_db
def test_without_javascript_adding_a_row_returns_the_whole_page_focused_on_the_new_row(
    signed_in,
):
    data = open_form(signed_in, CREATE) | {"title": "Half-typed title"}
    response = signed_in.post(CREATE, {**data, "add_row": "countries"})
    page = response.content.decode()
    assert "<html" in page and 'value="Half-typed title"' in page
    assert "HX-Request" in response["Vary"]
    (autofocused,) = re.findall(r"<[^>]*autofocus[^>]*>", page)
    assert 'name="countries-1-country"' in autofocused
    # A new row starts with its fields' defaults, as the first one did.
    fields = add_row(signed_in, CREATE, data, "sources")
    assert fields["sources-0-document_type"] == fields["sources-1-document_type"] == "other"


@pytest.mark.django_db
def test_naming_a_source_redraws_the_evidence_menus_only(signed_in):
    data = open_form(signed_in, CREATE) | {"sources-0-citation": "Field evaluation, 2019"}
    response = signed_in.post(CREATE, {**data, "menus": "sources"}, **HTMX)
    assert response.status_code == 200
    menus = response.content.decode()
    assert "<section" not in menus
    assert re.findall(r'<select name="([^"]+)"', menus) == ["evidence-0-source"]
    assert 'value="new:sources-0">Field evaluation, 2019 (new, not saved yet)<' in menus
    assert signed_in.post(CREATE, {**data, "menus": "countries"}, **HTMX).status_code == 400


def _record_with_new_rows(data: dict, organisation) -> dict:
    return data | {
        "title": "Seed banks across the Atlantic",
        "summary": "Family farmers exchange native seeds.",
        "cooperation_type": "bilateral",
        "outcomes-0-title": "Seed banks in twelve villages",
        "indicators-0-outcome": "new:outcomes-0",
        "indicators-0-name": "Villages with a seed bank",
        "sources-0-citation": "Field evaluation, 2019",
        "evidence-0-principle": str(Principle.objects.get(slug="ownership").pk),
        "evidence-0-stance": "supports",
        "evidence-0-strength": "2",
        "evidence-0-narrative": "Farmers' groups chose the varieties.",
        "evidence-0-source": "new:sources-0",
    }


@pytest.mark.django_db
def test_rows_typed_in_the_same_sitting_can_be_named_before_saving(signed_in, organisation):
    data = _record_with_new_rows(open_form(signed_in, CREATE), organisation)

    response = signed_in.post(CREATE, data)

    initiative = Initiative.objects.get(title="Seed banks across the Atlantic")
    assert response.status_code == 302, response.content.decode()[:3000]
    outcome = initiative.outcomes.get()
    assert outcome.title == "Seed banks in twelve villages"
    assert outcome.indicators.get().name == "Villages with a seed bank"
    evidence = initiative.principle_evidence.get()
    assert evidence.source == initiative.sources.get(citation="Field evaluation, 2019")


@pytest.mark.django_db
def test_a_new_row_named_but_removed_or_invalid_gets_a_note_not_an_error(signed_in, organisation):
    data = _record_with_new_rows(open_form(signed_in, CREATE), organisation)

    removed = signed_in.post(CREATE, data | {"outcomes-0-DELETE": "on"})
    invalid = signed_in.post(CREATE, data | {"sources-0-year": "not a year"})
    unknown = signed_in.post(CREATE, data | {"indicators-0-outcome": "new:outcomes-7"})

    assert not Initiative.objects.exists()
    for response in [removed, unknown]:
        assert response.status_code == 200
        assert "The new row chosen here has been removed or left empty" in (
            response.content.decode()
        )
    assert invalid.status_code == 200
    assert "The new row chosen here needs attention first." in invalid.content.decode()


@pytest.mark.django_db
def test_the_list_of_problems_links_to_each_field(signed_in):
    data = open_form(signed_in, CREATE) | {
        "title": "",
        "countries-0-country": "BR",
        "countries-0-role": "provider",
        "countries-0-share": "140",
    }

    page = signed_in.post(CREATE, data).content.decode()

    (summary,) = re.findall(r'<div class="form-errors error-summary".*?</div>', page, re.S)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "There is a problem" in summary
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))
    assert links["id_title"] == "Title: This field is required."
    assert links["id_countries-0-share"].startswith("Country 1: Share")
    for anchor in links:
        assert f'id="{anchor}"' in page


@pytest.mark.django_db
def test_required_fields_say_so_in_words(signed_in):
    page = signed_in.get(CREATE).content.decode()
    assert re.search(r'<label for="id_title">Title <span class="required-mark">\(required\)', page)
    assert not re.search(r'<label for="id_description">[^<]*<span class="required-mark">', page)
