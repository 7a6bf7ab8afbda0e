"""The world map: countries shaded by their number of initiatives, with provider → recipient
flows drawn as arrows."""

import math
from collections.abc import Callable, Sequence
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charts.map_geometry import Point, WorldGeometry, main_outline_bounds, world_geometry
from charts.svg import (
    GRID,
    MUTED,
    Chart,
    DataTable,
    LegendItem,
    figure,
    listing_of,
    svg_document,
    svg_link,
    svg_number,
    svg_text,
)

MAP_SHADES = ("#c4e4d6", "#8cc8ae", "#4fa585", "#1f7b5f", "#0b4a3a")
MAP_NO_DATA = "#dde2e6"
MAP_WATER = "#f3f6f8"
FLOW_COLOUR = "#9c3d00"
HIGHLIGHT = "#ffbf47"  # the country a map is about: a hue no shade has, outlined in ink
HIGHLIGHT_OUTLINE = "#1b1f23"
ZOOM_SMALLEST = 0.3  # a zoomed map shows at least this share of the world's width
MAP_MOST_FLOWS = 60  # arrows drawn; the table lists every flow


class CountryCount(Protocol):
    """A country's number of initiatives (``initiatives.aggregates.CountryCount`` is one)."""

    code: str  # ISO 3166-1 alpha-2
    name: str
    as_provider: int
    as_recipient: int
    initiatives: int  # as provider or recipient, each initiative once


class Flow(Protocol):
    """Initiatives from one provider country to one recipient country."""

    provider: str  # ISO 3166-1 alpha-2
    recipient: str
    provider_name: str
    recipient_name: str
    initiatives: int


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
    return figure(low) if low == high else f"{figure(low)}–{figure(high)}"


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
        f"M{svg_number(x0)} {svg_number(y0)}Q{svg_number(control[0])} {svg_number(control[1])} "
        f"{svg_number(base[0])} {svg_number(base[1])}"
    )
    arrow = (
        f"M{svg_number(x1)} {svg_number(y1)}L{svg_number(base[0] - uy * half)} "
        f"{svg_number(base[1] + ux * half)}L{svg_number(base[0] + uy * half)} "
        f"{svg_number(base[1] - ux * half)}z"
    )
    return curve, arrow


def _zoomed(geometry: WorldGeometry, code: str) -> tuple[float, float, float, float] | None:
    """A view box around country ``code`` (its mainland, with some of its surroundings), in
    the map's proportions; ``None`` if the map has no such country."""
    shape = geometry.countries.get(code)
    if shape is None:
        return None
    left, top, right, bottom = main_outline_bounds(shape)
    ratio = geometry.height / geometry.width
    width = max((right - left) * 1.6, (bottom - top) * 1.6 / ratio, geometry.width * ZOOM_SMALLEST)
    width = min(width, geometry.width)
    height = width * ratio
    x = min(max((left + right) / 2 - width / 2, 0), geometry.width - width)
    y = min(max((top + bottom) / 2 - height / 2, 0), geometry.height - height)
    return (x, y, width, height)


