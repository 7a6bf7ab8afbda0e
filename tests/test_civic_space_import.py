"""Civic-space ratings imported from a CSV file: the admin's import page (upload, problems by
row and column, preview, confirmation) and the ``import_civic_space`` command."""

import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, execute_from_command_line
from django.urls import reverse
from django.utils import timezone

from reference.civic_space_import import (
    MAX_FILE_BYTES,
    CivicSpaceImportError,
    civic_space_ratings_import,
)
from reference.models import CivicSpaceRating
from ssdc_portal.languages import path_in_language
from tests.factories import ModeratorFactory, UserFactory, country

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:reference_civicspacerating_import")
TEMPLATE_URL = reverse("admin:reference_civicspacerating_import_template")
CHANGELIST_URL = reverse("admin:reference_civicspacerating_changelist")
CIVICUS_BRAZIL = "https://monitor.civicus.org/country/brazil/"
HEADER = "country,year,source,rating,score,url\n"
VALID = (
    HEADER
    + f"BR,2023,CIVICUS Monitor,Obstructed,,{CIVICUS_BRAZIL}\n"
    + "MZ,2023,civicus_monitor,repressed,32,\n"
    + "ZA,2022,Enabling Environment Index,,61.5,https://example.org/eei/za\n"
)


def rows() -> list[tuple]:
    return list(
        CivicSpaceRating.objects.order_by("country", "year", "source").values_list(
            "country", "year", "source", "rating", "score", "source_url"
        )
    )


def run(content: str | bytes, **options):
    data = content.encode() if isinstance(content, str) else content
    return civic_space_ratings_import(content=data, file_name="ratings.csv", **options)


def problems_of(content: str | bytes) -> list[str]:
    with pytest.raises(CivicSpaceImportError) as raised:
        run(content)
    return [str(problem) for problem in raised.value.problems]


# The import ------------------------------------------------------------------------------------


def test_a_valid_file_adds_its_ratings():
    plan = run(VALID)

    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert rows() == [
        ("BR", 2023, "civicus_monitor", "obstructed", None, CIVICUS_BRAZIL),
        ("MZ", 2023, "civicus_monitor", "repressed", Decimal("32.00"), ""),
        (
            "ZA",
            2022,
            "enabling_environment_index",
            "",
            Decimal("61.50"),
            "https://example.org/eei/za",
        ),
    ]


def test_names_in_other_languages_semicolons_a_bom_and_a_decimal_comma_are_read():
    content = (
        "\ufeffCountry;Year;Source;Rating;Score;URL\r\n"
        "br;2021;Índice de Ambiente Favorável;Fechado;45,25;\r\n"
        "MZ;2021;civicus_monitor;Réprimé;10;\r\n"
    )

    run(content)

    assert rows() == [
        ("BR", 2021, "enabling_environment_index", "closed", Decimal("45.25"), ""),
        ("MZ", 2021, "civicus_monitor", "repressed", Decimal("10.00"), ""),
    ]


def test_a_re_import_changes_ratings_instead_of_adding_them():
    run(VALID)
    changed = VALID.replace("Obstructed,,", "Repressed,20,").replace(
        "ZA,2022,Enabling Environment Index,,61.5,https://example.org/eei/za",
        "ZA,2022,Enabling Environment Index,,61.5,",
    )

    plan = run(changed)

    assert plan.counts == {"created": 0, "updated": 2, "unchanged": 1}
    assert [changes for _row, changes in plan.updated] == [["rating", "score"], ["source_url"]]
    assert CivicSpaceRating.objects.count() == 3
    brazil = CivicSpaceRating.objects.get(country="BR")
    assert (brazil.rating, brazil.score) == ("repressed", Decimal("20.00"))
    assert CivicSpaceRating.objects.get(country="ZA").source_url == ""


def test_a_dry_run_writes_nothing_and_says_what_would_change():
    plan = run(VALID, dry_run=True)

    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert rows() == []


