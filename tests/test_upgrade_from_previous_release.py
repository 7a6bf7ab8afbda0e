"""Existing databases migrate forward with their data: a database of each earlier release
with demo data in it is loaded into a database of its own on the test server, the current
``manage.py migrate`` runs against it as an operator would, and nothing is lost — rows, the
Moderators' rights, the change history and the admin's log — while the schema becomes the one
a new database gets.

``tests/data/previous_release_demo.sql.gz`` was made from commit b1ab6de, the release before
invitations, report addresses and the apps for organisations and reference data::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssdc_prev_release DEBUG=True \\
        manage.py migrate && DEMO_PASSWORD=demo-only-password manage.py load_demo
    manage.py shell -c "exec(open('tests/data/previous_release_history.py').read())"
    pg_dump --inserts --no-owner --no-privileges ssdc_prev_release | gzip -9 -n \\
        > tests/data/previous_release_demo.sql.gz

``tests/data/latest_release_demo.sql.gz`` was made the same way from commit c63d2d4, the
release whose migrations were squashed afterwards (its history script is
``tests/data/latest_release_history.py``, run with ``CELERY_BROKER_URL=``).
"""

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.scratch_databases import (
    columns,
    connect,
    load_dump,
    manage_py,
    row_counts,
    rows,
    schema,
    scratch_database,
    select,
)

