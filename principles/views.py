"""The page where an organisation taking part in others' initiatives confirms or disputes
their evidence (``/my/confirmations/``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from principles.forms import EvidenceAnswerForm
from principles.models import PrincipleEvidence
from principles.services import evidence_answer


@never_cache
@login_required
def evidence_confirmations(request):
    """The evidence of the initiatives the user's organisations take part in (not as
    owner), by initiative, each with its state and, where the user may answer, a form."""
    answered = None
    if request.method == "POST":
        evidence = get_object_or_404(
            PrincipleEvidence.objects.answerable_by(request.user),
            pk=_posted_id(request.POST.get("evidence")),
        )
        answered = EvidenceAnswerForm(request.POST, evidence_id=evidence.pk)
        if answered.is_valid():
            data = answered.cleaned_data
            evidence = evidence_answer(
                evidence=evidence, by=request.user, confirmation=data["answer"], note=data["note"]
            )
            if evidence.is_disputed:
                messages.success(request, _("You disputed the evidence; its owner is told."))
            else:
                messages.success(request, _("You confirmed the evidence; its owner is told."))
            return redirect(reverse("evidence-confirmations") + f"#evidence-{evidence.pk}")
    rows = list(
        PrincipleEvidence.objects.of_partnerships(request.user)
        .select_related(
            "initiative",
            "principle__principle_set",
            "source",
            "recorded_by_organisation",
            "confirmed_by_organisation",
        )
        .order_by(
            "initiative__title",
            "initiative_id",
            "principle__principle_set__name",
            "principle__position",
            "pk",
        )
    )
    for row in rows:
        if answered is not None and answered.initial["evidence"] == row.pk:
            row.form = answered
        elif row.is_answerable:
            row.form = EvidenceAnswerForm(evidence_id=row.pk)
    return render(
        request,
        "principles/confirmations.html",
        {"rows": rows, "has_errors": answered is not None},
        status=400 if answered is not None else 200,
    )


def _posted_id(value) -> int:
    """The evidence id a form sent; anything else names no row."""
    return (
        int(value)
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18
        else 0
    )
