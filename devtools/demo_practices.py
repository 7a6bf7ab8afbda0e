"""The demo practices (``devtools/demo_data/practices.toml``): four practices from the
briefing's case studies with their translations, and the demo initiatives that used them,
each with the initiative it learned the practice from. ``devtools.demo`` loads the practices
before the initiatives (their lessons name practices) and the uses after them, idempotently
like the rest."""

import tomllib
from pathlib import Path

from devtools.demo_files import DemoDataError
from initiatives.models import ContentLanguage, Initiative
from learning.models import Practice, PracticeTranslation, PracticeUse, Theme
from reference.models import Modality

PRACTICES_FILE = "practices.toml"
TEXT_FIELDS = ("name", "summary", "description")


def read_practices(directory: Path) -> dict:
    path = directory / PRACTICES_FILE
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        return {"practices": [], "uses": []}
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path}: not valid TOML: {error}.") from None
    for practice in data.get("practices", []):
        for language in practice.get("translations", {}):
            if language not in ContentLanguage.values or language == practice["language"]:
                raise DemoDataError(
                    f"{path}: practice {practice['slug']!r}: no translation into {language!r}."
                )
    return {"practices": data.get("practices", []), "uses": data.get("uses", [])}


def load_practices(directory: Path, *, now) -> dict[str, Practice]:
    """The demo's practices with their translations, by slug."""
    from devtools.demo import _sync_children, _sync_m2m, _upsert

    data = read_practices(directory)
    path = directory / PRACTICES_FILE
    themes = dict(Theme.objects.values_list("slug", "pk"))
    modalities = dict(Modality.objects.values_list("slug", "pk"))
    practices = {}
    for spec in data["practices"]:
        try:
            theme_ids = [themes[slug] for slug in spec.get("themes", [])]
            modality_ids = [modalities[slug] for slug in spec.get("modalities", [])]
        except KeyError as error:
            raise DemoDataError(
                f"{path}: practice {spec['slug']!r}: unknown theme or modality {error}."
            ) from None
        practice, _status = _upsert(
            Practice,
            lookup={"slug": spec["slug"]},
            values={
                "name": spec["name"],
                "language": spec["language"],
                "summary": spec["summary"].strip(),
                "description": spec.get("description", "").strip(),
                "status": Practice.Status.ACCEPTED,
            },
            now=now,
        )
        _sync_m2m(practice.themes, theme_ids)
        _sync_m2m(practice.modalities, modality_ids)
        _sync_children(
            PracticeTranslation.objects.filter(practice=practice),
            parent={"practice": practice},
            key=("language",),
            rows=[
                {"language": language, **{name: text.get(name, "").strip() for name in TEXT_FIELDS}}
                for language, text in spec.get("translations", {}).items()
            ],
            now=now,
        )
        practices[spec["slug"]] = practice
    return practices


def load_practice_uses(directory: Path, practices: dict[str, Practice], *, now) -> int:
    """The demo initiatives' uses of the practices; the number of uses."""
    from devtools.demo import _upsert

    data = read_practices(directory)
    path = directory / PRACTICES_FILE
    initiatives = dict(Initiative.objects.values_list("slug", "pk"))
    for use in data["uses"]:
        try:
            practice = practices[use["practice"]]
            initiative = initiatives[use["initiative"]]
            learned_from = initiatives[use["learned_from"]] if use.get("learned_from") else None
        except KeyError as error:
            raise DemoDataError(
                f"{path}: a use names an unknown practice or initiative {error}."
            ) from None
        _upsert(
            PracticeUse,
            lookup={"initiative_id": initiative, "practice": practice},
            values={"learned_from_id": learned_from, "adaptation": use.get("adaptation", "")},
            now=now,
        )
    return len(data["uses"])
