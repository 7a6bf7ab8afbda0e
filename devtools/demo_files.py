"""The demo data files, read and checked for ``demo_load`` (see ``devtools/demo.py``).

``devtools/demo_data/`` holds TOML files, whose multi-line strings keep long paragraphs
readable:

- ``source.toml``: the briefing the case studies come from;
- ``organisations.toml``: ``[[organisations]]``, with the networks each belongs to and the
  role of the demo account of those that own an initiative;
- ``dialogue_mechanisms.toml``: ``[[dialogue_mechanisms]]``;
- ``initiatives/<slug>.toml``: one initiative per file, named by its slug, with its rows
  (countries, participants, funding, non-monetary contributions, outcomes, evidence) and
  the translations of its text into the portal's other languages, as ``[translations.es]``
  tables (an outcome's as ``[outcomes.translations.es]`` after its ``[[outcomes]]``, a
  lesson's as ``[lessons.translations.es]`` after its ``[[lessons]]``).

The fields each record takes are declared below (``SOURCE``, ``ORGANISATION``, ...); a field
with a default may be left out. Choices are written as their names in lower case
(``national_ngo``, ``implementation``). Reading checks every value, the organisations each
record refers to and the rows that would repeat a key; the first mistake raises
``DemoDataError`` naming the file, the record and the field. References to reference data
(countries, sectors, modalities...) are checked against the database when loading.
"""

import datetime
import enum
import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from accounts.models import Membership
from initiatives.models import (
    ContentLanguage,
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Participation,
    Source,
)
from organisations.models import OrganisationType
from principles.models import PrincipleEvidence
from reference.iati import ActivityStatus, ResultType
from reference.models import DialogueMechanism

DATA_DIR = Path(__file__).with_name("demo_data")
SOURCE_FILE = "source.toml"
ORGANISATIONS_FILE = "organisations.toml"
DIALOGUE_MECHANISMS_FILE = "dialogue_mechanisms.toml"
INITIATIVES_DIR = "initiatives"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# The languages a demo record is written or translated in: the portal's four.
RECORD_LANGUAGES = tuple(ContentLanguage.values)


class DemoDataError(RuntimeError):
    """The demo data cannot be loaded: a data file is wrong, or reference data is missing."""


class _Invalid(ValueError):
    """A value that does not fit; ``where`` (field names and 1-based row numbers) grows as
    the error travels up to the record."""

    def __init__(self, message: str, where: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def within(self, part: str | int) -> "_Invalid":
        return _Invalid(self.message, (part, *self.where))

    def __str__(self) -> str:
        place = ""
        for part in self.where:
            place += f" #{part}" if isinstance(part, int) else f", {part}" if place else part
        return f"{place}: {self.message}" if place else self.message


# ---------------------------------------------------------------------------------------------
# Readers: each takes a value from a file and returns it checked (or raises _Invalid)


def text(value: Any) -> str:
    if value == "":
        raise _Invalid("empty text: leave the field out instead")
    if not isinstance(value, str):
        raise _Invalid(f"expected text, not {value!r}")
    return value


def slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise _Invalid(f"expected a slug (lower-case words joined by hyphens), not {value!r}")
    return value


def integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Invalid(f"expected a whole number, not {value!r}")
    return value


def number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"expected a number, not {value!r}")
    return Decimal(str(value))


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, not {value!r}")
    return value


def date(value: Any) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise _Invalid(f"expected a date such as 2015-06-30, not {value!r}")
    return value


def choice(choices) -> Callable[[Any], Any]:
    """One of a Django ``Choices`` class, written as its name in lower case."""
    members = {member.name.lower(): member for member in choices}

    def read(value: Any):
        if value not in members:
            raise _Invalid(f"{value!r} is not one of: {', '.join(members)}")
        return members[value]

    return read


