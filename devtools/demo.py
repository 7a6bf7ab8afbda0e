"""The demo data set built from the briefing's four case studies, and the service that loads
it (``demo_load``, run by ``manage.py load_demo``).

The content lives in ``devtools/demo_data/`` (read and checked by ``devtools.demo_files``).
Facts (countries, organisations named in the briefing, years, funding models) come from the
briefing; every sentence is the project's own. Where the briefing names no organisation, the
names are deliberately generic. The briefing gives no amounts, dates, shares or counts for the
cases, so amounts stay empty, and the start years of work under way, the shares of several
countries or sectors (which open data needs rather than an invented split) and the few
non-monetary counts are marked as illustrative in the files.

Loading is idempotent: records are matched on natural keys (slugs, usernames, each child row's
key within its initiative, and a translation's language) and only written when they differ
from the data files, so a second run writes nothing. Translations a file no longer has are
deleted, like any other child row.
"""

import os
import secrets
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import reversion
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from accounts.models import MODERATORS_GROUP, Membership, User
from devtools.demo_files import (
    DATA_DIR,
    DIALOGUE_MECHANISMS_FILE,
    ORGANISATIONS_FILE,
    DemoData,
    DemoDataError,
    read_demo_data,
)
from devtools.demo_practices import load_practice_uses, load_practices
from funding.models import FundingModel
from initiatives.models import Initiative
from initiatives.services import initiative_refresh_search_vector, initiative_version_published
from learning.exchange.services import default_open_until
from learning.models import Listing, Practice, Theme
from organisations.models import NetworkMembership, Organisation
from principles.models import Principle, PrincipleEvidence
from reference.models import (
    Country,
    DialogueMechanism,
    Modality,
    Sector,
    SustainableDevelopmentGoal,
)

EXCHANGE_FILE = "exchange.toml"
PASSWORD_VARIABLE = "DEMO_PASSWORD"  # noqa: S105 (the name of a variable, not a password)
MODERATOR_USERNAME = "moderator"
EMAIL_DOMAIN = "example.org"

State = Initiative.State
Strength = PrincipleEvidence.Strength


class _Now:
    """Marks a timestamp to set to the load time unless the row already holds one."""


NOW = _Now()


def demo_load(*, stdout: TextIO | None = None, directory: Path = DATA_DIR) -> dict[str, int]:
    """Load (or bring back in line) the demo data set of ``directory``; returns counts for a
    summary. A mistake in a data file raises ``DemoDataError`` before anything is written.

    Accounts created by this run are written to ``stdout`` with their passwords, once.
    """
    data = read_demo_data(directory)
    credentials: list[tuple[str, str]] = []
    with transaction.atomic(), reversion.create_revision():
        # Rows the load creates or changes form one revision in the records' history.
        reversion.set_comment("Demo data loaded")
        summary = _load(data, credentials=credentials, now=timezone.now())
    if stdout is not None and credentials:
        _write_credentials(stdout, credentials)
    return summary


def _load(data: DemoData, *, credentials: list[tuple[str, str]], now) -> dict[str, int]:
    practices = load_practices(data.directory, now=now)
    references = _References()
    actors = _load_organisations(data, references=references, now=now)
    for mechanism in data.dialogue_mechanisms:
        place = data.directory / DIALOGUE_MECHANISMS_FILE
        with _reporting(place, f"dialogue mechanism {mechanism['name']!r}"):
            country = references.country(mechanism["country"])
        _upsert(
            DialogueMechanism,
            lookup={"country_id": country, "name": mechanism["name"]},
            values={
                "kind": mechanism["kind"],
                "year_started": mechanism["year_started"],
                "description": mechanism["description"],
                "source_citation": data.source["citation"],
                "source_url": data.source["url"],
            },
            now=now,
        )
    moderator, editors = _load_accounts(data, actors=actors, credentials=credentials)
    loaded = _Loaded(
        source=data.source,
        actors=actors,
        editors=editors,
        moderator=moderator,
        references=references,
    )

    statuses: Counter[str] = Counter()
    to_refresh = []
    for spec in data.initiatives:
        with _reporting(data.initiative_file(spec["slug"]), f"initiative {spec['slug']!r}"):
            initiative, status = _load_initiative(spec, loaded=loaded, now=now)
        if initiative.is_published and status != "unchanged":
            # Loaded or changed as published: its next version, in this load's revision.
            initiative_version_published(initiative=initiative)
        statuses[status] += 1
        if status != "unchanged" or initiative.search_vector is None:
            to_refresh.append(initiative.pk)
    if to_refresh:
        initiative_refresh_search_vector(initiative_ids=to_refresh)
    practice_uses = load_practice_uses(data.directory, practices, now=now)

    listings = _load_listings(
        data, actors=actors, editors=editors, credentials=credentials, now=now
    )

    states = Counter(spec["state"] for spec in data.initiatives)
    return {
        "organisations": len(actors),
        "dialogue_mechanisms": len(data.dialogue_mechanisms),
        "initiatives": len(data.initiatives),
        "published": states[State.PUBLISHED],
        "draft": states[State.DRAFT],
        "submitted": states[State.SUBMITTED],
        "initiatives_created": statuses["created"],
        "initiatives_updated": statuses["updated"],
        "practices": len(practices),
        "practice_uses": practice_uses,
        "accounts": 1 + len(editors),
        "accounts_created": len(credentials),
        "listings": listings,
    }


