"""Withdrawn records in the API: what a client that keeps a copy of the published records
must remove. An archived record was public; its address, the time it was withdrawn and its
last published version stay public."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from initiatives.browse.fields import moment_since
from initiatives.models import Initiative
from ssdc_portal.links import absolute_url


class WithdrawalOut(serializers.Serializer):
    slug = serializers.SlugField(help_text="The record's address on the portal and in the API.")
    withdrawn_at = serializers.DateTimeField(
        allow_null=True, help_text="When a moderator withdrew (archived) it."
    )
    last_version = serializers.IntegerField(
        allow_null=True, help_text="The number of its last published version."
    )
    last_version_url = serializers.URLField(
        allow_null=True,
        help_text="The address of that version, which stays readable and citable.",
    )


class WithdrawalListOut(serializers.Serializer):
    results = WithdrawalOut(many=True)


def withdrawal_rows(request, since: str | None) -> list[dict]:
    """Withdrawn records (at or after ``since``, a date or date-time), oldest first, in one
    query."""
    withdrawn = Initiative.objects.filter(state=Initiative.State.ARCHIVED)
    if since is not None:
        moment = moment_since(since)
        if moment is None:
            raise ValidationError(
                {
                    "since": [
                        _(
                            "Give a date (2025-03-01) or a date and time with its time zone "
                            "(2025-03-01T09:30:00Z)."
                        )
                    ]
                }
            )
        withdrawn = withdrawn.filter(archived_at__gte=moment)
    rows = (
        withdrawn.annotate(last_version=Max("published_versions__number"))
        .order_by("archived_at", "pk")
        .values("slug", "archived_at", "last_version")
    )
    return [
        {
            "slug": row["slug"],
            "withdrawn_at": row["archived_at"],
            "last_version": row["last_version"],
            "last_version_url": row["last_version"]
            and absolute_url(
                reverse(
                    "initiative-version",
                    kwargs={"slug": row["slug"], "number": row["last_version"]},
                ),
                request,
            ),
        }
        for row in rows
    ]