def one_of(known: Collection[str], what: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if text(value) not in known:
            raise _Invalid(f"{value!r} is not {what}")
        return value

    return read


def list_of(read: Callable[[Any], Any]) -> Callable[[Any], list]:
    def read_list(value: Any) -> list:
        if not isinstance(value, list):
            raise _Invalid(f"expected a list, not {value!r}")
        return [_at(position, read, item) for position, item in enumerate(value, start=1)]

    return read_list


def translations(schema: "Schema") -> Callable[[Any], MappingProxyType]:
    """Tables named by a language of ``RECORD_LANGUAGES``, each read with ``schema``."""

    def read_translations(value: Any) -> MappingProxyType:
        if not isinstance(value, dict):
            raise _Invalid(f"expected tables such as [translations.es], not {value!r}")
        read = {}
        for language, table in value.items():
            if language not in RECORD_LANGUAGES:
                raise _Invalid(f"{language!r} is not one of: {', '.join(RECORD_LANGUAGES)}").within(
                    language
                )
            read[language] = _at(language, lambda table: record(table, schema), table)
        return MappingProxyType(read)

    return read_translations


def rows(schema: "Schema", *, key: tuple[str, ...]) -> Callable[[Any], list[dict]]:
    """A list of tables, each read with ``schema``; no two may share ``key``."""

    def read_rows(value: Any) -> list[dict]:
        records = list_of(lambda table: record(table, schema))(value)
        seen: dict[tuple, int] = {}
        for position, row in enumerate(records, start=1):
            identity = tuple(row[name] for name in key)
            if identity in seen:
                named = ", ".join(f"{name} {_shown(row[name])}" for name in key)
                raise _Invalid(f"repeats #{seen[identity]} ({named})").within(position)
            seen[identity] = position
        return records

    return read_rows


def _shown(value: Any) -> str:
    return repr(value.name.lower() if isinstance(value, enum.Enum) else value)


def _at(part: str | int, read: Callable[[Any], Any], value: Any) -> Any:
    try:
        return read(value)
    except _Invalid as error:
        raise error.within(part) from None


# ---------------------------------------------------------------------------------------------
# Records


REQUIRED = object()


@dataclass(frozen=True)
class Field:
    read: Callable[[Any], Any]
    default: Any = REQUIRED  # immutable: it is shared by every record that leaves it out


Schema = dict[str, Field]


def record(table: Any, schema: Schema) -> dict:
    if not isinstance(table, dict):
        raise _Invalid(f"expected a table, not {table!r}")
    unknown = sorted(set(table) - set(schema))
    if unknown:
        raise _Invalid(f"unknown field {unknown[0]!r} (the fields are: {', '.join(schema)})")
    values = {}
    for name, field in schema.items():
        if name in table:
            values[name] = _at(name, field.read, table[name])
        elif field.default is REQUIRED:
            raise _Invalid(f"missing field {name!r}")
        else:
            values[name] = field.default
    return values


SOURCE: Schema = {
    "citation": Field(text),
    "url": Field(text),
    "document_type": Field(choice(Source.DocumentType)),
    "year": Field(integer),
    "language": Field(text),
}

DIALOGUE_MECHANISM: Schema = {
    "country": Field(text),
    "name": Field(text),
    "kind": Field(choice(DialogueMechanism.Kind)),
    "year_started": Field(integer),
    "description": Field(text),
}


ORGANISATION: Schema = {
    "slug": Field(slug),
    "name": Field(text),
    "acronym": Field(text, ""),
    "type": Field(choice(OrganisationType)),
    "home_country": Field(text, None),
    "description": Field(text, ""),
    "member_of": Field(list_of(slug), ()),  # networks of this file
    "account_role": Field(choice(Membership.Role), Membership.Role.EDITOR),
}


# The initiative's own fields, with the value a file that leaves one out stands for.
INITIATIVE_FIELDS: Schema = {
    "title": Field(text),
    "summary": Field(text),
    "description": Field(text, ""),
    "language": Field(one_of(RECORD_LANGUAGES, f"one of: {', '.join(RECORD_LANGUAGES)}"), "en"),
    "activity_status": Field(choice(ActivityStatus)),
    "cooperation_type": Field(choice(Initiative.CooperationType)),
    "planned_start": Field(date, None),
    "actual_start": Field(date, None),
    "planned_end": Field(date, None),
    "actual_end": Field(date, None),
    "start_year": Field(integer, None),
    "end_year": Field(integer, None),
    "is_fragile_state": Field(boolean, False),
    "is_post_disaster": Field(boolean, False),
    "is_conflict_affected": Field(boolean, False),
    "provider_government_involvement": Field(choice(Initiative.GovernmentInvolvement), ""),
    "recipient_government_involvement": Field(choice(Initiative.GovernmentInvolvement), ""),
    "coordinates_with_other_donors": Field(boolean, None),
    "coordination_note": Field(text, ""),
}


# The text of a record in another language (a translation's language is the table's name).
TRANSLATION: Schema = {
    "title": Field(text),
    "summary": Field(text),
    "description": Field(text, ""),
}

OUTCOME_TRANSLATION: Schema = {
    "title": Field(text),
    "narrative": Field(text),
}

LESSON_TRANSLATION: Schema = {
    "text": Field(text),
}

NO_TRANSLATIONS = MappingProxyType({})


def initiative_schema(organisations: Collection[str]) -> Schema:
    organisation = one_of(organisations, f"an organisation of {ORGANISATIONS_FILE}")
    return {
        "owner": Field(organisation),
        "state": Field(choice(Initiative.State)),
        **INITIATIVE_FIELDS,
        "countries": Field(
            rows(
                {
                    "country": Field(text),
                    "role": Field(choice(InitiativeCountry.Role)),
                    "share": Field(number, None),
                },
                key=("country", "role"),
            )
        ),
        "sectors": Field(list_of(text)),
        # Each sector's share of the effort (per cent), where given; sectors left out have none.
        "sector_shares": Field(
            rows({"sector": Field(text), "share": Field(number)}, key=("sector",)), ()
        ),
        "sdg_goals": Field(list_of(integer), ()),
        "modalities": Field(list_of(text)),
        "participants": Field(
            rows(
                {"organisation": Field(organisation), "role": Field(choice(Participation.Role))},
                key=("organisation", "role"),
            )
        ),
        "funding": Field(
            rows(
                {
                    "funding_model": Field(text),
                    "funder": Field(organisation, None),
                    "note": Field(text),
                },
                key=("funding_model", "funder"),
            ),
            (),
        ),
        "non_monetary": Field(
            rows(
                {
                    "kind": Field(choice(NonMonetaryContribution.Kind)),
                    "quantity": Field(number),
                    "note": Field(text),
                },
                key=("kind",),
            ),
            (),
        ),
        "outcomes": Field(
            rows(
                {
                    "title": Field(text),
                    "narrative": Field(text),
                    "result_type": Field(choice(ResultType), ResultType.OUTCOME),
                    "translations": Field(translations(OUTCOME_TRANSLATION), NO_TRANSLATIONS),
                },
                key=("title",),
            ),
            (),
        ),
        # A lesson's practice is named by slug; the loader leaves the link out while the
        # practice is not in the database.
        "lessons": Field(
            rows(
                {
                    "text": Field(text),
                    "for_civil_society": Field(boolean, False),
                    "for_governments": Field(boolean, False),
                    "for_funders": Field(boolean, False),
                    "theme": Field(slug, None),
                    "practice": Field(slug, None),
                    "translations": Field(translations(LESSON_TRANSLATION), NO_TRANSLATIONS),
                },
                key=("text",),
            ),
            (),
        ),
        "evidence": Field(
            rows(
                {
                    "principle": Field(text),
                    "stance": Field(choice(PrincipleEvidence.Stance)),
                    "narrative": Field(text),
                    "confirmed_by": Field(organisation, None),
                },
                key=("principle",),
            ),
            (),
        ),
        "translations": Field(translations(TRANSLATION), NO_TRANSLATIONS),
    }


# ---------------------------------------------------------------------------------------------
# Files


@dataclass(frozen=True)
class DemoData:
    directory: Path
    source: dict
    organisations: list[dict]
    dialogue_mechanisms: list[dict]
    initiatives: list[dict]  # each with "slug" and its fields under "fields"

    def initiative_file(self, slug: str) -> Path:
        return self.directory / INITIATIVES_DIR / f"{slug}.toml"


def read_demo_data(directory: Path = DATA_DIR) -> DemoData:
    """Read and check every demo data file under ``directory``."""
    organisations = _read_organisations(directory / ORGANISATIONS_FILE)
    slugs = [row["slug"] for row in organisations]
    return DemoData(
        directory=directory,
        source=_read_record(directory / SOURCE_FILE, SOURCE, label="source"),
        organisations=organisations,
        dialogue_mechanisms=_read_tables(
            directory / DIALOGUE_MECHANISMS_FILE,
            "dialogue_mechanisms",
            DIALOGUE_MECHANISM,
            label=lambda table: f"dialogue mechanism {table.get('name')!r}",
        ),
        initiatives=_read_initiatives(directory / INITIATIVES_DIR, organisations=slugs),
    )


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise DemoDataError(f"{path}: the file is missing.") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path}: not valid TOML: {error}.") from None