DUMP = Path(__file__).parent / "data" / "previous_release_demo.sql.gz"
LATEST_DUMP = Path(__file__).parent / "data" / "latest_release_demo.sql.gz"
# The migrations the previous release had not applied, as they run today: squashed migrations
# run in place of the ones they replace.
NEW_MIGRATIONS = {
    ("accounts", "0005_squashed_0008_organisations_move_to_their_app"),
    ("reports", "0002_report_site_url"),
    ("reference", "0001_initial"),
    ("organisations", "0001_initial"),
    ("funding", "0003_organisations_move_to_their_app"),
    ("principles", "0003_organisations_move_to_their_app"),
    ("initiatives", "0007_squashed_0008_end_year_range"),
    ("accounts", "0009_user_language"),
    ("initiatives", "0009_content_translations"),
    ("initiatives", "0010_search_vector_in_every_language"),
    ("principles", "0004_partner_confirmation"),
    ("learning", "0001_initial"),
    ("learning", "0002_seed_themes"),
    ("learning", "0003_lessons_from_lessons_learned"),
    ("learning", "0004_listing_language"),
    ("initiatives", "0011_lessons_learned_become_lessons"),
    ("opendata", "0001_initial"),
    ("funding", "0004_contribution_date"),
    ("initiatives", "0012_sector_shares"),
    ("initiatives", "0013_published_versions"),
    ("initiatives", "0014_public_changes"),
    ("initiatives", "0015_lessons_are_public_changes"),
    ("initiatives", "0016_search_vectors_inline"),
    ("funding", "0005_funder_keys_indexed"),
    ("initiatives", "0017_organisation_keys_indexed"),
}
# The migrations written since the latest release: a column with a default value...
SINCE_LATEST_RELEASE = {
    ("accounts", "0009_user_language"),
    ("initiatives", "0009_content_translations"),
    ("initiatives", "0010_search_vector_in_every_language"),
    ("principles", "0004_partner_confirmation"),
    ("learning", "0001_initial"),
    ("learning", "0002_seed_themes"),
    ("learning", "0003_lessons_from_lessons_learned"),
    ("learning", "0004_listing_language"),
    ("initiatives", "0011_lessons_learned_become_lessons"),
    ("opendata", "0001_initial"),
    ("funding", "0004_contribution_date"),
    ("initiatives", "0012_sector_shares"),
    ("initiatives", "0013_published_versions"),
    ("initiatives", "0014_public_changes"),
    ("initiatives", "0015_lessons_are_public_changes"),
    ("initiatives", "0016_search_vectors_inline"),
    ("funding", "0005_funder_keys_indexed"),
    ("initiatives", "0017_organisation_keys_indexed"),
}
ADDED_COLUMNS = {
    "accounts_user": {"language": ""},
    "principles_principleevidence": {"confirmation_note": "", "confirmed_by_id": None},
    "funding_fundingcontribution": {"date": None},
    "initiatives_initiative_sectors": {"share": None},
    "initiatives_content_version": {"kept_from": 0},
}
# ...the confirmation state of evidence, which a second organisation's confirmation sets...
CONFIRMATION_STATES = {(False, "unconfirmed"), (True, "confirmed")}
# ...and the tables of translations, empty, with their content types and permissions, which
# moderators get.
# ...the learning app's tables, with the themes it seeds and, as lesson rows, each record's
# lessons learned, until then one text of the record, whose column goes; moderators get every
# right on its models...
LEARNING_MODELS = [
    "theme",
    "practice",
    "practicetranslation",
    "practiceuse",
    "lesson",
    "lessontranslation",
    "listing",
    "contactmessage",
]
LEARNING_TABLES = {
    f"learning_{table}"
    for table in [*LEARNING_MODELS, "practice_themes", "practice_modalities", "listing_countries"]
}
SEEDED_THEMES = 12
DROPPED_COLUMNS = {"initiatives_initiative": ["lessons_learned"]}
TABLES_SINCE_LATEST_RELEASE = {
    "initiatives_initiativetranslation",
    "initiatives_outcometranslation",
    # dataset releases, none made yet; moderators may see them and make one
    "opendata_datasetrelease",
    # the log of public changes the facet index follows, empty until something is published
    "initiatives_public_change",
}
# ...the sectors' table, now a model of its own, gets its content type and permissions...
ROWS_SINCE_LATEST_RELEASE = {
    "django_content_type": 4 + len(LEARNING_MODELS) + 1,
    "auth_permission": 16 + 4 * len(LEARNING_MODELS) + 4,
    "auth_group_permissions": 8 + 4 * len(LEARNING_MODELS) + 2,
}
# ...and the search vectors, recomputed (each now also holds its text under its language's
# configuration), which moves the content version on.
RECOMPUTED_SINCE_LATEST_RELEASE = {
    "initiatives_initiative": "search_vector",
    "initiatives_content_version": "value",
}
# Squashed migrations, each recorded as applied once all the migrations it replaces are.
SQUASHED_MIGRATIONS = {
    ("accounts", "0002_squashed_0004_api_tokens"),
    ("accounts", "0005_squashed_0008_organisations_move_to_their_app"),
    ("funding", "0001_squashed_0002_load_funding_models"),
    ("principles", "0001_squashed_0002_load_busan_principles"),
    ("initiatives", "0001_squashed_0004_search_vector_folds_accents"),
    ("initiatives", "0005_squashed_0006_year_ranges_and_document_help"),
    ("initiatives", "0007_squashed_0008_end_year_range"),
}
# What the upgrade records: the migrations the previous release had not applied, under the
# names they were written with (a squashed migration records those it replaces), and then the
# squashed migrations.
RECORDED_MIGRATIONS = SQUASHED_MIGRATIONS | {
    ("accounts", "0005_invitations"),
    ("accounts", "0006_moderators_see_reports_and_lift_sign_in_pauses"),
    ("accounts", "0007_user_manager_lists_moderators"),
    ("reports", "0002_report_site_url"),
    ("initiatives", "0008_end_year_range"),
    ("reference", "0001_initial"),
    ("organisations", "0001_initial"),
    ("accounts", "0008_organisations_move_to_their_app"),
    ("accounts", "0009_user_language"),
    ("initiatives", "0009_content_translations"),
    ("initiatives", "0010_search_vector_in_every_language"),
    ("funding", "0003_organisations_move_to_their_app"),
    ("principles", "0003_organisations_move_to_their_app"),
    ("principles", "0004_partner_confirmation"),
    ("initiatives", "0007_reference_data_and_organisations_move_out"),
    ("learning", "0001_initial"),
    ("learning", "0002_seed_themes"),
    ("learning", "0003_lessons_from_lessons_learned"),
    ("learning", "0004_listing_language"),
    ("initiatives", "0011_lessons_learned_become_lessons"),
    ("opendata", "0001_initial"),
    ("funding", "0004_contribution_date"),
    ("initiatives", "0012_sector_shares"),
    ("initiatives", "0013_published_versions"),
    ("initiatives", "0014_public_changes"),
    ("initiatives", "0015_lessons_are_public_changes"),
    ("initiatives", "0016_search_vectors_inline"),
    ("funding", "0005_funder_keys_indexed"),
    ("initiatives", "0017_organisation_keys_indexed"),
}
# What the new migrations add on purpose: the invitations table with its content type and four
# permissions, and the seven rights moderators gained (invitations, sign-in records, reports).
ADDED_ROWS = {
    "django_content_type": 5 + len(LEARNING_MODELS) + 1,
    "auth_permission": 20 + 4 * len(LEARNING_MODELS) + 4,
    "auth_group_permissions": 15 + 4 * len(LEARNING_MODELS) + 2,
}
NEW_TABLES = {"accounts_invitation", *TABLES_SINCE_LATEST_RELEASE}
# The published versions, numbered from each demo's history: each published record's revisions
# that hold it published (its latest, when none does), with their content type and rights.
VERSIONS_TABLE = "initiatives_publishedversion"
PUBLISHED_VERSIONS = {"previous": 6, "latest": 5}
NEW_CONTENT_TYPES = {
    *(f"learning.{model}" for model in LEARNING_MODELS),
    "accounts.invitation",
    "initiatives.initiativetranslation",
    "initiatives.outcometranslation",
    "opendata.datasetrelease",
    "initiatives.initiativesector",
    "initiatives.publishedversion",
}
MOVED = {
    "initiatives.country": "reference.country",
    "initiatives.civicspacerating": "reference.civicspacerating",
    "initiatives.dialoguemechanism": "reference.dialoguemechanism",
    "initiatives.sector": "reference.sector",
    "initiatives.sustainabledevelopmentgoal": "reference.sustainabledevelopmentgoal",
    "initiatives.modality": "reference.modality",
    "initiatives.actor": "organisations.organisation",
    "initiatives.networkmembership": "organisations.networkmembership",
}
# The tables of the models that moved: they keep their names and rows.
MOVED_TABLES = [
    "initiatives_country",
    "initiatives_civicspacerating",
    "initiatives_dialoguemechanism",
    "initiatives_sector",
    "initiatives_sustainabledevelopmentgoal",
    "initiatives_modality",
    "initiatives_actor",
    "initiatives_networkmembership",
]
# Run in the upgraded portal: what Django makes of the migrated database.
INSPECT = """
import json

import reversion
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.test import Client
from django.test.utils import setup_test_environment
from reversion.models import Version

from organisations.models import Organisation

unreadable, read = [], {}
for version in Version.objects.select_related("content_type").order_by("pk"):
    label = f"{version.content_type.app_label}.{version.content_type.model}"
    read[label] = read.get(label, 0) + 1
    try:
        model = version.content_type.model_class()
        assert model is not None, "no installed model"
        # As django-reversion reads a version: fields removed since (a record's lessons
        # learned, now lesson rows) are left out.
        (restored,) = serializers.deserialize(
            version.format, version.serialized_data, ignorenonexistent=True
        )
        assert type(restored.object) is model, type(restored.object)
        assert str(restored.object.pk) == version.object_id
        if reversion.is_registered(model):
            assert version.field_dict["id"] == restored.object.pk
    except Exception as error:
        unreadable.append(f"{version.pk} {label}: {error!r}")
setup_test_environment()
page = Client().get("/organisations/sdi/")
moderators = Group.objects.get(name="Moderators").permissions.select_related("content_type")
print(json.dumps({
    "content_types": sorted(f"{t.app_label}.{t.model}" for t in ContentType.objects.all()),
    "moderators": sorted(
        f"{p.content_type.app_label}.{p.content_type.model}.{p.codename}" for p in moderators
    ),
    "versions": read,
    "unreadable": unreadable,
    "logged": sorted(
        f"{entry.content_type.app_label}.{entry.content_type.model}: {entry.get_edited_object()}"
        for entry in LogEntry.objects.select_related("content_type")
    ),
    "description": Organisation.objects.get(slug="mexican-civil-society-reconstruction-group")
    .description,
    "organisation_page": [page.status_code, page.content.decode()],
}))
"""


