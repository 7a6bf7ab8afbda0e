"""Every kind of page, rendered in Spanish, Brazilian Portuguese and French, says nothing in
English that the portal's catalogue translates, and names its language in ``<html lang>``.

A page is read as a person reads it: the text of its elements (not of scripts and styles),
the strings of the data its charts and maps draw, and the attributes people read (title,
aria-label, placeholder, alt, the value of a button, the label of a group of options).
Each English message of the catalogue whose translation differs from it is looked for
there; messages of fewer than two words or shorter than eight characters are left out,
since they would be found in names and other data.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html as lxml_html

from accounts.models import Membership
from opendata.releases.services import release_make
from ssdc_portal.languages import language_tag, path_in_language
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    ModeratorFactory,
    brazil_with_context,
    initiative_with_every_row,
    learning_around,
    record_published_version,
    reports_in_each_state,
    withdrawn_initiative,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["es", "pt-br", "fr"]
# %(name)s, %s, %d, {name}: filled in when the page is rendered.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
BUTTON_XPATH = '//input[@type="submit" or @type="button" or @type="reset"]/@value | //button/@value'
GROUP_XPATH = "//optgroup/@label"  # the headings of a long list of options


# The catalogue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    english: str
    pattern: re.Pattern


def _looks_for(english: str) -> re.Pattern:
    """A pattern for the message as rendered: placeholders stand for any short text."""
    parts = [re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(english)]
    body = r".{1,80}?".join(part.replace(r"\ ", r"\s+") for part in parts)
    start = r"\b" if re.match(r"\w", english) else ""
    end = r"\b" if re.search(r"\w$", english) else ""
    return re.compile(start + body + end)


def _is_telling(english: str) -> bool:
    literal = PLACEHOLDER.sub("", english)
    return "<" not in english and len(literal.strip()) >= 8 and len(literal.split()) >= 2


@cache
def catalogue_messages(language: str) -> tuple[Message, ...]:
    """The English messages the catalogue of ``language`` translates into something else."""
    path = ROOT / "locale" / translation.to_locale(language) / "LC_MESSAGES" / "django.po"
    found: dict[str, Message] = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            pairs = [(entry.msgid, entry.msgstr_plural.get(0, "")), (entry.msgid_plural, "")]
            pairs[1] = (entry.msgid_plural, entry.msgstr_plural.get(1, pairs[0][1]))
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for english, translated in pairs:
            english = " ".join(english.split())
            if translated and translated != english and _is_telling(english):
                found.setdefault(english, Message(english, _looks_for(english)))
    return tuple(found.values())


# What a person reads -----------------------------------------------------------------------------


def _strings_of(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings_of(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings_of(value)]
    return []


def readable(page) -> list[str]:
    """The page's text (one string) and each string a person reads elsewhere."""
    texts = []
    for element in page.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.tail:
                texts.append(element.tail)
            continue
        if element.tag == "script":
            if element.get("type") == "application/json" and element.text:
                texts.extend(_strings_of(json.loads(element.text)))
        elif element.tag != "style" and element.text:
            texts.append(element.text)
        if element.tail:
            texts.append(element.tail)
    strings = [" ".join(" ".join(texts).split())]
    for attribute in READ_ATTRIBUTES:
        strings += page.xpath(f"//@{attribute}")
    strings += page.xpath(BUTTON_XPATH) + page.xpath(GROUP_XPATH)
    return [" ".join(text.split()) for text in strings if text.strip()]


def english_messages_in(page, language: str) -> list[str]:
    """Each English message found, with the text around it: "message: …text…"."""
    strings = readable(page)
    found = []
    for message in catalogue_messages(language):
        for text in strings:
            match = message.pattern.search(text)
            if match:
                around = text[max(match.start() - 40, 0) : match.end() + 40]
                found.append(f"{message.english}: …{around}…")
                break
    return sorted(found)


# The pages -------------------------------------------------------------------------------------


@dataclass
class World:
    """The records and people the pages are rendered for."""

    initiative: object
    editor: object
    moderator: object
    outsider: object  # an editor of the organisation without a say in its team
    partner: object  # an editor of the partner organisation of the initiative
    practice: object  # a practice the initiative used
    listing: object  # its owner's open offer on the exchange


@pytest.fixture
def world(settings, tmp_path):
    settings.SITE_URL = "https://ssdc.example.org/"
    settings.MEDIA_ROOT = tmp_path
    initiative = initiative_with_every_row()
    brazil_with_context()
    editor = MembershipFactory(organisation=initiative.owner, role=Membership.Role.MANAGER).user
    outsider = MembershipFactory(organisation=initiative.owner).user
    InvitationFactory(organisation=initiative.owner)
    moderator = ModeratorFactory()
    reports_in_each_state(initiative, requested_by=editor)
    partner, practice, listing = learning_around(initiative)
    release_make()
    return World(initiative, editor, moderator, outsider, partner, practice, listing)


@dataclass(frozen=True)
class Page:
    """A page: who asks (None: a visitor), its address, and the status it answers with."""

    who: str | None
    address: object  # World -> str
    status: int = 200


def _earlier_version(initiative) -> str:
    """Version 1 of ``initiative``, read when version 2 is current (the banner says so)."""
    record_published_version(initiative)
    record_published_version(initiative, title=f"{initiative.title} (2)")
    return reverse("initiative-version", args=[initiative.slug, 1])


def _withdrawn_address() -> str:
    """A withdrawn record's address; made once, however many languages ask for it."""
    from initiatives.models import Initiative

    made = Initiative.objects.filter(slug="withdrawn-record").first()
    return (made or withdrawn_initiative(slug="withdrawn-record")).get_absolute_url()