@contextmanager
def _reporting(path: Path, record: str) -> Iterator[None]:
    """Name the file and the record in a ``DemoDataError`` raised while loading it."""
    try:
        yield
    except DemoDataError as error:
        raise DemoDataError(f"{path}: {record}: {error}") from error


class _Lookup:
    """The primary key of a reference row, found by the field the data files name it by
    (``key``); ``what`` says what kind of row it is in the error when there is none."""

    def __init__(self, what: str, queryset: models.QuerySet, key: str = "pk") -> None:
        self.what = what
        self.pks = dict(queryset.values_list(key, "pk"))

    def __call__(self, key):
        if key not in self.pks:
            raise DemoDataError(
                f"no {self.what} {key!r} in the database (correct the file, or run "
                "`manage.py migrate` if the reference data is missing)."
            )
        return self.pks[key]


class _References:
    """Looks up the reference rows the demo points at, failing clearly if one is missing."""

    def __init__(self) -> None:
        self.country = _Lookup("country", Country.objects.all())
        self.sector = _Lookup("sector", Sector.objects.all())
        self.sdg_goal = _Lookup("SDG goal", SustainableDevelopmentGoal.objects.all())
        self.modality = _Lookup("modality", Modality.objects.all(), key="slug")
        self.funding_model = _Lookup("funding model", FundingModel.objects.all(), key="slug")
        self.principle = _Lookup(
            "Busan principle", Principle.objects.filter(principle_set__slug="busan"), key="slug"
        )
        self.theme = _Lookup("theme", Theme.objects.all(), key="slug")
        self.practice = _Lookup("practice", Practice.objects.all(), key="slug")


@dataclass(frozen=True)
class _Loaded:
    """What the initiatives point at, loaded before them: the briefing their evidence cites,
    the organisations by slug, the editor of each owner and the moderator, and the reference
    rows."""

    source: dict
    actors: dict[str, Organisation]
    editors: dict[str, User]
    moderator: User
    references: _References


def _load_organisations(data: DemoData, *, references: _References, now) -> dict[str, Organisation]:
    actors = {}
    for row in data.organisations:
        country = row["home_country"]
        with _reporting(data.directory / ORGANISATIONS_FILE, f"organisation {row['slug']!r}"):
            country_id = references.country(country) if country else None
        actors[row["slug"]], _status = _upsert(
            Organisation,
            lookup={"slug": row["slug"]},
            values={
                "name": row["name"],
                "acronym": row["acronym"],
                "actor_type": row["type"],
                "home_country_id": country_id,
                "description": row["description"],
            },
            now=now,
        )
    for row in data.organisations:
        for network in row["member_of"]:
            _upsert(
                NetworkMembership,
                lookup={"member_id": actors[row["slug"]].pk, "network_id": actors[network].pk},
                values={},
                now=now,
            )
    return actors


def _load_accounts(
    data: DemoData, *, actors: dict[str, Organisation], credentials: list[tuple[str, str]]
) -> tuple[User, dict[str, User]]:
    """The moderator and one account per organisation that owns a demo initiative."""
    password = os.environ.get(PASSWORD_VARIABLE) or None
    moderator = _account(
        MODERATOR_USERNAME, is_staff=True, password=password, credentials=credentials
    )
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))

    roles = {row["slug"]: row["account_role"] for row in data.organisations}
    editors = {}
    for slug in dict.fromkeys(spec["owner"] for spec in data.initiatives):
        role = roles[slug]
        user = _account(
            f"{slug}-{role}", is_staff=False, password=password, credentials=credentials
        )
        _upsert(
            Membership,
            lookup={"user_id": user.pk, "organisation_id": actors[slug].pk},
            values={"role": role},
            now=None,
        )
        editors[slug] = user
    return moderator, editors


