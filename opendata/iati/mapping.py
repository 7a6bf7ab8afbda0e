"""How the portal's values become IATI 2.03 codes: the one module that says so.

Every IATI file the portal writes takes its codes from here. The rules, value by value:

- **Reporting organisation** — the portal itself, as a secondary reporter: identifier, type
  and name are configuration (``IATI_REPORTING_ORG_REF``, ``_TYPE``, ``_NAME``). The default
  identifier, ``XM-DAC-ZZZ-DEMO``, is plainly a demo; ``check --deploy`` fails on it, on the
  old placeholder ``XX-SSDC`` and on an empty one (:mod:`opendata.checks`).
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
- **Collaboration type** — from the recorded cooperation type alone, so the two never
  disagree: triangular cooperation is *Bilateral, triangular co-operation* (8); bilateral and
  regional South-South cooperation are *Bilateral* (1), never 8. The collaboration type stored
  on a funding model is not used: it describes the funder's channel, not the cooperation.
- **Cooperation type, visibly South-South** — a ``tag`` in the portal's own vocabulary
  (vocabulary 99, ``vocabulary-uri`` :data:`COOPERATION_VOCABULARY_URI`) with the code of
  :data:`COOPERATION_TAG` (``south-south-bilateral``, ``-triangular``, ``-regional``), its
  narrative (in English) naming the provider countries; each provider country also as
  ``ssdc:provider-country`` (see ``opendata.iati.activities.PORTAL_ELEMENTS``), and the
  provider organisations as participating organisations.
- **Flow and finance types** — stored on the funding models (``funding.vocabularies`` seeds
  them, moderators may refine them in the admin). When every contribution's funding model
  has the same pair, it is written once as ``default-flow-type`` / ``default-finance-type``;
  when they differ, no default is written and each transaction carries its own
  ``flow-type`` and ``finance-type`` (:func:`shared_flow_and_finance`). With no funding
  recorded, none.
- **Transactions** — one *Incoming Commitment* (11) per contribution that records an amount
  and the exact date it was committed, dated that day; the funder is the provider
  organisation, the record's owner the receiver. Nothing is dated by its year alone.
- **Planned disbursements** — a contribution with an amount and its years but no exact date
  becomes a ``planned-disbursement`` (type *Original*, 1) from the first day of its first
  year to the last day of its last, from the funder to the owner. Not a ``budget``: the IATI
  rules limit a budget to one year and forbid overlapping budgets, and splitting a recorded
  amount across years would invent the split. A contribution with neither an exact date nor a
  year is not written.
- **Percentages** of sectors and recipient countries — only the shares an editor recorded.
  One sector (or recipient country) is 100 % (what was recorded); several are written with
  their shares only when each has one and they add up to exactly 100
  (``initiatives.completeness.shares_complete``); otherwise they are written without any
  ``percentage`` attribute (never an equal split), and :func:`export_gaps` lists it. The
  portal's validator accepts a group with no percentage at all, not one with some missing.
- **Dates** — exact dates as recorded. A start or end known only by its year is written as
  the first (or last) day of that year, as an actual date when the status says that side has
  happened and the date is not in the future, else as a planned one. A record whose status
  says the work has begun but that has no start gets no actual start (never the date the
  record was created). A record with no start at all (planned, actual or year) is left out
  of the file: IATI requires a planned or actual start.
- **Humanitarian** — ``humanitarian="1"`` when the record says the work is in a post-disaster
  context or lists a sector of DAC category 720, 730 or 740 (emergency response,
  reconstruction relief, disaster prevention): :func:`is_humanitarian`. A conflict-affected
  (or fragile) context alone does not make development work humanitarian aid, so it does not
  set the flag.
- **Outcomes** — every outcome is a ``result``. An outcome told only in words (no
  indicator) gets one *Qualitative* (5) indicator titled by the outcome, with no baseline or
  period: the XSD requires an indicator, and this one invents no figure.
- **Activity status** and **result type** are recorded as IATI codes already
  (``reference.iati.ActivityStatus``, ``ResultType``) and written as they are. Which
  statuses mean that work has started or ended (for dates known only by year) is
  :data:`STARTED` and :data:`ENDED`.
- **Indicator measure** — *Percentage* (2) for units written as %, percent or percentage;
  otherwise *Unit* (1); *Qualitative* (5) for the indicator of an outcome without one.
- **Links** are absolute, on the configured site address (``ssdc_portal.links.site_url``).
- **Left out** — :func:`export_gaps` gives, for one record, what the file must leave out or
  cannot say; :func:`left_out_reason` whether the whole activity is left out, and why.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from funding.models import FundingContribution, FundingModel
from initiatives import completeness
from initiatives.models import Initiative, Participation, Source
from organisations.models import IATI_ORGANISATION_TYPE
from reference.iati import CollaborationType, OrganisationRole, OrganisationType

MEASURE_UNIT, MEASURE_PERCENTAGE, MEASURE_QUALITATIVE = "1", "2", "5"
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


def collaboration_type(cooperation_type: str) -> CollaborationType:
    """Triangular cooperation is 8; bilateral and regional South-South cooperation 1."""
    if cooperation_type == Initiative.CooperationType.TRIANGULAR:
        return CollaborationType.TRIANGULAR
    return CollaborationType.BILATERAL


# The portal's vocabulary of cooperation types, as tags (see the module's documentation).
PORTAL_NS = "https://ssdc-portal.org/ns/iati-extension/1"
"""The portal's namespace: its own elements, and its vocabularies as fragments."""
COOPERATION_VOCABULARY_URI = f"{PORTAL_NS}#cooperation-type"
COOPERATION_TAG = {
    Initiative.CooperationType.BILATERAL: "south-south-bilateral",
    Initiative.CooperationType.TRIANGULAR: "south-south-triangular",
    Initiative.CooperationType.REGIONAL: "south-south-regional",
}
# The tag's narrative, in English like the other reference vocabularies.
COOPERATION_TAG_NAME = {
    Initiative.CooperationType.BILATERAL: "South-South bilateral cooperation",
    Initiative.CooperationType.TRIANGULAR: "South-South triangular cooperation",
    Initiative.CooperationType.REGIONAL: "South-South regional cooperation",
}


