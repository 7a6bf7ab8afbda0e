from django.conf import settings
from django.contrib.auth.models import AbstractUser, Permission
from django.contrib.auth.models import UserManager as AuthUserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssdc_portal.models import TimeStampedModel, account_link

MODERATORS_GROUP = "Moderators"
# The right that makes someone a moderator, held through a group (normally Moderators) or
# given to the person directly; superusers hold every right.
MODERATE_PERMISSION = ("initiatives", "moderate_initiative")


class UserQuerySet(models.QuerySet):
    def moderators(self):
        """Active users who may moderate: the people ``User.is_moderator`` is true for."""
        app_label, codename = MODERATE_PERMISSION
        moderate = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        return self.filter(is_active=True).filter(
            Q(is_superuser=True)
            | Exists(moderate.filter(user=OuterRef("pk")))
            | Exists(moderate.filter(group__user=OuterRef("pk")))
        )


class UserManager(AuthUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: CSO staff, moderators and researchers alike."""

    email = models.EmailField(_("email address"))
    # Set when the person picks a language with the switcher; their e-mails and reports
    # are written in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def preferred_language(self) -> str:
        """The language to write to this person in: their choice, else the default."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_moderator(self) -> bool:
        """Whether this person may moderate; ``User.objects.moderators()`` lists them all."""
        return self.is_active and (
            self.is_superuser or self.has_perm(".".join(MODERATE_PERMISSION))
        )


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(TimeStampedModel):
    """A personal key for scripts using the REST API. Only a hash of the secret is stored;
    the key is shown once, when it is created."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is for."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="api_token_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Membership(TimeStampedModel):
    """A user's place in an organisation: editors keep its records, managers also its team."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.EDITOR)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["editor", "manager"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations still waiting for an answer, expired ones included (the team page
        offers to send those again)."""
        return self.filter(state=Invitation.State.PENDING)


class Invitation(TimeStampedModel):
    """An offer to join an organisation's team, sent by e-mail. The person becomes a member
    only when they accept it, signed in with an account that has the invited address."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Withdrawn")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role, default=Membership.Role.EDITOR
    )
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.PENDING)
    invited_by = account_link(_("invited by"))
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = account_link(
        _("answered by"),
        help_text=_("The account that accepted or declined; empty if declined signed out."),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(state="pending"),
                name="invitation_one_open_per_address_and_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["editor", "manager"]), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "declined", "revoked"]),
                name="invitation_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_state_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
