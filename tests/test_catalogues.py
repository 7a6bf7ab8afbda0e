"""The translation catalogues are complete, consistent with the code and compiled.

Every message a person reads must exist in Spanish, Brazilian Portuguese and French: no entry
may be missing, untranslated or fuzzy, a translation must carry the same placeholders as its
message, and the compiled ``.mo`` files (committed, so that translations work on machines
without GNU gettext) must say exactly what the ``.po`` files say.
"""

import gettext
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from ssdc_portal.management.commands.makemessages import NOT_SCANNED

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUE_LANGUAGES = ["es", "pt_BR", "fr"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def catalogue(language: str, directory: Path = LOCALE_DIR) -> polib.POFile:
    return polib.pofile(str(directory / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_translations_keep_the_placeholders_of_their_message(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        if entry.msgid_plural:
            # A singular form may leave out the number ("View the initiative"), never add one.
            allowed = set(placeholders(entry.msgid) + placeholders(entry.msgid_plural))
            forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            if any(not set(placeholders(form)) <= allowed for form in forms) or set(
                placeholders(forms[-1])
            ) != set(placeholders(entry.msgid_plural)):
                wrong.append(entry.msgid)
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_compiled_catalogue_says_what_the_po_file_says(language):
    po = catalogue(language)
    mo_path = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    with mo_path.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)._catalog
    expected = {}
    for entry in po.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected.update({(key, n): text for n, text in entry.msgstr_plural.items()})
        else:
            expected[key] = entry.msgstr
    compiled = {key: text for key, text in compiled.items() if key != ""}  # "" is the header
    assert compiled == expected, "run `make messages` to compile the catalogues again"


def test_the_code_has_no_message_the_catalogues_lack(tmp_path, monkeypatch):
    """``makemessages`` run on a copy of the project changes no catalogue's set of messages."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git", "__pycache__", *NOT_SCANNED))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", all=True, verbosity=0)
    for language in CATALOGUE_LANGUAGES:
        before = {(e.msgctxt, e.msgid) for e in catalogue(language)}
        after = {(e.msgctxt, e.msgid) for e in catalogue(language, copy / "locale")}
        assert {"new in the code": after - before, "gone from the code": before - after} == {
            "new in the code": set(),
            "gone from the code": set(),
        }, f"run `make messages` and translate the new messages ({language})"
