"""Template context shared by every page."""

from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


@cache
def _has_static(path: str) -> bool:
    # Built assets are fixed for the life of a process (they come with a deploy).
    return bool(finders.find(path)) or staticfiles_storage.exists(path)


def frontend(request) -> dict:
    """Whether optional front-end assets were built (``make assets``); pages work without."""
    return {
        "htmx_available": _has_static("vendor/htmx.min.js"),
        "pickers_available": _has_static("vendor/tom-select.complete.min.js")
        and _has_static("vendor/tom-select.min.css"),
    }