def _load_listings(
    data: DemoData,
    *,
    actors: dict[str, Organisation],
    editors: dict[str, User],
    credentials: list[tuple[str, str]],
    now,
) -> int:
    """The exchange's offers and requests (``exchange.toml``), published; each organisation
    with one gets a demo account. A listing already there (same organisation and title) is
    left as it is, open-until date included."""
    path = data.directory / EXCHANGE_FILE
    if not path.exists():
        return 0
    with path.open("rb") as file:
        specs = tomllib.load(file).get("listings", [])
    password = os.environ.get(PASSWORD_VARIABLE) or None
    roles = {row["slug"]: row["account_role"] for row in data.organisations}
    for spec in specs:
        with _reporting(path, f"listing {spec['title']!r}"):
            slug = spec["organisation"]
            organisation = actors[slug]
            if slug not in editors:
                editors[slug] = _account(
                    f"{slug}-{roles[slug]}", is_staff=False, password=password,
                    credentials=credentials,
                )  # fmt: skip
                _upsert(
                    Membership,
                    lookup={"user_id": editors[slug].pk, "organisation_id": organisation.pk},
                    values={"role": roles[slug]},
                    now=None,
                )
            if Listing.objects.filter(organisation=organisation, title=spec["title"]).exists():
                continue
            practice = Practice.objects.get(slug=spec["practice"]) if "practice" in spec else None
            listing = Listing.objects.create(
                kind=spec["kind"],
                organisation=organisation,
                title=spec["title"],
                description=spec["description"].strip(),
                language=spec.get("language", "en"),
                practice=practice,
                theme=Theme.objects.get(slug=spec["theme"]) if "theme" in spec else None,
                languages=spec["languages"],
                formats=spec.get("formats", []),
                open_until=default_open_until(timezone.localdate(now)),
                state=Listing.State.PUBLISHED,
                created_by=editors[slug],
                reviewed_at=now,
            )
            listing.countries.set(spec.get("countries", []))
    return len(specs)


