"""How to cite a dataset release: one line and a BibTeX entry, with its permanent address."""

from django.utils import formats
from django.utils.translation import gettext as _

from opendata.models import DatasetRelease
from ssdc_portal import links


def citation(release: DatasetRelease, request=None) -> dict[str, str]:
    url = links.absolute_url(release.get_absolute_url(), request)
    made = release.created_at
    publisher = _("SSDC Portal")
    line = _(
        "%(publisher)s (%(year)s). Dataset of civil-society-led South-South development "
        "cooperation, release %(number)s (%(date)s). %(url)s"
    ) % {
        "publisher": publisher,
        "year": made.year,
        "number": release.number,
        "date": formats.date_format(made, "DATE_FORMAT"),
        "url": url,
    }
    bibtex = (
        f"@misc{{ssdc_portal_release_{release.number},\n"
        f"  author = {{{{{publisher}}}}},\n"
        "  title = {Dataset of civil-society-led South-South development cooperation},\n"
        f"  version = {{{release.number}}},\n"
        f"  year = {{{made.year}}},\n"
        f"  month = {{{made.month}}},\n"
        f"  date = {{{made.date().isoformat()}}},\n"
        f"  url = {{{url}}},\n"
        f"  note = {{Release {release.number}}}\n"
        "}\n"
    )
    return {"url": url, "line": line, "bibtex": bibtex}
