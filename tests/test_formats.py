"""Dates, numbers and money are written for the language of a page, a PDF or an e-mail;
exports and the API are the same in every language."""

import datetime
import io
import json
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from charts.bars import bar_chart, timeline_chart
from initiatives.models import Indicator, Initiative, InitiativeCountry
from reports.builders import pdf
from ssdc_portal.languages import path_in_language
from tests.factories import InitiativeFactory, InvitationFactory, Rows, country
from tests.html_forms import form_fields

NBSP = "\xa0"

# What each language writes for the same record.
WRITTEN = {
    "en": {
        "amount": "12,500 BRL",
        "share": "(62.50 %)",
        "indicator": "1,500.50 (2016)",
        "dates": "1 June 2013 – 31 December 2016",
        "count": "1,234",
    },
    "es": {
        "amount": "12.500 BRL",
        "share": "(62,50 %)",
        "indicator": "1.500,50 (2016)",
        "dates": "1 de junio de 2013 – 31 de diciembre de 2016",
        "count": "1.234",
    },
    "pt-br": {
        "amount": "12.500 BRL",
        "share": "(62,50 %)",
        "indicator": "1.500,50 (2016)",
        "dates": "1 de junho de 2013 – 31 de dezembro de 2016",
        "count": "1.234",
    },
    "fr": {
        "amount": f"12{NBSP}500 BRL",
        "share": "(62,50 %)",
        "indicator": f"1{NBSP}500,50 (2016)",
        "dates": "1 juin 2013 – 31 décembre 2016",
        "count": f"1{NBSP}234",
    },
}
LANGUAGES = list(WRITTEN)


@pytest.fixture
def funded(db):
    initiative = InitiativeFactory(
        title="Bancos de sementes",
        slug="bancos-de-sementes",
        recipient__country=country("MZ"),
        recipient__share=Decimal("62.5"),
        actual_start=datetime.date(2013, 6, 1),
        actual_end=datetime.date(2016, 12, 31),
        published_at=timezone.now(),
    )
    rows = Rows(initiative)
    rows.country("ZA", share=Decimal("37.5"))
    rows.funding(
        "provider-government",
        amount=Decimal("12500"),
        currency="BRL",
        year_start=2013,
        year_end=2016,
    )
    outcome = rows.outcome("Casas de sementes")
    Indicator.objects.create(
        outcome=outcome, name="Sementes", target=Decimal("1500.5"), target_year=2016
    )
    return initiative


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_initiative_page_writes_amounts_shares_and_dates_for_its_language(
    client, funded, language
):
    page = client.get(path_in_language(funded.get_absolute_url(), language)).content.decode()
    written = WRITTEN[language]
    assert f"<td>{written['amount']}</td>" in page
    assert written["share"] in page
    assert f"<td>{written['indicator']}</td>" in page
    assert written["dates"] in page
    # Years are years: never grouped like thousands.
    assert "<td>2013–2016</td>" in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_brief_writes_amounts_and_dates_for_its_language(funded, language):
    out = io.BytesIO()
    with translation.override(language):
        pdf.write_initiative_brief(Initiative.objects.for_detail().get(pk=funded.pk), out)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    text = " ".join(text.replace(NBSP, " ").split())
    written = {key: value.replace(NBSP, " ") for key, value in WRITTEN[language].items()}
    assert written["amount"] in text
    assert written["dates"] in text
    assert "2013–2016" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_chart_counts_and_their_tables_are_grouped_for_the_language(language):
    with translation.override(language):
        chart = bar_chart(
            key="sectors", title="Sectors", category_header="Sector", rows=[("Health", 1234)]
        )
        timeline = timeline_chart(key="years", title="Years", rows=[(2013, 1234), (2014, 5)])
    count = WRITTEN[language]["count"]
    assert f">{count}</text>" in chart.svg
    assert f"Health: {count}" in chart.description
    # The timeline's years stay years; its counts are grouped.
    assert f"2013: {count}" in timeline.description
    assert "<title>2013: " in timeline.svg and ">2013</text>" in timeline.svg


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_chart_s_data_table_groups_its_counts(language):
    with translation.override(language):
        chart = bar_chart(
            key="sectors", title="Sectors", category_header="Sector", rows=[("Health", 1234)]
        )
        html = render_to_string("initiatives/includes/chart.html", {"chart": chart})
    assert f'<td class="numeric">{WRITTEN[language]["count"]}</td>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("en", "15 January 2027"),
        ("es", "15 de enero de 2027"),
        ("pt-br", "15 de janeiro de 2027"),
        ("fr", "15 janvier 2027"),
    ],
)
def test_the_invitation_email_writes_its_date_for_the_language(language, date):
    from accounts.tasks import invitation_send_email

    invitation = InvitationFactory(
        expires_at=datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC)
    )
    invitation_send_email(invitation_id=invitation.pk, language=language)
    assert date in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", ["Sunday 6 December 2026", "December 2026", "December"]),
        ("es", ["domingo 6 de diciembre de 2026", "diciembre de 2026", "diciembre"]),
        ("pt-br", ["domingo 6 de dezembro de 2026", "dezembro de 2026", "dezembro"]),
        ("fr", ["dimanche 6 décembre 2026", "décembre 2026", "décembre"]),
    ],
)
def test_month_and_weekday_names_are_in_lower_case_where_the_language_writes_them_so(
    language, written
):
    # A full date with its weekday, a month and year, and a month standing alone ("E").
    template = Template(
        '{{ day|date:"l" }} {{ day|date }}|{{ day|date:"YEAR_MONTH_FORMAT" }}|{{ day|date:"E" }}'
    )
    with translation.override(language):
        text = template.render(Context({"day": datetime.date(2026, 12, 6)}))
    assert text.split("|") == written


