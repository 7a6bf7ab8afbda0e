from django.conf import settings
from django.shortcuts import render

from opendata.sections import data_sections


def data_home(request):
    """``/data/``: the front door for people who reuse the data."""
    return render(
        request,
        "opendata/data.html",
        {"sections": data_sections(), "licence": settings.DATA_LICENCE},
    )
