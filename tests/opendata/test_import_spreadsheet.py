"""The spreadsheet template: one row per initiative, errors by row and column."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from initiatives.models import Initiative
from opendata.imports.plan import ImportFailed, apply_plan, plan_import
from opendata.imports.spreadsheet import (
    COLUMN_NAMES,
    read_spreadsheet,
    template_csv,
    template_xlsx,
)
from tests.factories import InitiativeFactory, OrganisationFactory

ROW = {
    "title": "Seed banks",
    "summary": "Farmers share how they keep seeds.",
    "cooperation_type": "bilateral",
    "actual_start": "2022-03-01",
    "provider_countries": "BR",
    "recipient_countries": "HT:60; DO:40",
    "sectors": "31120; 12220",
    "sdg_goals": "2",
    "modalities": "exchange-visits",
    "funding": "citizen-donations:5000:USD:2022",
    "outcomes": "Seed houses opened; Farmers trained",
    "sources": "Annual report 2022 | https://example.org/report",
}


def as_csv(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def as_xlsx(*rows: dict) -> bytes:
    book = Workbook()
    book.active.append(COLUMN_NAMES)
    for row in rows:
        book.active.append([row.get(name) for name in COLUMN_NAMES])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def do_import(data: bytes, filename: str, owner, user):
    records, problems = read_spreadsheet(data, filename, owner=owner)
    plan = plan_import(records, owner, by=user, found=problems)
    return plan, apply_plan(plan, by=user, source_name=filename)


@pytest.fixture
def owner(organisation):
    return organisation


@pytest.mark.parametrize(("maker", "filename"), [(as_csv, "survey.csv"), (as_xlsx, "survey.xlsx")])
def test_a_filled_template_imports_as_drafts(owner, editor, maker, filename):
    _plan, written = do_import(maker(ROW), filename, owner, editor)

    initiative = Initiative.objects.get()
    assert written == [initiative]
    assert (initiative.owner, initiative.state) == (owner, Initiative.State.DRAFT)
    assert sorted((str(c.country_id), c.role, c.share) for c in initiative.country_links.all()) == [
        ("BR", "provider", None),
        ("DO", "recipient", Decimal(40)),
        ("HT", "recipient", Decimal(60)),
    ]
    assert sorted(initiative.sectors.values_list("code", flat=True)) == ["12220", "31120"]
    contribution = initiative.funding_contributions.get()
    assert (contribution.amount, contribution.currency, contribution.year_start) == (
        Decimal(5000),
        "USD",
        2022,
    )
    assert [o.title for o in initiative.outcomes.order_by("position")] == [
        "Seed houses opened",
        "Farmers trained",
    ]
    assert initiative.sources.get().url == "https://example.org/report"


def test_importing_the_same_sheet_again_updates_the_draft(owner, editor):
    do_import(as_csv(ROW), "survey.csv", owner, editor)
    do_import(as_csv({**ROW, "summary": "Changed."}), "survey.csv", owner, editor)

    assert Initiative.objects.get().summary == "Changed."


def test_errors_name_their_row_and_column_and_nothing_is_written(owner, editor):
    bad = {**ROW, "title": "Second", "recipient_countries": "HT:60; XX:40"}
    worse = {**ROW, "title": "Third", "cooperation_type": "", "actual_start": "March 2022"}

    with pytest.raises(ImportFailed) as failed:
        do_import(as_csv(ROW, bad, worse), "survey.csv", owner, editor)

    where = [(p.row, p.column) for p in failed.value.problems]
    assert sorted(where) == [
        (3, "recipient_countries"),
        (4, "actual_start"),
        (4, "cooperation_type"),
    ]
    assert "row 3, column “recipient_countries”" in str(failed.value.problems[0])
    assert not Initiative.objects.exists()


def test_shares_that_do_not_add_up_are_named_by_column(owner, editor):
    with pytest.raises(ImportFailed) as failed:
        do_import(as_csv({**ROW, "recipient_countries": "HT:60; DO:60"}), "s.csv", owner, editor)

    assert [(p.row, p.column) for p in failed.value.problems] == [(2, "recipient_countries")]


def test_a_missing_required_column_is_named(owner, editor):
    data = b"title,summary\nSeed banks,Farmers\n"

    records, problems = read_spreadsheet(data, "s.csv", owner=owner)

    assert records == []
    assert [(p.row, p.column) for p in problems] == [(1, "cooperation_type")]


def test_a_published_record_named_by_slug_is_not_changed(owner, editor):
    published = InitiativeFactory(owner=owner, slug="seeds")

    with pytest.raises(ImportFailed):
        do_import(as_csv({**ROW, "slug": "seeds"}), "s.csv", owner, editor)

    published.refresh_from_db()
    assert published.summary != ROW["summary"]


def test_the_templates_hold_every_column_and_an_example_that_imports(owner, editor):
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert [cell.value for cell in book["initiatives"][1]] == COLUMN_NAMES
    assert {row[0].value for row in book["columns"].iter_rows(min_row=2)} >= set(COLUMN_NAMES)
    assert template_csv().decode().splitlines()[0] == ",".join(COLUMN_NAMES)

    do_import(template_csv(), "template.csv", owner, editor)

    assert Initiative.objects.get().title == "Community seed banks"


def test_a_file_that_is_not_a_workbook_is_refused(owner):
    records, problems = read_spreadsheet(b"not a zip", "s.xlsx", owner=owner)

    assert records == [] and problems[0].row == 1


def test_another_organisation_s_draft_is_not_changed(owner, editor):
    InitiativeFactory(owner=OrganisationFactory(), slug="theirs", state="draft")

    with pytest.raises(ImportFailed) as failed:
        do_import(as_csv({**ROW, "slug": "theirs"}), "s.csv", owner, editor)

    assert "another organisation" in str(failed.value.problems[0])


def test_workbooks_are_read_with_xml_attacks_defused():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
