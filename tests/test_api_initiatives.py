"""/api/v1/initiatives/: the read API researchers use."""

import csv
import io
import json

import pytest

from funding.models import FundingModel
from initiatives.columns import API_CSV_COLUMNS, LIST_SEPARATOR
from initiatives.models import Initiative
from reports.builders.dataset import INITIATIVE_COLUMNS
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    OrganisationFactory,
    ParticipationFactory,
    country,
)

State = Initiative.State
LIST = "/api/v1/initiatives/"


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_list_query_count_is_the_same_for_2_and_50_rows(client, count_queries):
    for _ in range(50):
        initiative = InitiativeFactory()
        ParticipationFactory(initiative=initiative)
        FundingContributionFactory(initiative=initiative)
        initiative.modalities.add(1, 2)
        initiative.sectors.add("31120")
    small = count_queries(lambda: client.get(LIST, {"page_size": 2}))
    assert count_queries(lambda: client.get(LIST, {"page_size": 50})) == small
    assert small == 1  # the page, its nested parts and its position: one query
    assert len(client.get(LIST, {"page_size": 50}).json()["results"]) == 50


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_related_rows(client, count_queries):
    initiative = InitiativeFactory()
    url = f"{LIST}{initiative.slug}/"
    few = count_queries(lambda: client.get(url))
    for _ in range(5):
        ParticipationFactory(initiative=initiative)
        FundingContributionFactory(initiative=initiative)
    assert count_queries(lambda: client.get(url)) == few


@pytest.mark.django_db
def test_filters_narrow_and_combine(client):
    to_mozambique = InitiativeFactory(title="Seeds")
    to_haiti = InitiativeFactory(title="Farms", recipient__country=country("HT"))
    to_haiti.sectors.add("31120")
    InitiativeCountryFactory(initiative=to_haiti, country=country("MX"), role="provider")

    assert slugs(client.get(LIST, {"recipient": "HT"})) == {to_haiti.slug}
    assert slugs(client.get(LIST, {"provider": "BR", "recipient": "MZ"})) == {to_mozambique.slug}
    assert slugs(client.get(LIST, {"provider": "MX", "sector": "31120"})) == {to_haiti.slug}
    assert slugs(client.get(LIST, {"provider": "MX", "recipient": "MZ"})) == set()
    assert slugs(client.get(LIST, {"q": "farms"})) == {to_haiti.slug}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("provider", "ZZ"),
        ("sector", "abc"),
        ("ordering", "random"),
        ("page_size", "many"),
        ("page_size", "0"),
        ("page_size", "201"),
    ],
)
def test_invalid_parameters_are_explained(client, field, value):
    InitiativeFactory()
    response = client.get(LIST, {field: value})
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]