def _admin(view: str, *args) -> object:
    return lambda w: reverse(f"admin:initiatives_initiative_{view}", args=[*args])


PAGES = {
    "home": Page(None, lambda w: reverse("home")),
    "initiative list": Page(None, lambda w: reverse("initiative-list")),
    "initiative list, filtered and searched": Page(
        None,
        lambda w: reverse("initiative-list") + "?recipient=MZ&provider=BR&q=sementes&page=1",
    ),
    "initiative list, nothing found": Page(
        None, lambda w: reverse("initiative-list") + "?q=nothing-like-this"
    ),
    "initiative detail": Page(None, lambda w: w.initiative.get_absolute_url()),
    "country profile": Page(None, lambda w: reverse("country-detail", args=["BR"])),
    "organisation profile": Page(
        None, lambda w: reverse("organisation-detail", args=[w.initiative.owner.slug])
    ),
    "country index": Page(None, lambda w: reverse("country-index")),
    "country index, A to Z": Page(None, lambda w: reverse("country-index") + "?order=name"),
    "organisation index": Page(None, lambda w: reverse("organisation-index")),
    "organisation index, searched": Page(None, lambda w: reverse("organisation-index") + "?q=a"),
    "principles matrix": Page(None, lambda w: reverse("principles-matrix")),
    "dashboard": Page(None, lambda w: reverse("dashboard")),
    "modality vocabulary": Page(None, lambda w: reverse("modality-vocabulary")),
    "sign in": Page(None, lambda w: reverse("login")),
    "password reset": Page(None, lambda w: reverse("password_reset")),
    "password reset sent": Page(None, lambda w: reverse("password_reset_done")),
    "password reset, invalid link": Page(
        None, lambda w: reverse("password_reset_confirm", args=["MQ", "wrong-token"])
    ),
    "password reset complete": Page(None, lambda w: reverse("password_reset_complete")),
    "password change": Page("editor", lambda w: reverse("password_change")),
    "password change done": Page("editor", lambda w: reverse("password_change_done")),
    "editor's dashboard": Page("editor", lambda w: reverse("editor-dashboard")),
    "new initiative form": Page("editor", lambda w: reverse("editor-initiative-create")),
    "initiative edit form": Page(
        "editor", lambda w: reverse("editor-initiative-edit", args=[w.initiative.slug])
    ),
    "initiative preview": Page(
        "editor", lambda w: reverse("editor-initiative-preview", args=[w.initiative.slug])
    ),
    "API tokens": Page("editor", lambda w: reverse("api-tokens")),
    "team": Page(
        "editor", lambda w: reverse("organisation-members", args=[w.initiative.owner.slug])
    ),
    "report list": Page("editor", lambda w: reverse("report-list")),
    "practice index": Page(None, lambda w: reverse("practice-list")),
    "practice page": Page(None, lambda w: reverse("practice-detail", args=[w.practice.slug])),
    "practice proposal form": Page("editor", lambda w: reverse("practice-propose")),
    "exchange": Page(None, lambda w: reverse("exchange-list")),
    "exchange listing": Page(None, lambda w: reverse("exchange-detail", args=[w.listing.pk])),
    "new exchange listing form": Page("editor", lambda w: reverse("exchange-create")),
    "organisation's listings": Page("editor", lambda w: reverse("exchange-mine")),
    "messages": Page("editor", lambda w: reverse("exchange-messages")),
    "contact form": Page("partner", lambda w: reverse("exchange-contact", args=[w.listing.pk])),
    "evidence to confirm": Page("partner", lambda w: reverse("evidence-confirmations")),
    "open data": Page(None, lambda w: reverse("data-home")),
    "IATI namespace": Page(None, lambda w: reverse("iati-namespace")),
    "IATI file not built yet": Page(None, lambda w: reverse("iati-activities"), status=503),
    "import page": Page("editor", lambda w: reverse("import-upload")),
    "dataset releases": Page(None, lambda w: reverse("release-list")),
    "dataset release": Page(None, lambda w: reverse("release-detail", args=[1])),
    "data dictionary": Page(None, lambda w: reverse("data-dictionary")),
    "dataset releases in the admin": Page(
        "moderator", lambda w: reverse("admin:opendata_datasetrelease_changelist")
    ),
    "initiative version": Page(None, lambda w: _earlier_version(w.initiative)),
    "withdrawn initiative (410)": Page(None, lambda w: _withdrawn_address(), status=410),
    "admin index": Page("moderator", lambda w: reverse("admin:index")),
    "moderation queue": Page("moderator", _admin("queue")),
    "initiative change form": Page("moderator", lambda w: _admin("change", w.initiative.pk)(w)),
    "initiative list in the admin": Page("moderator", _admin("changelist")),
    "civic-space ratings import": Page(
        "moderator", lambda w: reverse("admin:reference_civicspacerating_import")
    ),
    "forbidden (403)": Page(
        "outsider",
        lambda w: reverse(
            "organisation-member-remove",
            args=[w.initiative.owner.slug, w.editor.memberships.get().pk],
        ),
        status=403,
    ),
    "not found (404)": Page(None, lambda w: "/initiatives/no-such-initiative/", status=404),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_in_another_language_says_nothing_in_english(client, world, name, language):
    page = PAGES[name]
    if page.who is not None:
        client.force_login(getattr(world, page.who))
    address = path_in_language(page.address(world), language)

    response = client.get(address)

    assert response.status_code == page.status, address
    document = lxml_html.fromstring(response.content.decode(response.charset))
    assert (document.get("lang") or "").lower() == language_tag(language).lower()
    found = english_messages_in(document, language)
    assert not found, f"{address} says in English:\n" + "\n".join(found)
