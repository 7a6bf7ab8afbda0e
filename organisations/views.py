"""The public profile of an organisation (``/organisations/<slug>/``).

An organisation is shown only if ``Organisation.objects.visible_to(request.user)`` holds it,
and so are the networks and members listed on its page. The apps that record what
organisations do add their sections (the initiatives it takes part in, those it funds; see
``organisations.extensions``). The page runs a fixed number of queries whatever the data.
"""

from django.shortcuts import get_object_or_404, render

from organisations.extensions import profile_sections
from organisations.models import NetworkMembership, Organisation, OrganisationType


def organisation_detail(request, slug: str):
    organisations = Organisation.objects.visible_to(request.user)
    organisation = get_object_or_404(organisations.select_related("home_country"), slug=slug)
    networks = NetworkMembership.objects.filter(member=organisation, network__in=organisations)
    members = NetworkMembership.objects.none()
    if organisation.actor_type == OrganisationType.NETWORK:
        members = NetworkMembership.objects.filter(network=organisation, member__in=organisations)
    context = {
        "organisation": organisation,
        "networks": networks.select_related("network").order_by("network__name"),
        "members": members.select_related("member__home_country").order_by("member__name"),
        "sections": profile_sections(request, organisation),
    }
    return render(request, "organisations/organisation_detail.html", context)
