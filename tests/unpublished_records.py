"""Records in every moderation state, each of them traceable on any page that shows it.

Two organisations own one initiative in each state. Every text a reader could see — title,
summary, notes, participants, funding, outcomes, sources, uploaded documents, principle
evidence — carries the record's *marker* (``leakcheck-draft-org-a``…), so a page, an API
answer or a file holds a trace of a record exactly when it holds its marker (or its slug).

Some things exist only because of unpublished records: an organisation proposed as a partner
in a draft, a funder named only in a submitted record, and a country (Cambodia) that only
unpublished records work in. Published and unpublished records also differ in every facet
(sector, modality, funding model, principle, context, cooperation type, status, start year),
so a count that includes an unpublished record cannot equal the expected count by accident.
"""

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import ApiToken, Membership, User
from initiatives.models import Indicator, Initiative, NonMonetaryContribution, Participation, Source
from initiatives.services import initiative_refresh_search_vector
from learning.models import Lesson, Listing, Practice, PracticeUse, Theme
from organisations.models import Organisation, OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.iati import ActivityStatus
from reference.models import DialogueMechanism, Sector
from reports.models import Report
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PracticeFactory,
    Rows,
    country,
    record_published_version,
    withdraw,
)

State = Initiative.State
GHOST_COUNTRY = "KH"  # only unpublished records work in Cambodia
GHOST_COUNTRY_NAME = "Cambodia"

# What published and unpublished records are made of, facet by facet (the list page's
# facet names; values as its filters spell them).
PUBLISHED_FACETS = {
    "provider": {"BR"},
    "recipient": {"MZ"},
    "sector": {"31120"},
    "modality": {"exchange-visits"},
    "funding_model": {"citizen-donations"},
    "principle": {"ownership"},
    "actor_type": {OrganisationType.NATIONAL_NGO},
    "context": set(),
    "cooperation_type": {Initiative.CooperationType.BILATERAL},
    "status": {str(ActivityStatus.IMPLEMENTATION.value)},
    "year": {"2015"},
}
UNPUBLISHED_FACETS = {
    "provider": {"BR"},
    "recipient": {"MZ", GHOST_COUNTRY},
    "sector": {"15150"},
    "modality": {"mentoring"},
    "funding_model": {"triangular"},
    "principle": {"results"},
    "actor_type": {OrganisationType.NATIONAL_NGO},
    "context": {"fragile"},
    "cooperation_type": {Initiative.CooperationType.TRIANGULAR},
    "status": {str(ActivityStatus.FINALISATION.value)},
    "year": {"1999"},
}
STANCE = {True: PrincipleEvidence.Stance.SUPPORTS, False: PrincipleEvidence.Stance.CHALLENGES}


@dataclass(frozen=True)
class Record:
    """One seeded initiative and the handles a test needs to find its traces."""

    initiative: Initiative
    organisation: Organisation
    marker: str  # in every visible text of the record and of its rows
    search_word: str  # a word that only this record's summary holds
    source: Source
    evidence: PrincipleEvidence
    facets: dict[str, frozenset[str]]
    lesson: Lesson

    @property
    def state(self) -> str:
        return self.initiative.state

    @property
    def slug(self) -> str:
        return self.initiative.slug

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def traces(self) -> tuple[str, ...]:
        """Strings whose presence in a response shows the record is there."""
        return (self.marker, self.slug)

    def __str__(self) -> str:
        return self.marker


@dataclass(frozen=True)
class GhostOrganisation:
    """An organisation that only one unpublished record names, and with no members: it is
    exactly as private as that record."""

    actor: Organisation
    record: Record

    @property
    def traces(self) -> tuple[str, ...]:
        return (self.actor.name, self.actor.slug)


@dataclass
class SeededRecords:
    organisations: tuple[Organisation, Organisation]
    records: list[Record]
    ghost_partner: GhostOrganisation
    ghost_funder: GhostOrganisation
    editors: dict[str, User]  # organisation slug -> its editor
    managers: dict[str, Membership]  # organisation slug -> a manager's membership
    moderator: User
    report: Report  # the first organisation's editor's data set, drafts included
    token: ApiToken  # the first organisation's editor's
    dialogue_mechanism: DialogueMechanism
    # An accepted practice every record used, each learning it from the record before, and
    # a practice the first organisation proposed (seen by its editors and the moderators).
    practice: Practice | None = None
    proposed_practice: Practice | None = None
    # An open offer of the second organisation about the shared practice, and an offer the
    # first organisation submitted, not yet reviewed (seen by its editors and the moderators).
    open_listing: Listing | None = None
    submitted_listing: Listing | None = None
    by_key: dict[tuple[str, str], Record] = field(default_factory=dict)

    def __post_init__(self):
        self.by_key = {(r.organisation.slug, r.state): r for r in self.records}

    def record(self, organisation: str, state: str) -> Record:
        return self.by_key[(organisation, state)]

    @property
    def ghosts(self) -> tuple[GhostOrganisation, GhostOrganisation]:
        return (self.ghost_partner, self.ghost_funder)


