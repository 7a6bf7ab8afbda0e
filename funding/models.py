"""How initiatives are paid for: the funding-model vocabulary and each contribution."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from organisations.models import organisation_link
from reference.iati import CollaborationType, FinanceType, FlowType, currency_choices
from reference.models import NamedInCatalogue
from ssdc_portal.models import TimeStampedModel, YearRange, dates_in_order


class FundingModel(NamedInCatalogue, TimeStampedModel):
    """A way civil-society-led cooperation is financed, with its IATI defaults for export."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    iati_flow_type = models.PositiveSmallIntegerField(_("IATI flow type"), choices=FlowType)
    iati_finance_type = models.PositiveSmallIntegerField(
        _("IATI finance type"), choices=FinanceType
    )
    iati_collaboration_type = models.PositiveSmallIntegerField(
        _("IATI collaboration type"), choices=CollaborationType
    )

    class Meta:
        verbose_name = _("funding model")
        verbose_name_plural = _("funding models")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.local_name


def funding_mix(
    contributions: Iterable["FundingContribution"],
) -> list[tuple[FundingModel, Decimal]]:
    """Each funding model's share (%) of ``contributions`` (e.g. an initiative's, prefetched).

    Shares follow the amounts when every contribution states one in the same currency;
    otherwise each contribution counts equally (many CSOs report no figures).
    """
    contributions = list(contributions)
    if not contributions:
        return []
    currencies = {c.currency for c in contributions}
    by_amount = len(currencies) == 1 and all(c.amount for c in contributions)
    weights: dict[FundingModel, Decimal] = defaultdict(Decimal)
    for contribution in contributions:
        weight = contribution.amount if by_amount else Decimal(1)
        weights[contribution.funding_model] += weight
    total = sum(weights.values())
    mix = [
        (model, (100 * weight / total).quantize(Decimal("0.1")))
        for model, weight in weights.items()
    ]
    return sorted(mix, key=lambda pair: (-pair[1], pair[0].position))


class FundingContributionQuerySet(models.QuerySet):
    def funding_mix(self) -> list[tuple[FundingModel, Decimal]]:
        """The funding mix of these contributions (see :func:`funding_mix`)."""
        return funding_mix(self.select_related("funding_model"))


class FundingContribution(TimeStampedModel):
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="funding_contributions",
        verbose_name=_("initiative"),
    )
    # Indexed with the initiative (Meta.indexes): an organisation's profile reads only these.
    funder = organisation_link(
        _("funder"), related_name="funding_contributions", null=True, blank=True, db_index=False
    )
    funding_model = models.ForeignKey(
        FundingModel,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("funding model"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=currency_choices, blank=True)
    year_start = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("The exact date the amount was committed, if known."),
    )
    is_in_kind = models.BooleanField(_("in kind"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    # What an editor fills in, in the order the editor's page, the admin and the API show it.
    EDITABLE_FIELDS = [
        "funding_model",
        "funder",
        "amount",
        "currency",
        "year_start",
        "year_end",
        "date",
        "is_in_kind",
        "note",
    ]

    objects = FundingContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding contribution")
        verbose_name_plural = _("funding contributions")
        indexes = [
            models.Index(fields=["funder", "initiative"], name="contribution_funder_initiative")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funding_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, currency="")
                | (Q(amount__isnull=False) & ~Q(currency="")),
                name="funding_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=dates_in_order("year_start", "year_end"), name="funding_years_in_order"
            ),
            YearRange(1950, 2100).constraint("year_start", name="funding_year_range"),
        ]

    def __str__(self) -> str:
        if self.amount is not None:
            # As on the pages: whole units, grouped for the active language ("12.500 BRL").
            amount = floatformat(self.amount, "0g")
            return f"{self.funding_model}: {amount} {self.currency}"
        return str(self.funding_model)
