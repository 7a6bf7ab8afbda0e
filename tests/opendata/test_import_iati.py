"""import_iati: an IATI 2.03 file becomes drafts of its owner, all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from lxml import etree
from reversion.models import Version

from funding.models import FundingContribution
from initiatives.models import Indicator, Initiative, Participation
from opendata.iati.activities import write_activities
from opendata.imports.iati import ROLE_FROM_IATI
from opendata.imports.plan import RECORDS_SECTOR_SHARES
from organisations.models import Organisation
from principles.models import PrincipleEvidence
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    Rows,
    initiative_with_every_row,
)

REF = "XI-IATI-SSDC"


@pytest.fixture(autouse=True)
def _portal_settings(settings):
    settings.IATI_REPORTING_ORG_REF = REF
    settings.IATI_REPORTING_ORG_TYPE = 90
    settings.IATI_REPORTING_ORG_NAME = "SSDC Portal"
    settings.SITE_URL = "https://ssdc.example.org/"


def exported(initiatives) -> bytes:
    out = io.BytesIO()
    write_activities(initiatives, out)
    return out.getvalue()


def run(path, owner: Organisation, *args, user=None):
    out = io.StringIO()
    try:
        call_command("import_iati", str(path), "--owner", owner.slug, *args, stdout=out, stderr=out)
    except CommandError as error:
        raise AssertionError(out.getvalue()) from error
    return out.getvalue()


def fails(path, owner_slug: str, *args) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_iati", str(path), "--owner", owner_slug, *args, stdout=out, stderr=out)
    return out.getvalue() + str(raised.value)


ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity default-currency="USD" xml:lang="en">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="XM-DAC-41114" type="40"><narrative>Agency</narrative></reporting-org>
    <title>
      <narrative>Water committees</narrative>
      <narrative xml:lang="fr">Comités de l'eau</narrative>
    </title>
    <description type="1">
      <narrative>Villages run their wells.</narrative>
      <narrative xml:lang="fr">Les villages gèrent leurs puits.</narrative>
    </description>
    <participating-org role="4" type="22"><narrative>Unknown Partner</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2021-03-01"/>
    <recipient-country code="{country}" percentage="100"/>
    <sector vocabulary="1" code="{sector}" percentage="100"/>
    <humanitarian-scope type="1" vocabulary="1-2" code="EQ-2010-000009-HTI"/>
  </iati-activity>
</iati-activities>
"""


def foreign_file(tmp_path, *, identifier="XM-DAC-41114-PRJ-1", country="HT", sector="14030"):
    path = tmp_path / "activities.xml"
    path.write_text(
        ACTIVITY.format(identifier=identifier, country=country, sector=sector), encoding="utf-8"
    )
    return path


@pytest.fixture
def importer(db):
    """A moderator the command records imports under, and an organisation to import into."""
    ModeratorFactory()
    return OrganisationFactory(slug="rede")


def test_a_valid_file_imports_as_drafts_of_the_owner_with_history(tmp_path, importer):
    output = run(foreign_file(tmp_path), importer)

    initiative = Initiative.objects.get()
    assert initiative.owner == importer
    assert initiative.state == Initiative.State.DRAFT
    assert initiative.title == "Water committees"
    assert initiative.translations.get(language="fr").title == "Comités de l'eau"
    assert [str(link.country_id) for link in initiative.country_links.all()] == ["HT"]
    assert list(initiative.sectors.values_list("code", flat=True)) == ["14030"]
    assert "humanitarian-scope" in output  # listed as not imported
    version = Version.objects.get_for_object(initiative).get()
    assert version.revision.comment == "Imported from activities.xml"


def test_a_reimport_updates_the_draft_instead_of_adding_one(tmp_path, importer):
    run(foreign_file(tmp_path), importer)
    first = Initiative.objects.get()
    run(foreign_file(tmp_path, sector="12220"), importer)

    again = Initiative.objects.get()
    assert again.pk == first.pk
    assert list(again.sectors.values_list("code", flat=True)) == ["12220"]
    assert Version.objects.get_for_object(again).count() == 2


def test_dry_run_writes_nothing(tmp_path, importer):
    output = run(foreign_file(tmp_path), importer, "--dry-run")

    assert not Initiative.objects.exists()
    assert "Water committees" in output
    assert "Dry run" in output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not xml", "line 1"),
        (b'<?xml version="1.0"?>\n<iati-activities version="1.05">\n</iati-activities>', "line 2"),
        (
            b'<?xml version="1.0"?>\n<iati-activities version="2.03">\n'
            b"  <iati-activity>\n    <title/>\n  </iati-activity>\n</iati-activities>\n",
            "line 4",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
            b'<iati-activities version="2.03">&a;</iati-activities>',
            "line 1",
        ),
    ],
    ids=["not-xml", "version-1", "xsd-invalid", "entities"],
)
def test_an_invalid_file_writes_nothing_and_names_its_line(tmp_path, importer, content, expected):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)

    output = fails(path, importer.slug)

    assert expected in output
    assert not Initiative.objects.exists()


