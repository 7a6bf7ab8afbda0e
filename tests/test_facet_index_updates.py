"""The facet index follows what is published, record by record, and is never stale.

These tests commit (``transaction=True``): inside a transaction with uncommitted writes the
index is only provisional and built again on every change, which is not what a web process
does.
"""

import os
import subprocess  # noqa: S404 - the second process of the interleaving test
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import aggregates, published_counts
from initiatives.browse import index as facet_index
from initiatives.models import Initiative, InitiativeCountry
from learning.models import Lesson
from reference.models import Sector
from tests.factories import (
    InitiativeCountryFactory,
    InitiativeFactory,
    PrincipleEvidenceFactory,
    country,
)
from tests.public_writer import RECIPIENTS
from tests.test_api_fuzz import url_of_the_test_database

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def sets_of(index: facet_index.FacetIndex) -> dict:
    """What ``index`` holds, by initiative pk rather than by bit."""

    def pks(bits: int) -> frozenset[int]:
        return frozenset(index.pks[k] for k in range(index.width) if bits >> k & 1)

    held = {"published": pks(index.alive)}
    for name, options in index.facets.items():
        for value, option in options.items():
            held[(name, value)] = pks(option.bits)
    return held


def fresh() -> dict:
    return sets_of(facet_index.build_index(facet_index.content_version()))


def shown_newest_first(index: facet_index.FacetIndex) -> list[int]:
    return index.pks_between(index.everything, 0, index.width)


@pytest.fixture
def published(reference_data):
    records = [
        InitiativeFactory(title=f"Seed exchange {n}", published_at=timezone.now()) for n in range(6)
    ]
    facet_index.public_index()  # the index as the web process holds it
    return records


def test_drafts_submissions_and_returns_move_nothing_public(published):
    held = facet_index.public_index()
    draft = InitiativeFactory(state="draft", recipient__country=country("BO"))
    InitiativeCountryFactory(initiative=draft, country=country("HT"))
    draft.title = "Changed draft"
    draft.save()
    for state in ["submitted", "returned", "draft"]:
        Initiative.objects.filter(pk=draft.pk).update(state=state)
    assert facet_index.content_version() == held.version
    assert facet_index.public_index() is held


def test_a_publication_updates_the_index_for_that_record_alone(published):
    held = facet_index.public_index()
    draft = InitiativeFactory(state="draft", recipient__country=country("BO"))
    draft.state, draft.published_at = "published", timezone.now()
    draft.save()
    with CaptureQueriesContext(connection) as queries:
        updated = facet_index.public_index()
    assert len(queries) <= 4  # the log, the record's place, its facet values
    assert updated.pks is held.pks  # brought up to date, not built again
    assert updated.version > held.version
    assert sets_of(updated) == fresh()
    assert updated.facets["recipient"]["BO"].bits.bit_count() == 1
    assert shown_newest_first(updated)[0] == draft.pk


def test_every_kind_of_public_change_gives_what_a_fresh_build_gives(published):
    first, second, third = published[:3]
    before = facet_index.public_index()
    changes = [
        lambda: InitiativeCountryFactory(initiative=first, country=country("KH")),
        lambda: InitiativeCountry.objects.filter(initiative=second, role="recipient").delete(),
        lambda: Initiative.objects.filter(pk=third.pk).update(state="archived"),
        lambda: Initiative.objects.filter(pk=third.pk).update(state="published"),
        lambda: first.sectors.add("31120"),
        lambda: Initiative.objects.filter(pk=second.pk).update(cooperation_type="regional"),
        lambda: InitiativeFactory(published_at=timezone.now(), recipient__country=country("AO")),
        lambda: Initiative.objects.filter(pk=published[4].pk).delete(),
    ]
    for change in changes:
        change()
        index = facet_index.public_index()
        assert sets_of(index) == fresh()
        assert index.pks is before.pks  # each one an update
    assert shown_newest_first(index) == list(
        Initiative.objects.published().newest_first().values_list("pk", flat=True)
    )


