"""The dataset export (CSV archive, XLSX workbook, JSON document), read back and compared."""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from initiatives.models import Initiative, InitiativeCountry, Participation
from organisations.models import OrganisationType
from principles.models import PrincipleEvidence
from reports.builders.dataset import (
    EVIDENCE_COLUMNS,
    EXCEL_CELL_LIMIT,
    INITIATIVE_COLUMNS,
    write_dataset,
)
from tests.factories import InitiativeFactory, OrganisationFactory, Rows

FILTERS = {"recipient": ["MZ", "ZA"], "sector": ["31120"]}
INJECTED_TITLE = '=HYPERLINK("http://evil.example","Click")'
DRAFT_TITLE = "Zebra-striped unpublished draft"


def export(fmt: str, queryset=None, **kwargs) -> bytes:
    out = io.BytesIO()
    queryset = Initiative.objects.published() if queryset is None else queryset
    write_dataset(queryset, fmt, out, **kwargs)
    return out.getvalue()


def read_csv(data: bytes) -> tuple[list[dict], list[dict], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [
            "README.txt",
            "initiatives.csv",
            "principle_evidence.csv",
        ]

        def table(name):
            text = archive.read(name).decode("utf-8")
            return list(csv.DictReader(io.StringIO(text)))

        readme = archive.read("README.txt").decode("utf-8")
        return table("initiatives.csv"), table("principle_evidence.csv"), readme


def sheet_rows(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


def read_tables(fmt: str, data: bytes) -> tuple[list[dict], list[dict]]:
    """Both tables of an export of any format, as lists of rows."""
    if fmt == "csv":
        initiatives, evidence, _readme = read_csv(data)
        return initiatives, evidence
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        return sheet_rows(workbook["initiatives"]), sheet_rows(workbook["principle_evidence"])
    document = json.loads(data)
    return document["initiatives"], document["principle_evidence"]


@pytest.fixture
def records(db, settings):
    """Two published initiatives with related rows, and a draft with its own evidence."""
    settings.SITE_URL = "https://ssdc.example.org/"
    settings.DATA_LICENCE = "ODbL-1.0"
    partner = OrganisationFactory(
        slug="maputo-farmers", actor_type=OrganisationType.COMMUNITY_BASED
    )
    seeds = InitiativeFactory(
        slug="seed-fairs",
        title="Seed fairs",
        recipient__share=60,
        start_year=2014,
        planned_end=date(2018, 6, 30),
        published_at=datetime(2015, 3, 1, 12, 30, tzinfo=UTC),
    )
    rows = Rows(seeds)
    rows.country("ZA", share=40)
    rows.country("AR", role="provider")
    rows.participant(partner, role=Participation.Role.IMPLEMENTING)
    seeds.sectors.add("31120", "11110")
    seeds.sdg_goals.add(2, 5)
    rows.modalities("exchange-visits", "training")
    rows.funding("citizen-donations", amount=600, currency="BRL")
    rows.funding("provider-government", amount=400, currency="BRL")
    rows.non_monetary("person_days", 120, year=2015)
    rows.outcome("Native seed banks in three districts")
    report = rows.source(url="https://example.org/report.pdf")
    rows.source()
    rows.evidence()
    rows.evidence(
        "results",
        strength=PrincipleEvidence.Strength.DOCUMENTED,
        source=report,
        quote="Yields doubled.",
        confirmation="confirmed",
        confirmed_by_organisation=partner,
        confirmed_at=datetime(2016, 1, 2, 9, 0, tzinfo=UTC),
    )

    injected = InitiativeFactory(
        slug="injected",
        title=INJECTED_TITLE,
        summary="+1 for the idea",
        is_fragile_state=True,
        is_conflict_affected=True,
        provider_government_involvement=Initiative.GovernmentInvolvement.CONSULTED,
        coordinates_with_other_donors=True,
    )
    Rows(injected).funding(is_in_kind=True)
    Rows(injected).evidence(
        "inclusive-partnerships",
        stance=PrincipleEvidence.Stance.CHALLENGES,
        narrative="-Women's groups were not consulted.",
    )

    draft = InitiativeFactory(slug="draft", title=DRAFT_TITLE, state=Initiative.State.DRAFT)
    Rows(draft).evidence(narrative=f"Evidence of {DRAFT_TITLE}")
    return {"seeds": seeds, "injected": injected, "draft": draft, "partner": partner}


def expected_evidence() -> set[tuple]:
    """(initiative, principle, stance, confirmed by) of every published initiative's evidence."""
    return {
        (
            e.initiative.slug,
            e.principle.slug,
            e.stance,
            e.confirmed_by_organisation.slug if e.confirmed_by_organisation else "",
        )
        for e in PrincipleEvidence.objects.filter(initiative__state=Initiative.State.PUBLISHED)
    }


def test_csv_archive_holds_one_row_per_published_initiative(records):
    data = export("csv", filters=FILTERS)
    initiatives, evidence, readme = read_csv(data)

    assert [row["slug"] for row in initiatives] == ["seed-fairs", "injected"]
    assert list(initiatives[0]) == [column.name for column in INITIATIVE_COLUMNS]
    seeds = initiatives[0]
    partner = records["partner"]
    owner = records["seeds"].owner
    assert seeds["page"] == "https://ssdc.example.org/initiatives/seed-fairs/"
    assert seeds["state"] == "published"
    assert seeds["start_year"] == "2014"
    assert seeds["end_year"] == "2018"
    assert seeds["planned_end"] == "2018-06-30"
    assert seeds["owner"] == owner.slug
    assert seeds["owner_name"] == owner.name
    assert seeds["provider_countries"] == "AR; BR"
    assert seeds["recipient_countries"] == "MZ; ZA"
    assert seeds["recipient_shares"] == "MZ 60; ZA 40"
    assert seeds["participants"] == f"{owner.slug} (lead); {partner.slug} (implementing)"
    assert seeds["participant_types"] == "community_based; national_ngo"
    assert seeds["sectors"] == "11110; 31120"
    assert seeds["sdg_goals"] == "2; 5"
    assert seeds["modalities"] == "exchange-visits; training"
    assert seeds["funding_models"] == "citizen-donations; provider-government"
    assert seeds["funding_mix"] == "citizen-donations 60.0; provider-government 40.0"
    assert seeds["funding_totals"] == "BRL 1000.00"
    assert seeds["in_kind"] == "false"
    assert seeds["non_monetary_contributions"] == "person_days 120 (2015)"
    assert seeds["outcome_count"] == "1"
    assert seeds["source_count"] == "2"
    assert seeds["evidence_count"] == "2"
    assert seeds["principles_evidenced"] == "busan/ownership; busan/results"
    assert seeds["published_at"] == "2015-03-01T12:30:00+00:00"
    assert seeds["contexts"] == ""
    assert seeds["coordinates_with_other_donors"] == ""

    injected = initiatives[1]
    assert injected["title"] == "'" + INJECTED_TITLE  # not a formula in a spreadsheet
    assert injected["contexts"] == "fragile_state; conflict_affected"
    assert injected["provider_government_involvement"] == "consulted"
    assert injected["recipient_government_involvement"] == ""
    assert injected["coordinates_with_other_donors"] == "true"
    assert injected["in_kind"] == "true"
    assert injected["funding_totals"] == ""

    assert {
        (row["initiative"], row["principle"], row["stance"], row["confirmed_by_organisation"])
        for row in evidence
    } == expected_evidence()
    attested = next(row for row in evidence if row["confirmed_by_organisation"])
    assert attested["initiative_title"] == "Seed fairs"
    assert attested["principle_set"] == "busan"
    assert attested["principle_name"] == "Focus on results"
    assert attested["strength"] == "2"
    assert attested["source_url"] == "https://example.org/report.pdf"
    assert attested["quote"] == "Yields doubled."
    assert attested["confirmed_at"] == "2016-01-02T09:00:00+00:00"

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(DRAFT_TITLE.encode() not in archive.read(name) for name in archive.namelist())
    assert "Licence: ODbL-1.0" in readme
    assert "Portal: https://ssdc.example.org" in readme
    assert "recipient = MZ, ZA; sector = 31120" in readme
    assert "Initiatives: 2" in readme
    assert "Principle evidence rows: 3" in readme
    for column in [*INITIATIVE_COLUMNS, *EVIDENCE_COLUMNS]:
        assert f"- {column.name}: {column.description}" in readme


def test_xlsx_workbook_has_readme_and_both_tables(records):
    data = export("xlsx", filters=FILTERS)
    workbook = openpyxl.load_workbook(io.BytesIO(data))

    assert workbook.sheetnames == ["README", "initiatives", "principle_evidence"]
    sheet = workbook["initiatives"]
    rows = sheet_rows(sheet)
    assert [row["slug"] for row in rows] == ["seed-fairs", "injected"]
    assert [cell.value for cell in sheet[1]] == [column.name for column in INITIATIVE_COLUMNS]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(3, len(INITIATIVE_COLUMNS)).coordinate}"

    seeds = rows[0]
    assert seeds["recipient_shares"] == "MZ 60; ZA 40"
    assert seeds["funding_totals"] == "BRL 1000.00"
    assert seeds["start_year"] == 2014
    assert seeds["evidence_count"] == 2
    assert seeds["in_kind"] is False
    assert seeds["planned_end"].date() == date(2018, 6, 30)  # a real date cell, not text
    assert seeds["published_at"].replace(tzinfo=UTC) == datetime(2015, 3, 1, 12, 30, tzinfo=UTC)
    assert seeds["coordinates_with_other_donors"] is None

    evidence = sheet_rows(workbook["principle_evidence"])
    assert {
        (row["initiative"], row["principle"], row["stance"], row["confirmed_by_organisation"] or "")
        for row in evidence
    } == expected_evidence()
    assert DRAFT_TITLE not in {row["initiative_title"] for row in evidence}

    readme = [cell for row in workbook["README"].iter_rows(values_only=True) for cell in row]
    assert "ODbL-1.0" in readme
    assert "recipient = MZ, ZA; sector = 31120" in readme
    names = {column.name for column in [*INITIATIVE_COLUMNS, *EVIDENCE_COLUMNS]}
    assert names <= set(readme)


def test_xlsx_writes_formula_like_text_as_text(records):
    workbook = openpyxl.load_workbook(io.BytesIO(export("xlsx")))
    sheet = workbook["initiatives"]
    header = [cell.value for cell in sheet[1]]
    injected = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "injected")

    title = injected[header.index("title")]
    assert title.data_type == "s"
    assert title.value == INJECTED_TITLE
    assert injected[header.index("summary")].data_type == "s"

    evidence = workbook["principle_evidence"]
    column = [cell.value for cell in evidence[1]].index("narrative") + 1
    narratives = [evidence.cell(row, column) for row in range(2, evidence.max_row + 1)]
    challenge = next(cell for cell in narratives if cell.value.startswith("-Women"))
    assert challenge.data_type == "s"


