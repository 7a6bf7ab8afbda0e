"""What editors supply for open data: each sector's share and a contribution's exact date, on
the editor's page (without scripts) and in the read API; and the sectors' table keeps its
rows and history."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from reversion.models import Version

from funding.models import FundingContribution
from initiatives.models import InitiativeSector
from reference.models import Sector
from tests.factories import InitiativeFactory, Rows
from tests.html_forms import form_fields

D = Decimal


def edit_url(initiative) -> str:
    return reverse("editor-initiative-edit", args=[initiative.slug])


@pytest.fixture
def draft(organisation):
    initiative = InitiativeFactory(owner=organisation, state="draft", start_year=2019)
    initiative.sectors.set(Sector.objects.filter(code__in=["15150", "31166"]))
    return initiative


@pytest.mark.django_db
def test_each_saved_sector_has_a_labelled_share_input(signed_in, draft):
    page = signed_in.get(edit_url(draft)).content.decode()
    assert 'id="sector-shares"' in page
    for code in ("15150", "31166"):
        assert f'for="id_sector_share_{code}"' in page
        assert f'name="sector_share_{code}"' in page
    assert "adding up to 100" in page


@pytest.mark.django_db
def test_shares_are_saved_kept_when_sectors_stay_and_versioned(signed_in, draft):
    data = form_fields(signed_in.get(edit_url(draft)).content.decode(), "editor-form")
    data.update({"sector_share_15150": "70", "sector_share_31166": "30"})
    response = signed_in.post(edit_url(draft), data)
    assert response.status_code == 302
    shares = dict(draft.sector_links.values_list("sector", "share"))
    assert shares == {"15150": D(70), "31166": D(30)}
    # Adding a sector keeps the others' shares; the new one gets its input once saved.
    data = form_fields(signed_in.get(edit_url(draft)).content.decode(), "editor-form")
    data["sectors"] = ["15150", "31166", "31120"]
    assert signed_in.post(edit_url(draft), data).status_code == 302
    shares = dict(draft.sector_links.values_list("sector", "share"))
    assert shares == {"15150": D(70), "31166": D(30), "31120": None}
    assert 'name="sector_share_31120"' in signed_in.get(edit_url(draft)).content.decode()
    versions = Version.objects.get_for_model(InitiativeSector)
    assert {version.field_dict["share"] for version in versions} >= {D(70), D(30)}


@pytest.mark.django_db
def test_a_share_above_100_is_refused_next_to_its_field(signed_in, draft):
    data = form_fields(signed_in.get(edit_url(draft)).content.decode(), "editor-form")
    data["sector_share_15150"] = "140"
    response = signed_in.post(edit_url(draft), data)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert draft.sector_links.get(sector="15150").share is None


@pytest.mark.django_db
def test_the_editor_asks_for_missing_shares_and_start(signed_in, organisation):
    initiative = InitiativeFactory(owner=organisation, state="draft")
    initiative.sectors.set(Sector.objects.filter(code__in=["15150", "31166"]))
    page = signed_in.get(edit_url(initiative)).content.decode()
    assert 'href="#themes"' in page
    assert "Give each sector its share of the effort" in page
    assert 'href="#id_actual_start"' in page


@pytest.mark.django_db
def test_a_funding_row_takes_an_exact_date(signed_in, draft):
    Rows(draft).funding(amount=D(100), currency="USD", year_start=2019)
    data = form_fields(signed_in.get(edit_url(draft)).content.decode(), "editor-form")
    assert "funding-0-date" in data
    data["funding-0-date"] = "2019-06-30"
    assert signed_in.post(edit_url(draft), data).status_code == 302
    assert FundingContribution.objects.get(initiative=draft).date == date(2019, 6, 30)
    data = form_fields(signed_in.get(edit_url(draft)).content.decode(), "editor-form")
    data["funding-0-date"] = "2018-06-30"  # before the years given: refused, with the reason
    page = signed_in.post(edit_url(draft), data).content.decode()
    assert "The date falls outside the years given." in page


@pytest.mark.django_db
def test_the_read_api_shows_sector_shares_and_contribution_dates(client):
    initiative = InitiativeFactory(slug="shared")
    initiative.sectors.set(Sector.objects.filter(code__in=["15150", "31166"]))
    initiative.sector_links.filter(sector="15150").update(share=D(60))
    Rows(initiative).funding(amount=D(5), currency="USD", date=date(2020, 1, 15))
    body = client.get("/api/v1/initiatives/shared/").json()
    assert body["sectors"] == ["15150", "31166"]
    assert body["sector_shares"] == [
        {"code": "15150", "share": "60.00"},
        {"code": "31166", "share": None},
    ]
    assert body["funding_contributions"][0]["date"] == "2020-01-15"
