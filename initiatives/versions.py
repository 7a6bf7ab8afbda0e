"""Reads of published versions: which version a record is at, and an earlier version as it
was published, rebuilt from the revision of the history that recorded it (see
``PublishedVersion``)."""

from dataclasses import dataclass, field

from django.db.models import Max
from reversion.models import Version

from initiatives.models import Initiative, InitiativeCountry, Participation, PublishedVersion
from organisations.models import Organisation
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


@dataclass
class PublishedSnapshot:
    """A record as one of its versions showed it: an unsaved ``Initiative`` with the field
    values of then, and its countries, organisations and themes of then."""

    version: PublishedVersion
    record: Initiative
    providers: list[InitiativeCountry] = field(default_factory=list)
    recipients: list[InitiativeCountry] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    sectors: list = field(default_factory=list)
    sdg_goals: list = field(default_factory=list)
    modalities: list = field(default_factory=list)


def version_snapshot(version: PublishedVersion) -> PublishedSnapshot:
    """``version`` rebuilt from its revision (a fixed number of queries)."""
    initiative_id = version.initiative_id
    stored = list(
        Version.objects.filter(revision_id=version.revision_id).select_related("content_type")
    )
    record = None
    m2m: dict = {}
    countries: list[InitiativeCountry] = []
    participations: list[Participation] = []
    for entry in stored:
        model = entry.content_type.model_class()
        if model is Initiative and entry.object_id == str(initiative_id):
            deserialized = entry._object_version
            record, m2m = deserialized.object, deserialized.m2m_data
        elif model in (InitiativeCountry, Participation):
            row = entry._object_version.object
            if row.initiative_id == initiative_id:
                (countries if model is InitiativeCountry else participations).append(row)
    if record is None:  # the revision lost its copy of the record: show the record's title
        record = Initiative.objects.get(pk=initiative_id)
    record.owner = Organisation.objects.filter(pk=record.owner_id).first()
    actors = Organisation.objects.in_bulk([row.actor_id for row in participations])
    for row in participations:
        row.actor = actors.get(row.actor_id)
    participations = [row for row in participations if row.actor is not None]
    places = Country.objects.in_bulk([row.country_id for row in countries])
    countries = [row for row in countries if row.country_id in places]
    for row in countries:
        row.country = places[row.country_id]
    countries.sort(key=lambda row: row.country.name)
    snapshot = PublishedSnapshot(
        version=version,
        record=record,
        providers=[row for row in countries if row.role == "provider"],
        recipients=[row for row in countries if row.role == "recipient"],
        participations=participations,
    )
    for name, model in VERSION_THEMES.items():
        keys = [str(key) for key in m2m.get(name, [])]
        if keys:
            setattr(snapshot, name, list(model.objects.filter(pk__in=keys).order_by("pk")))
    return snapshot
