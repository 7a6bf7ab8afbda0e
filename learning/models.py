"""What travels between organisations of the South: practices, the lessons initiatives drew,
what an organisation can share or wants to learn, and the messages the portal relays
between organisations without publishing anyone's address."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from initiatives.models.translations import ContentLanguage
from organisations.models import organisation_link
from reference.models import NamedInCatalogue
from ssdc_portal.models import TimeStampedModel, account_link


def is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class Theme(NamedInCatalogue, TimeStampedModel):
    """A subject organisations learn about (seeds and agroecology, social accountability…):
    the common ground on which practices, lessons, offers and requests meet."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.local_name


class PracticeQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Practice.Status.ACCEPTED)

    def visible_to(self, user):
        """What ``user`` may see: accepted practices; moderators every practice; editors also
        the practices their organisations proposed."""
        if not is_signed_in(user):
            return self.accepted()
        if user.is_moderator:
            return self.all()
        own = Q(proposed_by_organisation__in=user.memberships.values("organisation"))
        return self.filter(Q(status=Practice.Status.ACCEPTED) | own)

    def offered_to(self, user):
        """What an editor may link an initiative to: accepted practices and those their
        organisations proposed (not the declined ones)."""
        if not is_signed_in(user):
            return self.accepted()
        own = Q(
            status=Practice.Status.PROPOSED,
            proposed_by_organisation__in=user.memberships.values("organisation"),
        )
        return self.filter(Q(status=Practice.Status.ACCEPTED) | own)

    def with_translation(self, language: str):
        """Annotate ``translated_name``, ``translated_summary`` and ``translated_language``:
        the practice's translation into ``language`` (each None without one), in subqueries."""
        translation = PracticeTranslation.objects.filter(
            practice=models.OuterRef("pk"), language=language
        )
        return self.annotate(
            **{
                f"translated_{name}": models.Subquery(translation.values(name)[:1])
                for name in ("name", "summary", "language")
            }
        )


