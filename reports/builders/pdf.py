"""PDF documents: the brief of one initiative and the profile of one country.

Each is a Django template under ``reports/templates/reports/pdf/`` rendered to HTML and
typeset by WeasyPrint: A4 pages, a running header with the document title, "page N of M" in
the footer, DejaVu fonts, a tagged PDF (PDF/UA-1) whose structure follows the headings and
tables. Their sections are the web pages' own partials (``initiatives/_detail_*``,
``initiatives/_profile_*``, ``initiatives/includes/chart.html``), rendered with ``print`` set
and laid out by the print stylesheet ``reports/pdf/_print.css``. Charts and the map are the
site's own inline SVG (``charts``), so they print as they show on screen, each
followed by its data as tables.

The renderer never reaches out: its URL fetcher serves ``data:`` URLs only, so a link or an
image address in a record can neither make the worker fetch from the network nor read a local
file. Links stay clickable in the PDF; they are never followed while typesetting.
"""

import re
from dataclasses import dataclass
from typing import BinaryIO

import weasyprint
from django.conf import settings
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from funding.models import funding_mix
from initiatives import aggregates, charts
from initiatives.models import Initiative, InitiativeCountry
from initiatives.profiles import partner_countries
from reference.models import Country
from reports.builders import Progress, no_progress
from ssdc_portal import links

PDF_VARIANT = "pdf/ua-1"  # tagged PDF with the document language and title
COUNTRY_LIST_LIMIT = 2000  # initiatives listed per role in a country profile
CHUNK_SIZE = 500
Role = InitiativeCountry.Role


# ---------------------------------------------------------------------------------------------
# Typesetting


class OfflineURLFetcher(weasyprint.URLFetcher):
    """Serves ``data:`` URLs and refuses every other one (http, file, ftp…)."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)

    def fetch(self, url, headers=None):
        if not url.lower().startswith("data:"):
            raise ValueError(f"refused to fetch {url[:200]!r}: reports fetch nothing")
        return super().fetch(url, headers)


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string; everything but letters, digits and spaces escaped, so
    it cannot end the string, the rule or the ``<style>`` element it sits in."""
    escaped = "".join(
        char if (char.isascii() and char.isalnum()) or char == " " else f"\\{ord(char):x} "
        for char in text
    )
    return f'"{escaped}"'


def _page_counter_css() -> SafeString:
    """The footer's "page N of M" as a CSS ``content`` value, in the active language."""
    label = _("page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\(pages?\)s)", label):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 - fixed text, escaped for CSS above


def _render(template: str, context: dict) -> str:
    """The HTML of ``template`` with ``context`` (which names the document's ``title``), the
    document language and date, the fixed text of the page margins, and ``print`` (which the
    pages' partials read to print what differs on paper)."""
    now = timezone.now()
    generated = _("Generated on %(date)s") % {
        "date": formats.date_format(timezone.localdate(now), "DATE_FORMAT")
    }
    return render_to_string(
        template,
        {
            **context,
            "LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE,
            "print": True,
            "created": now,
            # fixed text, escaped for CSS: safe inside the <style> element
            "site_name_css": mark_safe(_css_string(_("SSDC Portal"))),  # noqa: S308 - CSS-escaped
            "generated_css": mark_safe(_css_string(generated)),  # noqa: S308 - CSS-escaped
            "page_counter_css": _page_counter_css(),
        },
    )


def html_to_pdf(html: str, out: BinaryIO) -> None:
    """Typeset an HTML document into ``out`` without fetching anything but ``data:`` URLs."""
    document = weasyprint.HTML(
        string=html, base_url=links.site_url() + "/", url_fetcher=OfflineURLFetcher()
    )
    document.write_pdf(target=out, pdf_variant=PDF_VARIANT)


def _site_url(path: str) -> str:
    return links.absolute_url(path)


# ---------------------------------------------------------------------------------------------
# Initiative brief


def write_initiative_brief(
    initiative: Initiative, out: BinaryIO, *, progress: Progress = no_progress
) -> None:
    """The initiative's public page as an A4 brief. ``initiative`` comes from
    ``Initiative.objects.…for_detail()``, so the template reads prefetched rows only."""
    context = {
        "title": initiative.title,
        "initiative": initiative,
        "funding_mix": funding_mix(initiative.funding_contributions.all()),
        "permanent_url": _site_url(initiative.get_absolute_url()),
        "accessed": timezone.localdate(),
        "site_url": links.site_url(),
    }
    progress(1, 3)
    html = _render("reports/pdf/initiative_brief.html", context)
    progress(2, 3)
    html_to_pdf(html, out)
    progress(3, 3)