# A bad row after a good one (row 2): the bad one is row 3.
BAD_FILES = {
    "unknown country": (
        "XX,2023,civicus_monitor,open,,",
        "Row 3, column “country”: “XX” is not a country the portal knows",
    ),
    "country missing": (",2023,civicus_monitor,open,,", "Row 3, column “country”: The country"),
    "year not a number": (
        "BR,twenty,civicus_monitor,open,,",
        "Row 3, column “year”: “twenty” is not a year from 1990 to",
    ),
    "year too early": ("BR,1989,civicus_monitor,open,,", "Row 3, column “year”: “1989”"),
    "year to come": (
        f"BR,{timezone.localdate().year + 1},civicus_monitor,open,,",
        "Row 3, column “year”",
    ),
    "source unknown": ("BR,2023,Freedom House,open,,", "Row 3, column “source”: “Freedom"),
    "rating not on the scale": (
        "BR,2023,civicus_monitor,partly free,,",
        "Row 3, column “rating”: “partly free” is not on the scale: give “Open”, “Narrowed”, "
        "“Obstructed”, “Repressed” or “Closed”, or leave it empty.",
    ),
    "score not a number": (
        "BR,2023,enabling_environment_index,,high,",
        "Row 3, column “score”: “high” is not a number.",
    ),
    "score out of range": (
        "BR,2023,enabling_environment_index,,140,",
        "Row 3, column “score”: 140 is outside 0 to 100",
    ),
    "score with three decimals": (
        "BR,2023,enabling_environment_index,,0.615,",
        "Row 3, column “score”: 0.615 has more than two decimal places.",
    ),
    "invalid URL": (
        "BR,2023,civicus_monitor,open,,monitor.civicus.org",
        "Row 3, column “url”: “monitor.civicus.org” is not a web address",
    ),
    "neither rating nor score": (
        "BR,2023,civicus_monitor,,,",
        "Row 3, columns “rating” and “score”: Give a rating, a score or both.",
    ),
    "duplicate rows": (
        "mz,2023,CIVICUS Monitor,narrowed,,",
        "Row 3, columns “country”, “year” and “source”: Row 2 already gives this country",
    ),
    "too many cells": (
        "BR,2023,civicus_monitor,open,,,extra",
        "Row 3: The row has more cells than the header has columns.",
    ),
    "broken quoting": ('BR,2023,civicus_monitor,"open,,', "Row 3: The file cannot be read"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_each_kind_of_bad_row_is_named_by_row_and_column_and_nothing_is_written(kind):
    bad_row, expected = BAD_FILES[kind]
    content = HEADER + "MZ,2023,civicus_monitor,repressed,,\n" + bad_row + "\n"

    found = problems_of(content)

    assert any(problem.startswith(expected) for problem in found), found
    assert rows() == []


def test_every_problem_of_the_file_is_listed_at_once():
    content = HEADER + "XX,1800,civicus_monitor,open,,\nBR,2023,civicus_monitor,,,\n"

    assert [problem.split(":")[0] for problem in problems_of(content)] == [
        "Row 2, column “country”",
        "Row 2, column “year”",
        "Row 3, columns “rating” and “score”",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty."),
        (b"country,year,source,rating,score,url\n", "The file has a header but no ratings."),
        (
            b"country,year,source,rating,link\nBR,2023,civicus_monitor,open,\n",
            "Row 1: “link” is not a column of this file",
        ),
        (b"country,year,source,rating,score\n", "Row 1: The header lacks the column “url”"),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet, not a CSV file"),
        (
            HEADER.encode()
            + "BR,2023,civicus_monitor,open,,\nBR,2022,Índice,,3,\n".encode("cp1252"),
            "Row 3: The file is not in UTF-8",
        ),
        (b"\x00\x01\x02binary", "This is not a CSV file."),
        (b"a" * (MAX_FILE_BYTES + 1), "The file is 2.0\xa0MB; the largest accepted is 2.0\xa0MB."),
    ],
    ids=[
        "empty",
        "no rows",
        "unknown column",
        "missing column",
        "xlsx",
        "latin-1",
        "binary",
        "large",
    ],
)
def test_a_file_that_is_not_a_ratings_csv_is_refused_and_nothing_is_written(content, expected):
    assert problems_of(content)[0].startswith(expected)
    assert rows() == []


def test_a_file_of_more_rows_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr("reference.civic_space_import.MAX_ROWS", 2)

    assert problems_of(VALID) == ["The file has more than 2 rows: split it into smaller files."]
    assert run("\n".join(VALID.splitlines()[:3])).counts["created"] == 2


def test_header_problems_name_the_header_s_row_after_blank_lines():
    assert problems_of("\n\ncountry,year,source,rating,score\n")[0].startswith(
        "Row 3: The header lacks the column “url”"
    )


def test_a_utf_16_file_with_its_byte_order_mark_is_read():
    run(VALID.encode("utf-16"))

    assert len(rows()) == 3


def test_an_import_is_recorded_in_the_admin_log_under_who_made_it():
    moderator = ModeratorFactory()
    run(HEADER + "BR,2023,civicus_monitor,open,,\n", by=moderator)
    run(HEADER + "BR,2023,civicus_monitor,narrowed,,\n", by=moderator)

    entries = LogEntry.objects.filter(user=moderator).order_by("pk")
    assert [
        (entry.action_flag, entry.object_repr, entry.get_change_message()) for entry in entries
    ] == [
        (ADDITION, "Brazil 2023 · CIVICUS Monitor", "Imported from “ratings.csv”."),
        (
            CHANGE,
            "Brazil 2023 · CIVICUS Monitor",
            "Imported from “ratings.csv”: changed the rating.",
        ),
    ]


# The command -----------------------------------------------------------------------------------


def test_the_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    path.write_text(VALID)

    call_command("import_civic_space", str(path))

    assert len(rows()) == 3
    assert "3 ratings were added, 0 changed, 0 already up to date." in capsys.readouterr().out


def test_the_command_records_the_import_under_the_user_it_is_given(tmp_path):
    moderator = ModeratorFactory(username="ana")
    path = tmp_path / "civicus-2023.csv"
    path.write_text(VALID)

    call_command("import_civic_space", str(path), "--user", "ana")

    assert LogEntry.objects.filter(user=moderator, action_flag=ADDITION).count() == 3
    assert LogEntry.objects.filter(change_message__contains="civicus-2023.csv").count() == 3


def test_the_command_names_a_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_civic_space", str(tmp_path / "missing.csv"))


def test_the_command_s_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    path.write_text(VALID)

    call_command("import_civic_space", str(path), "--dry-run")

    assert rows() == []
    assert "3 ratings would be added" in capsys.readouterr().out


def test_the_command_fails_on_a_bad_file_writing_nothing(tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    path.write_text(VALID + "XX,2023,civicus_monitor,open,,\n")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_civic_space", str(path))

    assert rows() == []
    assert "Row 5, column “country”" in capsys.readouterr().err


def test_the_command_exits_with_a_non_zero_status_on_a_bad_file(tmp_path, capsys, monkeypatch):
    # As run from a shell (which closes the database connections when it ends).
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = tmp_path / "ratings.csv"
    path.write_text(HEADER + "BR,2023,civicus_monitor,,,\n")

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_civic_space", str(path)])

    assert exited.value.code == 1
    assert rows() == []


# The admin page --------------------------------------------------------------------------------


def upload(client, content: str | bytes, name: str = "ratings.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


def confirm(client, response):
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(IMPORT_URL, {"token": token})


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def moderator_client(client):
    client.force_login(ModeratorFactory())
    return client


def test_the_ratings_list_links_the_import_page(moderator_client):
    page = moderator_client.get(CHANGELIST_URL).content.decode()

    assert f'href="{IMPORT_URL}"' in page
    assert "Import ratings from CSV" in page


def test_the_page_documents_the_columns_and_offers_the_template(moderator_client):
    page = text(moderator_client.get(IMPORT_URL))
    template = moderator_client.get(TEMPLATE_URL)

    for column in ["country", "year", "source", "rating", "score", "url"]:
        assert f" {column} " in page
    assert (
        "Obstructed obstructed" in page
        and "Enabling Environment Index enabling_environment_index" in page
    )
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in template["Content-Disposition"]
    assert template.content == b"country,year,source,rating,score,url\r\n"


def test_upload_shows_a_preview_and_writes_only_once_confirmed(moderator_client):
    CivicSpaceRating.objects.create(
        country=country("MZ"), year=2023, source="civicus_monitor", rating="closed"
    )
    CivicSpaceRating.objects.create(
        country=country("ZA"),
        year=2022,
        source="enabling_environment_index",
        score=Decimal("61.5"),
        source_url="https://example.org/eei/za",
    )

    preview = upload(moderator_client, VALID)

    assert preview.status_code == 200
    page = text(preview)
    assert (
        "1 rating added" in page
        and "1 rating changed" in page
        and "1 rating already up to date" in page
    )
    assert "Brazil (BR) 2023 CIVICUS Monitor Obstructed" in page
    assert "Mozambique (MZ) 2023 CIVICUS Monitor Repressed 32 — rating, score" in page
    assert CivicSpaceRating.objects.get(country="MZ").rating == "closed"
    assert not CivicSpaceRating.objects.filter(country="BR").exists()

    done = confirm(moderator_client, preview)

    assert done.status_code == 302 and done["Location"] == CHANGELIST_URL
    assert CivicSpaceRating.objects.get(country="MZ").rating == "repressed"
    assert CivicSpaceRating.objects.filter(country="BR").exists()
    message = text(moderator_client.get(CHANGELIST_URL))
    assert "Imported “ratings.csv”: 1 rating added, 1 changed, 1 already up to date." in message


def test_a_bad_file_lists_its_problems_by_row_and_column_and_writes_nothing(moderator_client):
    response = upload(
        moderator_client,
        VALID + "BR,2022,CIVICUS Monitor,partly free,,\nmz,2023,civicus_monitor,open,,\n",
    )

    assert response.status_code == 400
    page = text(response)
    assert "The file was not imported: 2 problems" in page
    assert "Nothing was changed." in page
    assert "5 rating “partly free” is not on the scale" in page
    assert "6 country , year , source Row 3 already gives this country, year and source." in page
    assert 'name="token"' not in response.content.decode()
    assert rows() == []


def test_a_confirmation_without_its_preview_imports_nothing(moderator_client):
    response = moderator_client.post(IMPORT_URL, {"token": "forged"})

    assert response.status_code == 200
    assert "That preview is no longer current: upload the file again." in text(response)
    assert rows() == []


def test_a_preview_confirmed_twice_imports_once(moderator_client):
    preview = upload(moderator_client, VALID)
    confirm(moderator_client, preview)
    again = confirm(moderator_client, preview)

    assert "That preview is no longer current" in text(again)
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == 3


def test_when_the_ratings_change_after_the_preview_the_new_preview_is_shown(moderator_client):
    preview = upload(moderator_client, VALID)
    CivicSpaceRating.objects.create(
        country=country("BR"), year=2023, source="civicus_monitor", rating="open"
    )

    shown = confirm(moderator_client, preview)

    assert shown.status_code == 200
    page = text(shown)
    assert "The ratings changed since the preview" in page and "1 rating changed" in page
    assert CivicSpaceRating.objects.get(country="BR").rating == "open"
    confirm(moderator_client, shown)
    assert CivicSpaceRating.objects.get(country="BR").rating == "obstructed"


def test_a_file_over_the_limit_is_refused_before_it_is_read(moderator_client):
    response = upload(moderator_client, b"a" * (MAX_FILE_BYTES + 1))

    assert response.status_code == 400
    assert "the largest accepted is 2.0 MB" in text(response)


@pytest.mark.parametrize("url", [IMPORT_URL, TEMPLATE_URL])
def test_someone_who_is_not_staff_is_sent_to_sign_in(client, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", [IMPORT_URL, TEMPLATE_URL])
def test_staff_without_the_right_to_add_and_change_ratings_are_refused(client, url):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_civicspacerating", "change_civicspacerating"]
        )
    )
    client.force_login(staff)

    assert client.get(url).status_code == 403
    assert (
        client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", VALID.encode())}).status_code
        == 403
    )
    assert IMPORT_URL not in client.get(CHANGELIST_URL).content.decode()
    assert rows() == []


@pytest.mark.parametrize("language", ["en", "es", "pt-br", "fr"])
def test_the_page_and_its_problems_speak_the_moderator_s_language(moderator_client, language):
    words = {
        "en": ("How to write the file", "is not on the scale"),
        "es": ("Cómo escribir el archivo", "no está en la escala"),
        "pt-br": ("Como escrever o arquivo", "não está na escala"),
        "fr": ("Comment rédiger le fichier", "n’est pas sur l’échelle"),
    }[language]
    address = path_in_language(IMPORT_URL, language)

    page = moderator_client.get(address)
    refused = moderator_client.post(
        address,
        {
            "file": SimpleUploadedFile(
                "r.csv", (HEADER + "BR,2023,civicus_monitor,bad,,\n").encode()
            )
        },
    )

    assert words[0] in text(page)
    assert words[1] in text(refused)
