"""Pages where an organisation's team sees its members and its managers change the team,
and the page where an invited person answers an invitation.

The organisation comes from the slug in the URL and must be one the signed-in user belongs
to (404 otherwise); a membership or invitation ID in the URL must belong to that
organisation (404 otherwise); changes are for the organisation's managers only (403
otherwise).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import (
    ApiTokenForm,
    InvitationSignUpForm,
    MembershipInviteForm,
    MembershipRoleForm,
    PasswordResetForm,
    SignUpForm,
    SignUpResendForm,
)
from accounts.invitations import invitation_from_token
from accounts.lockout import (
    password_reset_allowed,
    rate_limited_response,
    signup_client_allowed,
    signup_email_allowed,
)
from accounts.models import Invitation, Membership, User
from accounts.signup import signup_activate, signup_check_token, signup_create, signup_resend
from accounts.tokens import api_token_create, api_token_revoke
from ssdc_portal.languages import page_address_in_language


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


def _invitation_of(own: Membership, invitation_id: int) -> Invitation:
    """An invitation to the same organisation as ``own``; another's ID is a 404."""
    return get_object_or_404(
        Invitation.objects.select_related("organisation"),
        pk=invitation_id,
        organisation_id=own.organisation_id,
    )


def _members_url(own: Membership) -> str:
    return reverse("organisation-members", kwargs={"slug": own.organisation.slug})


