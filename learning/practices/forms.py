from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import ContentLanguage
from learning.models import Practice, Theme


class PracticeProposalForm(forms.Form):
    """What an editor gives to propose a practice: its words, and the organisation that
    proposes it (one of theirs)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the practice is, in two or three sentences."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How it works, who takes part, what it needs."),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=ContentLanguage.choices, initial="en"
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.ModelChoiceField(label=_("Proposed by"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["themes"].label_from_instance = lambda theme: theme.local_name

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Practice.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("A practice with this name is already on the portal or awaiting review.")
            )
        return name
