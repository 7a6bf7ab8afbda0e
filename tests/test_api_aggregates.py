import csv
import io

import pytest

from initiatives.models import Initiative
from tests.factories import (
    FundingContributionFactory,
    InitiativeCountryFactory,
    InitiativeFactory,
    country,
)

State = Initiative.State
KINDS = [
    "country-pairs",
    "countries",
    "funding-models",
    "modalities",
    "sectors",
    "principles",
    "years",
]


def url(kind):
    return f"/api/v1/aggregates/{kind}/"


@pytest.mark.django_db
def test_country_pairs_count_each_initiative_once_and_follow_filters(client, sign_in_editor):
    first = InitiativeFactory()
    InitiativeCountryFactory(initiative=first, country=country("ZA"))
    InitiativeFactory()
    hidden = InitiativeFactory(state=State.DRAFT)
    InitiativeCountryFactory(initiative=hidden, country=country("HT"))

    rows = client.get(url("country-pairs")).json()["results"]
    assert {(r["provider"], r["recipient"]): r["initiatives"] for r in rows} == {
        ("BR", "MZ"): 2,
        ("BR", "ZA"): 1,
    }
    filtered = client.get(url("country-pairs"), {"recipient": "ZA"}).json()["results"]
    assert {(r["provider"], r["recipient"]) for r in filtered} == {("BR", "MZ"), ("BR", "ZA")}

    sign_in_editor(hidden.owner)
    rows = client.get(url("country-pairs")).json()["results"]
    assert ("BR", "HT") in {(r["provider"], r["recipient"]) for r in rows}


@pytest.mark.django_db
def test_funding_models_use_stable_keys(client):
    FundingContributionFactory(initiative=InitiativeFactory())
    rows = client.get(url("funding-models")).json()["results"]
    assert {
        "key": "citizen-donations",
        "label": "Citizen donations in the provider country",
        "initiatives": 1,
    } in rows


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_aggregate_hides_unpublished_records_and_has_a_fixed_query_count(
    client, kind, count_queries
):
    for state in [s for s in State.values if s != State.PUBLISHED]:
        record = InitiativeFactory(state=state, start_year=1999, recipient__country=country("HT"))
        record.modalities.add(1)
        record.sectors.add("73010")
        FundingContributionFactory(initiative=record)
    body = client.get(url(kind)).json()
    text = str(body)
    assert "HT" not in text and "1999" not in text and "73010" not in text[:0] + text
    assert all(row.get("initiatives", 0) == 0 for row in body["results"] if "initiatives" in row), (
        body
    )
    few = count_queries(lambda: client.get(url(kind)))
    for _ in range(10):
        InitiativeFactory(start_year=2012)
    assert count_queries(lambda: client.get(url(kind))) == few


@pytest.mark.django_db
def test_aggregates_as_csv_and_errors(client):
    InitiativeFactory()
    response = client.get(url("countries"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["country"] for row in rows} == {"BR", "MZ"}
    assert client.get(url("nope")).json()["error"]["code"] == "not_found"
    assert client.get(url("countries"), {"provider": "ZZ"}).status_code == 400
