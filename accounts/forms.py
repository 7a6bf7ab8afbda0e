"""Forms for organisation team management: they parse input, services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership


class MembershipInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the e-mail address of the person to invite."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.EDITOR,
        help_text=_(
            "Editors record the organisation's initiatives. Managers can also invite and "
            "remove members."
        ),
        error_messages={"required": _("Choose a role."), "invalid_choice": _("Choose a role.")},
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        error_messages={"required": _("Choose a role."), "invalid_choice": _("Choose a role.")},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is the token for?"),
        max_length=100,
        help_text=_("For example “thesis data download” — so you can recognise it later."),
    )
