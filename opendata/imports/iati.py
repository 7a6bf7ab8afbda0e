"""Reading an IATI 2.03 activities file into records the portal keeps: the export's mapping
(:mod:`opendata.iati.activities`, :mod:`opendata.iati.mapping`) read backwards.

Safety: the file is parsed without network access, without loading a DTD and without
expanding entities; a file with a document type declaration is refused. It is checked
against the 2.03 XSD (:func:`opendata.iati.validation.validate_iati`) before anything is
read from it.

Matching: an activity whose ``iati-identifier`` is ``<reporting ref>-<slug>`` (what the
portal writes) is the portal's record with that slug. Any other identifier (another
publisher's) gets a slug derived from it — its letters and digits, then the first eight
hexadecimal digits of its SHA-256 — so importing the same file again updates the records it
created instead of adding new ones.
"""

import hashlib
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils.text import slugify
from django.utils.translation import gettext as _
from lxml import etree

from funding.models import FundingContribution, FundingModel
from initiatives.models import Initiative, Participation, Source
from initiatives.models.translations import ContentLanguage
from initiatives.services import EarlierRow
from learning.models import AUDIENCES, Practice, Theme
from opendata.iati import mapping
from opendata.iati.activities import PORTAL_NS, SECTOR_DAC_5, TAG_SDG_GOAL, XML_LANG
from opendata.iati.validation import validate_iati
from opendata.imports.plan import RECORDS_SECTOR_SHARES, Incoming, Problem
from organisations.models import Organisation
from principles.models import Principle, PrincipleEvidence
from reference.iati import ActivityStatus, CollaborationType, OrganisationRole, ResultType
from reference.models import Country, Modality, Sector, SustainableDevelopmentGoal

MAX_BYTES = 20 * 1024 * 1024
LINE = re.compile(r"^line (\d+)(?: \(activity [^)]*\))?: (.*)$", re.S)
DATE_FIELDS = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}
# Transactions of money coming to the activity: incoming funds, commitment, pledge.
INCOMING_TRANSACTIONS = {"1", "11", "13"}
ROLE_FROM_IATI = {
    str(OrganisationRole.FUNDING): Participation.Role.FUNDING,
    str(OrganisationRole.ACCOUNTABLE): Participation.Role.ACCOUNTABLE,
    str(OrganisationRole.EXTENDING): Participation.Role.PARTNER,
    str(OrganisationRole.IMPLEMENTING): Participation.Role.IMPLEMENTING,
}
# The export's document categories, read back: the first type that maps to a category.
DOCUMENT_TYPE_FROM_CATEGORY: dict[str, str] = {}
for _type, _category in mapping.DOCUMENT_CATEGORY.items():
    DOCUMENT_TYPE_FROM_CATEGORY.setdefault(_category, _type)
DOCUMENT_TYPE_FROM_CATEGORY["A12"] = Source.DocumentType.WEB_PAGE
CONTENT_LANGUAGES = {choice.value for choice in ContentLanguage}
UNIT_IN_TITLE = re.compile(r"^(.*) \(([^()]+)\)$", re.S)
MEASURE_QUALITATIVE = "5"
# The tag by which the portal's files name the cooperation type (its own element says it).
COOPERATION_TAG = "#cooperation-type"
# Whether funding contributions record the exact date of a commitment.
CONTRIBUTION_HAS_DATE = any(f.name == "date" for f in FundingContribution._meta.get_fields())


def _portal(name: str) -> str:
    return f"{{{PORTAL_NS}}}{name}"


