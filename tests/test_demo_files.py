"""The demo data files: a mistake in one is reported with its file, record and field."""

import shutil
from pathlib import Path

import pytest

from devtools.demo import demo_load
from devtools.demo_files import DATA_DIR, DemoDataError, read_demo_data
from initiatives.models import Initiative
from organisations.models import Organisation

MEXICO_HAITI = "initiatives/mexico-haiti-rural-reconstruction.toml"
INDIA_BANGLADESH = "initiatives/india-bangladesh-cambodia-social-accountability.toml"
HAITI_HILLSIDE = "initiatives/haiti-hillside-soil-conservation-exchanges.toml"


def edited_copy(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, Path]:
    """A copy of the demo data with one edit; returns the folder and the edited file."""
    directory = tmp_path / "demo_data"
    shutil.copytree(DATA_DIR, directory)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return directory, path


def error_reading(directory: Path) -> str:
    with pytest.raises(DemoDataError) as raised:
        read_demo_data(directory)
    return str(raised.value)


def test_the_data_files_are_read_in_full():
    data = read_demo_data()

    assert sorted(row["slug"] for row in data.initiatives) == [
        "brazil-mozambique-south-africa-native-seed-banks",
        "community-scorecards-handbook-cambodia",
        "haiti-hillside-soil-conservation-exchanges",
        "india-bangladesh-cambodia-social-accountability",
        "india-south-africa-urban-poor-housing-network",
        "mexico-haiti-rural-reconstruction",
        "native-seed-bank-guide-mozambique",
    ]
    assert len(data.organisations) == 17
    assert len(data.dialogue_mechanisms) == 2
    assert data.source["year"] == 2015


# (file, text replaced, replacement, what the error says after "<file>: ")
MISTAKES = {
    "unknown choice": (
        MEXICO_HAITI,
        'stance = "challenges"',
        'stance = "challenged"',
        "initiative 'mexico-haiti-rural-reconstruction': evidence #3, stance: 'challenged' "
        "is not one of: supports, challenges.",
    ),
    "misspelt field": (
        "organisations.toml",
        'acronym = "PRIA"',
        'acronim = "PRIA"',
        "organisation 'pria': unknown field 'acronim' (the fields are: slug, name, acronym, "
        "type, home_country, description, member_of, account_role).",
    ),
    "unknown organisation": (
        INDIA_BANGLADESH,
        '{ organisation = "pria", role = "lead" }',
        '{ organisation = "priya", role = "lead" }',
        "initiative 'india-bangladesh-cambodia-social-accountability': participants #1, "
        "organisation: 'priya' is not an organisation of organisations.toml.",
    ),
    "missing field": (
        "dialogue_mechanisms.toml",
        "year_started = 2011\n",
        "",
        "dialogue mechanism 'AMEXCID Civil Society Technical Council': missing field "
        "'year_started'.",
    ),
    "repeated row": (
        MEXICO_HAITI,
        'title = "Farmer-to-farmer exchanges between Mexico and Haiti"',
        'title = "Haitian grassroots groups shaped the work"',
        "initiative 'mexico-haiti-rural-reconstruction': outcomes #2: repeats #1 (title "
        "'Haitian grassroots groups shaped the work').",
    ),
    "wrong type": (
        MEXICO_HAITI,
        "quantity = 4",
        'quantity = "four"',
        "initiative 'mexico-haiti-rural-reconstruction': non_monetary #1, quantity: expected "
        "a number, not 'four'.",
    ),
    "empty text": (
        INDIA_BANGLADESH,
        'principle = "transparency-accountability"',
        'principle = ""',
        "initiative 'india-bangladesh-cambodia-social-accountability': evidence #1, "
        "principle: empty text: leave the field out instead.",
    ),
    "member of a non-network": (
        "organisations.toml",
        'slug = "indian-urban-poor-federation"\nname = "Indian federation of urban poor groups"\n'
        'type = "community_based"\nhome_country = "IN"\nmember_of = ["sdi"]',
        'slug = "indian-urban-poor-federation"\nname = "Indian federation of urban poor groups"\n'
        'type = "community_based"\nhome_country = "IN"\nmember_of = ["pria"]',
        "organisation 'indian-urban-poor-federation': member_of #1: 'pria' is not a network "
        "of this file.",
    ),
    "record language not the portal's": (
        HAITI_HILLSIDE,
        'language = "es"',
        'language = "es-mx"',
        "initiative 'haiti-hillside-soil-conservation-exchanges': language: 'es-mx' is not "
        "one of: en, es, pt, fr.",
    ),
    "translation language not the portal's": (
        MEXICO_HAITI,
        "[translations.pt]",
        "[translations.pt-br]",
        "initiative 'mexico-haiti-rural-reconstruction': translations, pt-br: 'pt-br' is not "
        "one of: en, es, pt, fr.",
    ),
    "translation into the record's own language": (
        HAITI_HILLSIDE,
        "[translations.en]",
        "[translations.es]",
        "initiative 'haiti-hillside-soil-conservation-exchanges': translations, es: the "
        "record is written in 'es': a translation is into another language.",
    ),
    "translation without a summary": (
        HAITI_HILLSIDE,
        'title = "Hillside soil conservation: follow-up farmer exchanges in Haiti"\nsummary',
        'title = "Hillside soil conservation: follow-up farmer exchanges in Haiti"\nsumary',
        "initiative 'haiti-hillside-soil-conservation-exchanges': translations, en: unknown "
        "field 'sumary' (the fields are: title, summary, description).",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_names_the_file_the_record_and_the_field(tmp_path, mistake):
    name, old, new, message = MISTAKES[mistake]
    directory, path = edited_copy(tmp_path, name, old, new)

    assert error_reading(directory) == f"{path}: {message}"


def test_a_file_that_is_not_toml_is_reported_with_its_line(tmp_path):
    directory, path = edited_copy(tmp_path, "source.toml", "year = 2015", "year = 2015 2016")
    line = path.read_text(encoding="utf-8").splitlines().index("year = 2015 2016") + 1

    assert error_reading(directory) == (
        f"{path}: not valid TOML: Expected newline or end of document after a statement "
        f"(at line {line}, column 13)."
    )


def test_a_missing_file_is_named(tmp_path):
    directory = tmp_path / "demo_data"
    shutil.copytree(DATA_DIR, directory)
    (directory / "organisations.toml").unlink()

    assert error_reading(directory) == f"{directory / 'organisations.toml'}: the file is missing."


@pytest.mark.django_db
def test_a_code_missing_from_the_reference_data_names_the_initiative_and_writes_nothing(
    tmp_path,
):
    directory, path = edited_copy(
        tmp_path, INDIA_BANGLADESH, 'sectors = ["15150", "15112"]', 'sectors = ["15150", "99999"]'
    )

    with pytest.raises(DemoDataError) as raised:
        demo_load(directory=directory)

    assert str(raised.value) == (
        f"{path}: initiative 'india-bangladesh-cambodia-social-accountability': no sector "
        "'99999' in the database (correct the file, or run `manage.py migrate` if the "
        "reference data is missing)."
    )
    assert not Initiative.objects.exists()
    assert not Organisation.objects.exists()