def test_xlsx_cuts_text_longer_than_a_cell_holds_and_says_so(records):
    PrincipleEvidence.objects.filter(initiative=records["injected"]).update(narrative="x" * 40_000)
    evidence = sheet_rows(openpyxl.load_workbook(io.BytesIO(export("xlsx")))["principle_evidence"])

    narrative = next(row["narrative"] for row in evidence if row["initiative"] == "injected")
    assert len(narrative) == EXCEL_CELL_LIMIT
    assert narrative.endswith("truncated]")


def test_json_document_keeps_lists_as_arrays(records):
    document = json.loads(export("json", filters=FILTERS).decode("utf-8"))

    meta = document["meta"]
    assert meta["licence"] == "ODbL-1.0"
    assert meta["portal"] == "https://ssdc.example.org"
    assert meta["filters"] == FILTERS
    assert meta["counts"] == {"initiatives": 2, "principle_evidence": 3}
    assert datetime.fromisoformat(meta["exported_at"]).tzinfo is not None
    assert list(meta["columns"]) == [column.name for column in INITIATIVE_COLUMNS]
    assert list(meta["evidence_columns"]) == [column.name for column in EVIDENCE_COLUMNS]

    initiatives = document["initiatives"]
    assert [row["slug"] for row in initiatives] == ["seed-fairs", "injected"]
    assert all(list(row) == list(meta["columns"]) for row in initiatives)
    seeds = initiatives[0]
    assert seeds["recipient_countries"] == ["MZ", "ZA"]
    assert seeds["recipient_shares"] == ["MZ 60", "ZA 40"]
    assert seeds["sdg_goals"] == [2, 5]
    assert seeds["funding_totals"] == ["BRL 1000.00"]
    assert seeds["in_kind"] is False
    assert seeds["activity_status"] == 2
    assert seeds["planned_end"] == "2018-06-30"
    assert seeds["published_at"] == "2015-03-01T12:30:00+00:00"
    assert seeds["coordinates_with_other_donors"] is None
    assert initiatives[1]["contexts"] == ["fragile_state", "conflict_affected"]

    evidence = document["principle_evidence"]
    assert {
        (row["initiative"], row["principle"], row["stance"], row["confirmed_by_organisation"] or "")
        for row in evidence
    } == expected_evidence()
    assert all(list(row) == list(meta["evidence_columns"]) for row in evidence)
    assert DRAFT_TITLE not in json.dumps(document)