def _change_and_tell(request, change: Callable[[], object], *, success: str) -> None:
    """Make a change to the team with ``change()`` and tell the user: ``success`` if it was
    made, the reason if the rules refused it."""
    try:
        change()
    except services.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


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
    # Only managers see who was invited: those people have not agreed to join yet.
    invitations = (
        Invitation.objects.open().filter(organisation_id=own.organisation_id).order_by("created_at")
        if is_manager
        else []
    )
    context = {
        "organisation": own.organisation,
        "own_membership": own,
        "is_manager": is_manager,
        "rows": rows,
        "invitations": invitations,
        "invitation_valid_days": settings.INVITATION_VALID_DAYS,
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
            invitation = services.invitation_create(
                organisation=own.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.MembershipError as error:
            form.add_error(error.field, error.message)
        else:
            # The same words whether or not the address has an account.
            messages.success(
                request,
                _("Invitation sent to %(email)s (role: %(role)s).")
                % {"email": invitation.email, "role": invitation.get_role_display()},
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
    role = form.cleaned_data["role"]
    _change_and_tell(
        request,
        lambda: services.membership_change_role(
            membership=membership, role=role, changed_by=request.user
        ),
        success=_("The role of %(name)s is now: %(role)s.")
        % {"name": membership.user, "role": Membership.Role(role).label},
    )
    return redirect(_members_url(own))


@login_required
@require_POST
def organisation_invitation_resend(request, slug: str, invitation_id: int):
    own = _managed_membership(request, slug)
    invitation = _invitation_of(own, invitation_id)
    _change_and_tell(
        request,
        lambda: services.invitation_resend(invitation=invitation, resent_by=request.user),
        success=_("Invitation sent again to %(email)s.") % {"email": invitation.email},
    )
    return redirect(_members_url(own))


@login_required
@require_POST
def organisation_invitation_revoke(request, slug: str, invitation_id: int):
    own = _managed_membership(request, slug)
    invitation = _invitation_of(own, invitation_id)
    _change_and_tell(
        request,
        lambda: services.invitation_revoke(invitation=invitation, revoked_by=request.user),
        success=_("The invitation to %(email)s was withdrawn; its link no longer works.")
        % {"email": invitation.email},
    )
    return redirect(_members_url(own))


@never_cache  # it names the invited address, and the link is a secret
def invitation(request, token: str):
    """Where the link in an invitation e-mail leads: accept or decline.

    Signed in, the account must have the invited address. Signed out, the person signs in
    first, or, if no account has the address, creates one here (the link, sent to that
    address, shows it is theirs). Declining needs only the link.
    """
    invitation = invitation_from_token(token)
    if invitation is None:
        raise Http404
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if invitation.state != Invitation.State.PENDING or invitation.is_expired:
        return render(request, "accounts/invitation.html", {**context, "closed": True}, status=410)
    user = request.user if request.user.is_authenticated else None
    if user is not None and not services.invitation_is_for(invitation, user):
        return render(
            request, "accounts/invitation.html", {**context, "other_account": True}, status=403
        )
    needs_account = (
        user is None and not User.objects.filter(email__iexact=invitation.email).exists()
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    signup_form = InvitationSignUpForm(
        request.POST if decision == "accept" and needs_account else None, invitation=invitation
    )
    try:
        if decision == "decline":
            services.invitation_decline(invitation=invitation, user=user)
            messages.success(
                request,
                _("You declined the invitation to join %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("home")
        if decision == "accept" and user is not None:
            services.invitation_accept(invitation=invitation, user=user)
            return _joined(request, invitation)
        if decision == "accept" and needs_account and signup_form.is_valid():
            new_user = services.invitation_accept_with_new_account(
                invitation=invitation,
                first_name=signup_form.cleaned_data["first_name"],
                last_name=signup_form.cleaned_data["last_name"],
                password=signup_form.cleaned_data["password1"],
            )
            login(request, new_user, backend="accounts.backends.UsernameOrEmailBackend")
            messages.info(
                request,
                _(
                    "Your account is ready. Sign in with your e-mail address or your "
                    "username, %(username)s."
                )
                % {"username": new_user.get_username()},
            )
            return _joined(request, invitation)
        if decision == "accept" and user is None and not needs_account:
            context["error"] = _("Sign in first, then accept the invitation.")
    except services.MembershipError as error:
        context["error"] = error.message
    context |= {"needs_account": needs_account, "signup_form": signup_form}
    return render(request, "accounts/invitation.html", context, status=400 if decision else 200)


def _joined(request, invitation: Invitation):
    messages.success(
        request,
        _("You are now a member of %(organisation)s.")
        % {"organisation": invitation.organisation.name},
    )
    return redirect("organisation-members", slug=invitation.organisation.slug)


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

    form_class = PasswordResetForm

    def form_valid(self, form):
        if password_reset_allowed(self.request, email=form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def language_switch(request, language: str):
    """Where the language switcher's links lead: open the page ``next`` in ``language``,
    and remember the choice.

    The address decides a page's language, so a shared link opens in its own language and
    following it changes nothing; the choice is recorded here only, when someone picks a
    language: in the language cookie, which unprefixed addresses follow (see
    ``ssdc_portal.languages``), and for a signed-in person in their account, which their
    e-mails and reports follow. A plain link (GET) works without JavaScript or a form; all
    it can change is a preference, and it only redirects within the portal. An address
    that is not a page (the API's documentation) has no language prefix: it opens as it is,
    in the language the cookie now names.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(page_address_in_language(target, language))
    _remember_language(response, language)
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    return response


def _remember_language(response, language: str) -> None:
    """Set the language cookie, which unprefixed addresses follow."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Django's sign-in page; a person whose account has a language (chosen with the
    switcher) goes on in it, whatever the language of the page they signed in from.

    The page they were going to (``next``, checked by Django to stay on the portal, else
    the editor's dashboard for a member of an organisation and the home page for anyone
    else) opens in their language, with its query; an address that is not a page (the API)
    is left as it is. The language cookie follows the account too, so that unprefixed
    addresses open in that language afterwards."""

    def get_default_redirect_url(self):
        if self.request.user.memberships.exists():
            return reverse("editor-dashboard")
        return super().get_default_redirect_url()

    def get_success_url(self):
        target = super().get_success_url()
        language = self.request.user.language
        return page_address_in_language(target, language) if language else target

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.language:
            _remember_language(response, self.request.user.language)
        return response


SIGNED_UP_BACKEND = "accounts.backends.UsernameOrEmailBackend"


@never_cache
def signup(request):
    """A researcher creates their own account. It stays inactive until the link e-mailed to
    the address is opened (``signup_confirm``). Whether the address already has an account
    changes nothing on the page: its owner is told by e-mail."""
    if request.user.is_authenticated:
        return redirect("api-tokens")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not signup_client_allowed(request):
            return rate_limited_response(request, settings.SIGNUP_CLIENT_RATE)
        if form.is_valid():
            data = form.cleaned_data
            if signup_email_allowed(data["email"]):
                signup_create(
                    username=data["username"], email=data["email"], password=data["password1"]
                )
            return redirect("signup-sent")
    return render(
        request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200
    )


def signup_sent(request):
    return render(
        request, "accounts/signup_sent.html", {"valid_hours": settings.SIGNUP_LINK_VALID_HOURS}
    )


@never_cache
def signup_resend_link(request):
    """Ask for a new confirmation link. The answer is the same for every address."""
    form = SignUpResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not signup_client_allowed(request):
            return rate_limited_response(request, settings.SIGNUP_CLIENT_RATE)
        if form.is_valid():
            if signup_email_allowed(form.cleaned_data["email"]):
                signup_resend(email=form.cleaned_data["email"])
            return redirect("signup-sent")
    return render(
        request, "accounts/signup_resend.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache  # the link is a secret
def signup_confirm(request, token: str):
    """Where the link in the confirmation e-mail leads: the account is activated, its owner
    signed in and taken to create an API token. A link that was used, has expired or was
    damaged says so, and offers a new one."""
    check = signup_check_token(token)
    if check.user is None:
        status = {"expired": 410, "used": 410}.get(check.problem, 400)
        return render(
            request,
            "accounts/signup_link_problem.html",
            {"problem": check.problem, "valid_hours": settings.SIGNUP_LINK_VALID_HOURS},
            status=status,
        )
    user = signup_activate(user=check.user)
    login(request, user, backend=SIGNED_UP_BACKEND)
    messages.success(
        request,
        _("Your e-mail address is confirmed and your account is ready. Welcome, %(username)s!")
        % {"username": user.get_username()},
    )
    return redirect("api-tokens")
