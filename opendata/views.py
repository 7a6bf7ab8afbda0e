from django.conf import settings
from django.shortcuts import render

from initiatives.columns import LIST_SEPARATOR, TABLES
from opendata.sections import data_sections


def data_home(request):
    """``/data/``: the front door for people who reuse the data."""
    return render(
        request,
        "opendata/data.html",
        {"sections": data_sections(), "licence": settings.DATA_LICENCE},
    )


def data_dictionary(request):
    """``/data/dictionary/``: every column of the tables the portal gives out, declared once
    in the column registry."""
    return render(
        request,
        "opendata/dictionary.html",
        {"tables": TABLES.values(), "separator": LIST_SEPARATOR},
    )
