"""How the portal's values become IATI 2.03 codes: the one module that says so.

Every IATI file the portal writes takes its codes from here. The rules, value by value:

- **Reporting organisation** — the portal itself, as a secondary reporter: identifier, type
  and name are configuration (``IATI_REPORTING_ORG_REF``, ``_TYPE``, ``_NAME``).
- **Organisation type** (``Organisation.actor_type``) → OrganisationType: the table
  ``organisations.models.IATI_ORGANISATION_TYPE``. It is declared beside the vocabulary
  because the organisation's page and the API show the code too, and those may not import
  this app; here it is read, never repeated.
- **Participation role** → OrganisationRole: ``Participation.IATI_ROLE``, likewise declared
  beside the vocabulary because the initiatives API shows each participant's ``iati_role``.
  Funders named only on a funding contribution take part as *Funding*; the owner is
  *Accountable* when no one else is named.
- **Source document type** → DocumentCategory: :data:`DOCUMENT_CATEGORY` below.
- **File formats** of linked documents → FileFormat (IANA media types):
  :data:`MEDIA_TYPES` below, by file extension; a web page is ``text/html``.
- **Collaboration type** — triangular cooperation is always *Bilateral, triangular
  co-operation* (8), whatever the funding; otherwise the collaboration type stored on the
  first funding model (by position) of the initiative's contributions; with no funding
  recorded, *Bilateral* (1).
- **Default flow and finance types** — those stored on the first funding model; none when no
  funding is recorded. The stored values are data (``funding.vocabularies`` seeds them,
  moderators may refine them in the admin); this module decides which one applies.
- **Activity status** and **result type** are recorded as IATI codes already
  (``reference.iati.ActivityStatus``, ``ResultType``) and written as they are. Which
  statuses mean that work has started or ended (for dates known only by year) is
  :data:`STARTED` and :data:`ENDED`.
- **Indicator measure** — *Percentage* (2) for units written as %, percent or percentage;
  otherwise *Unit* (1).
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from funding.models import FundingModel
from initiatives.models import Initiative, Participation, Source
from organisations.models import IATI_ORGANISATION_TYPE
from reference.iati import ActivityStatus, CollaborationType, OrganisationRole, OrganisationType

MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"
PERCENT_UNITS = {"%", "percent", "percentage"}


@dataclass(frozen=True)
class ReportingOrg:
    """The portal as the reporting organisation of its IATI files."""

    ref: str
    type: str
    name: str


def reporting_org() -> ReportingOrg:
    return ReportingOrg(
        ref=str(settings.IATI_REPORTING_ORG_REF),
        type=str(settings.IATI_REPORTING_ORG_TYPE),
        name=str(settings.IATI_REPORTING_ORG_NAME),
    )


def organisation_type(actor_type: str) -> OrganisationType:
    return IATI_ORGANISATION_TYPE[actor_type]


def participation_role(role: str) -> OrganisationRole:
    return Participation.IATI_ROLE[role]


FUNDER_ROLE = OrganisationRole.FUNDING
"""The role of an organisation named only as the funder of a contribution."""
OWNER_ROLE = OrganisationRole.ACCOUNTABLE
"""The role of the record's owner when no organisation is named at all."""


DOCUMENT_CATEGORY: dict[str, str] = {
    Source.DocumentType.EVALUATION: "A07",  # Review of project performance and evaluation
    Source.DocumentType.ANNUAL_REPORT: "B01",  # Annual report
    Source.DocumentType.CASE_STUDY: "A08",  # Results, outcomes and outputs
    Source.DocumentType.RESEARCH: "A08",
    Source.DocumentType.PROJECT_DOCUMENT: "A02",  # Objectives / Purpose of activity
    Source.DocumentType.NEWS: "A12",  # Activity web page
    Source.DocumentType.WEB_PAGE: "A12",
    Source.DocumentType.OTHER: "A12",
}


def document_category(document_type: str) -> str:
    return DOCUMENT_CATEGORY[document_type]


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}
HTML = "text/html"
UNKNOWN_FILE = "application/octet-stream"


def media_type(path: str, default: str) -> str:
    """The IANA media type of a file, from the extension of its name or URL path."""
    return MEDIA_TYPES.get(PurePosixPath(path).suffix.lower().lstrip("."), default)


def collaboration_type(cooperation_type: str, model: FundingModel | None) -> CollaborationType:
    if cooperation_type == Initiative.CooperationType.TRIANGULAR:
        return CollaborationType.TRIANGULAR
    if model is not None:
        return model.iati_collaboration_type
    return CollaborationType.BILATERAL


def flow_and_finance_types(model: FundingModel | None) -> tuple[int, int] | None:
    """``(default-flow-type, default-finance-type)``, or ``None`` with no funding model."""
    if model is None:
        return None
    return model.iati_flow_type, model.iati_finance_type


# Statuses in which work has begun, or has finished.
STARTED = {
    ActivityStatus.IMPLEMENTATION,
    ActivityStatus.FINALISATION,
    ActivityStatus.CLOSED,
    ActivityStatus.SUSPENDED,
}
ENDED = {ActivityStatus.FINALISATION, ActivityStatus.CLOSED}


def activity_status(initiative: Initiative) -> str:
    return str(initiative.activity_status)


def result_type(result_type_code: int) -> str:
    return str(result_type_code)


def indicator_measure(unit: str) -> str:
    return MEASURE_PERCENTAGE if unit.lower() in PERCENT_UNITS else MEASURE_UNIT
