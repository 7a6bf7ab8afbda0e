"""A practice's text as a reader sees it: its translation into the reader's language where
there is one, else the original, marked with its language (see ``initiatives.content``)."""

from initiatives.content import ShownText, reader_language

PRACTICE_FIELDS = ("name", "summary", "description")


class PracticeText(ShownText):
    @property
    def language(self) -> str:
        return self.name.language


class _Annotated:
    def __init__(self, **values):
        self.__dict__.update(values)


def practice_text(practice, language: str | None = None) -> PracticeText:
    """``practice``'s text for a reader of ``language`` (the active one by default), from
    the ``translated_*`` values ``with_translation`` annotates when they are there, else
    from its prefetched ``translations``."""
    reader = reader_language(language)
    if hasattr(practice, "translated_name"):
        translation = None
        if practice.translated_name:
            translation = _Annotated(
                language=practice.translated_language,
                name=practice.translated_name,
                summary=practice.translated_summary,
            )
        return PracticeText(practice, translation, ("name", "summary"), reader_language=reader)
    translation = next((row for row in practice.translations.all() if row.language == reader), None)
    return PracticeText(practice, translation, PRACTICE_FIELDS, reader_language=reader)
