"""Bad input through the editor's pages and the write API: a clear message, nothing written.

Oversized text, values of the wrong type, numbers out of range, dates that do not exist and
references to rows of someone else's record are each refused with a note next to the field
(pages) or a 400 naming the field (API), and no row is written, not even part of the record.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from funding.models import FundingModel
from initiatives.models import Indicator, Initiative, Outcome
from principles.models import Principle
from tests.factories import (
    InitiativeFactory,
    SourceFactory,
)
from tests.test_editor_pages import edit_url, open_form

State = Initiative.State
CREATE = reverse("editor-initiative-create")
API = "/api/v1/initiatives/"
# Every table an initiative's editor or the write API can write to.
WRITABLE_MODELS = [
    "initiatives.Initiative",
    "initiatives.InitiativeCountry",
    "initiatives.Participation",
    "organisations.Organisation",
    "initiatives.Outcome",
    "initiatives.Indicator",
    "initiatives.NonMonetaryContribution",
    "initiatives.Source",
    "funding.FundingContribution",
    "principles.PrincipleEvidence",
]


def row_counts() -> dict[str, int]:
    counts = {label: apps.get_model(label).objects.count() for label in WRITABLE_MODELS}
    counts["sectors"] = Initiative.sectors.through.objects.count()
    counts["modalities"] = Initiative.modalities.through.objects.count()
    return counts


@pytest.fixture
def own_draft(organisation):
    return InitiativeFactory(owner=organisation, state=State.DRAFT, title="Kept as it was")


def valid_new_record(client, organisation) -> dict:
    """The create page's form filled in with a record that would be saved."""
    data = open_form(client, CREATE)
    data.update(
        {
            "owner": str(organisation.pk),
            "title": "Seed fairs",
            "summary": "Farmers swap native seeds.",
            "cooperation_type": "bilateral",
            "countries-0-country": "BR",
            "countries-0-role": "provider",
        }
    )
    return data


# ---- the editor's pages ----

