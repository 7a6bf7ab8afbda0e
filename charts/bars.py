"""Horizontal bar charts (one or two series) and a column chart over years."""

import math
from collections.abc import Sequence

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charts.svg import (
    BAR_WIDTH,
    GRID,
    INK,
    MUTED,
    SERIES_COLOURS,
    Chart,
    LegendItem,
    empty_svg,
    figure,
    listing_of,
    svg_document,
    svg_link,
    svg_number,
    svg_text,
    wrap_label,
)

BAR_HEIGHT = 18
LABEL_SIZE = 15
VALUE_SIZE = 14
LABEL_CHARS = 48  # characters per label line at LABEL_SIZE across BAR_WIDTH


def _bars_svg(
    *,
    key: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, Sequence[int]]],
    colours: Sequence[str],
    links: Sequence[str | None] = (),
) -> SafeString:
    value_room = 44
    plot = BAR_WIDTH - value_room - 2
    largest = max((max(values) for _, values in categories), default=0) or 1
    y = 0.0
    parts = []
    links = list(links) or [None] * len(categories)
    for (label, values), href in zip(categories, links, strict=True):
        group = [f"<title>{svg_text(label)}: {', '.join(map(figure, values))}</title>"]
        for line in wrap_label(label, LABEL_CHARS):
            y += LABEL_SIZE + 4
            # The space ending each line keeps the words of the label and the count apart
            # in the text read from the SVG (a link's visible text must read as its name);
            # SVG does not draw it.
            group.append(
                f'<text x="6" y="{svg_number(y - 4)}" font-size="{LABEL_SIZE}" fill="{INK}">'
                f"{svg_text(line)} </text>"
            )
        y += 2
        for value, colour in zip(values, colours, strict=False):
            length = plot * value / largest
            if value:
                group.append(
                    f'<rect x="2" y="{svg_number(y)}" width="{svg_number(max(length, 2))}" '
                    f'height="{BAR_HEIGHT}" rx="2" fill="{colour}"/>'
                )
            group.append(
                f'<text x="{svg_number(2 + length + 6)}" y="{svg_number(y + BAR_HEIGHT - 4)}" '
                f'font-size="{VALUE_SIZE}" font-weight="600" fill="{INK}">{figure(value)}</text>'
            )
            y += BAR_HEIGHT + 3
        y += 10
        total = sum(values)
        name = ngettext(
            "%(label)s: %(count)s initiative, show it in the list",
            "%(label)s: %(count)s initiatives, show them in the list",
            total,
        ) % {"label": label, "count": figure(total)}
        parts.append(svg_link(href, name, f"<g>{''.join(group)}</g>"))
    axis = f'<line x1="1" x2="1" y1="0" y2="{svg_number(y)}" stroke="{GRID}" stroke-width="2"/>'
    return svg_document(
        key=key,
        title=title,
        description=description,
        width=BAR_WIDTH,
        height=y,
        body=axis + "".join(parts),
        interactive=any(links),
    )


def bar_chart(
    *,
    key: str,
    title: str,
    category_header: str,
    rows: Sequence[tuple[str, int]],
    value_header: str | None = None,
    empty_message: str | None = None,
    note: str = "",
    links: Sequence[str | None] = (),
) -> Chart:
    """Horizontal bars, one per ``(label, count)``, in the order given; with ``links``, each
    bar (and its row of the table) links to the address given for it."""
    value_header = value_header or _("Initiatives")
    rows = tuple((str(label), int(value)) for label, value in rows)
    is_empty = not any(value for _, value in rows)
    if is_empty:
        message = empty_message or _("No published initiatives yet.")
        svg = empty_svg(key=key, title=title, message=message)
        description = message
    else:
        description = _("Bar chart. %(listing)s.") % {"listing": listing_of(rows)}
        svg = _bars_svg(
            key=key,
            title=title,
            description=description,
            categories=[(label, (value,)) for label, value in rows],
            colours=SERIES_COLOURS[:1],
            links=[href if value else None for href, (_label, value) in zip(links, rows)]
            if links
            else (),
        )
    return Chart(
        key=key,
        title=title,
        description=description,
        svg=svg,
        headers=(category_header, value_header),
        rows=rows,
        is_empty=is_empty,
        note=note,
        links=tuple(
            (None, href if value else None)
            for href, (_label, value) in zip(links, rows, strict=True)
        )
        if links
        else (),
    )


