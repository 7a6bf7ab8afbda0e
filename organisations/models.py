"""Organisations (CSOs, networks, agencies, funders…) and their membership of networks.

The tables keep the names they had when these models belonged to the initiatives app
(``initiatives_actor``, ``initiatives_networkmembership``): raw SQL and existing databases know
them by those names. Field names are unchanged too (``actor_type``), as are the API's.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.extensions import visibility_condition
from reference import iati
from ssdc_portal.models import TimeStampedModel


class OrganisationType(models.TextChoices):
    NATIONAL_NGO = "national_ngo", _("National NGO")
    COMMUNITY_BASED = "community_based", _("Community-based organisation")
    SOCIAL_MOVEMENT = "social_movement", _("Social movement")
    FAITH_BASED = "faith_based", _("Faith-based organisation")
    INTERNATIONAL_NGO = "international_ngo", _("International NGO")
    NETWORK = "network", _("Network or alliance")
    NATIONAL_GOVERNMENT = "national_government", _("National government agency")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIC = "academic", _("Academic or research institution")
    MULTILATERAL = "multilateral", _("Multilateral organisation")
    FOUNDATION = "foundation", _("Foundation")
    TRADITIONAL_DONOR = "traditional_donor", _("Traditional donor agency")


# The IATI OrganisationType code each of the portal's organisation types is exported as (the
# organisation's page and API show it too; the IATI files read it through opendata.iati.mapping).
IATI_ORGANISATION_TYPE: dict[str, iati.OrganisationType] = {
    OrganisationType.NATIONAL_NGO: iati.OrganisationType.NATIONAL_NGO,
    OrganisationType.COMMUNITY_BASED: iati.OrganisationType.NATIONAL_NGO,
    OrganisationType.SOCIAL_MOVEMENT: iati.OrganisationType.NATIONAL_NGO,
    OrganisationType.FAITH_BASED: iati.OrganisationType.NATIONAL_NGO,
    OrganisationType.INTERNATIONAL_NGO: iati.OrganisationType.INTERNATIONAL_NGO,
    OrganisationType.NETWORK: iati.OrganisationType.INTERNATIONAL_NGO,
    OrganisationType.NATIONAL_GOVERNMENT: iati.OrganisationType.GOVERNMENT,
    OrganisationType.LOCAL_GOVERNMENT: iati.OrganisationType.LOCAL_GOVERNMENT,
    OrganisationType.PRIVATE_SECTOR: iati.OrganisationType.PRIVATE_SECTOR,
    OrganisationType.ACADEMIC: iati.OrganisationType.ACADEMIC,
    OrganisationType.MULTILATERAL: iati.OrganisationType.MULTILATERAL,
    OrganisationType.FOUNDATION: iati.OrganisationType.FOUNDATION,
    OrganisationType.TRADITIONAL_DONOR: iati.OrganisationType.GOVERNMENT,
}


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organisations the public may see: those with a member account on the portal and
        those named in an initiative ``user`` may see. An organisation proposed in a draft
        stays as private as the draft.

        The apps that hold those memberships and records say which of their rows make an
        organisation visible (see :mod:`organisations.extensions`)."""
        if user is not None and user.is_authenticated and user.is_moderator:
            return self.all()
        return self.filter(visibility_condition(user))


class Organisation(TimeStampedModel):
    """An organisation taking part in cooperation: CSO, network, agency, funder…"""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    home_country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("home country"),
        help_text=_("Leave empty for multilateral or global organisations."),
    )
    actor_type = models.CharField(_("type"), max_length=32, choices=OrganisationType)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("As registered with IATI, e.g. BR-CNPJ-00000000000000."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    networks = models.ManyToManyField(
        "self",
        through="NetworkMembership",
        through_fields=("member", "network"),
        symmetrical=False,
        related_name="members",
        blank=True,
        verbose_name=_("networks"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        db_table = "initiatives_actor"
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_type__in=OrganisationType.values), name="actor_type_valid"
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="actor_unique_iati_identifier",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def iati_organisation_type(self) -> iati.OrganisationType:
        return IATI_ORGANISATION_TYPE[self.actor_type]


def organisation_link(verbose_name: str, *, related_name: str, **options) -> models.ForeignKey:
    """A record's link to an organisation it names (owner, participant, funder…): an
    organisation cannot be deleted while a record names it."""
    return models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


class NetworkMembership(TimeStampedModel):
    member = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="network_links",
        verbose_name=_("member"),
    )
    network = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="member_links",
        limit_choices_to={"actor_type": OrganisationType.NETWORK},
        verbose_name=_("network"),
    )
    joined_year = models.PositiveSmallIntegerField(_("joined in"), null=True, blank=True)

    class Meta:
        db_table = "initiatives_networkmembership"
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(fields=["member", "network"], name="network_membership_unique"),
            models.CheckConstraint(
                condition=~Q(member=F("network")), name="network_membership_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.network}"

    def clean(self) -> None:
        if self.network_id and self.network.actor_type != OrganisationType.NETWORK:
            raise ValidationError(
                {"network": _("Only an organisation of type “network or alliance” has members.")}
            )