def marker_of(organisation: Organisation, state: str) -> str:
    return f"leakcheck-{state}-{organisation.slug}"


def _facets(is_published: bool) -> dict[str, frozenset[str]]:
    plan = PUBLISHED_FACETS if is_published else UNPUBLISHED_FACETS
    return {name: frozenset(values) for name, values in plan.items()}


def _initiative(
    organisation: Organisation, state: str, marker: str, search_word: str
) -> Initiative:
    is_published = state == State.PUBLISHED
    facets = PUBLISHED_FACETS if is_published else UNPUBLISHED_FACETS
    now = timezone.now()
    initiative = InitiativeFactory(
        owner=organisation,
        state=state,
        slug=f"record-{state}-{organisation.slug}",
        title=f"Title {marker}",
        summary=f"Summary {marker} {search_word}",
        description=f"Description {marker}",
        coordination_note=f"Coordination {marker}",
        coordinates_with_other_donors=True,
        review_note=f"Moderator's note {marker}" if state == State.RETURNED else "",
        cooperation_type=next(iter(facets["cooperation_type"])),
        activity_status=int(next(iter(facets["status"]))),
        start_year=int(next(iter(facets["year"]))),
        is_fragile_state="fragile" in facets["context"],
        submitted_at=None if state == State.DRAFT else now - timedelta(days=3),
        published_at=now - timedelta(days=2)
        if state in (State.PUBLISHED, State.ARCHIVED)
        else None,
    )
    rows = Rows(initiative)
    for code in facets["recipient"] - {"MZ"}:  # the factory adds Mozambique
        rows.country(code)
    initiative.sectors.add(*Sector.objects.filter(code__in=facets["sector"]))
    rows.modalities(*facets["modality"])
    return initiative


def _record(organisation: Organisation, state: str, ordinal: int) -> Record:
    marker = marker_of(organisation, state)
    search_word = f"soughtword{ordinal:02d}x"  # one token, same in every language config
    initiative = _initiative(organisation, state, marker, search_word)
    facets = _facets(state == State.PUBLISHED)
    rows = Rows(initiative)
    for slug in facets["funding_model"]:
        rows.funding(slug, note=f"Funding note {marker}")
    rows.non_monetary(
        NonMonetaryContribution.Kind.OTHER, 12, unit=f"visits {marker}", note=f"In kind {marker}"
    )
    outcome = rows.outcome(f"Outcome {marker}", narrative=f"What changed {marker}")
    Indicator.objects.create(outcome=outcome, name=f"Indicator {marker}", unit="farmers")
    document = ContentFile(f"Field notes {marker}\n".encode(), name="field-notes.pdf")
    source = rows.source(
        citation=f"Citation {marker}", url=f"https://example.org/{marker}", document=document
    )
    evidence = rows.evidence(
        Principle.objects.get(principle_set__slug="busan", slug=next(iter(facets["principle"]))),
        stance=STANCE[state == State.PUBLISHED],
        narrative=f"Evidence {marker}",
        quote=f"Quote {marker}",
        source=source,
    )
    lesson = initiative.lessons.create(
        text=f"Lesson {marker}",
        for_civil_society=True,
        theme=Theme.objects.get(slug="seeds-agroecology"),
    )
    lesson.translations.create(language="fr", text=f"Leçon {marker}")
    return Record(initiative, organisation, marker, search_word, source, evidence, facets, lesson)


def _ghost_organisation(role: str, actor_type: str, **fields) -> Organisation:
    """An organisation of the ghost country, its name marked ``leakcheck-ghost-<role>``."""
    return OrganisationFactory(
        name=f"Ghost {role} leakcheck-ghost-{role}",
        slug=f"ghost-{role}-organisation",
        actor_type=actor_type,
        home_country=country(GHOST_COUNTRY),
        **fields,
    )


def _ghost_partner(record: Record) -> GhostOrganisation:
    actor = _ghost_organisation(
        "partner",
        OrganisationType.SOCIAL_MOVEMENT,
        description="Proposed in a draft leakcheck-ghost-partner",
    )
    Rows(record.initiative).participant(actor, role=Participation.Role.PARTNER)
    record.facets["actor_type"] = record.facets["actor_type"] | {OrganisationType.SOCIAL_MOVEMENT}
    return GhostOrganisation(actor, record)


def _ghost_funder(record: Record) -> GhostOrganisation:
    actor = _ghost_organisation("funder", OrganisationType.FOUNDATION)
    contribution = record.initiative.funding_contributions.get()
    contribution.funder = actor
    contribution.save()
    return GhostOrganisation(actor, record)


def _ready_report(user: User, records: Iterable[Record]) -> Report:
    """A finished data set of ``user``'s, with their drafts in it."""
    content = json.dumps({"initiatives": [{"title": r.initiative.title} for r in records]})
    now = timezone.now()
    report = Report(
        kind=Report.Kind.DATASET,
        parameters={"filters": {}, "format": "json"},
        include_drafts=True,
        fingerprint="0" * 64,
        requested_by=user,
        state=Report.State.SUCCEEDED,
        progress=100,
        finished_at=now,
        expires_at=now + timedelta(days=1),
        filename="ssdc-initiatives.json",
        content_type="application/json",
    )
    report.file.save("ssdc-initiatives.json", ContentFile(content.encode()), save=False)
    report.save()
    return report


