from django import forms
from django.utils.translation import gettext_lazy as _

from principles.models import PrincipleEvidence

Confirmation = PrincipleEvidence.Confirmation


class EvidenceAnswerForm(forms.Form):
    """A partner's answer to one evidence row: confirm it, or dispute it with a note. The
    page shows one per row, each button sending its answer."""

    evidence = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    answer = forms.ChoiceField(
        choices=[(Confirmation.CONFIRMED, _("Confirm")), (Confirmation.DISPUTED, _("Dispute"))]
    )
    note = forms.CharField(
        label=_("What do you dispute?"),
        help_text=_("Needed to dispute the evidence; its owner will read it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, evidence_id: int, **kwargs):
        super().__init__(*args, auto_id=f"evidence-{evidence_id}-%s", **kwargs)
        self.initial.setdefault("evidence", evidence_id)

    def clean(self):
        data = super().clean()
        if data.get("answer") == Confirmation.DISPUTED and not data.get("note", "").strip():
            self.add_error("note", _("Say what you dispute: a note is needed."))
        return data
