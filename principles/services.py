"""Writes with rules for principle evidence.

A confirmation is a second organisation vouching for what the evidence said when it read
it. Evidence rows are written with the rest of their initiative (``initiative_save``), by
the editor's page, the write API and the admin alike; that service reads the confirmed rows
before its writes (``evidence_confirmations``) and settles them afterwards
(``evidence_settle_confirmations``), so that the rule holds whichever way a row was written.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from principles.models import PrincipleEvidence

CONFIRMATION_FIELDS = ["confirmed_by_organisation", "confirmed_at"]


@dataclass(frozen=True)
class Confirmation:
    """A confirmed row as it was stored: what was confirmed, by whom and when."""

    content: tuple
    recorded_by_id: int | None
    recorded_by_organisation_id: int
    confirmed_by_organisation_id: int
    confirmed_at: datetime

    def is_that_of(self, evidence: PrincipleEvidence) -> bool:
        """Whether ``evidence`` still carries this confirmation. The admin shows the time to
        the second, so saving its form drops the microseconds without recording anything."""
        if evidence.confirmed_at is None:
            return False
        return (
            evidence.confirmed_by_organisation_id == self.confirmed_by_organisation_id
            and evidence.confirmed_at.replace(microsecond=0)
            == self.confirmed_at.replace(microsecond=0)
        )


def _rows(initiative_id: int):
    return PrincipleEvidence.objects.filter(initiative_id=initiative_id).select_related("source")


def evidence_confirmations(*, initiative_id: int) -> dict[int, Confirmation]:
    """The initiative's confirmed evidence as stored now, by row."""
    return {
        evidence.pk: Confirmation(
            content=evidence.attested_content(),
            recorded_by_id=evidence.recorded_by_id,
            recorded_by_organisation_id=evidence.recorded_by_organisation_id,
            confirmed_by_organisation_id=evidence.confirmed_by_organisation_id,
            confirmed_at=evidence.confirmed_at,
        )
        for evidence in _rows(initiative_id).filter(confirmed_by_organisation__isnull=False)
    }


@transaction.atomic
def evidence_settle_confirmations(
    *, initiative_id: int, confirmed_before: dict[int, Confirmation]
) -> None:
    """After the initiative's evidence was written: a confirmed row whose content changed
    is unconfirmed again, unless the same save recorded a new confirmation (a moderator in
    the admin); a new row that repeats a removed confirmed row word for word (the write API
    replaces a list's rows) is that row, and keeps who recorded and who confirmed it.

    The rows are saved, so the revision being recorded holds them as they end up."""
    if not confirmed_before:
        return
    rows = list(_rows(initiative_id))
    remaining = {evidence.pk for evidence in rows}
    removed = {pk: kept for pk, kept in confirmed_before.items() if pk not in remaining}
    for evidence in rows:
        before = confirmed_before.get(evidence.pk)
        if before is not None:
            if evidence.attested_content() != before.content and before.is_that_of(evidence):
                evidence.confirmed_by_organisation = evidence.confirmed_at = None
                evidence.save(update_fields=[*CONFIRMATION_FIELDS, "updated_at"])
        elif not evidence.is_co_attested:
            same = next(
                (pk for pk, kept in removed.items() if kept.content == evidence.attested_content()),
                None,
            )
            if same is not None:
                kept = removed.pop(same)
                evidence.recorded_by_id = kept.recorded_by_id
                evidence.recorded_by_organisation_id = kept.recorded_by_organisation_id
                evidence.confirmed_by_organisation_id = kept.confirmed_by_organisation_id
                evidence.confirmed_at = kept.confirmed_at
                evidence.save(
                    update_fields=[
                        "recorded_by",
                        "recorded_by_organisation",
                        *CONFIRMATION_FIELDS,
                        "updated_at",
                    ]
                )
