"""The parts of a record: the rows written, replaced and versioned with an initiative.

The services write them in the order of ``ROW_PARTS``; the editor's page, the write API and
the admin name a part by its key there.
"""

from dataclasses import dataclass

from django.db import models

from funding.models import FundingContribution
from initiatives.models import rows, translations
from initiatives.models.initiative import Initiative
from learning.models import Lesson, LessonTranslation, PracticeUse
from principles.models import PrincipleEvidence


@dataclass(frozen=True)
class RowPart:
    """A repeating part of a record: rows of ``model`` tied to the initiative through
    ``path``. ``references`` names fields that point at other rows, which must be rows of
    the same record (evidence cites one of its sources, an indicator measures one of its
    outcomes). ``unique`` names the fields that are unique together within the record (a
    translation's language): a saved row that changes one of them is written as a new row,
    after the rows that held those values have changed, so that two rows can swap them."""

    model: type[models.Model]
    path: str = "initiative"
    references: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()

    def rows_of(self, initiative: Initiative) -> models.QuerySet:
        return self.model.objects.filter(**{self.path: initiative})


# In the order they are written: outcomes before the indicators that measure them, sources
# before the evidence that cites them, outcomes before their translations, lessons before
# theirs.
ROW_PARTS = {
    "countries": RowPart(rows.InitiativeCountry),
    "participants": RowPart(rows.Participation),
    "funding": RowPart(FundingContribution),
    "outcomes": RowPart(rows.Outcome),
    "practices": RowPart(PracticeUse),
    "nonmonetary": RowPart(rows.NonMonetaryContribution),
    "sources": RowPart(rows.Source),
    "evidence": RowPart(PrincipleEvidence, references=("source",)),
    "indicators": RowPart(rows.Indicator, path="outcome__initiative", references=("outcome",)),
    "translations": RowPart(translations.InitiativeTranslation, unique=("language",)),
    "outcome_translations": RowPart(
        translations.OutcomeTranslation,
        path="outcome__initiative",
        references=("outcome",),
        unique=("outcome", "language"),
    ),
    "lessons": RowPart(Lesson),
    "lesson_translations": RowPart(
        LessonTranslation,
        path="lesson__initiative",
        references=("lesson",),
        unique=("lesson", "language"),
    ),
}
