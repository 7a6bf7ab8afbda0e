"""IATI 2.03 activity files: one ``iati-activity`` per initiative.

The portal publishes as a secondary reporter: it reproduces what civil-society organisations
record, so ``reporting-org`` is the portal and the organisations appear as participating
organisations. What IATI has no element for (cooperation type, modalities, principle evidence)
goes at the end of each activity in the portal's own namespace, which the standard allows.
Every code comes from :mod:`opendata.iati.mapping`.

What the file says and what it leaves out follows the rules documented in
:mod:`opendata.iati.mapping`: nothing is invented (no equal split of percentages, no creation
date as a start, no transaction without a recorded date), and the South-South character of
each activity is visible (a cooperation-type tag naming the provider countries, and the
portal's elements below).

The portal's own elements (namespace :data:`PORTAL_NS`, prefix ``ssdc``), at the end of each
``iati-activity`` (:data:`PORTAL_ELEMENTS` describes each for the namespace's page):

============================  ===============================================================
``ssdc:cooperation-type``     ``code``: bilateral, triangular or regional
``ssdc:provider-country``     ``code``: ISO 3166-1 alpha-2 of a country the work comes from
``ssdc:modality``             ``code``: slug of a modality of the portal's vocabulary
``ssdc:principle-evidence``   how the work practised a principle: ``principle-set``,
                              ``principle``, ``stance``, ``strength``, ``recorded-by``,
                              ``confirmed-by`` or ``disputed-by``; children ``ssdc:narrative``
                              and ``ssdc:quote``
``ssdc:lesson``               a lesson learned: ``audiences``, ``theme``, ``practice``; one
                              ``ssdc:narrative`` per language (``xml:lang``)
``ssdc:narrative``            text inside ``ssdc:principle-evidence`` and ``ssdc:lesson``
``ssdc:quote``                a quotation backing principle evidence
============================  ===============================================================

The writer streams: one activity is built, written and dropped at a time. The ``iati``
report writes the initiatives a request selects; the same writer serves any other file of
activities. :mod:`opendata.iati.validation` checks what it wrote.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO
from urllib.parse import urlsplit

from django.db.models import F, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from lxml import etree

from funding.models import FundingContribution
from initiatives import completeness
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    InitiativeSector,
    Outcome,
    Participation,
    Source,
)
from learning.models import Lesson, Practice
from opendata.iati import mapping
from organisations.models import Organisation
from principles.models import PrincipleEvidence
from reference.iati import OrganisationRole
from reference.models import Modality, SustainableDevelopmentGoal
from ssdc_portal import links

Progress = Callable[[int, int], None]

IATI_VERSION = "2.03"
PORTAL_NS = mapping.PORTAL_NS
NSMAP = {"ssdc": PORTAL_NS}

# Every element of the portal's namespace the files use, with what it says: the namespace's
# documentation page lists them.
PORTAL_ELEMENTS = {
    "cooperation-type": _(
        "The cooperation type the organisation recorded (code: bilateral, triangular or regional)."
    ),
    "provider-country": _(
        "A country the cooperation comes from (code: ISO 3166-1 alpha-2), one element each."
    ),
    "modality": _("A modality of the work (code: a term of the portal's modality vocabulary)."),
    "principle-evidence": _(
        "How the work practised a principle: the principle set and principle, the stance, "
        "the strength, the organisation that recorded it and the one that confirmed or "
        "disputed it."
    ),
    "lesson": _(
        "A lesson learned: for whom, its theme and accepted practice, with its text in "
        "each language."
    ),
    "narrative": _("Text inside principle evidence or a lesson, tagged with its language."),
    "quote": _("A quotation from a source backing principle evidence."),
}
CHUNK_SIZE = 500

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Reference vocabularies (modalities, principles) are kept in English.
REFERENCE_LANGUAGE = "en"

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

INCOMING_COMMITMENT = "11"
PLANNED_DISBURSEMENT_ORIGINAL = "1"
QUALITATIVE_INDICATOR = mapping.MEASURE_QUALITATIVE
DESCRIPTION_SUMMARY = "1"
DESCRIPTION_GENERAL = "2"
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
TAG_SDG_GOAL = "2"
VOCABULARY_REPORTING_ORG = "99"
SECTOR_DAC_5 = "1"

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
        reporting = mapping.reporting_org()
        return cls(
            ref=reporting.ref,
            org_type=reporting.type,
            name=reporting.name,
            site_url=links.site_url(),
        )

    def identifier(self, initiative: Initiative) -> str:
        return f"{self.ref}-{initiative.slug}"


# Writing


def _no_progress(done: int, total: int) -> None:
    pass


def write_activities(
    initiatives: QuerySet[Initiative],
    out: BinaryIO,
    *,
    progress: Progress = _no_progress,
    chunk_size: int = CHUNK_SIZE,
    left_out: list[tuple[Initiative, str]] | None = None,
) -> int:
    """Write ``initiatives`` to ``out`` as an IATI 2.03 activities file; return how many.

    An initiative the standard cannot describe honestly is not written; when ``left_out`` is
    given, ``(initiative, reason)`` is appended to it for each, the reason in words a reader
    of ``/data/`` understands (in the active language; see
    :func:`opendata.iati.mapping.left_out_reason`). The count returned is of the activities
    written; ``progress`` counts the initiatives read.

    Reads every ``chunk_size`` rows with their related rows in a fixed number of queries, so
    the number of queries and the memory used do not grow with the number of initiatives.
    ``progress(done, total)`` is called at the start, after every chunk and at the end.
    """
    portal = Portal.from_settings()
    total = initiatives.count()
    rows = _for_export(initiatives).iterator(chunk_size=chunk_size)
    done = read = 0
    progress(read, total)
    root = {
        "version": IATI_VERSION,
        "generated-datetime": timezone.now().isoformat(timespec="seconds"),
    }
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", root, nsmap=NSMAP):
            for initiative in rows:
                read += 1
                if reason := mapping.left_out_reason(initiative):
                    if left_out is not None:
                        left_out.append((initiative, reason))
                else:
                    activity = activity_element(initiative, portal)
                    etree.indent(activity, space="  ", level=1)
                    xf.write("\n  ", activity)
                    _release(initiative)
                    done += 1
                if read % chunk_size == 0:
                    progress(read, total)
            xf.write("\n")
    progress(read, total)
    return done


def _for_export(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """``initiatives`` in primary-key order, with what an activity shows prefetched into
    plain lists (``iati_*`` attributes): cheaper than related managers, and a row read
    without its prefetch fails loudly instead of costing a query per initiative."""
    countries = InitiativeCountry.objects.select_related("country").order_by(
        "role", F("share").desc(nulls_last=True), "country"
    )
    contributions = FundingContribution.objects.select_related("funding_model", "funder").order_by(
        "funding_model__position", "pk"
    )
    outcomes = Outcome.objects.order_by("position", "pk").prefetch_related(
        Prefetch(
            "indicators", queryset=Indicator.objects.order_by("pk"), to_attr="iati_indicators"
        ),
        Prefetch("translations", to_attr="iati_translations"),
    )
    lessons = (
        Lesson.objects.select_related("theme", "practice")
        .prefetch_related(Prefetch("translations", to_attr="iati_translations"))
        .order_by("position", "pk")
    )
    evidence = PrincipleEvidence.objects.select_related(
        "principle__principle_set", "recorded_by_organisation", "confirmed_by_organisation"
    ).order_by("principle__principle_set__slug", "principle__position", "-strength", "pk")
    return (
        initiatives.select_related("owner")
        .defer("search_vector", "coordination_note", "review_note")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("country_links", queryset=countries, to_attr="iati_countries"),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor"),
                to_attr="iati_participations",
            ),
            Prefetch(
                "sector_links",
                queryset=InitiativeSector.objects.order_by("sector"),
                to_attr="iati_sectors",
            ),
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
            Prefetch("translations", to_attr="iati_translations"),
            Prefetch("lessons", queryset=lessons, to_attr="iati_lessons"),
        )
        .order_by("pk")
    )


def _release(initiative: Initiative) -> None:
    """Drop the rows prefetched for an activity once it is written.

    Prefetching links each related row back to the row it was read for (an outcome to its
    initiative, an indicator to its outcome), and a source's document file to its source, so
    every initiative and its rows form reference cycles. Only Python's cycle collector frees
    those, once they have aged into its oldest generation, whose collections walk every object
    of the process: a large file spent a quarter of its time there, a share that grew with the
    file. Without these references, reference counting frees each activity's rows here.
    """
    for outcome in initiative.iati_outcomes:
        del outcome.iati_indicators, outcome.iati_translations
    for lesson in initiative.iati_lessons:
        del lesson.iati_translations
    for source in initiative.iati_sources:
        vars(source).pop("document", None)
    for name in [name for name in vars(initiative) if name.startswith("iati_")]:
        delattr(initiative, name)


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
    translations = initiative.iati_translations
    _text_element(activity, "title", initiative.title, _in_languages(translations, "title"))
    _text_element(
        activity,
        "description",
        initiative.summary,
        _in_languages(translations, "summary"),
        type=DESCRIPTION_SUMMARY,
    )
    _text_element(
        activity,
        "description",
        initiative.description,
        _in_languages(translations, "description"),
        type=DESCRIPTION_GENERAL,
    )
    for actor, role in _participating_orgs(initiative, contributions):
        org = _sub(activity, "participating-org", **_org_attributes(actor), role=str(role))
        _narrative(org, actor.name)
    _sub(activity, "activity-status", code=mapping.activity_status(initiative))
    for date_type, date in activity_dates(initiative):
        _sub(activity, "activity-date", type=date_type, **{"iso-date": date.isoformat()})
    _recipient_countries(activity, initiative)
    _sectors(activity, initiative)
    _tags(activity, initiative, portal)
    shared = _funding_defaults(activity, initiative, contributions)
    _planned_disbursements(activity, initiative, contributions)
    _transactions(activity, initiative, contributions, per_transaction_types=shared is None)
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
    if mapping.is_humanitarian(initiative, (link.sector_id for link in initiative.iati_sectors)):
        attributes["humanitarian"] = "1"
    return attributes


def _participating_orgs(
    initiative: Initiative, contributions: list[FundingContribution]
) -> list[tuple[Organisation, OrganisationRole]]:
    """Each organisation once per IATI role: participants, then funders not yet listed as
    funding; the owner as accountable when no one else is named."""
    pairs: dict[tuple[int, OrganisationRole], Organisation] = {}
    for participation in initiative.iati_participations:
        role = mapping.participation_role(participation.role)
        pairs.setdefault((participation.actor_id, role), participation.actor)
    for contribution in contributions:
        if contribution.funder is not None:
            pairs.setdefault((contribution.funder_id, mapping.FUNDER_ROLE), contribution.funder)
    if not pairs:
        pairs[(initiative.owner_id, mapping.OWNER_ROLE)] = initiative.owner
    ordered = sorted(pairs.items(), key=lambda item: (item[0][1], item[1].name, item[0][0]))
    return [(actor, role) for (_actor_id, role), actor in ordered]


def _org_attributes(actor: Organisation) -> dict[str, str]:
    attributes = {"type": str(mapping.organisation_type(actor.actor_type))}
    if actor.iati_identifier:
        attributes["ref"] = actor.iati_identifier
    return attributes


def activity_dates(initiative: Initiative) -> list[tuple[str, datetime.date]]:
    """``(activity-date type, date)`` pairs, ordered by type.

    Exact dates are used as recorded. A side with only a year gets the first day of that
    year for the start and the last for the end (so an end never precedes a start in the
    same year), as an actual date when the status says that side has happened and the date
    is not in the future, else as a planned one. Nothing else stands in: a record whose
    status says work has begun but that records no start gets no actual start, and a record
    with no start at all is left out of the file (:func:`mapping.left_out_reason`).
    """
    today = timezone.localdate()
    dates = {
        PLANNED_START: initiative.planned_start,
        ACTUAL_START: initiative.actual_start,
        PLANNED_END: initiative.planned_end,
        ACTUAL_END: initiative.actual_end,
    }
    sides = [
        (PLANNED_START, ACTUAL_START, initiative.start_year, (1, 1), mapping.STARTED),
        (PLANNED_END, ACTUAL_END, initiative.end_year, (12, 31), mapping.ENDED),
    ]
    for planned, actual, year, (month, day), happened in sides:
        if dates[planned] is None and dates[actual] is None and year is not None:
            date = datetime.date(year, month, day)
            done = initiative.activity_status in happened and date <= today
            dates[actual if done else planned] = date
    return [(date_type, date) for date_type, date in dates.items() if date is not None]


def recorded_percentages(shares: Sequence[Decimal | None]) -> list[Decimal] | None:
    """The percentages of rows (sectors, recipient countries) with these recorded shares, or
    ``None`` when the record does not say how the effort is split (then no percentage is
    written). One row is 100; several need complete shares adding up to 100."""
    if len(shares) == 1:
        return [HUNDRED]
    if not completeness.shares_complete(shares):
        return None
    return [share.quantize(CENT, ROUND_HALF_UP) for share in shares]


def _recipients(initiative: Initiative) -> list[InitiativeCountry]:
    return [
        link for link in initiative.iati_countries if link.role == InitiativeCountry.Role.RECIPIENT
    ]


def _providers(initiative: Initiative) -> list[InitiativeCountry]:
    providers = [
        link for link in initiative.iati_countries if link.role == InitiativeCountry.Role.PROVIDER
    ]
    return sorted(providers, key=lambda link: link.country_id)


def _with_percentages(rows: list, shares: list) -> list[tuple[object, dict[str, str]]]:
    percentages = recorded_percentages(shares)
    if percentages is None:
        return [(row, {}) for row in rows]
    return [(row, {"percentage": str(p)}) for row, p in zip(rows, percentages)]


def _recipient_countries(activity: etree._Element, initiative: Initiative) -> None:
    links = _recipients(initiative)
    for link, percentage in _with_percentages(links, [link.share for link in links]):
        _sub(activity, "recipient-country", code=str(link.country_id), **percentage)


def _sectors(activity: etree._Element, initiative: Initiative) -> None:
    links = initiative.iati_sectors
    for link, percentage in _with_percentages(links, [link.share for link in links]):
        _sub(activity, "sector", vocabulary=SECTOR_DAC_5, code=link.sector_id, **percentage)


def export_gaps(initiative: Initiative) -> list[str]:
    """What the IATI file leaves out or cannot say about ``initiative`` (see
    :func:`opendata.iati.mapping.export_gaps`): the same rules the writer follows."""
    return mapping.export_gaps(initiative)


def _tags(activity: etree._Element, initiative: Initiative, portal: Portal) -> None:
    with override(REFERENCE_LANGUAGE):
        names = [link.country.name for link in _providers(initiative)]
    code, narrative = mapping.cooperation_tag(initiative.cooperation_type, names)
    tag = _sub(
        activity,
        "tag",
        vocabulary=VOCABULARY_REPORTING_ORG,
        code=code,
        **{"vocabulary-uri": mapping.COOPERATION_VOCABULARY_URI},
    )
    _narrative(tag, narrative, REFERENCE_LANGUAGE, initiative.language)
    for goal in initiative.iati_goals:
        _sub(activity, "tag", vocabulary=TAG_SDG_GOAL, code=str(goal.number))
    principles = {row.principle_id: row.principle for row in initiative.iati_evidence}
    for vocabulary_path, terms in (
        ("vocabularies/modalities/", initiative.iati_modalities),
        ("principles/", principles.values()),
    ):
        uri = f"{portal.site_url}/{vocabulary_path}"
        for term in terms:
            tag = _sub(
                activity,
                "tag",
                vocabulary=VOCABULARY_REPORTING_ORG,
                code=term.slug,
                **{"vocabulary-uri": uri},
            )
            _narrative(tag, term.name, REFERENCE_LANGUAGE, initiative.language)


def _funding_defaults(
    activity: etree._Element, initiative: Initiative, contributions: list[FundingContribution]
) -> tuple[int, int] | None:
    """Collaboration type (from the cooperation type), and the default flow and finance
    types when every contribution shares them (see :mod:`opendata.iati.mapping`); returns
    those shared types, ``None`` when transactions must carry their own."""
    collaboration = mapping.collaboration_type(initiative.cooperation_type)
    _sub(activity, "collaboration-type", code=str(collaboration))
    shared = mapping.shared_flow_and_finance(contributions)
    if shared is not None:
        flow, finance = shared
        _sub(activity, "default-flow-type", code=str(flow))
        _sub(activity, "default-finance-type", code=str(finance))
    return shared


def _value(parent: etree._Element, contribution: FundingContribution, date: datetime.date):
    value = _sub(parent, "value", **{"value-date": date.isoformat()})
    value.set("currency", contribution.currency)
    value.text = _decimal(contribution.amount)
    return value


def _parties(
    parent: etree._Element, initiative: Initiative, contribution: FundingContribution
) -> None:
    """The funder as provider (when named), the record's owner as receiver."""
    if contribution.funder is not None:
        provider = _sub(parent, "provider-org", **_org_attributes(contribution.funder))
        _narrative(provider, contribution.funder.name)
    receiver = _sub(parent, "receiver-org", **_org_attributes(initiative.owner))
    _narrative(receiver, initiative.owner.name)


