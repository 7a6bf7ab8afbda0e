"""A record's text as a reader sees it: in the reader's language where the record has a
translation, else in the language it was written in, marked as such.

Each shown field carries the language it is in, so that a page can set ``lang`` on it (WCAG
3.1.2) and say when the original is shown in place of a translation. Lists read the reader's
translation through ``InitiativeQuerySet.for_listing`` (annotated, no extra query); a page of
one record through its prefetched ``translations``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

from initiatives.models import ContentLanguage, content_language
from reference.iati import language_choices

# The text fields of a record, and of an outcome, that translations carry.
RECORD_FIELDS = ("title", "summary", "description")
OUTCOME_FIELDS = ("title", "narrative")
LESSON_FIELDS = ("text",)


@dataclass(frozen=True)
class Shown:
    """One field's text and the language it is written in."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


class ShownText:
    """The fields of a record (or an outcome) for a reader of ``reader_language``: each one a
    :class:`Shown`, from the translation where it has that field, else from the original."""

    def __init__(self, original, translation, fields, *, reader_language: str):
        self.original_language = original.language
        self.reader_language = reader_language
        self.translated = translation is not None
        for name in fields:
            value = getattr(translation, name, "") if translation is not None else ""
            if value:
                shown = Shown(value, translation.language)
            else:
                shown = Shown(getattr(original, name), original.language)
            setattr(self, name, shown)

    @property
    def language(self) -> str:
        """The language of the title (the text a list shows first)."""
        return self.title.language

    @property
    def reader_language_name(self) -> str:
        return language_name(self.reader_language)

    @property
    def original_language_name(self) -> str:
        return language_name(self.original_language)

    @property
    def in_original_language_only(self) -> bool:
        """Whether the reader gets the original because no translation into their language
        exists (a page says so)."""
        return not self.translated and self.original_language != self.reader_language


def language_name(code: str) -> str:
    """The name of language ``code`` as said inside a sentence of the active language: the
    portal's own names for its four languages (IATI's codelist has no Spanish or Portuguese
    names), the IATI codelist's for the others."""
    if code in ContentLanguage.values:
        return ContentLanguage(code).label
    return str(dict(language_choices()).get(code, code))


def reader_language(language: str | None = None) -> str:
    """The content language of the active interface language (``pt-br`` reads ``pt``)."""
    return content_language(language or get_language())


def interface_language(code: str) -> str | None:
    """The portal language whose pages read content in ``code`` (``pt`` → ``pt-br``), or
    None when the portal has no pages in that language."""
    return next(
        (language for language, _name in settings.LANGUAGES if content_language(language) == code),
        None,
    )


def _translation_in(rows, language: str):
    return next((row for row in rows if row.language == language), None)


def record_text(initiative, language: str | None = None) -> ShownText:
    """``initiative``'s text for a reader of ``language`` (the active one by default).

    Reads the ``translated_*`` values ``for_listing`` annotates when they are there, else the
    prefetched ``translations`` (``for_detail``), else the translations from the database."""
    reader = reader_language(language)
    if language is None and hasattr(initiative, "translated_title"):
        translation = None
        if initiative.translated_title:
            translation = _Annotated(
                language=initiative.translated_language,
                title=initiative.translated_title,
                summary=initiative.translated_summary,
            )
        return ShownText(initiative, translation, ("title", "summary"), reader_language=reader)
    translation = _translation_in(initiative.translations.all(), reader)
    return ShownText(initiative, translation, RECORD_FIELDS, reader_language=reader)


def outcome_text(outcome, *, original_language: str, language: str | None = None) -> ShownText:
    """An outcome's title and narrative for a reader of ``language``; the outcome is written
    in its record's ``original_language``."""
    reader = reader_language(language)
    translation = _translation_in(outcome.translations.all(), reader)
    original = _Annotated(
        language=original_language, title=outcome.title, narrative=outcome.narrative
    )
    return ShownText(original, translation, OUTCOME_FIELDS, reader_language=reader)


def lesson_text(lesson, *, original_language: str, language: str | None = None) -> ShownText:
    """A lesson's text for a reader of ``language``; the lesson is written in its record's
    ``original_language``."""
    reader = reader_language(language)
    translation = _translation_in(lesson.translations.all(), reader)
    original = _Annotated(language=original_language, text=lesson.text)
    return ShownText(original, translation, LESSON_FIELDS, reader_language=reader)


class _Annotated:
    """Plain attributes standing in for a model row."""

    def __init__(self, **values):
        self.__dict__.update(values)
