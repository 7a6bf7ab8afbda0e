"""Published versions of a record, its citation files and page markup, the answer at a
withdrawn record's address, and the withdrawals a syncing API client reads."""

import datetime
import json
import re

import bibtexparser
import pytest
import rispy
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeTranslation,
    Outcome,
    OutcomeTranslation,
)
from initiatives.services import (
    initiative_approve,
    initiative_archive,
    initiative_revert,
    initiative_save,
    initiative_submit,
)
from learning.models import Lesson
from tests.factories import (
    FundingContributionFactory,
    InitiativeFactory,
    OrganisationFactory,
    PrincipleEvidenceFactory,
    SourceFactory,
    record_published_version,
    withdrawn_initiative,
)

pytestmark = pytest.mark.django_db
State = Initiative.State
SITE = "https://ssdc.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def edit(initiative: Initiative, *, by, **changes) -> Initiative:
    initiative = Initiative.objects.get(pk=initiative.pk)
    for name, value in changes.items():
        setattr(initiative, name, value)
    return initiative_save(initiative=initiative, by=by, expected_version=initiative.version)


def version_numbers(initiative: Initiative) -> list[int]:
    return list(initiative.published_versions.values_list("number", flat=True))


@pytest.fixture
def published_twice(editor, moderator):
    """A record drafted, edited as a draft, submitted, approved (version 1), then edited
    while published (version 2)."""
    owner = editor.memberships.get().organisation
    initiative = InitiativeFactory(owner=owner, state=State.DRAFT, title="Seed fairs")
    initiative = edit(initiative, by=editor, title="Seed fairs (draft title)")
    initiative_submit(initiative=initiative, by=editor)
    initiative_approve(initiative=initiative, by=moderator)
    initiative = edit(initiative, by=editor, title="Seed fairs across the border")
    return Initiative.objects.get(pk=initiative.pk)


# ---- numbering --------------------------------------------------------------------------


def test_publication_is_version_1_and_each_published_edit_the_next(published_twice, editor):
    assert version_numbers(published_twice) == [1, 2]
    edit(published_twice, by=editor, summary="A third wording.")
    assert version_numbers(published_twice) == [1, 2, 3]


def test_draft_edits_and_submission_never_make_a_version(editor):
    owner = editor.memberships.get().organisation
    initiative = InitiativeFactory(owner=owner, state=State.DRAFT)
    edit(initiative, by=editor, title="Still a draft")
    initiative_submit(initiative=initiative, by=editor)
    edit(initiative, by=editor, title="Changed while submitted")
    assert version_numbers(initiative) == []


def test_archiving_makes_no_version_and_records_when(published_twice, moderator):
    before = timezone.now()
    initiative_archive(initiative=published_twice, by=moderator)
    published_twice.refresh_from_db()
    assert version_numbers(published_twice) == [1, 2]
    assert published_twice.archived_at >= before


# ---- version pages ----------------------------------------------------------------------


def test_an_old_version_shows_its_own_title_and_links_the_current_one(client, published_twice):
    response = client.get(f"/initiatives/{published_twice.slug}/v/1/")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    assert page.xpath("string(//h1)") == "Seed fairs (draft title)"
    banner = " ".join(page.xpath("string(//*[@data-testid='version-banner'])").split())
    today = timezone.localdate().strftime("%-d %B %Y")
    assert f"You are reading version 1 of this record, published {today}." in banner
    assert f"The current version is version 2 of {today}." in banner
    assert page.xpath("//*[@data-testid='version-banner']//a/@href") == [
        f"/initiatives/{published_twice.slug}/"
    ]
    assert "Seed fairs across the border" not in response.content.decode()

    latest = client.get(f"/initiatives/{published_twice.slug}/v/2/")
    assert lxml_html.fromstring(latest.content).xpath("string(//h1)") == (
        "Seed fairs across the border"
    )
    assert "This is the current version." in latest.content.decode()


def test_a_version_that_does_not_exist_is_not_found(client, published_twice):
    assert client.get(f"/initiatives/{published_twice.slug}/v/3/").status_code == 404
    assert client.get(f"/initiatives/{published_twice.slug}/v/0/").status_code == 404