def _planned_disbursements(
    activity: etree._Element, initiative: Initiative, contributions: list[FundingContribution]
) -> None:
    """A planned disbursement over the recorded years of each contribution with an amount
    and years but no exact date."""
    for contribution in contributions:
        first = contribution.year_start or contribution.year_end
        last = contribution.year_end or contribution.year_start
        if contribution.amount is None or contribution.date is not None or first is None:
            continue
        start = datetime.date(first, 1, 1)
        planned = _sub(activity, "planned-disbursement", type=PLANNED_DISBURSEMENT_ORIGINAL)
        _sub(planned, "period-start", **{"iso-date": start.isoformat()})
        _sub(planned, "period-end", **{"iso-date": datetime.date(last, 12, 31).isoformat()})
        _value(planned, contribution, start)
        _parties(planned, initiative, contribution)


def _transactions(
    activity: etree._Element,
    initiative: Initiative,
    contributions: list[FundingContribution],
    *,
    per_transaction_types: bool,
) -> None:
    """An incoming commitment per contribution with an amount and an exact date; its own
    flow and finance types when the contributions' differ."""
    for contribution in contributions:
        if contribution.amount is None or contribution.date is None:
            continue
        transaction = _sub(activity, "transaction")
        _sub(transaction, "transaction-type", code=INCOMING_COMMITMENT)
        _sub(transaction, "transaction-date", **{"iso-date": contribution.date.isoformat()})
        _value(transaction, contribution, contribution.date)
        _parties(transaction, initiative, contribution)
        if per_transaction_types:
            flow, finance = mapping.flow_and_finance_types(contribution.funding_model)
            _sub(transaction, "flow-type", code=str(flow))
            _sub(transaction, "finance-type", code=str(finance))


