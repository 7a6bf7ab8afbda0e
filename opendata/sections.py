"""What each part of the open-data app tells the ``/data/`` page: a template and its context.

Each part (IATI files, releases) owns its own section; the page lists them in this order.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)


def iati_section() -> Section | None:
    """The public IATI files and what a publisher registers of them."""
    from opendata.iati.sections import iati_files_context

    return Section("opendata/_iati_section.html", iati_files_context())


def releases_section() -> Section | None:
    from opendata.models import DatasetRelease
    from opendata.releases.citation import citation

    releases = list(DatasetRelease.objects.for_listing()[:5])
    latest = releases[0] if releases else None
    return Section(
        "opendata/_releases_section.html",
        {
            "releases": releases,
            "latest": latest,
            "latest_citation": citation(latest) if latest else None,
        },
    )


def data_sections() -> list[Section]:
    return [section for section in (iati_section(), releases_section()) if section is not None]