PROPOSED_PRACTICE = "leakcheck-proposed-practice"


def _practices(records: list[Record]) -> tuple[Practice, Practice]:
    practice = PracticeFactory(name="Shared practice", slug="shared-practice")
    practice.themes.set(Theme.objects.filter(slug="seeds-agroecology"))
    proposed = PracticeFactory(
        name=f"Proposed {PROPOSED_PRACTICE}",
        slug=PROPOSED_PRACTICE,
        summary=f"Summary {PROPOSED_PRACTICE}",
        status=Practice.Status.PROPOSED,
        proposed_by_organisation=records[0].organisation,
    )
    previous = None
    for record in records:
        PracticeUse.objects.create(
            initiative=record.initiative,
            practice=practice,
            learned_from=previous.initiative if previous else None,
            adaptation=f"Adapted {record.marker}",
        )
        previous = record
    own_draft = next(
        r for r in records if r.organisation.slug == "org-a" and r.state == State.DRAFT
    )
    PracticeUse.objects.create(initiative=own_draft.initiative, practice=proposed)
    return practice, proposed


SUBMITTED_LISTING = "leakcheck-submitted-offer"


def _listings(organisations, practice: Practice) -> tuple[Listing, Listing]:
    def offer(organisation, title, state):
        return Listing.objects.create(
            kind=Listing.Kind.OFFER,
            organisation=organisation,
            title=title,
            description=f"What {title} offers",
            practice=practice,
            languages=["en"],
            open_until=timezone.localdate() + timedelta(days=60),
            state=state,
        )

    return (
        offer(organisations[1], "Open offer", Listing.State.PUBLISHED),
        offer(organisations[0], SUBMITTED_LISTING, Listing.State.SUBMITTED),
    )


def _history(records: list[Record]) -> None:
    """Each record saved once in its history: published ones, and archived ones (which were
    published before they were withdrawn), as their version 1; the others as no version."""
    for record in records:
        initiative = record.initiative
        withdrawn = initiative.state == State.ARCHIVED
        if withdrawn:
            initiative.state = State.PUBLISHED
        record_published_version(initiative)
        if withdrawn:
            withdraw(initiative)


def seed_records() -> SeededRecords:
    """Create the records (reference data comes from the migrations)."""
    organisations = (
        OrganisationFactory(name="Organisation A", slug="org-a"),
        OrganisationFactory(name="Organisation B", slug="org-b"),
    )
    records = [
        _record(organisation, state, ordinal)
        for ordinal, (organisation, state) in enumerate(
            (organisation, state) for organisation in organisations for state in State.values
        )
    ]
    by_key = {(r.organisation.slug, r.state): r for r in records}
    ghost_partner = _ghost_partner(by_key[("org-a", State.DRAFT)])
    ghost_funder = _ghost_funder(by_key[("org-b", State.SUBMITTED)])
    _history(records)
    initiative_refresh_search_vector(initiative_ids=[r.initiative.pk for r in records])

    editors = {
        organisation.slug: MembershipFactory(
            organisation=organisation, user__username=f"editor-{organisation.slug}"
        ).user
        for organisation in organisations
    }
    managers = {
        organisation.slug: MembershipFactory(
            organisation=organisation,
            user__username=f"manager-{organisation.slug}",
            role=Membership.Role.MANAGER,
        )
        for organisation in organisations
    }
    first_editor = editors["org-a"]
    practice, proposed_practice = _practices(records)
    open_listing, submitted_listing = _listings(organisations, practice)
    token = ApiToken.objects.create(
        user=first_editor, name="Scripts", prefix="leakchk1", secret_hash="0" * 64
    )
    return SeededRecords(
        organisations=organisations,
        records=records,
        ghost_partner=ghost_partner,
        ghost_funder=ghost_funder,
        editors=editors,
        managers=managers,
        moderator=ModeratorFactory(username="moderator"),
        practice=practice,
        proposed_practice=proposed_practice,
        open_listing=open_listing,
        submitted_listing=submitted_listing,
        report=_ready_report(first_editor, [r for r in records if r.organisation.slug == "org-a"]),
        token=token,
        dialogue_mechanism=DialogueMechanism.objects.create(
            country=country(GHOST_COUNTRY),
            name="National forum on cooperation",
            kind=DialogueMechanism.Kind.NATIONAL,
            description="Reference data, public whatever the records say.",
        ),
    )


def facet_counts(records: Iterable[Record]) -> dict[str, Counter]:
    """Per facet, how many of ``records`` have each value (what the list page counts)."""
    counts: dict[str, Counter] = {name: Counter() for name in PUBLISHED_FACETS}
    for record in records:
        for name, values in record.facets.items():
            counts[name].update(values)
    return {name: +counter for name, counter in counts.items()}