def _read_record(path: Path, schema: Schema, *, label: str) -> dict:
    try:
        return record(_toml(path), schema)
    except _Invalid as error:
        raise DemoDataError(f"{path}: {label}: {error}.") from None


def _read_tables(
    path: Path, name: str, schema: Schema, *, label: Callable[[dict], str]
) -> list[dict]:
    document = _toml(path)
    if set(document) != {name} or not isinstance(document[name], list):
        raise DemoDataError(f"{path}: expected only [[{name}]] tables, found {sorted(document)}.")
    records = []
    for position, table in enumerate(document[name], start=1):
        try:
            records.append(record(table, schema))
        except _Invalid as error:
            named = label(table) if isinstance(table, dict) else f"#{position}"
            raise DemoDataError(f"{path}: {named}: {error}.") from None
    return records


def _read_organisations(path: Path) -> list[dict]:
    organisations = _read_tables(
        path,
        "organisations",
        ORGANISATION,
        label=lambda table: f"organisation {table.get('slug', table.get('name'))!r}",
    )
    by_slug: dict[str, dict] = {}
    for row in organisations:
        if row["slug"] in by_slug:
            raise DemoDataError(f"{path}: organisation {row['slug']!r}: the slug is used twice.")
        by_slug[row["slug"]] = row
    for row in organisations:
        for position, network in enumerate(row["member_of"], start=1):
            if by_slug.get(network, {}).get("type") != OrganisationType.NETWORK:
                raise DemoDataError(
                    f"{path}: organisation {row['slug']!r}: member_of #{position}: {network!r} "
                    "is not a network of this file."
                )
    return organisations


def _read_initiatives(directory: Path, *, organisations: Collection[str]) -> list[dict]:
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise DemoDataError(f"{directory}: no initiative files (<slug>.toml).")
    schema = initiative_schema(organisations)
    initiatives = []
    for path in paths:
        if not SLUG.fullmatch(path.stem):
            raise DemoDataError(f"{path}: the file name must be the initiative's slug.")
        label = f"initiative {path.stem!r}"
        values = _read_record(path, schema, label=label)
        fields = {name: values.pop(name) for name in INITIATIVE_FIELDS}
        try:
            _check_translation_languages(values, language=fields["language"])
        except _Invalid as error:
            raise DemoDataError(f"{path}: {label}: {error}.") from None
        initiatives.append({"slug": path.stem, **values, "fields": fields})
    return initiatives


def _check_translation_languages(values: dict, *, language: str) -> None:
    """A record is not translated into the language it is written in."""
    message = f"the record is written in {language!r}: a translation is into another language"
    if language in values["translations"]:
        raise _Invalid(message, ("translations", language))
    for part in ("outcomes", "lessons"):
        for position, row in enumerate(values[part], start=1):
            if language in row["translations"]:
                raise _Invalid(message, (part, position, "translations", language))