def safe_parser() -> etree.XMLParser:
    """A parser that reads only the bytes it is given: no network, no DTD, no entities."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _located(messages: list[str]) -> list[Problem]:
    problems = []
    for message in messages:
        if match := LINE.match(message):
            problems.append(Problem(match.group(2), line=int(match.group(1))))
        else:
            problems.append(Problem(message))
    return problems


def read_iati(data: bytes, *, portal_ref: str) -> tuple[list[Incoming], list[Problem]]:
    """The activities of an IATI file, or the problems that stop it being imported."""
    if len(data) > MAX_BYTES:
        return [], [Problem(_("The file is larger than %(size)s MB.") % {"size": 20})]
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as error:
        return [], [
            Problem(
                _("This is not an XML file: %(reason)s") % {"reason": error.msg},
                line=max(error.lineno or 1, 1),
            )
        ]
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return [], [Problem(_("Files with a document type declaration are not read."), line=1)]
    if root.tag != "iati-activities":
        return [], [
            Problem(
                _("This is not an IATI activities file (its root is <%(tag)s>).")
                % {"tag": etree.QName(root).localname},
                line=root.sourceline,
            )
        ]
    version = (root.get("version") or "").strip()
    if version.startswith("1."):
        return [], [
            Problem(
                _(
                    "Unsupported version: this is an IATI %(version)s file. The portal reads "
                    "IATI 2.03; convert the file (or export it again) as version 2.03."
                )
                % {"version": version},
                line=root.sourceline,
            )
        ]
    if version and version != "2.03":
        return [], [
            Problem(
                _("Unsupported version: IATI %(version)s. The portal reads IATI 2.03.")
                % {"version": version},
                line=root.sourceline,
            )
        ]
    schema_problems = _located(validate_iati(BytesIO(data)))
    if schema_problems:
        return [], schema_problems
    reader = _Reader(portal_ref)
    records = [reader.activity(activity) for activity in root.iterchildren("iati-activity")]
    return records, reader.problems


def slug_for(identifier: str, portal_ref: str) -> str:
    """The slug of the record an ``iati-identifier`` names (see the module's text)."""
    prefix = f"{portal_ref}-"
    if (
        identifier.startswith(prefix)
        and slugify(identifier[len(prefix) :]) == identifier[len(prefix) :]
    ):
        return identifier[len(prefix) :]
    digest = hashlib.sha256(identifier.encode()).hexdigest()[:8]
    return f"{slugify(identifier)[:100].strip('-') or 'iati'}-{digest}"


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


class _Reader:
    def __init__(self, portal_ref: str):
        self.portal_ref = portal_ref
        self.problems: list[Problem] = []
        self.countries = set(Country.objects.values_list("code", flat=True))
        self.sectors = {sector.code: sector for sector in Sector.objects.all()}
        self.goals = {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()}
        self.modalities = {modality.slug: modality for modality in Modality.objects.all()}
        principles = Principle.objects.select_related("principle_set")
        self.principles = {(p.principle_set.slug, p.slug): p for p in principles}
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.models = list(FundingModel.objects.order_by("position", "pk"))
        self._organisations: dict[tuple[str, str], Organisation | None] = {}

    def problem(self, element, message: str) -> None:
        self.problems.append(Problem(message, line=element.sourceline))

    def activity(self, activity) -> Incoming:
        identifier = _text(activity.find("iati-identifier"))
        record = Incoming(
            identifier=identifier,
            slug=slug_for(identifier, self.portal_ref),
            line=activity.sourceline,
        )
        language = activity.get(XML_LANG) or ""
        if language and language not in dict(Initiative._meta.get_field("language").choices):
            record.not_mapped.append(_("language %(code)s") % {"code": language})
            language = ""
        record.fields["language"] = language or "en"
        handled = {"iati-identifier", "reporting-org"}
        translations: dict[str, dict[str, str]] = defaultdict(dict)

        def texts(element, name: str) -> str:
            """The narrative in the record's language; the others become translations."""
            original = ""
            for narrative in element.iterchildren("narrative"):
                lang = narrative.get(XML_LANG) or ""
                text = _text(narrative)
                if not lang or lang == record.fields["language"]:
                    original = original or text
                elif lang in CONTENT_LANGUAGES:
                    translations[lang][name] = text
                else:
                    record.not_mapped.append(_("text in language %(code)s") % {"code": lang})
            return original

        title = activity.find("title")
        record.fields["title"] = texts(title, "title") if title is not None else ""
        handled.add("title")
        descriptions = {d.get("type") or "1": d for d in activity.iterchildren("description")}
        handled.add("description")
        for kind, name in (("1", "summary"), ("2", "description")):
            if kind in descriptions:
                record.fields[name] = texts(descriptions[kind], name)
        for kind in set(descriptions) - {"1", "2"}:
            record.not_mapped.append(_("description of type %(code)s") % {"code": kind})
        if not record.fields.get("summary"):
            record.fields["summary"] = record.fields.pop("description", "")
        if not record.fields["summary"]:
            self.problem(
                activity,
                _("%(identifier)s has no description to use as its summary.")
                % {"identifier": identifier},
            )
        record.rows["translations"] = [
            {"language": lang, "description": "", **values}
            for lang, values in sorted(translations.items())
            if values.get("title") and values.get("summary")
        ]
        status = activity.find("activity-status")
        handled.add("activity-status")
        if status is not None:
            code = status.get("code")
            if code and code.isdigit() and int(code) in ActivityStatus.values:
                record.fields["activity_status"] = int(code)
            else:
                self.problem(status, _("Unknown activity status %(code)s.") % {"code": code})
        handled.add("activity-date")
        for element in activity.iterchildren("activity-date"):
            name = DATE_FIELDS.get(element.get("type", ""))
            if name:
                record.fields[name] = date.fromisoformat(element.get("iso-date")[:10])
        self._countries(activity, record, handled)
        self._sectors_and_tags(activity, record, handled)
        self._participants_and_funding(activity, record, handled)
        self._sources(activity, record, handled)
        self._results(activity, record, handled)
        self._extension(activity, record, handled)
        for child in activity.iterchildren():
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if child.tag not in handled and name not in handled:
                record.not_mapped.append(f"<{name}>")
        record.not_mapped = list(dict.fromkeys(record.not_mapped))
        return record

    def _countries(self, activity, record: Incoming, handled: set) -> None:
        handled.add("recipient-country")
        rows = []
        for element in activity.iterchildren("recipient-country"):
            code = (element.get("code") or "").upper()
            if code not in self.countries:
                self.problem(element, _("Unknown country code %(code)s.") % {"code": code})
                continue
            share = element.get("percentage")
            rows.append(
                {"country": Country(code=code), "role": "recipient", "share": _decimal(share)}
            )
        # The portal's own element for the countries the work comes from, when present.
        for element in activity.iterchildren(_portal("provider-country")):
            code = (element.get("code") or "").upper()
            if code not in self.countries:
                self.problem(element, _("Unknown country code %(code)s.") % {"code": code})
                continue
            rows.append(
                {
                    "country": Country(code=code),
                    "role": "provider",
                    "share": _decimal(element.get("percentage")),
                }
            )
        handled.add(_portal("provider-country"))
        record.rows["countries"] = rows

    def _sectors_and_tags(self, activity, record: Incoming, handled: set) -> None:
        handled.update({"sector", "tag"})
        sectors = []
        for element in activity.iterchildren("sector"):
            vocabulary = element.get("vocabulary") or SECTOR_DAC_5
            code = element.get("code") or ""
            if vocabulary != SECTOR_DAC_5:
                record.not_mapped.append(
                    _("sector %(code)s of vocabulary %(vocabulary)s")
                    % {"code": code, "vocabulary": vocabulary}
                )
            elif code not in self.sectors:
                self.problem(element, _("Unknown sector code %(code)s.") % {"code": code})
            else:
                sectors.append(self.sectors[code])
                if (share := _decimal(element.get("percentage"))) is not None:
                    record.sector_shares[code] = share
        goals, modalities = [], []
        for element in activity.iterchildren("tag"):
            vocabulary, code = element.get("vocabulary"), element.get("code") or ""
            uri = element.get("vocabulary-uri") or ""
            if vocabulary == TAG_SDG_GOAL and code.isdigit() and int(code) in self.goals:
                goals.append(self.goals[int(code)])
            elif uri.endswith("/vocabularies/modalities/") and code in self.modalities:
                modalities.append(self.modalities[code])
            elif uri.endswith("/principles/") or uri.endswith(COOPERATION_TAG):
                continue  # the portal's own elements say the same
            else:
                record.not_mapped.append(_("tag %(code)s") % {"code": code})
        if record.sector_shares and not RECORDS_SECTOR_SHARES:
            record.not_mapped.append(_("sector percentages"))
        record.relations["sectors"] = list(dict.fromkeys(sectors))
        record.relations["sdg_goals"] = list(dict.fromkeys(goals))
        record.relations["modalities"] = list(dict.fromkeys(modalities))

    def organisation(self, element) -> Organisation | None:
        """The portal's organisation an IATI organisation element names: by its identifier,
        else by its name."""
        ref = (element.get("ref") or "").strip()
        name = _text(element.find("narrative"))
        key = (ref, name)
        if key not in self._organisations:
            found = None
            if ref:
                found = Organisation.objects.filter(iati_identifier=ref).first()
            if found is None and name:
                found = Organisation.objects.filter(name__iexact=name).first()
            self._organisations[key] = found
        return self._organisations[key]

    def _participants_and_funding(self, activity, record: Incoming, handled: set) -> None:
        handled.update(
            {
                "participating-org",
                "transaction",
                "budget",
                "planned-disbursement",
                "collaboration-type",
                "default-flow-type",
                "default-finance-type",
            }
        )
        model = self._funding_model(activity, record)
        currency = activity.get("default-currency") or ""
        funding, funders = [], set()
        for element in activity.iterchildren("transaction"):
            kind = element.find("transaction-type").get("code")
            if kind not in INCOMING_TRANSACTIONS:
                record.not_mapped.append(_("transaction of type %(code)s") % {"code": kind})
                continue
            when = date.fromisoformat(element.find("transaction-date").get("iso-date")[:10])
            row = self._contribution(
                element, self._model_of(element, model), currency, when.year, None, record
            )
            if CONTRIBUTION_HAS_DATE:
                row["date"] = when
            funding.append(row)
        # Planned disbursements are contributions planned over years (the portal writes one
        # for each contribution known by its years only).
        for element in activity.iterchildren("planned-disbursement"):
            first, last = _years(element)
            funding.append(
                self._contribution(
                    element, self._model_of(element, model), currency, first, last, record
                )
            )
        if not funding:
            # Budgets only when nothing else is recorded: they would count the money twice.
            for element in activity.iterchildren("budget"):
                first, last = _years(element)
                funding.append(self._contribution(element, model, currency, first, last, record))
        funders = {row["funder"].pk for row in funding if row["funder"] is not None}
        for row in funding:
            if row["funding_model"] is None:
                # Neither the activity nor the row says its flow and finance types.
                record.not_mapped.append(
                    _("funding of %(amount)s %(currency)s (no funding model fits it)")
                    % {"amount": _text_decimal(row["amount"]), "currency": row["currency"]}
                )
        funding = [row for row in funding if row["funding_model"] is not None]
        record.rows["funding"] = funding
        participants = []
        for element in activity.iterchildren("participating-org"):
            role = ROLE_FROM_IATI.get(element.get("role", ""))
            actor = self.organisation(element)
            if actor is None:
                record.not_mapped.append(
                    _("participating organisation %(name)s (not in the portal)")
                    % {"name": _text(element.find("narrative")) or element.get("ref")}
                )
                continue
            if role == Participation.Role.FUNDING and actor.pk in funders:
                continue  # the funder of a contribution, named again as the standard asks
            participants.append({"actor": actor, "role": role})
        unique = {(row["actor"].pk, row["role"]): row for row in participants}
        record.rows["participants"] = list(unique.values())

    def _funding_model(self, activity, record: Incoming) -> FundingModel | None:
        """The funding model of the activity's contributions: the first (by position) whose
        flow and finance types are the file's defaults, preferring one with its
        collaboration type too; the portal's own element names it when present."""
        if named := self._named_model(activity):
            return named
        flow = activity.find("default-flow-type")
        finance = activity.find("default-finance-type")
        collaboration = activity.find("collaboration-type")
        if flow is None or finance is None:
            return None
        fitting = [
            model
            for model in self.models
            if str(model.iati_flow_type) == flow.get("code")
            and str(model.iati_finance_type) == finance.get("code")
        ]
        if collaboration is not None:
            closer = [
                model
                for model in fitting
                if str(model.iati_collaboration_type) == collaboration.get("code")
            ]
            fitting = closer or fitting
        return fitting[0] if fitting else None

    def _named_model(self, element) -> FundingModel | None:
        """The funding model the portal's own element names, when there is one."""
        named = element.find(_portal("funding-model"))
        if named is None:
            return None
        return next((m for m in self.models if m.slug == named.get("code")), None)

    def _model_of(self, element, default: FundingModel | None) -> FundingModel | None:
        """The funding model of one transaction or planned disbursement: named by the
        portal's element, else the first whose flow and finance types it gives, else the
        activity's."""
        if named := self._named_model(element):
            return named
        flow, finance = element.find("flow-type"), element.find("finance-type")
        if flow is None or finance is None:
            return default
        fitting = [
            m
            for m in self.models
            if str(m.iati_flow_type) == flow.get("code")
            and str(m.iati_finance_type) == finance.get("code")
        ]
        return fitting[0] if fitting else default

    def _contribution(self, element, model, currency, year, year_end, record) -> dict:
        """A funding contribution from a transaction, planned disbursement or budget: its
        value, currency and years, and its provider as the funder when in the portal."""
        value = element.find("value")
        amount = _decimal(_text(value))
        provider = element.find("provider-org")
        funder = self.organisation(provider) if provider is not None else None
        if provider is not None and funder is None:
            record.not_mapped.append(
                _("funder %(name)s (not in the portal)")
                % {"name": _text(provider.find("narrative")) or provider.get("ref")}
            )
        return {
            "funding_model": model,
            "funder": funder,
            "amount": amount,
            "currency": (value.get("currency") or currency) if amount is not None else "",
            "year_start": year,
            "year_end": year_end if year_end != year else None,
            "is_in_kind": False,
            "note": "",
        }

    def _sources(self, activity, record: Incoming, handled: set) -> None:
        handled.add("document-link")
        sources = []
        for element in activity.iterchildren("document-link"):
            title = element.find("title")
            citation = texts_first(title)
            category = element.find("category")
            code = category.get("code") if category is not None else ""
            language = element.find("language")
            year = element.find("document-date")
            language_code = language.get("code") if language is not None else ""
            sources.append(
                {
                    "citation": citation,
                    "url": element.get("url") or "",
                    "document_type": DOCUMENT_TYPE_FROM_CATEGORY.get(
                        code, Source.DocumentType.OTHER
                    ),
                    "year": int(year.get("iso-date")[:4]) if year is not None else None,
                    "language": language_code
                    if language_code in dict(Source._meta.get_field("language").choices)
                    else "",
                }
            )
        record.rows["sources"] = sources

    def _results(self, activity, record: Incoming, handled: set) -> None:
        handled.add("result")
        outcomes, indicators, translations = [], [], []
        original = record.fields["language"]
        for element in activity.iterchildren("result"):
            index = len(outcomes)
            texts: dict[str, dict[str, str]] = defaultdict(dict)
            for tag, name in (("title", "title"), ("description", "narrative")):
                part = element.find(tag)
                if part is None:
                    continue
                for narrative in part.iterchildren("narrative"):
                    texts[narrative.get(XML_LANG) or original].setdefault(name, _text(narrative))
            main = texts.pop(original, {})
            code = element.get("type")
            outcomes.append(
                {
                    "title": main.get("title", ""),
                    "narrative": main.get("narrative", ""),
                    "result_type": int(code)
                    if code and code.isdigit() and int(code) in ResultType.values
                    else ResultType.OUTCOME,
                    "position": index,
                }
            )
            for lang, values in sorted(texts.items()):
                if lang in CONTENT_LANGUAGES and values.get("title"):
                    translations.append(
                        {
                            "outcome": EarlierRow("outcomes", index),
                            "language": lang,
                            "title": values["title"],
                            "narrative": values.get("narrative", ""),
                        }
                    )
            for indicator in element.iterchildren("indicator"):
                if _told_in_words(indicator, outcomes[-1]["title"]):
                    continue  # what the portal writes for an outcome without indicators
                indicators.append(
                    {"outcome": EarlierRow("outcomes", index), **self._indicator(indicator)}
                )
        record.rows["outcomes"] = outcomes
        record.rows["indicators"] = indicators
        record.rows["outcome_translations"] = translations

    def _indicator(self, element) -> dict:
        name = texts_first(element.find("title"))
        unit = ""
        if element.get("measure") == mapping.MEASURE_PERCENTAGE:
            unit = "%"
        elif match := UNIT_IN_TITLE.match(name):
            name, unit = match.group(1), match.group(2)
        values: dict = {"name": name, "unit": unit}
        baseline = element.find("baseline")
        if baseline is not None:
            values["baseline"] = _decimal(baseline.get("value"))
            values["baseline_year"] = int(baseline.get("year"))
        for period in element.iterchildren("period"):
            year = int(period.find("period-start").get("iso-date")[:4])
            for kind in ("target", "actual"):
                found = period.find(kind)
                if found is not None and found.get("value") is not None:
                    values[kind] = _decimal(found.get("value"))
                    values[f"{kind}_year"] = year
        return values

    def _extension(self, activity, record: Incoming, handled: set) -> None:
        """The portal's own elements; without them the cooperation type follows the
        collaboration type."""
        handled.update(
            _portal(name)
            for name in (
                "cooperation-type",
                "modality",
                "principle-evidence",
                "lesson",
                "funding-model",
            )
        )
        cooperation = activity.find(_portal("cooperation-type"))
        collaboration = activity.find("collaboration-type")
        if cooperation is not None and cooperation.get("code") in Initiative.CooperationType.values:
            record.fields["cooperation_type"] = cooperation.get("code")
        elif collaboration is not None and collaboration.get("code") == str(
            CollaborationType.TRIANGULAR
        ):
            record.fields["cooperation_type"] = Initiative.CooperationType.TRIANGULAR
        else:
            record.fields["cooperation_type"] = Initiative.CooperationType.BILATERAL
        modalities = list(record.relations.get("modalities", []))
        for element in activity.iterchildren(_portal("modality")):
            if element.get("code") in self.modalities:
                modalities.append(self.modalities[element.get("code")])
            else:
                self.problem(
                    element, _("Unknown modality %(code)s.") % {"code": element.get("code")}
                )
        record.relations["modalities"] = list(dict.fromkeys(modalities))
        evidence = []
        for element in activity.iterchildren(_portal("principle-evidence")):
            key = (element.get("principle-set"), element.get("principle"))
            principle = self.principles.get(key)
            if principle is None:
                self.problem(
                    element,
                    _("Unknown principle %(code)s.") % {"code": element.get("principle")},
                )
                continue
            strength = int(element.get("strength") or 1)
            if strength > PrincipleEvidence.Strength.CLAIMED:
                # The file does not say which source documents it, which the portal requires.
                record.not_mapped.append(_("the strength of principle evidence (kept as a claim)"))
                strength = PrincipleEvidence.Strength.CLAIMED
            if element.get("confirmed-by") or element.get("disputed-by"):
                record.not_mapped.append(
                    _("confirmations of principle evidence (partners confirm in the portal)")
                )
            if any(row["principle"] == principle for row in evidence):
                # Without its source the portal keeps one piece of evidence per principle.
                record.not_mapped.append(
                    _("further evidence on %(principle)s (the file does not name its source)")
                    % {"principle": principle.slug}
                )
                continue
            evidence.append(
                {
                    "principle": principle,
                    "stance": element.get("stance") or PrincipleEvidence.Stance.SUPPORTS,
                    "strength": strength,
                    "narrative": _text(element.find(_portal("narrative"))),
                    "quote": _text(element.find(_portal("quote"))),
                }
            )
        record.rows["evidence"] = evidence
        lessons, lesson_translations = [], []
        for element in activity.iterchildren(_portal("lesson")):
            index = len(lessons)
            audiences = (element.get("audiences") or "").split()
            text = ""
            for narrative in element.iterchildren(_portal("narrative")):
                lang = narrative.get(XML_LANG)
                if not lang:
                    text = text or _text(narrative)
                elif lang in CONTENT_LANGUAGES:
                    lesson_translations.append(
                        {
                            "lesson": EarlierRow("lessons", index),
                            "language": lang,
                            "text": _text(narrative),
                        }
                    )
            practice = None
            if element.get("practice"):
                practice = Practice.objects.filter(
                    slug=element.get("practice"), status=Practice.Status.ACCEPTED
                ).first()
            lessons.append(
                {
                    "text": text,
                    **{field: name in audiences for name, field in AUDIENCES.items()},
                    "theme": self.themes.get(element.get("theme") or ""),
                    "practice": practice,
                    "position": index,
                }
            )
        record.rows["lessons"] = lessons
        record.rows["lesson_translations"] = lesson_translations


def texts_first(element) -> str:
    """The first narrative of an element with narratives."""
    if element is None:
        return ""
    return _text(element.find("narrative"))


def _text_decimal(value: Decimal | None) -> str:
    return "?" if value is None else f"{value.normalize():f}"


def _decimal(value: str | None) -> Decimal | None:
    if value is None or not str(value).strip():
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _years(element) -> tuple[int, int | None]:
    """The first and last year of a period (``period-start``, ``period-end``)."""
    first = int(element.find("period-start").get("iso-date")[:4])
    end = element.find("period-end")
    return first, int(end.get("iso-date")[:4]) if end is not None else None


def _told_in_words(indicator, outcome_title: str) -> bool:
    """A qualitative indicator titled by its result, with no figures: the standard needs an
    indicator per result, and this one only stands for the outcome itself."""
    return (
        indicator.get("measure") == MEASURE_QUALITATIVE
        and texts_first(indicator.find("title")) == outcome_title
        and indicator.find("baseline") is None
        and indicator.find("period") is None
    )