def test_a_renamed_vocabulary_or_an_out_of_order_publication_builds_it_again(published):
    held = facet_index.public_index()
    Sector.objects.filter(code="31120").update(name="Farming, renamed")
    assert facet_index.public_index().pks is not held.pks
    held = facet_index.public_index()
    InitiativeFactory(published_at=timezone.now() - timezone.timedelta(days=400))
    rebuilt = facet_index.public_index()
    assert rebuilt.pks is not held.pks
    assert shown_newest_first(rebuilt) == list(
        Initiative.objects.published().newest_first().values_list("pk", flat=True)
    )


def test_a_remembered_search_is_brought_up_to_date(published):
    from initiatives.services import initiative_refresh_search_vector

    index = facet_index.public_index()
    remembered = index.search("seed", "en")
    held = (list(remembered.ranked), list(remembered.ranks), remembered.titles, remembered.bits)
    InitiativeFactory(title="Seed bank", published_at=timezone.now())
    Initiative.objects.filter(pk=published[0].pk).update(state="archived")
    retitled = published[1]
    retitled.title = "Housing savings"
    retitled.save()
    initiative_refresh_search_vector(initiative_ids=[retitled.pk])
    updated = facet_index.public_index()
    assert updated.pks is index.pks
    hits = updated.search("seed", "en")
    assert hits.version == updated.version
    expected = list(
        Initiative.objects.published().search("seed", "en").values_list("pk", flat=True)
    )
    found = [pk for pk in hits.ranked if updated.bits_of([pk]) & hits.bits]
    assert found == expected
    assert hits.bits.bit_count() == len(expected)
    titled = Initiative.objects.published().search("seed", "en").values_list("search_title_match")
    assert list(hits.titles) == [matches for (matches,) in titled]
    # a request still reading the hits remembered before sees them as they were
    assert (list(remembered.ranked), list(remembered.ranks)) == held[:2]
    assert (remembered.titles, remembered.bits) == held[2:]


def test_a_pruned_log_past_the_index_builds_it_again(published):
    held = facet_index.public_index()
    Initiative.objects.filter(pk=published[0].pk).update(state="archived")
    assert facet_index.prune_public_changes() == 0  # kept for a day
    assert facet_index.public_index() is not held
    held = facet_index.public_index()
    Initiative.objects.filter(pk=published[1].pk).update(state="archived")
    assert facet_index.prune_public_changes(timezone.now() + timezone.timedelta(seconds=1)) >= 1
    rebuilt = facet_index.public_index()
    assert rebuilt.pks is not held.pks
    assert sets_of(rebuilt) == fresh()