def test_a_record_never_published_has_no_version_even_for_its_editors(signed_in, editor):
    owner = editor.memberships.get().organisation
    draft = InitiativeFactory(owner=owner, state=State.DRAFT)
    record_published_version(draft)  # a revision of the draft: no version
    assert signed_in.get(f"/initiatives/{draft.slug}/v/1/").status_code == 404
    assert signed_in.get(f"/initiatives/{draft.slug}/cite/?format=ris").status_code == 404


def test_the_current_page_shows_its_version_and_lists_the_versions(client, published_twice):
    response = client.get(published_twice.get_absolute_url())
    page = lxml_html.fromstring(response.content)
    shown = " ".join(page.xpath("string(//*[@data-testid='current-version'])").split())
    assert shown.startswith("Version 2, published ")
    assert page.xpath("//*[@data-testid='current-version']/a/@href") == ["#versions"]
    assert page.xpath("//ol[@class='versions']//a/@href") == [
        f"/initiatives/{published_twice.slug}/v/1/",
        f"/initiatives/{published_twice.slug}/v/2/",
    ]
    cite_links = page.xpath("//section[@class='cite']//ul//a/@href")
    assert cite_links == [
        f"/initiatives/{published_twice.slug}/v/2/cite/?format={kind}"
        for kind in ("bibtex", "ris", "csl-json")
    ]
    assert f"{SITE}/initiatives/{published_twice.slug}/v/2/" in response.content.decode()


def test_a_version_page_answers_in_a_fixed_number_of_queries(client, count_queries):
    few = InitiativeFactory()
    record_published_version(few)
    many = InitiativeFactory()
    for code in ("ZA", "AO", "CV"):
        many.country_links.create(country_id=code, role="recipient")
    record_published_version(many)
    assert count_queries(lambda: client.get(f"/initiatives/{few.slug}/v/1/")) == (
        count_queries(lambda: client.get(f"/initiatives/{many.slug}/v/1/"))
    )


def _rich(initiative: Initiative, *, rows: int) -> Initiative:
    """``initiative`` with ``rows`` outcomes (each with ``rows`` indicators), lessons,
    sources, contributions and pieces of evidence."""
    for n in range(rows):
        outcome = Outcome.objects.create(
            initiative=initiative, title=f"Outcome {n}", narrative="Farmers kept seed.", position=n
        )
        for m in range(rows):
            Indicator.objects.create(outcome=outcome, name=f"Indicator {n}.{m}", baseline=m)
        Lesson.objects.create(initiative=initiative, text=f"Lesson {n}", position=n)
        source = SourceFactory(initiative=initiative, citation=f"Report {n}")
        FundingContributionFactory(
            initiative=initiative, amount=1000 + n, currency="USD", funder=OrganisationFactory()
        )
        PrincipleEvidenceFactory(initiative=initiative, source=source, narrative=f"Evidence {n}")
    return initiative


def test_a_version_page_reads_all_its_rows_in_a_fixed_number_of_queries(client, count_queries):
    few = _rich(InitiativeFactory(), rows=1)
    record_published_version(few)
    many = _rich(InitiativeFactory(), rows=4)
    OutcomeTranslation.objects.create(
        outcome=many.outcomes.first(), language="fr", title="Résultat"
    )
    record_published_version(many)
    page = lxml_html.fromstring(client.get(f"/initiatives/{many.slug}/v/1/").content)
    assert len(page.xpath("//section[@aria-labelledby='outcomes-heading']//tbody/tr")) == 16
    assert count_queries(lambda: client.get(f"/initiatives/{few.slug}/v/1/")) == (
        count_queries(lambda: client.get(f"/initiatives/{many.slug}/v/1/"))
    )


