"""Public pages of practices (``/practices/``), and the page where editors propose one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from charts import world_map
from initiatives import aggregates
from initiatives.models import Initiative
from learning.models import Listing, Practice, Theme
from learning.practices import reads
from learning.practices.diagram import path_diagram
from learning.practices.forms import PracticeProposalForm
from learning.practices.services import practice_propose, proposing_organisations


def practice_list(request):
    themes = list(Theme.objects.order_by("position", "name"))
    selected = next((t for t in themes if t.slug == request.GET.get("theme")), None)
    context = {
        "practices": reads.practice_index(request.user, theme=selected),
        "themes": themes,
        "selected_theme": selected,
        "can_propose": proposing_organisations(request.user).exists()
        if request.user.is_authenticated
        else False,
    }
    return render(request, "learning/practices/practice_list.html", context)


def _country_link(code: str, role: str) -> str:
    return reverse("country-detail", kwargs={"code": code.lower()})


def practice_detail(request, slug: str):
    practice = reads.practice_for_page(request.user, slug)
    if practice is None:
        raise Http404
    steps = reads.practice_path(request.user, practice)
    used_in = Initiative.objects.visible_to(request.user).filter(practice_uses__practice=practice)
    by_country = aggregates.count_by_country(used_in)
    title = _("Where “%(practice)s” was used") % {"practice": practice.shown.name}
    context = {
        "practice": practice,
        "awaiting_review": practice.status != Practice.Status.ACCEPTED,
        "steps": steps,
        "links": [step for step in steps if step.learned_from is not None],
        "map": world_map(
            key="map-practice",
            title=title,
            countries=by_country,
            flows=aggregates.count_flows(used_in),
            empty_message=_("No published initiative records this practice yet."),
            country_link=_country_link,
        ),
        "diagram": path_diagram(steps, key="practice-path", title=_("How the practice travelled"))
        if steps
        else None,
        "lessons": reads.practice_lessons(request.user, practice),
        "exchange": _exchange_about(request.user, practice),
    }
    return render(request, "learning/practices/practice_detail.html", context)


def _exchange_about(user, practice: Practice) -> list[dict]:
    """The open offers and requests about ``practice``, counted by kind, each with the
    exchange's address listing them."""
    counts = dict(
        Listing.objects.visible_to(user)
        .open()
        .filter(practice=practice)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    exchange = reverse("exchange-list")
    return [
        {
            "kind": kind,
            "count": counts.get(kind, 0),
            "url": f"{exchange}?{urlencode({'practice': practice.slug, 'kind': kind})}",
        }
        for kind in (Listing.Kind.OFFER, Listing.Kind.REQUEST)
    ]


@login_required
def practice_propose_page(request):
    organisations = proposing_organisations(request.user)
    if not organisations.exists():
        messages.error(request, _("You need to belong to an organisation to propose a practice."))
        return redirect("practice-list")
    form = PracticeProposalForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        practice = practice_propose(
            by=request.user,
            organisation=data["organisation"],
            name=data["name"],
            summary=data["summary"],
            description=data["description"],
            language=data["language"],
            themes=list(data["themes"]),
        )
        messages.success(
            request,
            _(
                "“%(name)s” was proposed. A moderator will review it; until then only your "
                "organisation and the moderators can see it."
            )
            % {"name": practice.name},
        )
        return redirect("practice-detail", slug=practice.slug)
    return render(request, "learning/practices/practice_propose.html", {"form": form})