# ---------------------------------------------------------------------------------------------
# Country profile


@dataclass(frozen=True)
class ListedInitiative:
    """One line of a country profile's list of initiatives."""

    initiative: Initiative
    url: str
    years: str
    partners: list[str]  # the countries on the other side of the profiled one


def _years(initiative: Initiative) -> str:
    end = initiative.actual_end or initiative.planned_end
    ended = end.year if end else initiative.end_year
    started = initiative.started_in
    if started is None and ended is None:
        return "—"
    if started == ended:
        return str(started)
    return f"{started or '…'}–{ended or '…'}"


def _listed(initiatives: QuerySet[Initiative], code: str, role: str) -> list[ListedInitiative]:
    """The newest ``COUNTRY_LIST_LIMIT`` initiatives with ``code`` in ``role``, read in chunks."""
    other = "recipient_links" if role == Role.PROVIDER else "provider_links"
    rows = initiatives.involving_country(code, role).for_listing().newest_first()
    return [
        ListedInitiative(
            initiative=initiative,
            url=_site_url(initiative.get_absolute_url()),
            years=_years(initiative),
            partners=[
                link.country.name
                for link in getattr(initiative, other)
                if str(link.country_id) != code
            ],
        )
        for initiative in rows[:COUNTRY_LIST_LIMIT].iterator(chunk_size=CHUNK_SIZE)
    ]


def _role_section(
    initiatives: QuerySet[Initiative],
    country: Country,
    role: str,
    *,
    heading: str,
    partner_header: str,
    total: int,
) -> dict:
    """One list of a country profile, with how many more there are and where to see them."""
    code = str(country.code)
    rows = _listed(initiatives, code, role)
    return {
        "heading": heading,
        "partner_header": partner_header,
        "rows": rows,
        "more": max(total - len(rows), 0),
        "list_url": f"{_site_url(reverse('initiative-list'))}?{role}={code}",
    }


def write_country_profile(
    country: Country,
    initiatives: QuerySet[Initiative],
    out: BinaryIO,
    *,
    progress: Progress = no_progress,
) -> None:
    """A country's profile: its context, its counts, partners, map and charts, and every
    initiative from or in it (up to ``COUNTRY_LIST_LIMIT`` per role).

    ``initiatives`` is everything the requester may see; this only ever narrows it.
    """
    code = str(country.code)
    steps = 5
    involved = initiatives.involving_country(code)
    by_country = aggregates.count_by_country(involved)
    flows = [f for f in aggregates.count_flows(involved) if code in (f.provider, f.recipient)]
    own = next((c for c in by_country if c.code == code), None)
    total = own.initiatives if own else 0
    provider_count = own.as_provider if own else 0
    recipient_count = own.as_recipient if own else 0
    context = {
        "title": _("Country profile: %(country)s") % {"country": country.name},
        "country": country,
        "country_name": country.name,
        "ratings": list(country.civic_space_ratings.order_by("-year", "source")),
        "mechanisms": list(
            country.dialogue_mechanisms.order_by(F("year_started").asc(nulls_last=True), "name")
        ),
        "provider_count": provider_count,
        "recipient_count": recipient_count,
        "partners": partner_countries(code, flows),
        "flow_map": charts.world_map(
            key="map-country-flows",
            title=_("Initiatives involving %(country)s: countries and flows")
            % {"country": country.name},
            countries=by_country,
            flows=flows,
        )
        if own
        else None,
        "charts": [
            charts.funding_model_chart(involved, total=total),
            charts.modality_chart(involved, total=total),
        ]
        if own
        else [],
        "permanent_url": _site_url(reverse("country-detail", args=[code])),
        "accessed": timezone.localdate(),
    }
    progress(1, steps)
    sections = [
        (
            Role.PROVIDER,
            _("Initiatives from %(country)s (provider)"),
            _("Recipient countries"),
            provider_count,
        ),
        (
            Role.RECIPIENT,
            _("Initiatives in %(country)s (recipient)"),
            _("Provider countries"),
            recipient_count,
        ),
    ]
    context["roles"] = []
    for step, (role, heading, partner_header, count) in enumerate(sections, start=2):
        context["roles"].append(
            _role_section(
                initiatives,
                country,
                role,
                heading=heading % {"country": country.name},
                partner_header=partner_header,
                total=count,
            )
        )
        progress(step, steps)
    html = _render("reports/pdf/country_profile.html", context)
    progress(4, steps)
    html_to_pdf(html, out)
    progress(5, steps)
