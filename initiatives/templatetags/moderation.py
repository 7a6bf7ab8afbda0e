"""The moderation queue at a glance, for the admin's home page."""

from django import template
from django.db.models import Count, Q
from django.urls import reverse

from initiatives.admin.moderation import ChangedSinceReviewFilter, is_moderator
from initiatives.models import Initiative

register = template.Library()

# How many of the longest-waiting submissions the home page names.
OLDEST_SHOWN = 5


@register.inclusion_tag("admin/initiatives/moderation_queue.html", takes_context=True)
def moderation_queue(context):
    """What awaits a moderator: submitted records, published records changed since their
    review, and the submissions that have waited longest. Nothing for other staff, who
    cannot moderate. Three queries, whatever the number of records."""
    request = context["request"]
    if not is_moderator(request.user):
        return {"shown": False}
    changed = Initiative.objects.changed_since_review().values("pk")
    counts = Initiative.objects.aggregate(
        submitted=Count("pk", filter=Q(state=Initiative.State.SUBMITTED)),
        changed=Count("pk", filter=Q(pk__in=changed)),
    )
    oldest = (
        Initiative.objects.filter(state=Initiative.State.SUBMITTED)
        .select_related("owner")
        .order_by("submitted_at", "pk")[:OLDEST_SHOWN]
    )
    changelist = reverse("admin:initiatives_initiative_changelist")
    return {
        "shown": True,
        "submitted_count": counts["submitted"],
        "changed_count": counts["changed"],
        "queue_url": reverse("admin:initiatives_initiative_queue"),
        "changed_url": f"{changelist}?{ChangedSinceReviewFilter.parameter_name}=yes",
        "oldest": [
            {
                "initiative": initiative,
                "url": reverse("admin:initiatives_initiative_change", args=[initiative.pk]),
            }
            for initiative in oldest
        ],
    }
