"""What every chart is made of: the :class:`Chart` a builder returns, the palette, and the
SVG primitives (escaped text, numbers, the ``<svg>`` document with its title and description,
the placeholder of an empty chart).

Hand-written SVG with presentation attributes only — no scripts, no ``<style>``, no markers, no
external fonts, links or images — renders identically in a browser and in WeasyPrint and passes
a strict Content-Security-Policy.
"""

import math
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

# Palette: text colours pass WCAG AA on white (ink 16:1, muted 7.4:1); bar colours pass the
# 3:1 non-text contrast on white and differ in lightness as well as hue.
INK = "#1b1f23"
MUTED = "#4a5560"
GRID = "#d5dbe0"
SERIES_COLOURS = ("#0b5f4a", "#b35c00")
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif'

# 420 units wide, shown at most 30rem wide: labels read at about 13px on a 390px phone and
# 17px on a desktop. Bar and column charts and the placeholder of an empty chart are this wide.
BAR_WIDTH = 420

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class DataTable:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    label_columns: int = 1  # leading columns that name the row; the rest are counts
    # The address each cell links to (None: no link), row by row as ``rows``; none if empty.
    links: tuple[tuple[str | None, ...], ...] = ()

    @property
    def cells(self) -> list[list[tuple[object, str | None]]]:
        """Each row as (cell, the address it links to or None) pairs."""
        return [
            list(zip(row, links, strict=False)) if links else [(cell, None) for cell in row]
            for row, links in zip(self.rows, self.links or [()] * len(self.rows), strict=False)
        ]

    @property
    def body(self) -> SafeString:
        """The table's rows as HTML, their cells linked: a map's tables run to hundreds of
        rows, which Python writes ten times faster than a template loop."""
        return self._body(linked=True)

    @property
    def printed_body(self) -> SafeString:
        """The rows as a PDF report prints them: no links."""
        return self._body(linked=False)

    def _body(self, *, linked: bool) -> SafeString:
        rows = []
        for row in self.cells:
            cells = []
            for column, (cell, link) in enumerate(row):
                numeric = column >= self.label_columns and column > 0
                shown = conditional_escape(figure(cell) if numeric else cell)
                if link and linked and (column == 0 or numeric):
                    shown = f'<a href="{conditional_escape(link)}">{shown}</a>'
                if column == 0:
                    cells.append(f'<th scope="row">{shown}</th>')
                elif numeric:
                    cells.append(f'<td class="numeric">{shown}</td>')
                else:
                    cells.append(f"<td>{shown}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(rows))  # noqa: S308 - every cell and address escaped above


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str
    is_line: bool = False


@dataclass(frozen=True)
class Chart:
    """One chart or map: what the include template and the PDF reports render."""

    key: str  # unique on a page; used for element ids
    title: str
    description: str
    svg: SafeString
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    is_empty: bool = False
    note: str = ""
    legend: tuple[LegendItem, ...] = ()
    legend_title: str = ""
    extra_tables: tuple[DataTable, ...] = field(default=())

    label_columns: int = 1
    links: tuple[tuple[str | None, ...], ...] = ()  # of the main table's cells (DataTable)
    # (label, address) of data holding more than the tables list (they list the largest rows)
    data_links: tuple[tuple[str, str], ...] = ()

    @property
    def tables(self) -> tuple[DataTable, ...]:
        main = DataTable(self.title, self.headers, self.rows, self.label_columns, self.links)
        return (main, *self.extra_tables)

    @property
    def has_data(self) -> bool:
        """Whether any table holds a count above zero (tables of zeros are left out)."""
        return any(
            isinstance(cell, int) and cell
            for table in self.tables
            for row in table.rows
            for cell in row[table.label_columns :]
        )


# ---------------------------------------------------------------------------------------------
# SVG primitives


def svg_text(value: object) -> str:
    """Escaped text for element content and attribute values."""
    return escape(_XML_INVALID.sub("", str(value)))


def svg_number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg_document(
    *,
    key: str,
    title: str,
    description: str,
    width: float,
    height: float,
    body: str,
    interactive: bool = False,
    view_box: tuple[float, float, float, float] | None = None,
) -> SafeString:
    """The ``<svg>``: an image named by its title and described by ``description``; with
    links in ``body`` (``interactive``), a group, so that the links stay reachable."""
    width, height = math.ceil(width), math.ceil(height)
    box = " ".join(svg_number(n) for n in view_box) if view_box else f"0 0 {width} {height}"
    role = (
        f'role="group" aria-labelledby="{key}-title" aria-describedby="{key}-desc"'
        if interactive
        else f'role="img" aria-labelledby="{key}-title {key}-desc"'
    )
    return mark_safe(  # noqa: S308 - every piece of text in ``body`` went through svg_text()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" {role} '
        f'viewBox="{box}" width="{width}" height="{height}" '
        f'font-family="{svg_text(FONT_FAMILY)}">'
        f'<title id="{key}-title">{svg_text(title)}</title>'
        f'<desc id="{key}-desc">{svg_text(description)}</desc>'
        f"{body}</svg>"
    )


def empty_svg(*, key: str, title: str, message: str) -> SafeString:
    width, height = BAR_WIDTH, 72
    body = (
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="6" fill="#ffffff" '
        f'stroke="{GRID}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{width / 2}" y="{height / 2 + 6}" text-anchor="middle" font-size="16" '
        f'fill="{MUTED}">{svg_text(message)}</text>'
    )
    return svg_document(
        key=key, title=title, description=message, width=width, height=height, body=body
    )


def svg_link(href: str | None, name: str, content: str) -> str:
    """``content`` as a link to ``href`` named ``name`` (as it is, without an address)."""
    if not href:
        return content
    return f'<a href="{svg_text(href)}" aria-label="{svg_text(name)}">{content}</a>'


def wrap_label(label: str, width: int, lines: int = 2) -> list[str]:
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = textwrap.shorten(wrapped[-1] + " …", width, placeholder=" …")
    return wrapped


def figure(value: object) -> str:
    """A count as people read it in the active language (``12,500``, ``12.500``,
    ``12 500``); anything else (a label, a year given as text) as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return str(value)


def listing_of(rows: Iterable[tuple[str, object]]) -> str:
    return "; ".join(f"{label}: {figure(value)}" for label, value in rows)
