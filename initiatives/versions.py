"""Reads of published versions: which version a record is at, and an earlier version as it
was published, rebuilt from the revision of the history that recorded it (see
``PublishedVersion``)."""

from dataclasses import dataclass, field

from django.db.models import Max
from reversion.models import Version

from funding.models import FundingContribution, FundingModel
from initiatives.content import (
    LESSON_FIELDS,
    OUTCOME_FIELDS,
    RECORD_FIELDS,
    ShownText,
    reader_language,
)
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    InitiativeTranslation,
    Outcome,
    OutcomeTranslation,
    Participation,
    PublishedVersion,
    Source,
)
from learning.models import Lesson, LessonTranslation, Practice, Theme
from organisations.models import Organisation
from principles.models import Principle, PrincipleEvidence
from reference.models import Country, Modality, Sector, SustainableDevelopmentGoal

# The themes a version page shows, with their vocabularies.
VERSION_THEMES = {
    "sectors": Sector,
    "sdg_goals": SustainableDevelopmentGoal,
    "modalities": Modality,
}


def record_versions(initiative: Initiative) -> list[PublishedVersion]:
    """The published versions of ``initiative``, oldest first."""
    return list(initiative.published_versions.order_by("number"))


def latest_version(initiative: Initiative) -> PublishedVersion | None:
    return initiative.published_versions.order_by("-number").first()


def latest_version_numbers(initiative_ids) -> dict[int, int]:
    """The number of each record's last published version, by record id (one query)."""
    rows = (
        PublishedVersion.objects.filter(initiative__in=initiative_ids)
        .values("initiative")
        .annotate(latest=Max("number"))
    )
    return {row["initiative"]: row["latest"] for row in rows}


# The rows of a revision a version page reads, by the field that ties each to its parent.
VERSION_ROWS = {
    InitiativeCountry: "initiative_id",
    Participation: "initiative_id",
    FundingContribution: "initiative_id",
    PrincipleEvidence: "initiative_id",
    Outcome: "initiative_id",
    Source: "initiative_id",
    InitiativeTranslation: "initiative_id",
    Lesson: "initiative_id",
    Indicator: "outcome_id",
    OutcomeTranslation: "outcome_id",
    LessonTranslation: "lesson_id",
}


@dataclass
class PublishedSnapshot:
    """A record as one of its versions showed it: an unsaved ``Initiative`` with the field
    values of then, and its countries, organisations, themes, outcomes, lessons, funding,
    evidence and sources of then. ``shown`` is its text for the reader, from the
    translations of then."""

    version: PublishedVersion
    record: Initiative
    shown: ShownText | None = None
    providers: list[InitiativeCountry] = field(default_factory=list)
    recipients: list[InitiativeCountry] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    sectors: list = field(default_factory=list)
    sdg_goals: list = field(default_factory=list)
    modalities: list = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    contributions: list[FundingContribution] = field(default_factory=list)
    evidence: list[PrincipleEvidence] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


def _stored_rows(version: PublishedVersion):
    """The record and the rows of ``version``'s revision, by model (one query)."""
    stored = Version.objects.filter(revision_id=version.revision_id).select_related("content_type")
    record, m2m = None, {}
    rows: dict = {model: [] for model in VERSION_ROWS}
    for entry in stored:
        model = entry.content_type.model_class()
        if model is Initiative:
            if entry.object_id == str(version.initiative_id):
                deserialized = entry._object_version
                record, m2m = deserialized.object, deserialized.m2m_data
        elif model in rows:
            rows[model].append(entry._object_version.object)
    return record, m2m, rows


def _of(rows: list, parent: str, keys) -> list:
    return [row for row in rows if getattr(row, parent) in keys]


def _translation(rows: list, language: str):
    return next((row for row in rows if row.language == language), None)