FIELD_NOTES = [
    ({"title": "x" * 251}, "Ensure this value has at most 250 characters (it has 251)."),
    ({"title": "Seed\x00fairs"}, "Null characters are not allowed."),
    ({"start_year": "twenty"}, "Enter a whole number."),
    ({"start_year": "9" * 30}, "Ensure this value is less than or equal to"),
    ({"start_year": "1800"}, "Ensure this value is greater than or equal to 1950."),
    ({"planned_start": "2023-02-30"}, "Enter a valid date."),
    ({"activity_status": "99"}, "Select a valid choice."),
    ({"sectors": "99999"}, "Select a valid choice."),
    ({"sdg_goals": "abc"}, "is not a valid value."),
    ({"countries-0-share": "lots"}, "Enter a number."),
    ({"countries-0-share": "-5"}, "Ensure this value is greater than or equal to 0."),
    ({"countries-0-country": "ZZ"}, "Select a valid choice."),
    ({"funding-0-amount": "1e40", "funding-0-currency": "BRL"}, "Ensure that there are no more"),
    ({"sources-0-citation": "Report", "sources-0-year": "1800"}, "1900"),
    (
        {"sources-0-citation": "Report", "sources-0-url": "javascript:alert(1)"},
        "Enter a valid URL.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "note"), FIELD_NOTES)
def test_editor_page_explains_bad_values_and_writes_nothing(signed_in, organisation, change, note):
    data = {**valid_new_record(signed_in, organisation)}
    if any(key.startswith("funding-") for key in change):
        data["funding-0-funding_model"] = str(FundingModel.objects.first().pk)
    data.update(change)
    before = row_counts()
    response = signed_in.post(CREATE, data)
    assert response.status_code == 200
    assert note in response.content.decode()
    assert row_counts() == before


TAMPERED_COUNTS = {
    "abc": "ManagementForm data is missing or has been tampered with",
    "": "ManagementForm data is missing or has been tampered with",
    "-1": "The page sent row counts that cannot be right.",
    "9" * 30: "This part can hold at most 100 rows.",
    "100000": "This part can hold at most 100 rows.",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("total", "note"), TAMPERED_COUNTS.items(), ids=TAMPERED_COUNTS.keys())
def test_tampered_row_counts_are_refused_not_a_server_error(signed_in, organisation, total, note):
    data = {**valid_new_record(signed_in, organisation), "countries-TOTAL_FORMS": total}
    before = row_counts()

    saved = signed_in.post(CREATE, data)
    added = signed_in.post(CREATE, {**data, "add_row": "countries"})

    assert (saved.status_code, added.status_code) == (200, 200)
    assert note in saved.content.decode()
    assert row_counts() == before


@pytest.mark.django_db
def test_a_flood_of_rows_builds_no_more_than_the_row_limit(signed_in, organisation):
    data = {**valid_new_record(signed_in, organisation), "countries-TOTAL_FORMS": "100000"}

    response = signed_in.post(CREATE, data)

    assert len(response.context["formsets"]["countries"].forms) == 100
    assert len(response.content) < 2_000_000


@pytest.fixture
def foreign_rows():
    """Rows of another organisation's draft, which the editor cannot open."""
    foreign = InitiativeFactory(state=State.DRAFT)
    outcome = Outcome.objects.create(initiative=foreign, title="Their outcome")
    return {
        "link": foreign.country_links.get(role="recipient"),
        "source": SourceFactory(initiative=foreign),
        "outcome": outcome,
        "indicator": Indicator.objects.create(outcome=outcome, name="Their indicator"),
    }


def attempt(name: str, rows: dict, own_outcome) -> dict:
    """Form fields that name a row of the other record."""
    return {
        "change a country link": {
            "countries-0-id": str(rows["link"].pk),
            "countries-0-share": "50",
        },
        "remove a country link": {
            "countries-0-id": str(rows["link"].pk),
            "countries-0-DELETE": "on",
        },
        "cite their source": {
            "evidence-0-principle": str(Principle.objects.first().pk),
            "evidence-0-stance": "supports",
            "evidence-0-strength": "2",
            "evidence-0-narrative": "Seen in the field.",
            "evidence-0-source": str(rows["source"].pk),
        },
        "measure their outcome": {
            "indicators-0-outcome": str(rows["outcome"].pk),
            "indicators-0-name": "Taken over",
        },
        "rename their indicator": {
            "indicators-INITIAL_FORMS": "1",
            "indicators-0-id": str(rows["indicator"].pk),
            "indicators-0-outcome": str(own_outcome.pk),
            "indicators-0-name": "Renamed",
        },
    }[name]


ATTEMPTS = [
    "change a country link",
    "remove a country link",
    "cite their source",
    "measure their outcome",
    "rename their indicator",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ATTEMPTS)
def test_rows_of_another_record_cannot_be_changed_or_used(signed_in, own_draft, foreign_rows, name):
    own_outcome = Outcome.objects.create(initiative=own_draft, title="Own outcome")
    data = open_form(signed_in, edit_url(own_draft))
    before = row_counts()

    tampered = {**data, **attempt(name, foreign_rows, own_outcome)}
    response = signed_in.post(edit_url(own_draft), tampered)

    assert response.status_code in {200, 302}, "a note on the page, or the own record saved"
    link, indicator = foreign_rows["link"], foreign_rows["indicator"]
    link.refresh_from_db()
    indicator.refresh_from_db()
    assert link.share is None
    assert (indicator.name, indicator.outcome) == ("Their indicator", foreign_rows["outcome"])
    assert not foreign_rows["source"].principle_evidence.exists()
    assert not Indicator.objects.filter(name="Taken over").exists()
    assert row_counts() == before


# ---- the write API ----

API_BODIES = {
    "wrong type": ({"start_year": "twenty"}, "start_year"),
    "year out of range": ({"start_year": 1800}, "start_year"),
    "huge number": ({"start_year": 10**30}, "start_year"),
    "text too long": ({"title": "x" * 251}, "title"),
    "null character": ({"title": "Seed\x00fairs"}, "title"),
    "date that does not exist": ({"planned_start": "2023-02-30"}, "planned_start"),
    "rows not a list": ({"countries": "BR"}, "countries"),
    "unknown country": ({"countries": [{"country": "ZZ", "role": "provider"}]}, "countries"),
    "too many rows": (
        {"countries": [{"country": "BR", "role": "provider"}] * 101},
        "countries",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), API_BODIES.values(), ids=API_BODIES.keys())
def test_write_api_names_the_bad_field_and_writes_nothing(signed_in, own_draft, change, field):
    before = row_counts()

    response = signed_in.patch(
        f"{API}{own_draft.slug}/",
        change,
        content_type="application/json",
        headers={"if-match": '"v1"'},
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] and error["message"]
    assert field in error["details"]
    own_draft.refresh_from_db()
    assert (own_draft.title, own_draft.version) == ("Kept as it was", 1)
    assert row_counts() == before


OVERSIZED_LISTS = {
    "modalities": [f"modality-{number}" for number in range(20_000)],
    "participants": [{"organisation": f"o{number}", "role": "partner"} for number in range(20_000)],
    "sectors": ["31120"] * 20_000,
}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "patch"])
@pytest.mark.parametrize("field", OVERSIZED_LISTS)
def test_a_list_over_the_row_limit_is_refused_before_its_items_are_read(
    signed_in, organisation, own_draft, django_assert_max_num_queries, count_queries, method, field
):
    body = {field: OVERSIZED_LISTS[field]}
    if method == "post":
        address, headers = API, {}
        body |= {"owner": organisation.slug, "title": "Seed fairs"}
    else:
        address, headers = f"{API}{own_draft.slug}/", {"if-match": '"v1"'}
    before = row_counts()

    def send(items: int):
        response = getattr(signed_in, method)(
            address,
            body | {field: body[field][:items]},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 400
        assert response.json()["error"]["details"] == {
            field: [f"Send at most 100 items ({items} were sent)."]
        }

    just_over = count_queries(lambda: send(101))
    # Signing in, and for a change reading the record with its rows (sectors with their
    # shares among them) and translations; nothing per item.
    with django_assert_max_num_queries(19):
        send(20_000)
    assert count_queries(lambda: send(20_000)) == just_over
    assert row_counts() == before


@pytest.mark.django_db
def test_modalities_are_read_in_one_query_however_many_are_sent(
    signed_in, organisation, count_queries
):
    from reference.models import Modality

    for number in range(10):
        Modality.objects.create(slug=f"extra-{number}", name=f"Extra {number}", position=50)
    slugs = list(Modality.objects.values_list("slug", flat=True)[:10])
    drafts = [InitiativeFactory(owner=organisation, state=State.DRAFT) for _ in range(3)]

    def patch(draft, modalities):
        response = signed_in.patch(
            f"{API}{draft.slug}/",
            {"modalities": modalities},
            content_type="application/json",
            headers={"if-match": '"v1"'},
        )
        assert response.status_code == 200, response.json()
        assert response.json()["modalities"] == modalities

    patch(drafts[0], slugs[:1])  # fills the caches a first save fills (content types)
    few = count_queries(lambda: patch(drafts[1], slugs[:2]))
    many = count_queries(lambda: patch(drafts[2], slugs))
    assert many == few
