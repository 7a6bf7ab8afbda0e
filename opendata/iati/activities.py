"""IATI 2.03 activity files: one ``iati-activity`` per initiative.

The portal publishes as a secondary reporter: it reproduces what civil-society organisations
record, so ``reporting-org`` is the portal and the organisations appear as participating
organisations. What IATI has no element for (cooperation type, modalities, principle evidence)
goes at the end of each activity in the portal's own namespace, which the standard allows.
Every code comes from :mod:`opendata.iati.mapping`.

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
from learning.models import Lesson, Practice
from opendata.iati import mapping
from organisations.models import Organisation
from principles.models import PrincipleEvidence
from reference.iati import OrganisationRole
from reference.models import Modality, Sector, SustainableDevelopmentGoal
from ssdc_portal import links

Progress = Callable[[int, int], None]

IATI_VERSION = "2.03"
PORTAL_NS = "https://ssdc-portal.org/ns/iati-extension/1"
NSMAP = {"ssdc": PORTAL_NS}
CHUNK_SIZE = 500

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
    of ``/data/`` understands.

    Reads every ``chunk_size`` rows with their related rows in a fixed number of queries, so
    the number of queries and the memory used do not grow with the number of initiatives.
    ``progress(done, total)`` is called at the start, after every chunk and at the end.
    """
    portal = Portal.from_settings()
    total = initiatives.count()
    rows = _for_export(initiatives).iterator(chunk_size=chunk_size)
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
                if done % chunk_size == 0:
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
            Prefetch("translations", to_attr="iati_translations"),
            Prefetch("lessons", queryset=lessons, to_attr="iati_lessons"),
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
        (PLANNED_START, ACTUAL_START, initiative.start_year, (1, 1), mapping.STARTED),
        (PLANNED_END, ACTUAL_END, initiative.end_year, (12, 31), mapping.ENDED),
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
) -> None:
    """Collaboration, flow and finance types (see :mod:`opendata.iati.mapping`), from the
    first funding model by position."""
    model = contributions[0].funding_model if contributions else None
    collaboration = mapping.collaboration_type(initiative.cooperation_type, model)
    _sub(activity, "collaboration-type", code=str(collaboration))
    if defaults := mapping.flow_and_finance_types(model):
        flow, finance = defaults
        _sub(activity, "default-flow-type", code=str(flow))
        _sub(activity, "default-finance-type", code=str(finance))


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
    """A result for an outcome with indicators.

    The XSD requires at least one ``indicator`` per ``result``; outcomes told only in words
    are left out rather than given an indicator the organisation never defined.
    """
    indicators = outcome.iati_indicators
    if not indicators:
        return
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
    """The portal's own elements: cooperation type, modalities, principle evidence and
    lessons learned."""
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