def grouped_bar_chart(
    *,
    key: str,
    title: str,
    category_header: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int]]],
    empty_message: str | None = None,
    note: str = "",
) -> Chart:
    """Horizontal bars, one per series (at most two), for each ``(label, counts)``."""
    if not 1 <= len(series) <= len(SERIES_COLOURS):
        raise ValueError(f"grouped_bar_chart takes 1 to {len(SERIES_COLOURS)} series")
    rows = tuple((str(label), tuple(int(v) for v in values)) for label, values in rows)
    colours = SERIES_COLOURS[: len(series)]
    is_empty = not any(any(values) for _, values in rows)
    if is_empty:
        message = empty_message or _("No published initiatives yet.")
        svg = empty_svg(key=key, title=title, message=message)
        description = message
    else:
        listing = listing_of(
            (label, ", ".join(f"{name} {figure(value)}" for name, value in zip(series, values)))
            for label, values in rows
        )
        description = _("Bar chart. %(listing)s.") % {"listing": listing}
        svg = _bars_svg(
            key=key, title=title, description=description, categories=rows, colours=colours
        )
    return Chart(
        key=key,
        title=title,
        description=description,
        svg=svg,
        headers=(category_header, *series),
        rows=tuple((label, *values) for label, values in rows),
        is_empty=is_empty,
        note=note,
        legend=tuple(LegendItem(colour, name) for colour, name in zip(colours, series)),
    )


def _nice_step(largest: int) -> int:
    step = 1
    while largest / step > 5:
        for factor in (2, 5, 10):
            if largest / (step * factor) <= 5:
                return step * factor
        step *= 10
    return step


def timeline_chart(
    *,
    key: str,
    title: str,
    rows: Sequence[tuple[int | None, int]],
    empty_message: str | None = None,
    note: str = "",
) -> Chart:
    """Columns per year from the first to the last year with data (gaps shown as zero).

    A ``None`` year counts initiatives with no year recorded: it appears in the table and the
    description, not as a column.
    """
    unknown = sum(value for year, value in rows if year is None)
    by_year = {int(year): int(value) for year, value in rows if year is not None}
    table_rows = [(str(year), value) for year, value in sorted(by_year.items())]
    if unknown:
        table_rows.append((_("Year not recorded"), unknown))
    headers = (_("Start year"), _("Initiatives"))
    if not by_year:
        message = empty_message or _("No published initiatives yet.")
        if unknown:
            message = _("No start dates recorded yet.")
        return Chart(
            key=key,
            title=title,
            description=message,
            svg=empty_svg(key=key, title=title, message=message),
            headers=headers,
            rows=tuple(table_rows),
            is_empty=True,
            note=note,
        )
    years = list(range(min(by_year), max(by_year) + 1))
    description = _("Column chart by start year. %(listing)s.") % {
        "listing": listing_of(table_rows)
    }
    svg = _columns_svg(
        key=key,
        title=title,
        description=description,
        values=[(y, by_year.get(y, 0)) for y in years],
    )
    return Chart(
        key=key,
        title=title,
        description=description,
        svg=svg,
        headers=headers,
        rows=tuple(table_rows),
        note=note,
    )


def _columns_svg(
    *, key: str, title: str, description: str, values: Sequence[tuple[int, int]]
) -> SafeString:
    width, plot_height, left, top, bottom = BAR_WIDTH, 180, 32, 22, 30
    largest = max(value for _, value in values) or 1
    step = _nice_step(largest)
    top_value = math.ceil(largest / step) * step
    slot = (width - left - 4) / len(values)
    column = min(slot * 0.7, 48)
    label_every = math.ceil(len(values) / ((width - left) / 40))
    parts = []
    for tick in range(0, top_value + 1, step):
        y = top + plot_height - plot_height * tick / top_value
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{svg_number(y)}" y2="{svg_number(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{svg_number(y + 5)}" text-anchor="end" font-size="13" '
            f'fill="{MUTED}">{figure(tick)}</text>'
        )
    for index, (year, value) in enumerate(values):
        x = left + slot * index + (slot - column) / 2
        height = plot_height * value / top_value
        centre = svg_number(x + column / 2)
        group = [f"<title>{year}: {figure(value)}</title>"]
        if value:
            group.append(
                f'<rect x="{svg_number(x)}" y="{svg_number(top + plot_height - height)}" '
                f'width="{svg_number(column)}" height="{svg_number(height)}" rx="2" '
                f'fill="{SERIES_COLOURS[0]}"/>'
            )
            if column >= 16:
                group.append(
                    f'<text x="{centre}" y="{svg_number(top + plot_height - height - 5)}" '
                    f'text-anchor="middle" font-size="13" font-weight="600" fill="{INK}">'
                    f"{figure(value)}</text>"
                )
        if year % label_every == 0:
            group.append(
                f'<text x="{centre}" y="{top + plot_height + 20}" text-anchor="middle" '
                f'font-size="13" fill="{INK}">{year}</text>'
            )
        parts.append(f"<g>{''.join(group)}</g>")
    return svg_document(
        key=key,
        title=title,
        description=description,
        width=width,
        height=top + plot_height + bottom,
        body="".join(parts),
    )