@pytest.mark.parametrize(
    ("language", "found"),
    [
        ("en", "1,234 initiatives found · page 2 of 1,234"),
        ("es", "1.234 iniciativas encontradas · página 2 de 1.234"),
        ("pt-br", "1.234 iniciativas encontradas · página 2 de 1.234"),
        ("fr", f"1{NBSP}234 initiatives trouvées · page 2 sur 1{NBSP}234"),
    ],
)
def test_the_list_header_groups_its_counts_for_the_language(language, found):
    with translation.override(language):
        one_a_page = Paginator(range(1234), 1).get_page(2)
        header = render_to_string("initiatives/_list_status.html", {"page": one_a_page})
        single = render_to_string(
            "initiatives/_list_status.html", {"page": Paginator([1], 20).get_page(1)}
        )
    assert header.strip() == found
    # The plural is chosen on the number itself.
    assert "1 " in single and found.split(" ")[1] not in single


@pytest.mark.django_db
def test_the_api_and_its_csv_are_the_same_in_every_language(client, funded):
    def fetch(language, path="/api/v1/initiatives/", **params):
        response = client.get(path, params, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        if response.streaming:
            return b"".join(response.streaming_content).decode()
        return response.content.decode()

    def data(text):
        """The JSON, less the address of the page (which is in the language asked for)."""
        value = json.loads(text)
        for record in value.get("results", [value]):
            record.pop("page")
        return value

    detail = "/api/v1/initiatives/bancos-de-sementes/"
    english = {
        "csv": fetch("en", format="csv"),
        "list": data(fetch("en")),
        "detail": data(fetch("en", path=detail)),
    }
    assert english["detail"]["recipient_countries"][0]["share"] == "62.50"
    assert english["detail"]["funding_contributions"][0]["amount"] == "12500.00"
    assert english["detail"]["actual_start"] == "2013-06-01"
    for language in LANGUAGES[1:]:
        assert fetch(language, format="csv") == english["csv"]
        assert data(fetch(language)) == english["list"]
        assert data(fetch(language, path=detail)) == english["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_editor_form_shows_and_takes_back_numbers_as_they_are_stored(
    signed_in, organisation, funded, language
):
    Initiative.objects.filter(pk=funded.pk).update(owner=organisation, state="draft")
    url = path_in_language(reverse("editor-initiative-edit", args=[funded.slug]), language)
    response = signed_in.get(url)
    assert response.status_code == 200
    fields = form_fields(response.content.decode(), "editor-form")
    values = set(fields.values())
    assert {"62.50", "12500.00", "1500.50", "2013", "2016"} <= values
    assert not any("," in value for value in values if value.replace(",", "").isdigit())

    version = funded.version
    saved = signed_in.post(url, fields)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    funded.refresh_from_db()
    assert funded.version == version + 1  # saved, not turned away
    assert InitiativeCountry.objects.get(initiative=funded, country="MZ").share == Decimal("62.5")
    assert funded.funding_contributions.get().amount == Decimal("12500")
    assert Indicator.objects.get(outcome__initiative=funded).target == Decimal("1500.5")