@pytest.fixture
def changed_parts(settings, tmp_path):
    """A record published (version 1) with an outcome, a lesson, a source with a document,
    a contribution and a piece of evidence, all changed in version 2."""
    settings.MEDIA_ROOT = tmp_path
    initiative = InitiativeFactory(title="Seed fairs")
    outcome = Outcome.objects.create(initiative=initiative, title="Fairs held", narrative="Ten.")
    indicator = Indicator.objects.create(
        outcome=outcome,
        name="Fairs",
        unit="fairs",
        baseline=2,
        baseline_year=2019,
        target=10,
        target_year=2022,
        actual=12,
        actual_year=2023,
    )
    lesson = Lesson.objects.create(initiative=initiative, text="Start with the elders.")
    source = SourceFactory(initiative=initiative, citation="Evaluation of the fairs", year=2021)
    source.document.save("evaluation.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    funder = OrganisationFactory(name="Seed Fund")
    contribution = FundingContributionFactory(
        initiative=initiative,
        funder=funder,
        amount=25000,
        currency="EUR",
        year_start=2020,
        year_end=2022,
    )
    evidence = PrincipleEvidenceFactory(
        initiative=initiative, narrative="The villages chose the seeds.", source=source
    )
    record_published_version(initiative)
    outcome.title = "Fairs planned"
    outcome.save()
    indicator.actual = 3
    indicator.save()
    lesson.text = "Start with the youth."
    lesson.save()
    source.citation = "Second evaluation"
    source.save()
    contribution.amount = 99
    contribution.save()
    evidence.narrative = "Outsiders chose the seeds."
    evidence.save()
    record_published_version(initiative)
    return initiative


def _text(response) -> str:
    return " ".join(lxml_html.fromstring(response.content).text_content().split())


def test_an_old_version_shows_its_own_outcomes_lessons_sources_funding_and_evidence(
    client, changed_parts
):
    old = client.get(f"/initiatives/{changed_parts.slug}/v/1/")
    text = _text(old)
    for then in (
        "Fairs held",
        "2 (2019)",
        "10 (2022)",
        "12 (2023)",
        "(fairs)",
        "Start with the elders.",
        "Evaluation of the fairs",
        "2021",
        "Seed Fund",
        "25,000 EUR",
        "2020–2022",
        "The villages chose the seeds.",
    ):
        assert then in text
    for now in (
        "Fairs planned",
        "Start with the youth.",
        "Second evaluation",
        "99 EUR",
        "Outsiders chose the seeds.",
    ):
        assert now not in text
    page = lxml_html.fromstring(old.content)
    headings = [h.text_content().strip() for h in page.xpath("//h2")]
    assert headings[-5:-1] == [
        "Funding and contributions",
        "Outcomes and lessons",
        "Evidence of the effectiveness principles",
        "Sources and documents",
    ]
    assert page.xpath("//table/caption")
    # Version 2 reads as the record's page does now.
    assert "Fairs planned" in _text(client.get(f"/initiatives/{changed_parts.slug}/v/2/"))


def test_a_version_links_a_document_only_while_the_record_still_serves_it(client, changed_parts):
    source = changed_parts.sources.get()
    download = reverse("source-document", args=[source.pk])

    def links():
        page = lxml_html.fromstring(client.get(f"/initiatives/{changed_parts.slug}/v/1/").content)
        return page.xpath("//a[@class='download']/@href")

    assert links() == [download]
    original = source.document.name
    source.document.save("replaced.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert links() == []  # a different file now: the citation stays, without a link
    source.document.name = original
    source.save()
    assert links() == [download]  # the file of then again
    source.document.storage.delete(original)
    assert links() == []  # the same name, but the file is gone
    assert "Evaluation of the fairs" in _text(client.get(f"/initiatives/{changed_parts.slug}/v/1/"))


def test_a_version_shows_its_translation_in_the_readers_language(client):
    initiative = InitiativeFactory(
        title="Seed fairs", summary="Fairs of seeds.", description="Long text.", language="en"
    )
    InitiativeTranslation.objects.create(
        initiative=initiative,
        language="fr",
        title="Foires aux semences",
        summary="Des foires.",
        description="Texte long.",
    )
    record_published_version(initiative)
    InitiativeTranslation.objects.filter(initiative=initiative).update(title="Autre titre")
    french = lxml_html.fromstring(client.get(f"/fr/initiatives/{initiative.slug}/v/1/").content)
    assert french.xpath("string(//h1)") == "Foires aux semences"
    assert french.xpath("//h1/@lang") == ["fr"]
    assert "Texte long." in french.text_content()
    assert french.xpath("//p[@class='language-note']/a/@href") == [
        f"/initiatives/{initiative.slug}/v/1/"
    ]
    spanish = lxml_html.fromstring(client.get(f"/es/initiatives/{initiative.slug}/v/1/").content)
    assert spanish.xpath("string(//h1)") == "Seed fairs"
    assert spanish.xpath("//h1/@lang") == ["en"]
    assert spanish.xpath("//p[@class='lead']/@lang") == ["en"]
    assert "el inglés" in spanish.xpath("string(//p[@class='language-note'])")


# ---- withdrawn records ----------------------------------------------------------------


def test_a_withdrawn_record_answers_410_and_links_its_last_version(client, moderator_client):
    withdrawn = withdrawn_initiative(title="Closed exchange")
    for visitor in (client, moderator_client):
        response = visitor.get(withdrawn.get_absolute_url())
        assert response.status_code == 410
        page = lxml_html.fromstring(response.content)
        assert page.xpath("string(//h1)") == "This record was withdrawn"
        assert page.xpath("//a[@data-testid='last-version']/@href") == [
            f"/initiatives/{withdrawn.slug}/v/1/"
        ]
    # Its versions stay readable, and say it was withdrawn.
    version = client.get(f"/initiatives/{withdrawn.slug}/v/1/")
    assert version.status_code == 200
    assert "has since been withdrawn" in version.content.decode()
    assert client.get(f"/initiatives/{withdrawn.slug}/cite/?format=ris").status_code == 410
    assert client.get(f"/initiatives/{withdrawn.slug}/v/1/cite/?format=ris").status_code == 200


def test_the_withdrawn_page_is_translated(client):
    withdrawn = withdrawn_initiative()
    response = client.get(f"/fr{withdrawn.get_absolute_url()}")
    assert response.status_code == 410
    assert "This record was withdrawn" not in response.content.decode()


def test_a_record_never_published_stays_not_found(client):
    for state in (State.DRAFT, State.SUBMITTED, State.RETURNED):
        assert client.get(InitiativeFactory(state=state).get_absolute_url()).status_code == 404
    assert client.get("/initiatives/no-such-record/").status_code == 404


# ---- citation files ---------------------------------------------------------------------


@pytest.fixture
def cited():
    """A published record with awkward characters in its title and organisation."""
    owner = OrganisationFactory(name="Rede {Sementes} & Co_op 100%")
    initiative = InitiativeFactory(
        owner=owner, title='Seed banks: "crioulas" & $ {braces}', language="pt", slug="seed-banks"
    )
    record_published_version(initiative)
    return initiative


def test_bibtex_parses_with_an_institutional_author(client, cited):
    response = client.get("/initiatives/seed-banks/v/1/cite/?format=bibtex")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="seed-banks-v1.bib"'
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == r"{Rede \{Sementes\} \& Co\_op 100\%}"
    assert fields["title"] == r'{Seed banks: "crioulas" \& \$ \{braces\}}'
    assert fields["year"] == str(timezone.localdate().year)
    assert fields["publisher"] == "SSDC Portal"
    assert fields["url"] == f"{SITE}/initiatives/seed-banks/v/1/"
    assert fields["urldate"] == timezone.localdate().isoformat()
    assert fields["language"] == "pt"


def test_ris_parses(client, cited):
    response = client.get("/initiatives/seed-banks/cite/?format=ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="seed-banks-v1.ris"'
    (entry,) = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "ELEC"
    assert entry["authors"] == ["Rede {Sementes} & Co_op 100%"]
    assert entry["title"] == 'Seed banks: "crioulas" & $ {braces}'
    assert entry["year"] == str(timezone.localdate().year)
    assert entry["publisher"] == "SSDC Portal"
    assert entry["urls"] == [f"{SITE}/initiatives/seed-banks/v/1/"]
    assert entry["language"] == "pt"
    assert entry["access_date"] == timezone.localdate().strftime("%Y/%m/%d")


def test_csl_json_is_a_list_of_items_with_the_required_fields(client, cited):
    response = client.get("/initiatives/seed-banks/v/1/cite/?format=csl-json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="seed-banks-v1.json"'
    items = json.loads(response.content)
    assert isinstance(items, list) and len(items) == 1
    (item,) = items
    assert {"id", "type", "title"} <= item.keys()
    today = timezone.localdate()
    assert item["type"] == "webpage"
    assert item["author"] == [{"literal": "Rede {Sementes} & Co_op 100%"}]
    assert item["issued"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["URL"] == f"{SITE}/initiatives/seed-banks/v/1/"
    assert item["publisher"] == "SSDC Portal"
    assert item["version"] == "1"
    assert item["language"] == "pt"


def test_an_old_version_is_cited_with_its_own_title_and_date(client, published_twice):
    old = published_twice.published_versions.get(number=1)
    old.published_at = datetime.datetime(2024, 5, 6, 12, tzinfo=datetime.UTC)
    old.save()
    response = client.get(f"/initiatives/{published_twice.slug}/v/1/cite/?format=ris")
    (entry,) = rispy.loads(response.content.decode())
    assert entry["title"] == "Seed fairs (draft title)"
    assert entry["year"] == "2024"
    assert entry["urls"] == [f"{SITE}/initiatives/{published_twice.slug}/v/1/"]


def test_the_publisher_is_named_in_the_reader_language(client, cited):
    response = client.get("/fr/initiatives/seed-banks/cite/?format=csl-json")
    (item,) = json.loads(response.content)
    assert item["publisher"] == "Portail SSDC"


def test_an_unknown_format_is_refused(client, cited):
    response = client.get("/initiatives/seed-banks/cite/?format=endnote")
    assert response.status_code == 400
    assert "bibtex, ris, csl-json" in response.content.decode()


# ---- page head ------------------------------------------------------------------------


def test_citation_meta_tags_and_json_ld_are_in_the_head_and_escaped(client):
    owner = OrganisationFactory(name="Rede </script><b>x</b>")
    initiative = InitiativeFactory(
        owner=owner, title='Fairs </script><script>alert("x")</script> & more', slug="fairs"
    )
    record_published_version(initiative)
    response = client.get("/initiatives/fairs/")
    text = response.content.decode()
    head = lxml_html.fromstring(response.content).find("head")
    meta = {element.get("name"): element.get("content") for element in head.iter("meta")}
    assert meta["citation_title"] == initiative.title
    assert meta["citation_author"] == owner.name
    assert meta["citation_publication_date"] == timezone.localdate().strftime("%Y/%m/%d")
    assert meta["citation_publisher"] == "SSDC Portal"
    assert meta["citation_public_url"] == f"{SITE}/initiatives/fairs/v/1/"
    assert meta["citation_language"] == "en"
    (script,) = head.xpath("script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "CreativeWork"
    assert data["name"] == initiative.title
    assert data["author"] == {"@type": "Organization", "name": owner.name}
    assert data["url"] == f"{SITE}/initiatives/fairs/v/1/"
    # Nothing in the data ends the script element or starts markup.
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert "<" not in block.group(1) and ">" not in block.group(1)


def test_a_version_page_carries_its_own_citation_markup(client, published_twice):
    response = client.get(f"/initiatives/{published_twice.slug}/v/1/")
    head = lxml_html.fromstring(response.content).find("head")
    meta = {element.get("name"): element.get("content") for element in head.iter("meta")}
    assert meta["citation_title"] == "Seed fairs (draft title)"
    assert meta["citation_public_url"] == f"{SITE}/initiatives/{published_twice.slug}/v/1/"
    (canonical,) = head.xpath("link[@rel='canonical']/@href")
    assert canonical == f"{SITE}/initiatives/{published_twice.slug}/v/1/"


# ---- the API ----------------------------------------------------------------------------

WITHDRAWN = "/api/v1/initiatives/withdrawn/"


def test_the_api_lists_withdrawals_since_a_moment(client):
    earlier = withdrawn_initiative(slug="earlier")
    later = withdrawn_initiative(slug="later")
    Initiative.objects.filter(pk=earlier.pk).update(
        archived_at=datetime.datetime(2025, 1, 10, 8, tzinfo=datetime.UTC)
    )
    Initiative.objects.filter(pk=later.pk).update(
        archived_at=datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)
    )
    InitiativeFactory(slug="still-published")
    rows = client.get(WITHDRAWN).json()["results"]
    assert rows == [
        {
            "slug": "earlier",
            "withdrawn_at": "2025-01-10T08:00:00Z",
            "last_version": 1,
            "last_version_url": f"{SITE}/initiatives/earlier/v/1/",
        },
        {
            "slug": "later",
            "withdrawn_at": "2025-03-01T09:30:00Z",
            "last_version": 1,
            "last_version_url": f"{SITE}/initiatives/later/v/1/",
        },
    ]

    def since(value):
        return [row["slug"] for row in client.get(WITHDRAWN, {"since": value}).json()["results"]]

    assert since("2025-02-01") == ["later"]
    assert since("2025-03-01T09:30:00Z") == ["later"]
    assert since("2025-03-01T11:31:00+02:00") == []  # 09:31 UTC
    assert since("2025-03-01T11:29:00 02:00") == ["later"]  # "+" sent unencoded
    refused = client.get(WITHDRAWN, {"since": "2025-03-01T09:30:00"})  # no time zone
    assert refused.status_code == 400
    assert "since" in refused.json()["error"]["details"]


def test_the_withdrawals_list_answers_in_one_query(client, count_queries):
    withdrawn_initiative()
    few = count_queries(lambda: client.get(WITHDRAWN))
    for _ in range(5):
        withdrawn_initiative()
    assert count_queries(lambda: client.get(WITHDRAWN)) == few
    assert len(client.get(WITHDRAWN).json()["results"]) == 6


def test_updated_since_takes_a_date_time(client):
    old = InitiativeFactory(slug="old")
    new = InitiativeFactory(slug="new")
    Initiative.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC)
    )
    Initiative.objects.filter(pk=new.pk).update(
        updated_at=datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)
    )

    def slugs(value):
        response = client.get("/api/v1/initiatives/", {"updated_since": value})
        assert response.status_code == 200, response.content
        return {row["slug"] for row in response.json()["results"]}

    assert slugs("2025-03-01") == {"old", "new"}
    assert slugs("2025-03-01T09:00:00Z") == {"new"}
    assert slugs("2025-03-01T09:00:00+01:00") == {"old", "new"}
    assert slugs("2025-03-01T10:00:01Z") == set()
    refused = client.get("/api/v1/initiatives/", {"updated_since": "2025-03-01T09:00:00"})
    assert refused.status_code == 400


def test_the_openapi_document_describes_withdrawals_and_date_times(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    withdrawn = schema["paths"]["/api/v1/initiatives/withdrawn/"]["get"]
    (since,) = [p for p in withdrawn["parameters"] if p["name"] == "since"]
    assert {choice["format"] for choice in since["schema"]["oneOf"]} == {"date", "date-time"}
    response = withdrawn["responses"]["200"]["content"]["application/json"]["schema"]
    described = schema["components"]["schemas"][response["$ref"].rsplit("/", 1)[1]]
    rows = described["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][rows]["properties"]) == {
        "slug",
        "withdrawn_at",
        "last_version",
        "last_version_url",
    }
    listing = schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]
    (updated_since,) = [p for p in listing if p["name"] == "updated_since"]
    formats = {choice["format"] for choice in updated_since["schema"]["oneOf"]}
    assert formats == {"date", "date-time"}


def test_archiving_through_the_service_shows_in_the_withdrawals(client, published_twice, moderator):
    initiative_archive(initiative=published_twice, by=moderator)
    (row,) = client.get(WITHDRAWN).json()["results"]
    assert row["slug"] == published_twice.slug
    assert row["last_version"] == 2


def test_a_moderators_revert_of_a_published_record_is_its_next_version(
    client, published_twice, moderator
):
    first = published_twice.published_versions.get(number=1)
    initiative_revert(initiative=published_twice, revision=first.revision, by=moderator)
    assert version_numbers(published_twice) == [1, 2, 3]
    page = client.get(f"/initiatives/{published_twice.slug}/v/3/")
    assert lxml_html.fromstring(page.content).xpath("string(//h1)") == "Seed fairs (draft title)"