def _account(
    username: str, *, is_staff: bool, password: str | None, credentials: list[tuple[str, str]]
) -> User:
    """Get or create a demo account; passwords are only ever set when the account is new."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@{EMAIL_DOMAIN}", is_staff=is_staff)
        chosen = password or secrets.token_urlsafe(18)
        user.set_password(chosen)
        user.save()
        credentials.append((username, f"(from {PASSWORD_VARIABLE})" if password else chosen))
    elif is_staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _load_initiative(spec: dict, *, loaded: _Loaded, now) -> tuple[Initiative, str]:
    owner = loaded.actors[spec["owner"]]
    editor = loaded.editors[spec["owner"]]
    state = spec["state"]
    is_published = state == State.PUBLISHED
    initiative, status = _upsert(
        Initiative,
        lookup={"slug": spec["slug"]},
        values={
            **spec["fields"],
            "review_note": "",  # a reload clears a moderator's note too
            "owner_id": owner.pk,
            "state": state,
            "submitted_at": None if state == State.DRAFT else NOW,
            "published_at": NOW if is_published else None,
            "reviewed_at": NOW if is_published else None,
            "reviewed_by_id": loaded.moderator.pk if is_published else None,
            "created_by_id": editor.pk,
            "updated_by_id": editor.pk,
        },
        now=now,
    )
    children_changed = _load_initiative_children(initiative, spec, loaded=loaded, now=now)
    if status == "unchanged" and children_changed:
        status = "updated"
    # A reload that changed an existing record is a new version; the demo's is the reviewed one.
    version = initiative.version + 1 if status == "updated" else initiative.version
    _apply(
        initiative,
        {"version": version, "reviewed_version": version if is_published else None},
        now=now,
    )
    return initiative, status


def _load_initiative_children(initiative: Initiative, spec: dict, *, loaded: _Loaded, now) -> bool:
    """Bring the rows that hang off ``initiative`` in line with ``spec``; True if any changed."""
    parent = {"initiative_id": initiative.pk}
    references = loaded.references
    changed = [
        _sync_m2m(initiative.sectors, [references.sector(code) for code in spec["sectors"]]),
        _sync_sector_shares(initiative, spec),
        _sync_m2m(
            initiative.sdg_goals,
            [references.sdg_goal(number) for number in spec["sdg_goals"]],
        ),
        _sync_m2m(
            initiative.modalities, [references.modality(slug) for slug in spec["modalities"]]
        ),
    ]
    for children, key, rows in _child_rows(initiative, spec, loaded=loaded):
        changed.append(_sync_children(children, parent=parent, key=key, rows=rows, now=now))
    changed.append(_sync_outcome_translations(initiative, spec, now=now))
    changed.append(_sync_lesson_translations(initiative, spec, now=now))
    changed.append(_sync_sources_and_evidence(initiative, spec, loaded=loaded, now=now))
    return any(changed)


def _translation_rows(translations: dict[str, dict]) -> list[dict]:
    return [{"language": language, **fields} for language, fields in translations.items()]


def _sync_outcome_translations(initiative: Initiative, spec: dict, *, now) -> bool:
    """The translations of each outcome (synced after the outcomes, which they hang off)."""
    outcomes = {outcome.title: outcome for outcome in initiative.outcomes.all()}
    changed = False
    for row in spec["outcomes"]:
        outcome = outcomes[row["title"]]
        changed |= _sync_children(
            outcome.translations.all(),
            parent={"outcome_id": outcome.pk},
            key=("language",),
            rows=_translation_rows(row["translations"]),
            now=now,
        )
    return changed


def _sync_lesson_translations(initiative: Initiative, spec: dict, *, now) -> bool:
    """The translations of each lesson (synced after the lessons, which they hang off)."""
    lessons = {lesson.text: lesson for lesson in initiative.lessons.all()}
    changed = False
    for row in spec["lessons"]:
        lesson = lessons[row["text"]]
        changed |= _sync_children(
            lesson.translations.all(),
            parent={"lesson_id": lesson.pk},
            key=("language",),
            rows=_translation_rows(row["translations"]),
            now=now,
        )
    return changed


def _child_rows(
    initiative: Initiative, spec: dict, *, loaded: _Loaded
) -> list[tuple[models.QuerySet, tuple[str, ...], list[dict]]]:
    """(the initiative's rows, their natural key within it, the wanted rows) for each simple
    child table."""
    actors, references = loaded.actors, loaded.references
    return [
        (
            initiative.country_links.all(),
            ("country_id", "role"),
            [
                {
                    "country_id": references.country(row["country"]),
                    "role": row["role"],
                    "share": row["share"],
                }
                for row in spec["countries"]
            ],
        ),
        (
            initiative.participations.all(),
            ("actor_id", "role"),
            [
                {"actor_id": actors[row["organisation"]].pk, "role": row["role"]}
                for row in spec["participants"]
            ],
        ),
        (
            initiative.funding_contributions.all(),
            ("funding_model_id", "funder_id"),
            [
                {
                    "funding_model_id": references.funding_model(row["funding_model"]),
                    "funder_id": actors[row["funder"]].pk if row["funder"] else None,
                    "amount": None,
                    "currency": "",
                    "year_start": None,
                    "year_end": None,
                    "is_in_kind": False,
                    "note": row["note"],
                }
                for row in spec["funding"]
            ],
        ),
        (
            initiative.non_monetary_contributions.all(),
            ("kind", "unit"),
            [
                {
                    "kind": row["kind"],
                    "unit": "",
                    "quantity": row["quantity"],
                    "year": None,
                    "note": row["note"],
                }
                for row in spec["non_monetary"]
            ],
        ),
        (
            initiative.outcomes.all(),
            ("title",),
            [
                {
                    "title": row["title"],
                    "narrative": row["narrative"],
                    "result_type": row["result_type"],
                    "position": position,
                }
                for position, row in enumerate(spec["outcomes"], start=1)
            ],
        ),
        (
            initiative.lessons.all(),
            ("text",),
            [
                {
                    "text": row["text"],
                    "for_civil_society": row["for_civil_society"],
                    "for_governments": row["for_governments"],
                    "for_funders": row["for_funders"],
                    "theme_id": references.theme(row["theme"]) if row["theme"] else None,
                    "practice_id": references.practice(row["practice"])
                    if row["practice"]
                    else None,
                    "position": position,
                }
                for position, row in enumerate(spec["lessons"], start=1)
            ],
        ),
        (
            initiative.translations.all(),
            ("language",),
            _translation_rows(spec["translations"]),
        ),
    ]


def _sync_sources_and_evidence(initiative: Initiative, spec: dict, *, loaded: _Loaded, now) -> bool:
    """The briefing as the initiative's source, and the evidence documented in it.

    Sources are upserted first, evidence (which protects its source) synced next, and only
    then are sources no longer wanted deleted.
    """
    parent = {"initiative_id": initiative.pk}
    source, actors = loaded.source, loaded.actors
    source_rows = [source] if spec["evidence"] else []
    sources = initiative.sources.all()
    changed = _sync_children(
        sources, parent=parent, key=("citation",), rows=source_rows, now=now, delete_stale=False
    )
    briefing = sources.filter(citation=source["citation"]).first()
    evidence_rows = [
        {
            "principle_id": loaded.references.principle(row["principle"]),
            "source_id": briefing.pk,
            "stance": row["stance"],
            "strength": Strength.DOCUMENTED,
            "narrative": row["narrative"],
            "quote": "",
            "recorded_by_id": loaded.editors[spec["owner"]].pk,
            "recorded_by_organisation_id": actors[spec["owner"]].pk,
            "confirmed_by_organisation_id": (
                actors[row["confirmed_by"]].pk if row["confirmed_by"] else None
            ),
            "confirmed_at": NOW if row["confirmed_by"] else None,
            "confirmation": "confirmed" if row["confirmed_by"] else "unconfirmed",
        }
        for row in spec["evidence"]
    ]
    evidence = initiative.principle_evidence.all()
    changed |= _sync_children(
        evidence, parent=parent, key=("principle_id", "source_id"), rows=evidence_rows, now=now
    )
    changed |= _sync_children(sources, parent=parent, key=("citation",), rows=source_rows, now=now)
    return changed


def _apply(instance: models.Model, values: dict[str, Any], *, now) -> bool:
    """Set the fields of ``values`` that differ and save only those; True if it saved."""
    changed = []
    for name, wanted in values.items():
        current = getattr(instance, name)
        if wanted is NOW:
            if current is not None:
                continue
            wanted = now
        if current != wanted:
            setattr(instance, name, wanted)
            changed.append(name)
    if changed:
        if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return bool(changed)


def _resolve(values: dict[str, Any], *, now) -> dict[str, Any]:
    return {name: now if value is NOW else value for name, value in values.items()}


def _upsert(model, *, lookup: dict, values: dict, now) -> tuple[Any, str]:
    """Create the row matching ``lookup`` or bring it in line with ``values``.

    Returns the row and ``"created"``, ``"updated"`` or ``"unchanged"``.
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **_resolve(values, now=now)), "created"
    return instance, "updated" if _apply(instance, values, now=now) else "unchanged"


