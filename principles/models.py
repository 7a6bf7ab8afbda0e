"""Principle vocabularies (Busan and others) and the evidence that initiatives practise them."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, organisation_link
from reference.models import NamedInCatalogue, in_catalogue
from ssdc_portal.models import TimeStampedModel, account_link


class PrincipleSet(NamedInCatalogue, TimeStampedModel):
    """A named set of principles, e.g. the Busan effectiveness principles."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("reference"), blank=True)

    class Meta:
        verbose_name = _("principle set")
        verbose_name_plural = _("principle sets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.local_name


class Principle(NamedInCatalogue, TimeStampedModel):
    principle_set = models.ForeignKey(
        PrincipleSet, on_delete=models.PROTECT, related_name="principles", verbose_name=_("set")
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["principle_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle_set", "slug"], name="principle_unique_slug_in_set"
            ),
        ]

    @property
    def local_short_name(self) -> str:
        return in_catalogue(self.short_name)

    def __str__(self) -> str:
        return self.local_name


class PrincipleEvidenceQuerySet(models.QuerySet):
    def of_partnerships(self, user):
        """Evidence of the initiatives in which one of ``user``'s organisations takes part
        other than as their owner, in any state: the work that organisation shares. Each
        row is annotated ``is_answerable``: whether ``user`` may confirm or dispute it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        partners = Organisation.objects.filter(
            memberships__user=user, participations__initiative=OuterRef("initiative")
        ).exclude(pk=OuterRef("initiative__owner"))
        answering = partners.exclude(pk=OuterRef("recorded_by_organisation"))
        return self.filter(Exists(partners)).annotate(is_answerable=Exists(answering))

    def answerable_by(self, user):
        """Evidence ``user`` may confirm or dispute, as an editor of an organisation taking
        part in its initiative that neither owns the initiative nor recorded the evidence."""
        return self.of_partnerships(user).filter(is_answerable=True)


class PrincipleEvidence(TimeStampedModel):
    """What shows that an initiative practised (or fell short of) a principle."""

    class Confirmation(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Not yet confirmed")
        CONFIRMED = "confirmed", _("Confirmed by a partner")
        DISPUTED = "disputed", _("Disputed by a partner")

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports: the principle was practised")
        CHALLENGES = "challenges", _("Challenges: a gap or shortfall")

    class Strength(models.IntegerChoices):
        CLAIMED = 1, _("Claimed by the initiative")
        DOCUMENTED = 2, _("Documented in a source")
        EVALUATED = 3, _("Independently evaluated")

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="principle_evidence",
        verbose_name=_("initiative"),
    )
    principle = models.ForeignKey(
        Principle, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("principle")
    )
    stance = models.CharField(_("stance"), max_length=12, choices=Stance, default=Stance.SUPPORTS)
    strength = models.PositiveSmallIntegerField(
        _("strength"), choices=Strength, default=Strength.CLAIMED
    )
    narrative = models.TextField(_("what happened"))
    quote = models.TextField(_("quote"), blank=True)
    source = models.ForeignKey(
        "initiatives.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="principle_evidence",
        verbose_name=_("source"),
    )
    recorded_by = account_link(_("recorded by"))
    recorded_by_organisation = organisation_link(
        _("recorded by organisation"), related_name="recorded_evidence"
    )
    confirmation = models.CharField(
        _("confirmation"),
        max_length=12,
        choices=Confirmation,
        default=Confirmation.UNCONFIRMED,
        db_default=Confirmation.UNCONFIRMED,
        help_text=_(
            "Whether a second organisation taking part in the initiative confirms or disputes "
            "this evidence."
        ),
    )
    confirmation_note = models.TextField(
        _("why it is disputed"),
        blank=True,
        db_default="",
        help_text=_("Required when the evidence is disputed."),
    )
    # Who confirmed or disputed it, and when; empty while it is unconfirmed.
    confirmed_by = account_link(_("confirmed or disputed by"))
    confirmed_by_organisation = organisation_link(
        _("confirmed or disputed by organisation"),
        related_name="confirmed_evidence",
        null=True,
        blank=True,
        help_text=_("A second organisation of the initiative that confirms or disputes it."),
    )
    confirmed_at = models.DateTimeField(_("confirmed or disputed at"), null=True, blank=True)

    objects = PrincipleEvidenceQuerySet.as_manager()

    # What an editor fills in, in the order the editor's page, the admin and the API show it.
    EDITABLE_FIELDS = ["principle", "stance", "strength", "narrative", "quote", "source"]

    class Meta:
        verbose_name = _("principle evidence")
        verbose_name_plural = _("principle evidence")
        ordering = ["principle", "-strength"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "principle", "source"],
                nulls_distinct=False,
                name="evidence_unique_per_source",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=["supports", "challenges"]), name="evidence_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(strength__in=[1, 2, 3]), name="evidence_strength_valid"
            ),
            models.CheckConstraint(condition=~Q(narrative=""), name="evidence_narrative_not_empty"),
            models.CheckConstraint(
                condition=Q(confirmed_by_organisation__isnull=True)
                | ~Q(confirmed_by_organisation=F("recorded_by_organisation")),
                name="evidence_confirmed_by_another_organisation",
            ),
            # Also keeps the state to one of the three.
            models.CheckConstraint(
                condition=Q(
                    confirmation="unconfirmed",
                    confirmed_by_organisation__isnull=True,
                    confirmed_at__isnull=True,
                    confirmed_by__isnull=True,
                )
                | Q(
                    confirmation__in=["confirmed", "disputed"],
                    confirmed_by_organisation__isnull=False,
                    confirmed_at__isnull=False,
                ),
                name="evidence_confirmation_has_organisation_and_date",
            ),
            models.CheckConstraint(
                condition=Q(confirmation="disputed", confirmation_note__regex=r"\S")
                | (~Q(confirmation="disputed") & Q(confirmation_note="")),
                name="evidence_dispute_has_note",
            ),
            models.CheckConstraint(
                condition=Q(strength__lt=2) | Q(source__isnull=False),
                name="evidence_documented_needs_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.principle} ({self.get_stance_display()})"

    @property
    def is_co_attested(self) -> bool:
        return self.confirmation == self.Confirmation.CONFIRMED

    @property
    def is_disputed(self) -> bool:
        return self.confirmation == self.Confirmation.DISPUTED

    def attested_content(self) -> tuple:
        """What a confirmation vouches for: the claim, and the source it cites as that
        source reads now. Two rows with equal content make the same claim."""
        source = self.source
        cited = None if source is None else (source.citation, source.url, source.document.name)
        return (self.principle_id, self.stance, self.strength, self.narrative, self.quote, cited)