def test_a_version_1_file_is_called_unsupported(tmp_path, importer):
    path = tmp_path / "old.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<iati-activities version="1.05"/>')

    assert "Unsupported version" in fails(path, importer.slug)


def test_an_unknown_owner_is_refused(tmp_path, importer):
    output = fails(foreign_file(tmp_path), "nobody")

    assert "Unknown owner organisation: nobody" in output
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("codes", "expected"),
    [({"country": "XX"}, "Unknown country code XX"), ({"sector": "99999"}, "Unknown sector code")],
)
def test_rule_problems_write_nothing_and_name_their_line(tmp_path, importer, codes, expected):
    output = fails(foreign_file(tmp_path, **codes), importer.slug)

    assert expected in output
    assert "line " in output.split(expected)[0].splitlines()[-1]
    assert not Initiative.objects.exists()


def test_one_bad_activity_stops_the_whole_file(tmp_path, importer):
    good = ACTIVITY.format(identifier="A-1", country="HT", sector="14030")
    bad = ACTIVITY.format(identifier="A-2", country="XX", sector="14030")
    activity_of = lambda text: text.split('<iati-activities version="2.03">')[1].split(  # noqa: E731
        "</iati-activities>"
    )[0]
    path = tmp_path / "two.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<iati-activities version="2.03">'
        + activity_of(good)
        + activity_of(bad)
        + "</iati-activities>\n"
    )

    fails(path, importer.slug)

    assert not Initiative.objects.exists()


def test_published_or_foreign_records_are_never_changed(tmp_path, importer):
    published = InitiativeFactory(owner=importer, slug="seeds", title="Seeds")
    InitiativeFactory(state=Initiative.State.DRAFT, slug="wells")
    path = tmp_path / "own.xml"
    activities = [
        ACTIVITY.format(identifier=f"{REF}-{slug}", country="HT", sector="14030")
        .split('<iati-activities version="2.03">')[1]
        .split("</iati-activities>")[0]
        for slug in ("seeds", "wells")
    ]
    path.write_text(
        '<?xml version="1.0"?>\n<iati-activities version="2.03">'
        + "".join(activities)
        + "</iati-activities>\n"
    )

    output = fails(path, importer.slug)

    assert "matches “Seeds”, which is published" in output
    assert "another organisation" in output
    published.refresh_from_db()
    assert published.title == "Seeds" and published.version == 1