def _sync_children(
    queryset: models.QuerySet,
    *,
    parent: dict,
    key: tuple[str, ...],
    rows: list[dict],
    now,
    delete_stale: bool = True,
) -> bool:
    """Make ``queryset`` (one parent's children) hold exactly ``rows``, matched on ``key``.

    Rows that match are updated in place (only if they differ), missing ones created and the
    rest deleted. Returns True if anything was written.
    """
    wanted = {tuple(row[name] for name in key): row for row in rows}
    existing = {}
    stale = []
    for child in queryset.all():  # a fresh query: the caller may reuse the queryset
        child_key = tuple(getattr(child, name) for name in key)
        if child_key in wanted and child_key not in existing:
            existing[child_key] = child
        else:
            stale.append(child.pk)
    changed = False
    for child_key, row in wanted.items():
        if child_key in existing:
            changed |= _apply(existing[child_key], row, now=now)
        else:
            queryset.model.objects.create(**parent, **_resolve(row, now=now))
            changed = True
    if delete_stale and stale:
        queryset.model.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


def _sync_sector_shares(initiative: Initiative, spec: dict) -> bool:
    """Each sector's share as the file gives it (none where it gives none)."""
    wanted = {row["sector"]: row["share"] for row in spec["sector_shares"]}
    unknown = set(wanted) - set(spec["sectors"])
    if unknown:
        raise ValueError(f"{spec['slug']}: shares of sectors it does not list: {sorted(unknown)}")
    changed = False
    for link in initiative.sector_links.all():
        share = wanted.get(link.sector_id)
        if link.share != share:
            link.share = share
            link.save(update_fields=["share"])
            changed = True
    return changed


def _sync_m2m(manager, pks: list) -> bool:
    if set(manager.values_list("pk", flat=True)) == set(pks):
        return False
    manager.set(pks)
    return True


def _write_credentials(stdout: TextIO, credentials: list[tuple[str, str]]) -> None:
    width = max(len(username) for username, _password in credentials)
    stdout.write("Demo accounts created (passwords are shown only now):\n")
    stdout.write(f"  {'username'.ljust(width)}  password\n")
    for username, password in credentials:
        stdout.write(f"  {username.ljust(width)}  {password}\n")