def world_map(
    *,
    key: str,
    title: str,
    countries: Sequence[CountryCount],
    flows: Sequence[Flow],
    empty_message: str | None = None,
    flow_link: Callable[[str, str], str] | None = None,
    country_link: Callable[[str, str], str] | None = None,
    highlight: str | None = None,
    highlight_name: str = "",
    flows_listed: int | None = None,
    all_flows: Sequence[tuple[str, str]] = (),
) -> Chart:
    """Countries shaded by the initiatives they take part in (as provider or recipient), with
    provider → recipient flows drawn as arrows whose width grows with their count.

    ``flow_link(provider, recipient)`` gives the address each flow (its arrow and its row of
    the table) links to; ``country_link(code, role)`` those of a country's counts as
    ``"provider"`` and as ``"recipient"`` in the table of countries. The map of one country
    (``highlight``, an ISO code, named ``highlight_name``) is zoomed to it and shows it in a
    colour of its own. ``flows_listed``: the table of flows lists that many of the largest
    (all by default), and ``all_flows`` (label, address) say where the rest can be read."""
    geometry = world_geometry()
    highlighted = (highlight or "").lower()
    view_box = _zoomed(geometry, highlighted) if highlighted else None
    unit = view_box[2] / geometry.width if view_box else 1.0  # strokes keep their width
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
        if code == highlighted:
            continue  # drawn last, on top of its neighbours' borders
        count = counts.get(code, 0)
        colour = shade(count)
        label = ""
        if count:
            label = f"<title>{svg_text(names[code])}: {figure(count)}</title>"
        if shape.path:
            body.append(f'<path d="{shape.path}" fill="{colour}">{label}</path>')
        for x, y, r in shape.circles:
            body.append(f'<circle cx="{x}" cy="{y}" r="{svg_number(r)}" fill="{colour}"/>')
    body.append("</g>")
    if highlighted in geometry.countries:
        shape = geometry.countries[highlighted]
        outline = (
            f'fill="{HIGHLIGHT}" stroke="{HIGHLIGHT_OUTLINE}" '
            f'stroke-width="{svg_number(1.5 * unit)}" stroke-linejoin="round"'
        )
        label = f"<title>{svg_text(highlight_name or highlighted.upper())}</title>"
        if shape.path:
            body.append(f'<path d="{shape.path}" {outline}>{label}</path>')
        for x, y, r in shape.circles:
            body.append(f'<circle cx="{x}" cy="{y}" r="{svg_number(r)}" {outline}/>')

    busiest = max((flow.initiatives for flow in flows), default=1)
    drawn = sorted(flows, key=lambda f: -f.initiatives)[:MAP_MOST_FLOWS]
    arrows = []
    for flow in reversed(drawn):  # the largest last, on top
        start = geometry.countries.get(flow.provider.lower())
        end = geometry.countries.get(flow.recipient.lower())
        if start is None or end is None:
            continue
        width = (2 + 4 * flow.initiatives / busiest) * unit
        curve, arrow = _flow_path(start.centre, end.centre, width)
        name = ngettext(
            "%(provider)s → %(recipient)s: %(count)s initiative, show it in the list",
            "%(provider)s → %(recipient)s: %(count)s initiatives, show them in the list",
            flow.initiatives,
        ) % {
            "provider": flow.provider_name,
            "recipient": flow.recipient_name,
            "count": figure(flow.initiatives),
        }
        href = flow_link(flow.provider, flow.recipient) if flow_link else None
        arrows.append(
            f"<g><title>{svg_text(flow.provider_name)} → {svg_text(flow.recipient_name)}: "
            f"{figure(flow.initiatives)}</title>"
            f'<path d="{curve}" fill="none" stroke="#ffffff" stroke-opacity="0.85" '
            f'stroke-width="{svg_number(width + 2.5 * unit)}" stroke-linecap="round"/>'
            f'<path d="{arrow}" fill="#ffffff" stroke="#ffffff" '
            f'stroke-width="{svg_number(2.5 * unit)}" '
            f'stroke-linejoin="round" stroke-opacity="0.85"/>'
            f'<path d="{curve}" fill="none" stroke="{FLOW_COLOUR}" '
            f'stroke-width="{svg_number(width)}" stroke-linecap="round"/>'
            f'<path d="{arrow}" fill="{FLOW_COLOUR}"/>'
            f'<circle cx="{start.centre[0]}" cy="{start.centre[1]}" '
            f'r="{svg_number(width / 2 + 1.5 * unit)}" fill="{FLOW_COLOUR}" stroke="#ffffff" '
            f'stroke-width="{svg_number(unit)}"/></g>'
        )
        arrows[-1] = svg_link(href, name, arrows[-1])
    body.extend(arrows)
    if not counts:
        message = empty_message or _("No published initiatives yet.")
        body.append(
            f'<rect x="{geometry.width / 2 - 260}" y="{geometry.height / 2 - 36}" width="520" '
            f'height="64" rx="8" fill="#ffffff" stroke="{GRID}" stroke-width="2"/>'
            f'<text x="{geometry.width / 2}" y="{geometry.height / 2 + 6}" text-anchor="middle" '
            f'font-size="26" fill="{MUTED}">{svg_text(message)}</text>'
        )

    listed = flows if flows_listed is None else flows[:flows_listed]
    flow_rows = tuple(
        (flow.provider_name, flow.recipient_name, flow.initiatives) for flow in listed
    )
    ordered = sorted(countries, key=lambda c: (-c.initiatives, c.name))
    country_rows = tuple((c.name, c.as_provider, c.as_recipient, c.initiatives) for c in ordered)
    flow_links = ()
    if flow_link:
        flow_links = tuple(
            (None, None, flow_link(flow.provider, flow.recipient)) for flow in listed
        )
    country_links = ()
    if country_link:
        country_links = tuple(
            (
                None,
                country_link(c.code, "provider") if c.as_provider else None,
                country_link(c.code, "recipient") if c.as_recipient else None,
                None,
            )
            for c in ordered
        )
    is_empty = not counts
    if is_empty:
        description = message
    else:
        top_flows = listing_of(
            (f"{provider} → {recipient}", count) for provider, recipient, count in flow_rows[:10]
        )
        description = ngettext(
            "World map of the %(countries)d country taking part in initiatives, shaded by "
            "number of initiatives. Flows from provider to recipient countries: %(flows)s.",
            "World map of the %(countries)d countries taking part in initiatives, shaded by "
            "number of initiatives. Flows from provider to recipient countries: %(flows)s.",
            len(counts),
        ) % {"countries": len(counts), "flows": top_flows or _("none recorded")}
    if highlighted in geometry.countries:
        where = (
            _("The map is zoomed to %(country)s, shown in yellow with a dark outline.")
            if view_box and view_box[2] < geometry.width
            else _("%(country)s is shown in yellow with a dark outline.")
        )
        description = f"{description} {where % {'country': highlight_name or highlight}}"
    svg = svg_document(
        key=key,
        title=title,
        description=description,
        width=geometry.width,
        height=geometry.height,
        body="".join(body),
        interactive=bool(flow_link and drawn),
        view_box=view_box,
    )
    note = ""
    if len(flows) > len(listed):
        note = _(
            "The map draws the %(drawn)d largest flows and the table lists the %(listed)d "
            "largest, of %(count)s flows; every flow is in the data linked after the table."
        ) % {"drawn": len(drawn), "listed": len(listed), "count": figure(len(flows))}
    elif len(flows) > len(drawn):
        note = _("The map draws the %(count)d largest flows; the table lists all of them.") % {
            "count": len(drawn)
        }
    legend = (
        *(
            (LegendItem(HIGHLIGHT, highlight_name or highlight.upper()),)
            if highlighted in geometry.countries
            else ()
        ),
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
        links=flow_links,
        data_links=tuple(all_flows) if len(flows) > len(listed) else (),
        extra_tables=(
            DataTable(
                _("Initiatives per country"),
                (_("Country"), _("As provider"), _("As recipient"), _("Initiatives")),
                country_rows,
                links=country_links,
            ),
        ),
    )