def database_url(name: str) -> str:
    """The test server with database ``name``, as a URL for another process (the embedded
    server listens in a socket folder, given as ``?host=``)."""
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database.get("PASSWORD") else ""
    host = database["HOST"] or ""
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{name}?host={quote(host, safe='')}"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


@pytest.fixture
def previous_release():
    """A database of its own on the test server holding the previous release's demo data."""
    with scratch_database("ssdc_upgrade") as name:
        load_dump(name, DUMP)
        yield name


@pytest.fixture
def latest_release():
    """A database of its own on the test server holding the latest release's demo data."""
    with scratch_database("ssdc_upgrade") as name:
        load_dump(name, LATEST_DUMP)
        yield name


@pytest.fixture(scope="module")
def fresh_schema(django_db_setup):
    """The schema of a new database that today's migrations made."""
    with scratch_database("ssdc_fresh") as name:
        migrated = manage("migrate", "--no-input", database=name)
        assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
        yield schema(name)


def manage(*arguments: str, database: str) -> subprocess.CompletedProcess:
    return manage_py(
        *arguments,
        environment={
            "DATABASE_URL": database_url(database),
            "DEBUG": "True",  # plain static files: the page is rendered without collectstatic
            "CELERY_BROKER_URL": "",
        },
    )


def content_types(name: str) -> dict[int, str]:
    with connect(name) as database:
        found = database.execute("SELECT id, app_label || '.' || model FROM django_content_type")
        return dict(found.fetchall())


