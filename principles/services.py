"""Writes with rules for principle evidence.

A partner answers evidence (``evidence_answer``): an editor of an organisation taking part
in the initiative, other than its owner and the organisation that recorded the evidence,
confirms it or disputes it with a note; the owner's editors are told by e-mail.

A confirmation is a second organisation vouching for what the evidence said when it read
it. Evidence rows are written with the rest of their initiative (``initiative_save``), by
the editor's page, the write API and the admin alike; that service reads the confirmed rows
before its writes (``evidence_confirmations``) and settles them afterwards
(``evidence_settle_confirmations``), so that the rule holds whichever way a row was written.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation
from principles.models import PrincipleEvidence
from principles.tasks import evidence_notify_owner
from ssdc_portal.links import site_url

CONFIRMATION_FIELDS = [
    "confirmation",
    "confirmation_note",
    "confirmed_by",
    "confirmed_by_organisation",
    "confirmed_at",
]
Confirmation = PrincipleEvidence.Confirmation


@dataclass(frozen=True)
class Answer:
    """A confirmed or disputed row as it was stored: what the partner read, what it said
    of it, who and when."""

    content: tuple
    recorded_by_id: int | None
    recorded_by_organisation_id: int
    confirmation: str
    confirmation_note: str
    confirmed_by_id: int | None
    confirmed_by_organisation_id: int
    confirmed_at: datetime

    def is_that_of(self, evidence: PrincipleEvidence) -> bool:
        """Whether ``evidence`` still carries this answer. The admin shows the time to
        the second, so saving its form drops the microseconds without recording anything."""
        if evidence.confirmed_at is None:
            return False
        return (
            evidence.confirmation == self.confirmation
            and evidence.confirmed_by_organisation_id == self.confirmed_by_organisation_id
            and evidence.confirmed_at.replace(microsecond=0)
            == self.confirmed_at.replace(microsecond=0)
        )


def _rows(initiative_id: int):
    return PrincipleEvidence.objects.filter(initiative_id=initiative_id).select_related("source")


def evidence_confirmations(*, initiative_id: int) -> dict[int, Answer]:
    """The initiative's confirmed or disputed evidence as stored now, by row."""
    return {
        evidence.pk: Answer(
            content=evidence.attested_content(),
            recorded_by_id=evidence.recorded_by_id,
            recorded_by_organisation_id=evidence.recorded_by_organisation_id,
            confirmation=evidence.confirmation,
            confirmation_note=evidence.confirmation_note,
            confirmed_by_id=evidence.confirmed_by_id,
            confirmed_by_organisation_id=evidence.confirmed_by_organisation_id,
            confirmed_at=evidence.confirmed_at,
        )
        for evidence in _rows(initiative_id).exclude(confirmation=Confirmation.UNCONFIRMED)
    }


@transaction.atomic
def evidence_settle_confirmations(
    *, initiative_id: int, confirmed_before: dict[int, Answer]
) -> None:
    """After the initiative's evidence was written: a confirmed or disputed row whose
    content changed is unconfirmed again, unless the same save recorded a new answer (a
    moderator in the admin); a new row that repeats a removed answered row word for word
    (the write API replaces a list's rows) is that row, and keeps who recorded and who
    answered it.

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
                _unconfirm(evidence)
                evidence.save(update_fields=[*CONFIRMATION_FIELDS, "updated_at"])
        elif evidence.confirmation == Confirmation.UNCONFIRMED:
            same = next(
                (pk for pk, kept in removed.items() if kept.content == evidence.attested_content()),
                None,
            )
            if same is not None:
                kept = removed.pop(same)
                evidence.recorded_by_id = kept.recorded_by_id
                evidence.recorded_by_organisation_id = kept.recorded_by_organisation_id
                for name in CONFIRMATION_FIELDS:
                    attribute = f"{name}_id" if name.startswith("confirmed_by") else name
                    setattr(evidence, attribute, getattr(kept, attribute))
                evidence.save(
                    update_fields=[
                        "recorded_by",
                        "recorded_by_organisation",
                        *CONFIRMATION_FIELDS,
                        "updated_at",
                    ]
                )


def _unconfirm(evidence: PrincipleEvidence) -> None:
    evidence.confirmation = Confirmation.UNCONFIRMED
    evidence.confirmation_note = ""
    evidence.confirmed_by = evidence.confirmed_by_organisation = evidence.confirmed_at = None


def answering_organisation(*, evidence: PrincipleEvidence, user) -> Organisation | None:
    """The organisation ``user`` would confirm or dispute ``evidence`` for: one of theirs
    taking part in its initiative, neither the initiative's owner nor the evidence's
    recorder (the first by name, if several)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        Organisation.objects.filter(
            memberships__user=user, participations__initiative=evidence.initiative_id
        )
        .exclude(pk=evidence.initiative.owner_id)
        .exclude(pk=evidence.recorded_by_organisation_id)
        .order_by("name", "pk")
        .first()
    )


@transaction.atomic
def evidence_answer(
    *, evidence: PrincipleEvidence, by, confirmation: str, note: str = ""
) -> PrincipleEvidence:
    """Record that an organisation of ``by`` confirms (``confirmation="confirmed"``) or
    disputes (``"disputed"``, with ``note``) ``evidence``, in the initiative's history, and
    tell the owner's editors once it is saved."""
    if confirmation not in (Confirmation.CONFIRMED, Confirmation.DISPUTED):
        raise ValueError(confirmation)
    note = note.strip() if confirmation == Confirmation.DISPUTED else ""
    if confirmation == Confirmation.DISPUTED and not note:
        raise ValidationError({"note": _("Say what you dispute: a note is needed.")})
    evidence = (
        PrincipleEvidence.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .get(pk=evidence.pk)
    )
    organisation = answering_organisation(evidence=evidence, user=by)
    if organisation is None:
        raise PermissionDenied
    evidence.confirmation = confirmation
    evidence.confirmation_note = note
    evidence.confirmed_by = by
    evidence.confirmed_by_organisation = organisation
    evidence.confirmed_at = timezone.now()
    with reversion.create_revision():
        evidence.save(update_fields=[*CONFIRMATION_FIELDS, "updated_at"])
        reversion.add_to_revision(evidence.initiative)
        reversion.set_user(by)
        comment = (
            _("Evidence confirmed by %(organisation)s")
            if confirmation == Confirmation.CONFIRMED
            else _("Evidence disputed by %(organisation)s")
        )
        reversion.set_comment(comment % {"organisation": organisation.name})
    transaction.on_commit(
        partial(
            evidence_notify_owner.delay,
            evidence_id=evidence.pk,
            answered_at=evidence.confirmed_at.isoformat(),
            site_url=site_url(),
        ),
        robust=True,
    )
    return evidence