def public_state() -> tuple[int, dict]:
    """The content version and what is published, with recipient countries, read in one
    statement (one snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT value FROM initiatives_content_version WHERE id = 1),"
            " ARRAY(SELECT id FROM initiatives_initiative WHERE state = 'published'),"
            " ARRAY(SELECT row.initiative_id || ' ' || row.country_id"
            "  FROM initiatives_initiativecountry AS row"
            "  JOIN initiatives_initiative AS record ON record.id = row.initiative_id"
            "  WHERE record.state = 'published' AND row.role = 'recipient')"
        )
        version, published, recipients = cursor.fetchone()
    return version, {"published": set(published), "recipients": set(recipients)}


def state_of(index: facet_index.FacetIndex) -> dict:
    held = sets_of(index)
    recipients = index.facets["recipient"]
    return {
        "published": set(held["published"]),
        "recipients": {f"{pk} {code}" for code in recipients for pk in held[("recipient", code)]},
    }


def test_reads_interleaved_with_another_process_changes_never_see_a_wrong_state(reference_data):
    """While a second process publishes, archives and edits records (and drafts), every read
    of the index between two reads of the same version holds exactly what was published."""
    for code in RECIPIENTS:
        country(code)
    for n in range(30):
        InitiativeFactory(
            state="published" if n % 2 else "draft",
            published_at=timezone.now() if n % 2 else None,
            recipient__country=country(RECIPIENTS[n % len(RECIPIENTS)]),
        )
    facet_index.public_index()
    writer = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.public_writer", "150", "11"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url_of_the_test_database()},
    )
    checked, versions = 0, set()
    try:
        while writer.poll() is None:
            version, before = public_state()
            index = facet_index.public_index()
            if public_state()[0] == version:  # nothing public committed meanwhile
                assert index.version == version
                assert state_of(index) == before
                checked += 1
                versions.add(version)
            time.sleep(0.002)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert checked >= 20 and len(versions) >= 10
    assert state_of(facet_index.public_index()) == public_state()[1]


def test_the_maps_flows_follow_each_change_without_counting_every_pair_again(published):
    def flows() -> set:
        return {
            (f.provider, f.recipient, f.initiatives)
            for f in published_counts.PublishedCounts().flows()
        }

    def in_sql() -> set:
        return {
            (f.provider, f.recipient, f.initiatives)
            for f in aggregates.count_flows(Initiative.objects.published())
        }

    assert flows() == in_sql()
    InitiativeCountryFactory(initiative=published[0], country=country("KH"))
    InitiativeFactory(published_at=timezone.now(), recipient__country=country("AO"))
    Initiative.objects.filter(pk=published[1].pk).update(state="archived")
    counted_again = []
    every_pair = published_counts._every_pair
    published_counts._every_pair = lambda index: counted_again.append(index) or every_pair(index)
    try:
        assert flows() == in_sql()
    finally:
        published_counts._every_pair = every_pair
    assert counted_again == []


def test_the_principles_evidence_follows_each_change_without_reading_all_of_it(published):
    def principles() -> list:
        return [
            (p.key, p.supports, p.challenges, p.confirmed)
            for p in published_counts.PublishedCounts().principles()
        ]

    def in_sql() -> list:
        return [
            (p.key, p.supports, p.challenges, p.confirmed)
            for p in aggregates.count_by_principle(Initiative.objects.published())
        ]

    PrincipleEvidenceFactory(initiative=published[0])
    assert principles() == in_sql()
    PrincipleEvidenceFactory(initiative=published[1], stance="challenges")
    PrincipleEvidenceFactory(initiative=InitiativeFactory(published_at=timezone.now()))
    Initiative.objects.filter(pk=published[0].pk).update(state="archived")
    reads = []
    evidence_rows = published_counts._evidence_rows

    def recorded(index, rows, held=None):
        reads.append(str(rows.query))
        return evidence_rows(index, rows, held)

    published_counts._evidence_rows = recorded
    try:
        assert principles() == in_sql()
    finally:
        published_counts._evidence_rows = evidence_rows
    assert len(reads) == 1 and '"initiative_id" IN' in reads[0]  # the changed records' alone


def test_a_value_first_published_by_an_update_is_named_in_every_language(published, client):
    """An update can add a facet value the index did not hold (a sector no published record
    had): its option is named from the vocabulary's translations like any other."""
    sector = Sector.objects.get(code="16030")
    sector.translated_names = {"es": "Vivienda (nombre de prueba)"}
    sector.save()
    held = facet_index.public_index()
    assert "16030" not in held.facets["sector"]
    published[0].sectors.add(sector)
    response = client.get("/es/initiatives/")
    assert response.status_code == 200
    assert facet_index.public_index().pks is held.pks  # an update, not a rebuild
    assert "Vivienda (nombre de prueba)" in response.content.decode()


def test_the_lessons_counted_follow_each_change_without_reading_all_of_them(published):
    def counted() -> int:
        index = facet_index.public_index()
        return published_counts.lesson_counts(index).total(index.everything)

    def in_sql() -> int:
        return Lesson.objects.filter(initiative__state="published").count()

    first, second, third = published[:3]
    for n in range(3):
        first.lessons.create(text=f"Lesson {n}")
    second.lessons.create(text="Savings groups come first.")
    assert counted() == in_sql() == 4
    held = facet_index.public_index()
    draft = InitiativeFactory(state="draft")
    draft.lessons.create(text="Not yet public.")
    assert facet_index.content_version() == held.version  # a draft's lesson moves nothing
    first.lessons.filter(text="Lesson 0").delete()
    third.lessons.create(text="Start with the municipality.")
    third.lessons.create(text="Translate the manuals first.")
    Initiative.objects.filter(pk=second.pk).update(state="archived")
    reads = []
    lesson_counts = published_counts._lesson_counts

    def recorded(index, rows, held=None):
        reads.append(str(rows.query))
        return lesson_counts(index, rows, held)

    published_counts._lesson_counts = recorded
    try:
        assert counted() == in_sql() == 4
    finally:
        published_counts._lesson_counts = lesson_counts
    assert len(reads) == 1 and '"initiative_id" IN' in reads[0]  # the changed records' alone