def applied_migrations(name: str) -> set[tuple[str, str]]:
    with connect(name) as database:
        return set(database.execute("SELECT app, name FROM django_migrations").fetchall())


def planned_migrations(name: str) -> set[tuple[str, str]]:
    """The migrations ``migrate`` would apply to database ``name``."""
    planned = manage("migrate", "--plan", database=name)
    assert planned.returncode == 0, planned.stderr[-3000:]
    return {
        (found["app"], found["name"])
        for found in re.finditer(r"^(?P<app>\w+)\.(?P<name>\w+)$", planned.stdout, re.MULTILINE)
    }


@pytest.mark.django_db
def test_the_previous_release_migrates_forward_with_all_its_data(previous_release, fresh_schema):
    counts_before = row_counts(previous_release)
    migrations_before = applied_migrations(previous_release)
    kept = [*MOVED_TABLES, "django_admin_log"]
    rights_before = rows(previous_release, "auth_group_permissions")
    rows_before = {table: rows(previous_release, table) for table in kept}
    types_before = content_types(previous_release)
    assert counts_before["initiatives_actor"] == 17
    assert counts_before["reversion_version"] == 93
    lessons_before = lessons_learned(previous_release)
    assert len(lessons_before) == 4

    assert planned_migrations(previous_release) == NEW_MIGRATIONS

    migrated = manage("migrate", "--no-input", database=previous_release)

    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    assert applied_migrations(previous_release) == migrations_before | RECORDED_MIGRATIONS
    assert schema(previous_release) == fresh_schema
    counts_after = row_counts(previous_release)
    counts_after["django_migrations"] -= len(RECORDED_MIGRATIONS)
    for table, added in ADDED_ROWS.items():
        counts_after[table] -= added
    assert counts_after.pop(VERSIONS_TABLE) == PUBLISHED_VERSIONS["previous"]
    assert {table: counts_after.pop(table) for table in NEW_TABLES} == dict.fromkeys(NEW_TABLES, 0)
    assert learning_rows(counts_after) == learning_rows_after_upgrade(lessons_before)
    assert counts_after == counts_before
    assert lesson_texts(previous_release) == lessons_before
    assert {table: rows(previous_release, table) for table in kept} == rows_before
    assert set(rights_before) <= set(rows(previous_release, "auth_group_permissions"))
    # Each moved model keeps its content type row (same id), under its new name.
    types_after = {
        pk: label
        for pk, label in content_types(previous_release).items()
        if label not in NEW_CONTENT_TYPES
    }
    assert types_after == {pk: MOVED.get(label, label) for pk, label in types_before.items()}

    inspected = manage("shell", "--no-imports", "-c", INSPECT, database=previous_release)

    assert inspected.returncode == 0, inspected.stderr[-3000:]
    found = json.loads(inspected.stdout.strip().splitlines()[-1])
    assert "organisations.organisation" in found["content_types"]
    assert "reference.country" in found["content_types"]
    assert not [label for label in found["content_types"] if label in MOVED]
    for action in ("add", "change", "delete", "view"):
        assert f"organisations.organisation.{action}_organisation" in found["moderators"]
        assert f"reference.country.{action}_country" in found["moderators"]
    assert not [p for p in found["moderators"] if p.rsplit(".", 1)[0] in MOVED]
    assert found["unreadable"] == []
    assert sum(found["versions"].values()) == 93
    assert found["versions"]["organisations.organisation"] == 1
    assert found["versions"]["organisations.networkmembership"] == 2
    assert found["versions"]["reference.country"] == 1
    assert found["logged"] == [
        "organisations.networkmembership: Mexican faith-based relief organisation ∈ "
        "Mexican civil-society reconstruction group",
        "organisations.organisation: Mexican civil-society reconstruction group",
        "reference.country: Brazil",
    ]
    assert found["description"].endswith("Works with community seed banks.")
    status, page = found["organisation_page"]
    assert status == 200
    assert "Shack/Slum Dwellers International" in page
    assert "Members of this network" in page