class Practice(TimeStampedModel):
    """A method or tool that travels from country to country (community seed banks,
    community scorecards…). Editors may propose one; the public sees it once a moderator
    has accepted it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    language = models.CharField(
        _("language written in"), max_length=2, choices=ContentLanguage, default="en"
    )
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="practices", blank=True, verbose_name=_("themes")
    )
    modalities = models.ManyToManyField(
        "reference.Modality", related_name="practices", blank=True, verbose_name=_("modalities")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PROPOSED, db_index=True
    )
    proposed_by = account_link(_("proposed by"))
    proposed_by_organisation = organisation_link(
        _("proposed by organisation"),
        related_name="proposed_practices",
        null=True,
        blank=True,
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="practice_name_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "declined"]),
                name="practice_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values), name="practice_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PracticeTranslation(TimeStampedModel):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="translations", verbose_name=_("practice")
    )
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("practice translation")
        verbose_name_plural = _("practice translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "language"], name="practice_translation_unique_language"
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="practice_translation_name_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values),
                name="practice_translation_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.name}"


class PracticeUse(TimeStampedModel):
    """A row of an initiative: it used ``practice``, learned (where known) from the
    initiative ``learned_from``. Uses and their sources draw a practice's path."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="practice_uses",
        verbose_name=_("initiative"),
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="uses", verbose_name=_("practice")
    )
    learned_from = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices_taught",
        verbose_name=_("learned from"),
        help_text=_("The initiative through which your organisation learned this practice."),
    )
    adaptation = models.TextField(
        _("how it was adapted"),
        blank=True,
        help_text=_("What changed when the practice was used here."),
    )

    EDITABLE_FIELDS = ["practice", "learned_from", "adaptation"]

    class Meta:
        verbose_name = _("practice used")
        verbose_name_plural = _("practices used")
        ordering = ["practice__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "practice"], name="practice_use_unique_per_initiative"
            ),
            models.CheckConstraint(
                condition=~Q(learned_from=models.F("initiative")),
                name="practice_use_not_learned_from_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.practice}"


# Whom a lesson is for, by the name the API, the filters and the exports use: its field.
AUDIENCES = {
    "civil_society": "for_civil_society",
    "governments": "for_governments",
    "funders": "for_funders",
}


class Lesson(TimeStampedModel):
    """A lesson an initiative drew, for the people it is meant for."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("initiative"),
    )
    text = models.TextField(_("lesson"))
    for_civil_society = models.BooleanField(_("for civil society"), default=False)
    for_governments = models.BooleanField(_("for governments"), default=False)
    for_funders = models.BooleanField(_("for funders"), default=False)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("theme"),
    )
    practice = models.ForeignKey(
        Practice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("practice"),
        help_text=_("The practice the lesson is about, if any."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    EDITABLE_FIELDS = [
        "text",
        "for_civil_society",
        "for_governments",
        "for_funders",
        "theme",
        "practice",
    ]

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="lesson_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @cached_property
    def shown(self):
        """The lesson's text for the reader (see ``initiatives.content``); prefetch
        ``translations`` for lists of lessons."""
        from initiatives.content import lesson_text

        return lesson_text(self, original_language=self.initiative.language)

    @property
    def audiences(self) -> list[str]:
        """Whom the lesson is for, as the API and exports name them."""
        return [name for name, field in AUDIENCES.items() if getattr(self, field)]


class LessonTranslation(TimeStampedModel):
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="translations", verbose_name=_("lesson")
    )
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage)
    text = models.TextField(_("lesson"))

    EDITABLE_FIELDS = ["language", "text"]

    class Meta:
        verbose_name = _("lesson translation")
        verbose_name_plural = _("lesson translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "language"], name="lesson_translation_unique_language"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="lesson_translation_not_empty"),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values),
                name="lesson_translation_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.text[:60]}"


class ListingQuerySet(models.QuerySet):
    def open(self, today=None):
        """Published and not expired: what the public sees on the exchange."""
        today = today or timezone.localdate()
        return self.filter(state=Listing.State.PUBLISHED, open_until__gte=today)

    def visible_to(self, user):
        """What ``user`` may see: open listings; moderators everything; editors also their
        organisations' listings in any state."""
        if not is_signed_in(user):
            return self.open()
        if user.is_moderator:
            return self.all()
        own = Q(organisation__in=user.memberships.values("organisation"))
        return self.filter(Q(pk__in=self.open().values("pk")) | own)

    def editable_by(self, user):
        if not is_signed_in(user):
            return self.none()
        return self.filter(organisation__in=user.memberships.values("organisation"))


class Listing(TimeStampedModel):
    """What an organisation can share (an offer) or wants to learn (a request), about a
    practice or a theme, in some languages, with some countries, in some formats, open until
    a date. Moderated like initiatives; expired listings leave the exchange until renewed."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer: we can share this")
        REQUEST = "request", _("Request: we want to learn this")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to the organisation")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Format(models.TextChoices):
        EXCHANGE_VISIT = "exchange_visit", _("Exchange visits")
        REMOTE_MENTORING = "remote_mentoring", _("Remote mentoring")
        TRAINING = "training", _("Training")
        MATERIALS = "materials", _("Materials and tools")
        PEER_DIALOGUE = "peer_dialogue", _("Peer dialogue")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    organisation = organisation_link(_("organisation"), related_name="listings")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    language = models.CharField(
        _("language written in"),
        max_length=2,
        choices=ContentLanguage,
        default="en",
        help_text=_("The language of the title and description."),
    )
    practice = models.ForeignKey(
        Practice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("practice"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("theme"),
    )
    languages = ArrayField(
        models.CharField(max_length=2, choices=ContentLanguage),
        verbose_name=_("languages"),
        help_text=_("The languages the exchange can take place in."),
    )
    countries = models.ManyToManyField(
        "reference.Country", related_name="listings", blank=True, verbose_name=_("countries")
    )
    formats = ArrayField(
        models.CharField(max_length=20, choices=Format),
        verbose_name=_("formats"),
        blank=True,
        default=list,
    )
    open_until = models.DateField(_("open until"))
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.SUBMITTED, db_index=True
    )
    created_by = account_link(_("created by"))
    reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange listing")
        verbose_name_plural = _("exchange listings")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["state", "open_until"], name="listing_state_open")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="listing_title_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["offer", "request"]), name="listing_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "returned", "published", "withdrawn"]),
                name="listing_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(practice__isnull=False) | Q(theme__isnull=False),
                name="listing_names_practice_or_theme",
            ),
            models.CheckConstraint(
                condition=Q(languages__len__gte=1), name="listing_has_a_language"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values), name="listing_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_expired(self) -> bool:
        return self.open_until < timezone.localdate()


class ContactMessage(TimeStampedModel):
    """A message a signed-in editor sent to another organisation through the portal, about
    a listing or an initiative. The portal relays it by e-mail to the organisation's
    editors; nobody's address is shown. Kept for rate limits and reports of abuse."""

    sender = account_link(_("sender"))
    sender_organisation = organisation_link(
        _("sender's organisation"), related_name="sent_messages"
    )
    recipient_organisation = organisation_link(
        _("recipient organisation"), related_name="received_messages"
    )
    listing = models.ForeignKey(
        Listing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("about the listing"),
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_messages",
        verbose_name=_("about the initiative"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=5000)
    relayed_at = models.DateTimeField(_("relayed at"), null=True, blank=True)
    relayed_to = models.PositiveSmallIntegerField(_("relayed to (people)"), default=0)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = account_link(_("reported by"))
    report_note = models.TextField(_("report"), blank=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sender", "-created_at"], name="contact_sender_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="contact_body_not_empty"),
            models.CheckConstraint(
                condition=~Q(sender_organisation=models.F("recipient_organisation")),
                name="contact_between_two_organisations",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