def _document_link(activity: etree._Element, source: Source, language: str, portal: Portal) -> None:
    """A link to the uploaded document, else to the source's page; nothing without either."""
    if source.document:
        url = portal.site_url + reverse("source-document", args=[source.pk])
        media_type = mapping.media_type(source.document.name, default=mapping.UNKNOWN_FILE)
    elif source.url:
        url = source.url
        media_type = mapping.media_type(urlsplit(source.url).path, default=mapping.HTML)
    else:
        return
    link = etree.Element("document-link", url=url, format=media_type)
    title = _sub(link, "title")
    if not _narrative(title, source.citation, source.language or language, language):
        return
    _sub(link, "category", code=mapping.document_category(source.document_type))
    if source.language:
        _sub(link, "language", code=source.language)
    if source.year:
        _sub(link, "document-date", **{"iso-date": datetime.date(source.year, 1, 1).isoformat()})
    activity.append(link)


def _result(activity: etree._Element, outcome: Outcome) -> None:
    """A result for every outcome.

    The XSD requires at least one ``indicator`` per ``result``: an outcome told only in
    words gets one qualitative indicator titled by the outcome, with no value.
    """
    indicators = outcome.iati_indicators
    result = etree.Element("result", type=mapping.result_type(outcome.result_type))
    result.set("aggregation-status", "0")
    translations = outcome.iati_translations
    if not _text_element(result, "title", outcome.title, _in_languages(translations, "title")):
        return
    _text_element(
        result, "description", outcome.narrative, _in_languages(translations, "narrative")
    )
    for indicator in indicators:
        _indicator(result, indicator)
    if not indicators:
        qualitative = _sub(result, "indicator", measure=QUALITATIVE_INDICATOR)
        _text_element(qualitative, "title", outcome.title)
    activity.append(result)