def test_the_portal_s_own_file_round_trips_into_an_empty_database(tmp_path, db):
    original = initiative_with_every_row()
    Rows(original).participant(OrganisationFactory(name="Instituto Parceiro"), role="implementing")
    original.outcomes.get().translations.create(language="en", title="Seed houses opened")
    original.translations.create(language="en", title="Seed banks", summary="Farmers swap.")
    original.lessons.get().translations.create(language="en", text="Trust takes time.")
    if RECORDS_SECTOR_SHARES:
        original.sector_links.update(share=Decimal(100))
    owner = original.owner
    funder = original.funding_contributions.get(funder__isnull=False).funder_id
    before = {
        "countries": sorted(
            (str(c.country_id), c.role, c.share) for c in original.country_links.all()
        ),
        "participants": sorted(
            (p.actor.name, p.role) for p in original.participations.select_related("actor")
        ),
        "sectors": sorted(original.sectors.values_list("code", flat=True)),
        "sector shares": sorted(original.sector_links.values_list("sector_id", "share"))
        if RECORDS_SECTOR_SHARES
        else None,
        "goals": sorted(original.sdg_goals.values_list("number", flat=True)),
        "modalities": sorted(original.modalities.values_list("slug", flat=True)),
        "evidence": sorted(
            (e.principle.slug, e.stance, e.narrative)
            for e in original.principle_evidence.select_related("principle")
        ),
    }
    path = tmp_path / "portal.xml"
    path.write_bytes(exported(Initiative.objects.all()))
    PrincipleEvidence.objects.all().delete()  # it holds its sources
    Initiative.objects.all().delete()
    moderator = MembershipFactory(organisation=owner).user

    output = run(path, owner, "--user", moderator.username)

    copy = Initiative.objects.get()
    assert copy.slug == "bancos-de-sementes"
    assert copy.state == Initiative.State.DRAFT
    assert (copy.title, copy.summary, copy.description, copy.language) == (
        original.title,
        original.summary,
        original.description,
        "pt",
    )
    assert copy.cooperation_type == Initiative.CooperationType.TRIANGULAR
    assert (copy.planned_start, copy.actual_start, copy.actual_end) == (
        original.planned_start,
        original.actual_start,
        original.actual_end,
    )
    assert copy.translations.get().title == "Seed banks"
    # Provider countries come back where the file names them in the portal's own element.
    carries_providers = b"provider-country" in path.read_bytes()
    assert [
        country for country in before["countries"] if carries_providers or country[1] == "recipient"
    ] == sorted((str(c.country_id), c.role, c.share) for c in copy.country_links.all())
    # Roles come back as IATI tells them: a lead is accountable, a partner implementing.
    assert sorted(
        (p.actor.name, p.role) for p in copy.participations.select_related("actor")
    ) == sorted(
        (name, ROLE_FROM_IATI[str(Participation.IATI_ROLE[role])])
        for name, role in before["participants"]
    )
    assert sorted(copy.sectors.values_list("code", flat=True)) == before["sectors"]
    if RECORDS_SECTOR_SHARES:
        shares = sorted(copy.sector_links.values_list("sector_id", "share"))
        assert shares == before["sector shares"]
    assert sorted(copy.sdg_goals.values_list("number", flat=True)) == before["goals"]
    assert sorted(copy.modalities.values_list("slug", flat=True)) == before["modalities"]
    # Each contribution the file carries comes back with its amount, currency and funder, or
    # is listed as not imported when the file does not say which funding model it is under.
    returned = sorted((c.amount, c.currency, c.funder_id) for c in copy.funding_contributions.all())
    for amount, currency, funder_id in [(Decimal(300000), "BRL", funder)]:
        assert (amount, currency, funder_id) in returned or (
            f"funding of {amount} {currency}" in output
        )
    assert {c.funding_model.slug for c in copy.funding_contributions.all()} <= {
        "provider-government"
    }
    outcome = copy.outcomes.get()
    assert outcome.title == "Casas de sementes abertas"
    assert outcome.translations.get().title == "Seed houses opened"
    indicator = Indicator.objects.get(outcome=outcome)
    assert (indicator.name, indicator.unit, indicator.baseline, indicator.target) == (
        "Casas de sementes",
        "casas",
        Decimal(0),
        Decimal(10),
    )
    assert (indicator.actual, indicator.actual_year) == (Decimal(12), 2016)
    source = copy.sources.get()
    assert (source.citation, source.year, source.document_type) == (
        "IDS policy briefing, 2015",
        2015,
        "case_study",
    )
    assert source.url.startswith("https://ssdc.example.org/")
    # Without the sources they cite, one piece of evidence per principle (the rest listed).
    assert (
        sorted(
            (e.principle.slug, e.stance, e.narrative)
            for e in copy.principle_evidence.select_related("principle")
        )
        == before["evidence"][1:]
    )
    lesson = copy.lessons.get()
    assert (lesson.text, lesson.for_civil_society) == ("A confiança leva tempo.", True)
    assert lesson.translations.get().text == "Trust takes time."
    assert not FundingContribution.objects.exclude(initiative=copy).exists()
    assert Participation.objects.filter(initiative=copy).exists()


def test_the_demo_data_round_trips_organisation_by_organisation(tmp_path, db, monkeypatch):
    from devtools.demo import demo_load

    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    demo_load(stdout=io.StringIO())
    published = Initiative.objects.filter(state=Initiative.State.PUBLISHED)
    before = {
        initiative.slug: (
            initiative.owner.slug,
            initiative.title,
            sorted(str(c.country_id) for c in initiative.recipient_links),
            sorted(initiative.sectors.values_list("code", flat=True)),
            initiative.outcomes.count(),
            sorted(initiative.translations.values_list("language", flat=True)),
        )
        for initiative in published.select_related("owner")
    }
    files = {}
    for owner in {slug for slug, *_rest in before.values()}:
        path = tmp_path / f"{owner}.xml"
        path.write_bytes(exported(published.filter(owner__slug=owner)))
        files[owner] = path
    # Outcomes come back as the file carries them (as results).
    results = {
        activity.findtext("iati-identifier").removeprefix(f"{REF}-"): len(
            activity.findall("result")
        )
        for path in files.values()
        for activity in etree.parse(str(path)).getroot()
    }
    for slug, values in before.items():
        assert values[4] >= results[slug]
        before[slug] = (*values[:4], results[slug], values[5])
    PrincipleEvidence.objects.all().delete()
    Initiative.objects.all().delete()
    importer = MembershipFactory().user
    importer.groups.add(*ModeratorFactory().groups.all())

    for owner, path in files.items():
        run(path, Organisation.objects.get(slug=owner), "--user", importer.username)

    after = {
        initiative.slug: (
            initiative.owner.slug,
            initiative.title,
            sorted(str(c.country_id) for c in initiative.recipient_links),
            sorted(initiative.sectors.values_list("code", flat=True)),
            initiative.outcomes.count(),
            sorted(initiative.translations.values_list("language", flat=True)),
        )
        for initiative in Initiative.objects.select_related("owner")
    }
    assert after == before
    assert len(after) == 4
    assert set(Initiative.objects.values_list("state", flat=True)) == {Initiative.State.DRAFT}