def version_snapshot(version: PublishedVersion, *, document_gate=None) -> PublishedSnapshot:
    """``version`` rebuilt from its revision, with a fixed number of queries however many
    rows it has. ``document_gate`` (a queryset of the record's current sources whose
    documents are served) marks which sources of then can still link their document."""
    initiative_id = version.initiative_id
    record, m2m, rows = _stored_rows(version)
    if record is None:  # the revision lost its copy of the record: show the record's title
        record = Initiative.objects.get(pk=initiative_id)
    mine = {initiative_id}

    def of_record(model):
        return _of(rows[model], "initiative_id", mine)

    countries = of_record(InitiativeCountry)
    participations = of_record(Participation)
    contributions = of_record(FundingContribution)
    evidence = of_record(PrincipleEvidence)
    outcomes = sorted(of_record(Outcome), key=lambda row: (row.position, row.pk))
    sources = sorted(of_record(Source), key=lambda row: (-(row.year or 0), row.citation))
    lessons = sorted(of_record(Lesson), key=lambda row: (row.position, row.pk))
    indicators = _of(rows[Indicator], "outcome_id", {row.pk for row in outcomes})
    outcome_translations = _of(rows[OutcomeTranslation], "outcome_id", {o.pk for o in outcomes})
    lesson_translations = _of(rows[LessonTranslation], "lesson_id", {row.pk for row in lessons})

    organisations = Organisation.objects.in_bulk(
        {record.owner_id}
        | {row.actor_id for row in participations}
        | {row.funder_id for row in contributions if row.funder_id}
    )
    record.owner = organisations.get(record.owner_id)
    for row in participations:
        row.actor = organisations.get(row.actor_id)
    participations = [row for row in participations if row.actor is not None]
    places = Country.objects.in_bulk([row.country_id for row in countries])
    countries = [row for row in countries if row.country_id in places]
    for row in countries:
        row.country = places[row.country_id]
    countries.sort(key=lambda row: row.country.name)

    reader = reader_language()
    translation = _translation(of_record(InitiativeTranslation), reader)
    shown = ShownText(record, translation, RECORD_FIELDS, reader_language=reader)
    record.__dict__["shown"] = shown
    for outcome in outcomes:
        outcome.indicator_rows = sorted(
            (row for row in indicators if row.outcome_id == outcome.pk), key=lambda row: row.pk
        )
        own = [row for row in outcome_translations if row.outcome_id == outcome.pk]
        original = _Original(
            language=record.language, title=outcome.title, narrative=outcome.narrative
        )
        outcome.__dict__["shown"] = ShownText(
            original, _translation(own, reader), OUTCOME_FIELDS, reader_language=reader
        )
    _with_lesson_parts(lessons, lesson_translations, record.language, reader)
    _with_funding_parts(contributions, organisations)
    _with_evidence_parts(evidence, sources)
    served = set()
    if document_gate is not None:
        documents = {row.pk: row.document.name for row in sources if row.document}
        storage = Source._meta.get_field("document").storage
        served = {
            pk
            for pk, name in document_gate.filter(pk__in=documents).values_list("pk", "document")
            if name and name == documents[pk] and storage.exists(name)
        }
    for source in sources:
        source.document_served = source.pk in served

    snapshot = PublishedSnapshot(
        version=version,
        record=record,
        shown=shown,
        providers=[row for row in countries if row.role == "provider"],
        recipients=[row for row in countries if row.role == "recipient"],
        participations=participations,
        outcomes=outcomes,
        lessons=lessons,
        contributions=contributions,
        evidence=evidence,
        sources=sources,
    )
    for name, model in VERSION_THEMES.items():
        keys = [str(key) for key in m2m.get(name, [])]
        if keys:
            setattr(snapshot, name, list(model.objects.filter(pk__in=keys).order_by("pk")))
    return snapshot


class _Original:
    """The original text of an outcome or lesson, in its record's language."""

    def __init__(self, *, language: str, **texts):
        self.language = language
        self.__dict__.update(texts)


def _with_lesson_parts(lessons, translations, language: str, reader: str) -> None:
    themes = Theme.objects.in_bulk({row.theme_id for row in lessons if row.theme_id})
    practices = Practice.objects.in_bulk({row.practice_id for row in lessons if row.practice_id})
    for lesson in lessons:
        lesson.theme = themes.get(lesson.theme_id)
        lesson.practice = practices.get(lesson.practice_id)
        own = [row for row in translations if row.lesson_id == lesson.pk]
        lesson.__dict__["shown"] = ShownText(
            _Original(language=language, text=lesson.text),
            _translation(own, reader),
            LESSON_FIELDS,
            reader_language=reader,
        )


def _with_funding_parts(contributions, organisations) -> None:
    models = FundingModel.objects.in_bulk({row.funding_model_id for row in contributions})
    for row in contributions:
        row.funding_model = models.get(row.funding_model_id)
        row.funder = organisations.get(row.funder_id) if row.funder_id else None
    contributions[:] = [row for row in contributions if row.funding_model is not None]
    contributions.sort(key=lambda row: (row.funding_model.position, row.funding_model.name, row.pk))


def _with_evidence_parts(evidence, sources) -> None:
    principles = Principle.objects.select_related("principle_set").in_bulk(
        {row.principle_id for row in evidence}
    )
    cited = {row.pk: row for row in sources}
    for row in evidence:
        row.principle = principles.get(row.principle_id)
        row.source = cited.get(row.source_id) if row.source_id else None
    evidence[:] = [row for row in evidence if row.principle is not None]
    evidence.sort(
        key=lambda row: (
            row.principle.principle_set.name,
            row.principle.position,
            row.principle_id,
            -row.strength,
            row.pk,
        )
    )