@pytest.mark.django_db
def test_json_without_filters_or_rows_is_still_valid():
    document = json.loads(export("json", Initiative.objects.none()))

    assert document["initiatives"] == []
    assert document["principle_evidence"] == []
    assert document["meta"]["filters"] == {}
    assert document["meta"]["counts"] == {"initiatives": 0, "principle_evidence": 0}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_drafts_are_exported_when_the_queryset_includes_them(records, fmt):
    initiatives, evidence = read_tables(fmt, export(fmt, Initiative.objects.all()))

    assert {row["slug"]: row["state"] for row in initiatives} == {
        "seed-fairs": "published",
        "injected": "published",
        "draft": "draft",
    }
    assert "draft" in {row["initiative"] for row in evidence}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_returns_the_row_count_and_reports_progress_to_the_end(records, fmt):
    calls = []
    written = write_dataset(
        Initiative.objects.published(), fmt, io.BytesIO(), progress=lambda *c: calls.append(c)
    )
    assert written == 2
    assert calls[0] == (0, 5)
    assert calls[-1] == (5, 5)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_query_count_does_not_grow_with_rows(count_queries, fmt):
    def make(n: int) -> None:
        for _ in range(n):
            initiative = InitiativeFactory()
            rows = Rows(initiative)
            rows.country("AR", role=InitiativeCountry.Role.PROVIDER)
            rows.participant()
            rows.funding(amount=10, currency="USD")
            initiative.sectors.add("31120")
            initiative.sdg_goals.add(1)
            initiative.modalities.add(1, 2)
            rows.outcome("Outcome")
            rows.source()
            rows.evidence()

    make(2)
    few = count_queries(lambda: export(fmt))
    make(18)
    many = count_queries(lambda: export(fmt))
    assert many == few
    assert few <= 15  # two counts, the rows, one query per prefetch, the evidence
    assert len(json.loads(export("json"))["initiatives"]) == 20


@pytest.mark.django_db
def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        export("pdf")


def test_shares_keep_their_decimals_and_order(records):
    InitiativeCountry.objects.filter(initiative=records["seeds"], country="MZ").update(
        share=Decimal("33.33")
    )
    initiatives, _evidence, _readme = read_csv(export("csv"))
    assert initiatives[0]["recipient_shares"] == "ZA 40; MZ 33.33"
    assert initiatives[0]["recipient_countries"] == "ZA; MZ"
