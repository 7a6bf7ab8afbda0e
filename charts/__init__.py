"""Charts and the world map as self-contained inline SVG, each with a table alternative.

Why a small renderer of our own instead of a charting library: the charts are plain counts
(horizontal bars, one column chart over time, a shaded map with flows), and they must look the
same in a browser and in the PDF reports WeasyPrint makes. Hand-written SVG with presentation
attributes only renders identically in both, passes a strict Content-Security-Policy, and adds
no dependency. pygal would need its CDN JavaScript switched off and its CSS worked around;
Vega-Lite would bring a large native wheel for a handful of bar charts. Horizontal bars with the
label above each bar read well with long category names and on a narrow phone screen.

- ``svg``: the :class:`Chart` every builder returns (a title, a text description that is also
  the SVG's ``<desc>``, the SVG, and the same numbers as table rows), the palette and the SVG
  primitives;
- ``bars``: bar charts and the column chart over years;
- ``map_geometry``: the country outlines, read once per process from an installed package;
- ``world_map``: the shaded map with its flows.

This package draws; it knows nothing of the portal's records. ``initiatives/charts.py`` builds
the portal's charts from a queryset of initiatives, and ``initiatives/includes/chart.html``
renders a :class:`Chart`, on a page and in a PDF.
"""

from charts.bars import bar_chart, grouped_bar_chart, timeline_chart
from charts.map_geometry import MAP_WIDTH, world_geometry
from charts.svg import Chart, DataTable, LegendItem
from charts.world_map import MAP_MOST_FLOWS, shade_classes, world_map

__all__ = [
    "MAP_MOST_FLOWS",
    "MAP_WIDTH",
    "Chart",
    "DataTable",
    "LegendItem",
    "bar_chart",
    "grouped_bar_chart",
    "shade_classes",
    "timeline_chart",
    "world_geometry",
    "world_map",
]