@pytest.mark.django_db
def test_the_latest_release_migrates_forward_keeping_every_row(latest_release, fresh_schema):
    migrations_before = applied_migrations(latest_release)
    tables = sorted(row_counts(latest_release))
    rows_before = {table: rows(latest_release, table) for table in tables}
    columns_before = {table: columns(latest_release, table) for table in ADDED_COLUMNS}
    for table, recomputed in RECOMPUTED_SINCE_LATEST_RELEASE.items():
        left_out = [recomputed, *DROPPED_COLUMNS.get(table, [])]
        columns_before[table] = [c for c in columns(latest_release, table) if c not in left_out]
        rows_before[table] = rows(latest_release, table, columns_before[table])
    lessons_before = lessons_learned(latest_release)
    lexemes_before = search_lexemes(latest_release)
    assert len(rows_before["accounts_invitation"]) == 1
    assert len(rows_before["reversion_version"]) == 74
    assert planned_migrations(latest_release) == SINCE_LATEST_RELEASE

    migrated = manage("migrate", "--no-input", database=latest_release)

    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    assert schema(latest_release) == fresh_schema
    # The squashed migrations are recorded, since all they replace were applied, and the new
    # ones; no other row changes, and the new columns hold their default in every row.
    assert (
        applied_migrations(latest_release)
        == migrations_before | SQUASHED_MIGRATIONS | SINCE_LATEST_RELEASE
    )
    counts_after = row_counts(latest_release)
    assert learning_rows(counts_after) == learning_rows_after_upgrade(lessons_before)
    assert lesson_texts(latest_release) == lessons_before
    assert counts_after.pop(VERSIONS_TABLE) == PUBLISHED_VERSIONS["latest"]
    assert sorted(counts_after) == sorted([*tables, *TABLES_SINCE_LATEST_RELEASE])
    assert {table: counts_after[table] for table in TABLES_SINCE_LATEST_RELEASE} == dict.fromkeys(
        TABLES_SINCE_LATEST_RELEASE, 0
    )
    rows_after = {
        table: rows(latest_release, table, columns_before.get(table, "*")) for table in tables
    }
    assert set(rows_after.pop("django_migrations")) >= set(rows_before.pop("django_migrations"))
    for table, added in ROWS_SINCE_LATEST_RELEASE.items():
        after, before = set(rows_after.pop(table)), set(rows_before.pop(table))
        assert after >= before
        assert len(after - before) == added
    assert rows_after == rows_before
    for table, defaults in ADDED_COLUMNS.items():
        for column, default in defaults.items():
            values = {value for (value,) in select(latest_release, table, column)}
            assert values == {default}
    evidence = rows(
        latest_release,
        "principles_principleevidence",
        ["confirmed_by_organisation_id", "confirmation"],
    )
    states = {(not row.startswith("(,"), row.rsplit(",", 1)[1].rstrip(")")) for row in evidence}
    assert states == CONFIRMATION_STATES
    lexemes_after = search_lexemes(latest_release)
    assert lexemes_after.keys() == lexemes_before.keys()
    assert all(lexemes_before[pk] < lexemes_after[pk] for pk in lexemes_before)


def lessons_learned(dbname: str) -> list[str]:
    """The records' lessons learned, before the upgrade: one text per record."""
    with connect(dbname) as database:
        return sorted(
            text.strip()
            for (text,) in database.execute(
                "SELECT lessons_learned FROM initiatives_initiative WHERE lessons_learned <> ''"
            )
        )


def lesson_texts(dbname: str) -> list[str]:
    with connect(dbname) as database:
        return sorted(text for (text,) in database.execute("SELECT text FROM learning_lesson"))


def learning_rows(counts: dict[str, int]) -> dict[str, int]:
    """Takes the learning app's tables out of ``counts``, with their number of rows."""
    return {table: counts.pop(table) for table in sorted(LEARNING_TABLES)}


def learning_rows_after_upgrade(lessons_before: list[str]) -> dict[str, int]:
    """The seeded themes and one lesson per record that had lessons learned; nothing else."""
    expected = dict.fromkeys(sorted(LEARNING_TABLES), 0)
    expected |= {"learning_theme": SEEDED_THEMES, "learning_lesson": len(lessons_before)}
    return expected


def search_lexemes(dbname: str) -> dict[int, set[str]]:
    """The words in each initiative's search vector."""
    with connect(dbname) as database:
        return {
            pk: set(lexemes)
            for pk, lexemes in database.execute(
                "SELECT id, tsvector_to_array(search_vector) FROM initiatives_initiative"
            )
        }
