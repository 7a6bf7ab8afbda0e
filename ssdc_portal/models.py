"""Abstract building blocks shared by every app's models."""

from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds the creation and last-change times every table of the portal carries."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


def account_link(verbose_name: str, **options) -> models.ForeignKey:
    """A record's note of the account that did something to it (created, reviewed,
    invited…). The record outlives the account: the link empties when the account is
    deleted, and accounts get no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


def dates_in_order(start: str, end: str) -> Q:
    """A check condition: ``end`` is not before ``start`` when both are given."""
    return (
        Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{end + "__gte": F(start)})
    )


class YearRange(NamedTuple):
    """The years a year field accepts, declared once for the database's check constraint and
    for the validators that give forms the same rule."""

    first: int
    last: int

    @property
    def validators(self) -> list:
        return [MinValueValidator(self.first), MaxValueValidator(self.last)]

    def optional_field(self, verbose_name: str, **options) -> models.PositiveSmallIntegerField:
        """A year that may be left empty, with this range's validators."""
        return models.PositiveSmallIntegerField(
            verbose_name, null=True, blank=True, validators=self.validators, **options
        )

    def constraint(self, field: str, *, name: str, optional: bool = True) -> models.CheckConstraint:
        """The database's check that ``field`` lies in the range (or is empty, if optional)."""
        within = Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last})
        condition = Q(**{f"{field}__isnull": True}) | within if optional else within
        return models.CheckConstraint(condition=condition, name=name)