def _indicator(result: etree._Element, indicator: Indicator) -> None:
    """An indicator: its baseline when both value and year are known, and one period per
    year with a target or an actual value (values without a year have no period to go in).
    """
    unit = _clean(indicator.unit)
    measure = mapping.indicator_measure(unit)
    element = _sub(result, "indicator", measure=measure)
    is_percentage = measure == mapping.MEASURE_PERCENTAGE
    label = f"{indicator.name} ({unit})" if unit and not is_percentage else indicator.name
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
    """The portal's own elements: cooperation type, provider countries, modalities,
    principle evidence and lessons learned (see :data:`PORTAL_ELEMENTS`)."""
    _sub(activity, _portal("cooperation-type"), code=initiative.cooperation_type)
    for link in _providers(initiative):
        _sub(activity, _portal("provider-country"), code=str(link.country_id))
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
        if evidence.is_co_attested:
            element.set("confirmed-by", evidence.confirmed_by_organisation.slug)
        elif evidence.is_disputed:
            element.set("disputed-by", evidence.confirmed_by_organisation.slug)
        for name, text in (("narrative", evidence.narrative), ("quote", evidence.quote)):
            if cleaned := _clean(text):
                etree.SubElement(element, _portal(name)).text = cleaned
    for lesson in initiative.iati_lessons:
        _lesson(activity, lesson)


