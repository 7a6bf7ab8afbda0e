"""Pages where an organisation's team sees its members and its managers change the team.

The organisation comes from the slug in the URL and must be one the signed-in user belongs
to (404 otherwise); a membership ID in the URL must belong to that organisation (404
otherwise); changes are for the organisation's managers only (403 otherwise).
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import ApiTokenForm, MembershipInviteForm, MembershipRoleForm
from accounts.lockout import password_reset_allowed
from accounts.models import Membership
from accounts.tokens import api_token_create, api_token_revoke


def _own_membership(request, slug: str) -> Membership:
    """The signed-in user's membership of the organisation named in the URL, or 404."""
    return get_object_or_404(
        Membership.objects.select_related("organisation"),
        organisation__slug=slug,
        user=request.user,
    )


def _managed_membership(request, slug: str) -> Membership:
    """As ``_own_membership``, and the user must be one of the organisation's managers."""
    own = _own_membership(request, slug)
    if own.role != Membership.Role.MANAGER:
        raise PermissionDenied
    return own


def _member_of(own: Membership, membership_id: int) -> Membership:
    """A membership of the same organisation as ``own``; another organisation's ID is a 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_id,
        organisation_id=own.organisation_id,
    )


def _members_url(own: Membership) -> str:
    return reverse("organisation-members", kwargs={"slug": own.organisation.slug})


def _render_members(request, own: Membership, invite_form=None, status=200):
    is_manager = own.role == Membership.Role.MANAGER
    members = (
        Membership.objects.filter(organisation_id=own.organisation_id)
        .select_related("user")
        .order_by("-role", "user__first_name", "user__last_name", "user__username")
    )
    rows = [
        {
            "membership": member,
            "is_you": member.pk == own.pk,
            "role_form": (
                MembershipRoleForm(initial={"role": member.role}, auto_id=f"member-{member.pk}-%s")
                if is_manager
                else None
            ),
        }
        for member in members
    ]
    context = {
        "organisation": own.organisation,
        "own_membership": own,
        "is_manager": is_manager,
        "rows": rows,
        "invite_form": (invite_form or MembershipInviteForm()) if is_manager else None,
    }
    return render(request, "accounts/organisation_members.html", context, status=status)


@login_required
def organisation_members(request, slug: str):
    return _render_members(request, _own_membership(request, slug))


@login_required
def organisation_member_invite(request, slug: str):
    own = _managed_membership(request, slug)
    if request.method != "POST":
        return redirect(f"{_members_url(own)}#invite")
    form = MembershipInviteForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_invite(
                organisation=own.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.MembershipError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("%(email)s has been invited to join the team (role: %(role)s).")
                % {"email": membership.user.email, "role": membership.get_role_display()},
            )
            return redirect(_members_url(own))
    return _render_members(request, own, invite_form=form, status=400)


@login_required
def organisation_member_remove(request, slug: str, membership_id: int):
    own = _managed_membership(request, slug)
    membership = _member_of(own, membership_id)
    if request.method != "POST":
        return render(
            request,
            "accounts/membership_confirm_remove.html",
            {
                "organisation": own.organisation,
                "membership": membership,
                "is_you": membership == own,
            },
        )
    try:
        services.membership_remove(membership=membership, removed_by=request.user)
    except services.MembershipError as error:
        messages.error(request, error.message)
        return redirect(_members_url(own))
    if membership == own:
        messages.success(
            request, _("You have left %(organisation)s.") % {"organisation": own.organisation.name}
        )
        return redirect("home")
    messages.success(
        request,
        _("%(name)s has been removed from %(organisation)s.")
        % {"name": membership.user, "organisation": own.organisation.name},
    )
    return redirect(_members_url(own))


@login_required
@require_POST
def organisation_member_role(request, slug: str, membership_id: int):
    own = _managed_membership(request, slug)
    membership = _member_of(own, membership_id)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: editor or manager."))
        return redirect(_members_url(own))
    try:
        membership = services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], changed_by=request.user
        )
    except services.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The role of %(name)s is now: %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display()},
        )
    return redirect(_members_url(own))


@login_required
@require_POST
def organisation_member_resend(request, slug: str, membership_id: int):
    own = _managed_membership(request, slug)
    membership = _member_of(own, membership_id)
    try:
        services.membership_resend_invitation(membership=membership, resent_by=request.user)
    except services.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new invitation has been sent to %(email)s.") % {"email": membership.user.email},
        )
    return redirect(_members_url(own))


@login_required
def api_tokens(request):
    """The user's personal API tokens: create one (its key is shown once) or see them all."""
    created_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, created_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "created_key": created_key},
    )


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api-tokens")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page for asking a reset link, with a rate (``password_reset_allowed``):
    beyond it no e-mail is sent, and the visitor sees the same page as ever, so that it
    tells nothing about the address."""

    def form_valid(self, form):
        if password_reset_allowed(self.request, email=form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
