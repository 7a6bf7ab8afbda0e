from django.shortcuts import get_object_or_404, render

from initiatives.models import Initiative


def home(request):
    published = Initiative.objects.published()
    context = {
        "initiative_count": published.count(),
        "initiatives": published.order_by("title").only("title", "slug", "summary"),
    }
    return render(request, "initiatives/home.html", context)


def initiative_detail(request, slug: str):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user), slug=slug)
    return render(request, "initiatives/initiative_detail.html", {"initiative": initiative})