def _lesson(activity: etree._Element, lesson: Lesson) -> None:
    """A lesson learned: whom it is for, its theme and (accepted) practice, and its text
    with one narrative per translation, tagged with its language."""
    attributes = {"audiences": " ".join(lesson.audiences)} if lesson.audiences else {}
    if lesson.theme is not None:
        attributes["theme"] = lesson.theme.slug
    if lesson.practice is not None and lesson.practice.status == Practice.Status.ACCEPTED:
        attributes["practice"] = lesson.practice.slug
    element = _sub(activity, _portal("lesson"), **attributes)
    etree.SubElement(element, _portal("narrative")).text = _clean(lesson.text)
    for translation in lesson.iati_translations:
        narrative = etree.SubElement(element, _portal("narrative"))
        narrative.set(XML_LANG, translation.language)
        narrative.text = _clean(translation.text)


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


def _text_element(
    parent: etree._Element,
    tag: str,
    text: str | None,
    translated: Sequence[tuple[str, str]] = (),
    **attributes: str,
) -> bool:
    """Add ``tag`` with the text's narrative, then one per translation (``(language,
    text)`` pairs, each tagged with its language), or nothing when the text is blank."""
    if not _clean(text):
        return False
    element = _sub(parent, tag, **attributes)
    _narrative(element, text)
    for language, translation in translated:
        _narrative(element, translation, language, default_language="")
    return True


def _in_languages(translations, field: str) -> list[tuple[str, str]]:
    """``(language, text)`` of ``field`` in each of a record's (or outcome's) translations."""
    return [(row.language, getattr(row, field)) for row in translations]