def cooperation_tag(cooperation_type: str, provider_names: Iterable[str]) -> tuple[str, str]:
    """``(code, narrative)`` of the cooperation-type tag; the narrative names the provider
    countries."""
    name = COOPERATION_TAG_NAME[cooperation_type]
    names = list(provider_names)
    narrative = f"{name} from {', '.join(names)}" if names else name
    return COOPERATION_TAG[cooperation_type], narrative


def flow_and_finance_types(model: FundingModel) -> tuple[int, int]:
    """``(flow type, finance type)`` stored on a funding model."""
    return model.iati_flow_type, model.iati_finance_type


def shared_flow_and_finance(
    contributions: Iterable[FundingContribution],
) -> tuple[int, int] | None:
    """The flow and finance types every contribution's funding model shares, or ``None``
    when they differ or no funding is recorded (then each transaction says its own)."""
    pairs = {flow_and_finance_types(c.funding_model) for c in contributions}
    return pairs.pop() if len(pairs) == 1 else None


STARTED = completeness.STARTED
ENDED = completeness.ENDED
# DAC sector categories of humanitarian aid: emergency response, reconstruction relief and
# rehabilitation, disaster prevention and preparedness.
HUMANITARIAN_SECTOR_CATEGORIES = {"720", "730", "740"}


def is_humanitarian(initiative: Initiative, sector_codes: Iterable[str]) -> bool:
    """Post-disaster work, or work in a humanitarian sector."""
    return initiative.is_post_disaster or any(
        code[:3] in HUMANITARIAN_SECTOR_CATEGORIES for code in sector_codes
    )


def left_out_reason(initiative: Initiative) -> str | None:
    """Why the whole activity is left out of the file, or ``None`` when it is written."""
    if completeness.has_no_start(initiative):
        return _(
            "No start date is recorded, not even a year; IATI requires a planned or actual start."
        )
    return None


def export_gaps(
    initiative: Initiative,
    *,
    sector_shares: list | None = None,
    recipient_shares: list | None = None,
) -> list[str]:
    """What the IATI file cannot say about ``initiative`` because the record lacks it, in
    words for people: why it is left out, and which elements are written without an invented
    value (percentages, actual start). ``sector_shares`` and ``recipient_shares`` (lists of
    shares, ``None`` where unknown) are read from the database when not given."""
    gaps = []
    if reason := left_out_reason(initiative):
        gaps.append(reason)
    if sector_shares is None:
        sector_shares = list(initiative.sector_links.values_list("share", flat=True))
    if recipient_shares is None:
        recipient_shares = list(
            initiative.country_links.filter(role="recipient").values_list("share", flat=True)
        )
    if not completeness.shares_complete(sector_shares):
        gaps.append(
            _("Sectors are written without percentages: their shares do not add up to 100.")
        )
    if not completeness.shares_complete(recipient_shares):
        gaps.append(
            _(
                "Recipient countries are written without percentages: their shares do not add "
                "up to 100."
            )
        )
    if completeness.start_missing(initiative):
        gaps.append(_("The work has begun but no start is recorded: no actual start is written."))
    return gaps


def activity_status(initiative: Initiative) -> str:
    return str(initiative.activity_status)


def result_type(result_type_code: int) -> str:
    return str(result_type_code)


def indicator_measure(unit: str) -> str:
    return MEASURE_PERCENTAGE if unit.lower() in PERCENT_UNITS else MEASURE_UNIT