@pytest.mark.django_db
def test_cursor_pages_walk_every_row_once_and_bound_the_page_size(client):
    created = {InitiativeFactory().slug for _ in range(7)}
    seen, url, params = [], LIST, {"page_size": 3}
    while url:
        body = client.get(url, params).json()
        seen += [row["slug"] for row in body["results"]]
        url, params = body["next"], None
    assert sorted(seen) == sorted(created)
    assert client.get(LIST, {"cursor": "not-a-cursor"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ["-updated_at", "updated_at", "-id", "title"])
def test_an_editor_s_pages_walk_forward_and_back_in_order(client, sign_in_editor, ordering):
    organisation = OrganisationFactory()
    visible = [InitiativeFactory(owner=organisation, state=State.DRAFT) for _ in range(2)]
    visible += [InitiativeFactory() for _ in range(5)]
    InitiativeFactory(state=State.DRAFT)  # another organisation's draft
    same_moment = Initiative.objects.filter(pk__in=[row.pk for row in visible[2:5]])
    same_moment.update(updated_at=visible[2].updated_at)  # rows sharing a cursor position
    sign_in_editor(organisation)
    fields = {"-updated_at": ("-updated_at", "-id"), "updated_at": ("updated_at", "id")}
    order = fields.get(ordering, {"-id": ("-id",), "title": ("title", "id")}.get(ordering))
    expected = list(
        Initiative.objects.filter(pk__in=[row.pk for row in visible])
        .order_by(*order)
        .values_list("slug", flat=True)
    )

    pages, url, params = [], LIST, {"page_size": 2, "ordering": ordering}
    while url:
        body = client.get(url, params).json()
        pages.append([row["slug"] for row in body["results"]])
        url, params = body["next"], None
    back, url = [pages[-1]], body["previous"]
    while url:
        body = client.get(url).json()
        back.insert(0, [row["slug"] for row in body["results"]])
        url = body["previous"]

    assert [slug for page in pages for slug in page] == expected
    assert back == pages


def csv_text(client, **params) -> str:
    response = client.get(LIST, {"format": "csv", **params})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.mark.django_db
def test_csv_streams_flat_columns(client):
    initiative = InitiativeFactory(title="Seed banks, in Mozambique")
    response = client.get(LIST, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows] == ["Seed banks, in Mozambique"]
    assert rows[0]["provider_countries"] == "BR" and rows[0]["recipient_countries"] == "MZ"
    assert rows[0]["participants"] == f"{initiative.owner.slug} (lead)"
    assert rows[0]["updated_at"] == initiative.updated_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")


@pytest.mark.django_db
def test_csv_lists_every_related_value_in_a_stable_order(client):
    initiative = InitiativeFactory(start_year=2012, recipient__share=70)
    InitiativeCountryFactory(initiative=initiative, country=country("ZA"), share=30)
    ParticipationFactory(initiative=initiative, actor=OrganisationFactory(slug="partner-a"))
    FundingContributionFactory(initiative=initiative)
    FundingContributionFactory(
        initiative=initiative, funding_model=FundingModel.objects.get(slug="triangular")
    )
    FundingContributionFactory(initiative=initiative)  # the same model twice counts once
    initiative.sectors.add("31120", "11110")

    rows = list(csv.DictReader(io.StringIO(csv_text(client))))
    assert rows[0]["recipient_countries"] == "MZ; ZA", "largest share first"
    assert rows[0]["participants"] == f"{initiative.owner.slug} (lead); partner-a (implementing)"
    assert rows[0]["funding_models"] == "citizen-donations; triangular"
    assert rows[0]["sectors"] == "11110; 31120"
    assert rows[0]["start_year"] == "2012"


@pytest.mark.django_db
@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("caller", ["anonymous", "other editor", "own editor", "moderator"])
def test_visibility_for_every_state_and_caller(client, sign_in_editor, moderator, state, caller):
    record = InitiativeFactory(state=state, title=f"Record {state}")
    if caller == "other editor":
        sign_in_editor()
    elif caller == "own editor":
        sign_in_editor(record.owner)
    elif caller == "moderator":
        client.force_login(moderator)
    may_see = state == State.PUBLISHED or caller in {"own editor", "moderator"}

    assert (record.slug in slugs(client.get(LIST))) is may_see
    assert (client.get(f"{LIST}{record.slug}/").status_code == 200) is may_see
    csv_body = b"".join(client.get(LIST, {"format": "csv"}).streaming_content).decode()
    assert (record.title in csv_body) is may_see
    assert (record.slug in slugs(client.get(LIST, {"q": f"Record {state}"}))) is may_see


@pytest.mark.django_db
def test_errors_stay_json_when_csv_was_asked_for(client):
    response = client.get(LIST, {"format": "csv", "provider": "ZZ"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["details"]["provider"]


@pytest.mark.django_db
def test_an_empty_search_means_no_search_but_other_empty_values_are_refused(client):
    initiative = InitiativeFactory()
    assert slugs(client.get(LIST, {"q": "", "ordering": "-id"})) == {initiative.slug}
    refused = client.get(LIST, {"provider": "", "updated_since": ""})
    assert refused.status_code == 400
    assert set(refused.json()["error"]["details"]) == {"provider", "updated_since"}


@pytest.mark.django_db
def test_year_ranges_and_updated_since(client):
    import datetime

    from django.utils import timezone

    early = InitiativeFactory(start_year=2008, end_year=2012)
    dated = InitiativeFactory(
        actual_start=datetime.date(2015, 3, 1), planned_end=datetime.date(2019, 6, 30)
    )
    undated = InitiativeFactory()
    assert slugs(client.get(LIST, {"start_year_min": 2010})) == {dated.slug}
    assert slugs(client.get(LIST, {"start_year_max": 2010})) == {early.slug}
    assert slugs(client.get(LIST, {"end_year_min": 2013, "end_year_max": 2020})) == {dated.slug}
    Initiative.objects.filter(pk=early.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    assert slugs(client.get(LIST, {"updated_since": since})) == {dated.slug, undated.slug}
    bad = client.get(LIST, {"start_year_min": 1200, "updated_since": "yesterday"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["details"]) == {"start_year_min", "updated_since"}


@pytest.mark.django_db
def test_list_rows_are_what_the_documented_serializer_describes(client, rf):
    """The list is read as values for speed; each row must still be exactly what the
    OpenAPI document (built from InitiativeListSerializer) promises."""
    from initiatives.api.serializers import InitiativeListSerializer

    rich = InitiativeFactory(title="Seeds", planned_start="2016-03-01")
    InitiativeCountryFactory(initiative=rich, country=country("HT"), share="60.00")
    InitiativeCountryFactory(initiative=rich, country=country("MX"), role="provider")
    for role in ("lead", "partner", "funding"):
        ParticipationFactory(initiative=rich, role=role)
    for model in ("provider-government", "citizen-donations", "provider-government"):
        FundingContributionFactory(
            initiative=rich, funding_model=FundingModel.objects.get(slug=model)
        )
    rich.modalities.add(1, 3)
    rich.sectors.add("31120", "15150")
    bare = InitiativeFactory(title="Nada todavía", language="es", start_year=None)
    bare.translations.create(language="en", title="Nothing attached yet", summary="Empty.")
    bare.country_links.all().delete()
    bare.participations.all().delete()

    served = {row["slug"]: row for row in client.get(LIST).json()["results"]}

    request = rf.get(LIST)
    for initiative in Initiative.objects.for_listing().filter(pk__in=[rich.pk, bare.pk]):
        expected = InitiativeListSerializer(initiative, context={"request": request}).data
        assert served[initiative.slug] == expected
        assert (
            expected["text"]["title"]
            == {"Seeds": "Seeds", "Nada todavía": "Nothing attached yet"}[initiative.title]
        )
        assert list(served[initiative.slug]) == list(expected)  # same field order too
        # and the same JSON types (a year is 2016, not 2016.0), nested objects' keys in the
        # serializer's order as well
        row = served[initiative.slug]
        assert {
            name: row[name] for name in row if json.dumps(row[name]) != json.dumps(expected[name])
        } == {}


@pytest.mark.django_db
def test_the_csv_and_the_dataset_export_share_the_registry_s_names_and_separator(client):
    initiative = InitiativeFactory(recipient__share=60)
    InitiativeCountryFactory(initiative=initiative, country=country("ZA"), share=40)
    header, row = list(csv.reader(io.StringIO(csv_text(client))))

    assert header == [column.name for column in API_CSV_COLUMNS]
    assert set(header) <= {column.name for column in INITIATIVE_COLUMNS}
    assert row[header.index("recipient_countries")] == f"MZ{LIST_SEPARATOR}ZA"
