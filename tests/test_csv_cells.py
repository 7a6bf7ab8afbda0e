"""No CSV the portal writes carries a cell a spreadsheet would run as a formula.

A text cell beginning with =, +, -, @, a tab or a carriage return gets a leading apostrophe
(OWASP's advice for CSV injection) in the API's CSV (written by PostgreSQL), both tables of
the dataset export and the aggregates' CSV. Other cells, and numbers, are written as they
are. XLSX keeps such text as text cells, never formulas.
"""

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from initiatives.models import Initiative
from principles.models import PrincipleEvidence
from reference.models import Modality
from reports.builders.dataset import csv_cell, write_dataset
from tests.factories import InitiativeFactory, OrganisationFactory, PrincipleEvidenceFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
# The characters that make a spreadsheet read a cell as a formula, and a title for each.
TRIGGERS = {"=": HYPERLINK, "+": "+1 idea", "-": "-2 lessons", "@": "@SUM(A1)"}
TRIGGERS |= {"\t": "\tTabbed in", "\r": "\rCarried back"}
PLAIN = "Seed fairs: 50% = more +seeds -waste @home"  # triggers, but not first


@pytest.fixture
def hostile():
    """A published initiative per trigger, titled and summarised with it; one plain record;
    an owner whose slug starts with a dash; evidence and a modality named like formulas."""
    dashed = OrganisationFactory(slug="-dashed-owner")
    modality = Modality.objects.create(slug="formula-modality", name="=cmd|' /C calc'!A0")
    records = {}
    for index, (trigger, title) in enumerate(TRIGGERS.items()):
        records[trigger] = InitiativeFactory(
            slug=f"hostile-{index}",
            title=title,
            summary=f"{trigger}summary",
            start_year=2014,
            activity_status=2,
        )
        records[trigger].modalities.add(modality)
    records["plain"] = InitiativeFactory(
        slug="plain", title=PLAIN, summary=PLAIN, owner=dashed, start_year=2015
    )
    PrincipleEvidenceFactory(initiative=records["="], narrative="=1+1", quote="@cmd", source=None)
    return records


def escaped(text: str) -> str:
    return "'" + text


def rows_by(rows: list[dict], key: str) -> dict[str, dict]:
    return {row[key]: row for row in rows}


def test_the_api_csv_prefixes_formula_cells_and_leaves_the_rest(client, hostile):
    response = client.get("/api/v1/initiatives/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode()
    rows = rows_by(list(csv.DictReader(io.StringIO(text, newline=""))), "slug")

    for trigger, title in TRIGGERS.items():
        row = rows[hostile[trigger].slug]
        assert row["title"] == escaped(title), repr(trigger)
        assert (row["start_year"], row["activity_status"]) == ("2014", "2")
        assert row["modalities"] == "formula-modality"
    plain = rows["plain"]
    assert plain["title"] == PLAIN
    assert plain["owner"] == escaped("-dashed-owner")
    assert plain["participants"] == escaped("-dashed-owner (lead)")
    assert (plain["start_year"], plain["provider_countries"]) == ("2015", "BR")


def dataset_csv(queryset) -> tuple[dict[str, dict], list[dict], str]:
    out = io.BytesIO()
    write_dataset(queryset, "csv", out)
    with zipfile.ZipFile(out) as archive:

        def table(name):
            return list(csv.DictReader(io.StringIO(archive.read(name).decode(), newline="")))

        initiatives = rows_by(table("initiatives.csv"), "slug")
        return initiatives, table("principle_evidence.csv"), archive.read("README.txt").decode()


def test_both_tables_of_the_dataset_csv_prefix_formula_cells(hostile):
    initiatives, evidence, readme = dataset_csv(Initiative.objects.published())

    for trigger, title in TRIGGERS.items():
        row = initiatives[hostile[trigger].slug]
        assert (row["title"], row["summary"]) == (escaped(title), escaped(f"{trigger}summary"))
        assert (row["start_year"], row["activity_status"], row["sdg_goals"]) == ("2014", "2", "")
    plain = initiatives["plain"]
    assert (plain["title"], plain["summary"]) == (PLAIN, PLAIN)
    assert plain["owner"] == escaped("-dashed-owner")
    assert plain["participants"] == escaped("-dashed-owner (lead)")
    assert plain["page"].startswith("http")

    [row] = evidence
    assert (row["initiative_title"], row["narrative"], row["quote"]) == (
        escaped(HYPERLINK),
        "'=1+1",
        "'@cmd",
    )
    assert (row["initiative"], row["strength"]) == (hostile["="].slug, "1")
    assert "begins with =, +, -, @, a tab or a carriage return" in readme


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-5, "-5"),
        (Decimal("-2.50"), "-2.50"),
        ("-5", "'-5"),
        (["-a", "b"], "'-a; b"),
        ([-1, 2], "-1; 2"),
    ],
)
def test_dataset_numbers_are_written_as_they_are_and_text_is_prefixed(value, cell):
    assert csv_cell(value) == cell


def test_the_aggregates_csv_prefixes_formula_labels(client, hostile):
    response = client.get("/api/v1/aggregates/modalities/", {"format": "csv"})
    rows = rows_by(list(csv.DictReader(io.StringIO(response.content.decode(), newline=""))), "key")

    assert rows["formula-modality"] == {
        "key": "formula-modality",
        "label": escaped("=cmd|' /C calc'!A0"),
        "initiatives": str(len(TRIGGERS)),
    }


def test_xlsx_writes_formula_text_as_a_string_cell(hostile):
    Initiative.objects.filter(pk=hostile["plain"].pk).update(title="=1+1")
    PrincipleEvidence.objects.update(narrative="=1+1")
    out = io.BytesIO()
    write_dataset(Initiative.objects.published(), "xlsx", out)
    workbook = openpyxl.load_workbook(out)

    for sheet, column in [("initiatives", "title"), ("principle_evidence", "narrative")]:
        rows = list(workbook[sheet].iter_rows())
        index = [cell.value for cell in rows[0]].index(column)
        cell = next(row[index] for row in rows[1:] if row[index].value == "=1+1")
        assert cell.data_type == "s", "a string, not a formula"
