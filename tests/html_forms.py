"""Read a rendered HTML form the way a browser would submit it, for page tests."""

import re
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_class: str | None):
        super().__init__()
        self.form_class = form_class
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_has_selection = False
        self._first_option: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            classes = (attributes.get("class") or "").split()
            self.inside = self.form_class is None or self.form_class in classes
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit", "file"}:
            if attributes.get("type") in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self._add(name, attributes.get("value", "on"))
            else:
                self._add(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_has_selection, self._first_option = name, False, None
            self._multiple = "multiple" in attributes
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attributes:
                self._add(self._select, value)
                self._select_has_selection = True
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_has_selection and not self._multiple:
                self._add(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += (
                data.lstrip("\n") if not self.fields[self._textarea][-1] else data
            )


def form_fields(html: str, form_class: str | None = None) -> dict:
    """Field name → value (or list of values for multi-selects and repeated names)."""
    reader = _FormReader(form_class)
    reader.feed(html)
    return {
        name: values if len(values) > 1 else values[0] for name, values in reader.fields.items()
    }


CSRF_TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+"')


def without_csrf_tokens(html: str) -> str:
    """The page with its CSRF tokens blanked out: they are masked afresh on every page, so
    two renderings of the same page differ only there."""
    return CSRF_TOKENS.sub(r'\1"', html)
