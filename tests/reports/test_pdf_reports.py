"""PDF reports: the initiative brief and the country profile, read back with pypdf."""

import datetime
import io
import re
import socket
from decimal import Decimal

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from funding.models import FundingModel
from initiatives.models import Indicator, Initiative, Participation
from principles.models import Principle, PrincipleEvidence
from reports.builders import pdf
from tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    Rows,
    brazil_with_context,
    country,
    initiative_between,
)

SITE = "https://ssdc.example.org"


def read(data: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def flat(pages: list[str]) -> str:
    """All pages' text with whitespace runs (line breaks included) made single spaces."""
    return " ".join(" ".join(pages).split())


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def no_network(monkeypatch):
    """Fails the test if anything opens a network connection; records the attempts."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"network connection attempted to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.fixture
def rich(db):
    owner = OrganisationFactory(name="Rede Sementes")
    initiative = InitiativeFactory(
        title="Community seed banks across borders",
        slug="community-seed-banks",
        summary="Farmers' groups exchange native seeds and the know-how to keep them.",
        description="Exchange visits between farming communities.\n\nA second paragraph.",
        owner=owner,
        provider__country=country("BR"),
        recipient__country=country("MZ"),
        recipient__share=Decimal("60"),
        cooperation_type=Initiative.CooperationType.TRIANGULAR,
        actual_start=datetime.date(2013, 6, 1),
        actual_end=datetime.date(2016, 12, 31),
        is_post_disaster=True,
        published_at=timezone.now(),
    )
    rows = Rows(initiative)
    rows.country("ZA", share=Decimal("40"))
    partner = OrganisationFactory(name="National Peasants Union", actor_type="social_movement")
    rows.participant(partner, role=Participation.Role.PARTNER)
    rows.modalities("exchange-visits")
    rows.funding(
        "provider-government",
        funder=OrganisationFactory(name="Solidarity Fund"),
        amount=Decimal("300000"),
        currency="BRL",
        year_start=2013,
        year_end=2016,
    )
    rows.funding(amount=Decimal("100000"), currency="BRL")
    rows.non_monetary("exchange_visits", 6, year=2014)
    initiative.lessons.create(
        text="Trust between communities takes time to build.", for_funders=True
    )
    outcome = rows.outcome("Seed houses opened", narrative="Twelve houses run.")
    Indicator.objects.create(
        outcome=outcome, name="Seed houses in use", baseline=0, target=10, actual=12
    )
    source = rows.source(
        citation="Policy briefing on seed exchanges, 2015", url="https://example.org/briefing"
    )
    rows.evidence(
        "ownership",
        strength=PrincipleEvidence.Strength.DOCUMENTED,
        source=source,
        narrative="Communities chose the seeds to keep.",
        confirmation="confirmed",
        confirmed_by_organisation=partner,
        confirmed_at=timezone.now(),
    )
    return initiative


def brief(initiative: Initiative, **kwargs) -> bytes:
    out = io.BytesIO()
    loaded = Initiative.objects.for_detail().get(pk=initiative.pk)
    pdf.write_initiative_brief(loaded, out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_brief_has_the_facts_of_the_initiative_page(rich, no_network):
    steps = []
    reader, pages = read(brief(rich, progress=lambda done, total: steps.append((done, total))))
    text = flat(pages)
    principle = Principle.objects.get(slug="ownership")
    for fact in [
        "Community seed banks across borders",
        "Recorded by Rede Sementes",
        "Farmers' groups exchange native seeds",
        "A second paragraph.",
        "Triangular (with a traditional donor or multilateral)",
        "Post-disaster",
        "Brazil",
        "Mozambique (60 %)",
        "South Africa (40 %)",
        "National Peasants Union",
        "Partner",
        "Exchange visits",
        FundingModel.objects.get(slug="provider-government").name,
        FundingModel.objects.get(slug="citizen-donations").name,
        "75 %",
        "Solidarity Fund",
        "300,000 BRL",
        "6 exchange visits (2014)",
        "Seed houses opened",
        "Seed houses in use",
        "Trust between communities takes time to build.",
        "For funders",
        principle.name,
        "Communities chose the seeds to keep.",
        "Documented in a source",
        "Confirmed by National Peasants Union",
        "Policy briefing on seed exchanges, 2015",
        "https://example.org/briefing",
    ]:
        assert fact in text, fact
    citation = (
        f"Rede Sementes ({rich.updated_at:%Y}). Community seed banks across borders. SSDC "
        f"Portal. {SITE}/initiatives/community-seed-banks/ (accessed "
        f"{timezone.localdate():%-d %B %Y})."
    )
    assert squashed(citation) in squashed(text)  # a long URL may wrap anywhere
    assert reader.metadata.title == "Community seed banks across borders"
    assert reader.metadata.author == "SSDC Portal"
    assert reader.metadata.creation_date is not None
    assert steps == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.django_db
def test_brief_pages_have_numbered_footers_and_a_running_title(rich):
    rich.description = "\n\n".join(["A long paragraph about the work done. " * 20] * 12)
    rich.save()
    reader, pages = read(brief(rich))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
    assert "Community seed banks across borders" in pages[1]
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged PDF
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.django_db
def test_record_text_is_escaped_and_its_urls_are_never_fetched(rich, no_network):
    rich.description = '<img src="http://127.0.0.1:9/x.png"> <b>not bold</b>'
    rich.save()
    Rows(rich).source(citation="Picture of the site", url="http://127.0.0.1:9/x.png")
    text = flat(read(brief(rich))[1])
    assert '<img src="http://127.0.0.1:9/x.png"> <b>not bold</b>' in text
    assert "http://127.0.0.1:9/x.png" in text
    assert no_network == []


@pytest.mark.django_db
def test_brief_prints_the_addresses_a_reader_cannot_click_on_paper(rich):
    source = rich.sources.get()
    source.document.save("briefing.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    text = flat(read(brief(rich))[1])
    document = f"{SITE}/documents/{source.pk}/"
    assert squashed(f"Document kept on the portal: {document}") in squashed(text)
    # the source's own address follows its citation, in the list and in the evidence
    assert squashed(text).count(squashed("2015 https://example.org/briefing")) == 2
    assert "Download the document" not in text


@pytest.mark.django_db
def test_brief_of_an_unpublished_record_says_so():
    draft = InitiativeFactory(title="Plain draft", state=Initiative.State.DRAFT)
    text = flat(read(brief(draft))[1])
    assert "Plain draft" in text
    assert "Not published (Draft)" in text


def test_the_renderer_refuses_every_url_but_data(no_network, caplog):
    pixel = (
        "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRo"
        "PSIxIiBoZWlnaHQ9IjEiLz4="
    )
    html = (
        '<html lang="en"><head><title>T</title>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/s.css"></head><body>'
        '<img src="http://127.0.0.1:9/x.png" alt=""><img src="file:///etc/hostname" alt="">'
        f'<img src="{pixel}" alt=""><p>Still written</p></body></html>'
    )
    out = io.BytesIO()
    pdf.html_to_pdf(html, out)
    assert "Still written" in flat(read(out.getvalue())[1])
    assert no_network == []
    refused = " ".join(
        record.getMessage() for record in caplog.records if "refused" in record.getMessage()
    )
    for url in ["127.0.0.1:9/s.css", "127.0.0.1:9/x.png", "file:///etc/hostname"]:
        assert url in refused
    assert "data:image" not in refused
    fetcher = pdf.OfflineURLFetcher()
    for url in ["http://127.0.0.1:9/x.png", "https://example.org/", "file:///etc/hostname"]:
        with pytest.raises(ValueError):
            fetcher(url)
    assert fetcher(pixel).read().startswith(b"<svg")


# ---------------------------------------------------------------------------------------------
# Country profile


@pytest.fixture
def brazil(db):
    brazil = brazil_with_context()
    seeds = initiative_between(
        "Native seed banks in Mozambique",
        owner=OrganisationFactory(name="Seed Network"),
        start_year=2018,
        end_year=2020,
    )
    Rows(seeds).modalities("exchange-visits")
    Rows(seeds).funding()
    initiative_between("Urban housing exchange with Brazil", provider="IN", recipient="BR")
    initiative_between("Secret draft from Brazil", recipient="AO", state=Initiative.State.DRAFT)
    return brazil


def profile(code: str, **kwargs) -> tuple[pypdf.PdfReader, str]:
    out = io.BytesIO()
    pdf.write_country_profile(country(code), Initiative.objects.published(), out, **kwargs)
    reader, pages = read(out.getvalue())
    return reader, flat(pages)


@pytest.mark.django_db
def test_country_profile_shows_context_counts_charts_and_initiatives(brazil, no_network):
    steps = []
    reader, text = profile("BR", progress=lambda done, total: steps.append((done, total)))
    assert reader.metadata.title == "Country profile: Brazil"
    for fact in [
        "Upper-middle income, fiscal year 2025",
        "Latin America & Caribbean",
        "Initiatives as provider 1",
        "Initiatives as recipient 1",
        "2022 Enabling Environment Index — 61.5",
        "2019 CIVICUS Monitor",
        "Obstructed",
        "National council on food security",
        "National participatory space · since 2003",
        "Civil society and ministries meet every quarter.",
        "Source: Council statute, 2003",
        "Mozambique 1 0",
        "India 0 1",
        "Initiatives involving Brazil: countries and flows",
        "Initiatives by funding model",
        "Initiatives by modality",
        "Native seed banks in Mozambique 2018–2020 Mozambique Seed Network",
        "Urban housing exchange with Brazil",
        f"{SITE}/countries/BR/",
        "page 1 of",
    ]:
        assert fact in text, fact
    assert "Secret draft" not in text
    assert "Angola" not in text
    assert [done for done, _ in steps] == [1, 2, 3, 4, 5]
    assert {total for _, total in steps} == {5}


@pytest.mark.django_db
def test_country_profile_lists_are_capped_with_a_pointer_to_the_rest(brazil, monkeypatch):
    monkeypatch.setattr(pdf, "COUNTRY_LIST_LIMIT", 1)
    initiative_between("Second seed exchange")
    initiative_between("Third seed exchange")
    _, text = profile("BR")
    assert "Third seed exchange" in text  # the newest
    assert "Second seed exchange" not in text
    assert "Native seed banks in Mozambique" not in text
    assert "Urban housing exchange with Brazil" in text
    assert "2 more initiatives are not listed here." in text
    assert squashed(f"See them all in the list online: {SITE}/initiatives/?provider=BR") in (
        squashed(text)
    )
    assert "?recipient=BR" not in text


@pytest.mark.django_db
def test_a_country_with_nothing_recorded_still_gets_a_profile(db):
    _, text = profile("NR")
    assert country("NR").name in text
    assert "No civic-space ratings recorded yet." in text
    assert "No dialogue mechanism recorded yet." in text
    assert "No partner countries recorded yet." in text
    assert "None recorded yet." in text


@pytest.mark.django_db
def test_country_profile_prints_chart_data_and_source_addresses(brazil):
    _, text = profile("BR")
    assert "Data: Initiatives by funding model Funding model Initiatives" in text
    assert "Data table:" not in text  # the page's disclosure, not printed
    assert "2019 CIVICUS Monitor https://monitor.civicus.org/country/brazil/ Obstructed" in text
