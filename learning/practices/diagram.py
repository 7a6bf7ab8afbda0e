"""The path a practice travelled, drawn as SVG: one initiative a row, oldest first, with
its year and countries, and an arrow from the initiative the practice was learned from to
the initiative that learned it. The page gives the same steps as a table."""

from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from charts.svg import INK, MUTED, svg_document, svg_number, svg_text, wrap_label
from charts.world_map import FLOW_COLOUR

WIDTH = 640
ROW = 64
TOP = 28
NODE_X = 96
NODE_RADIUS = 7
USED = "#0b5f4a"
NOT_USED = "#ffffff"


def _arc(source_y: float, target_y: float) -> tuple[str, str]:
    """A curve on the left of the nodes from one row to another, and its arrow head."""
    span = abs(target_y - source_y) / ROW
    bend = min(24 + 14 * span, NODE_X - 12)
    x = NODE_X - NODE_RADIUS - 2
    end = x - 7
    curve = (
        f"M{x} {svg_number(source_y)}C{svg_number(x - bend)} {svg_number(source_y)} "
        f"{svg_number(x - bend)} {svg_number(target_y)} {end} {svg_number(target_y)}"
    )
    arrow = (
        f"M{x} {svg_number(target_y)}L{end - 1} {svg_number(target_y - 5)}"
        f"L{end - 1} {svg_number(target_y + 5)}z"
    )
    return curve, arrow


def path_diagram(steps, *, key: str, title: str) -> SafeString:
    """``steps`` (``learning.practices.reads.Step``, oldest first) as an SVG figure whose
    nodes link to the initiatives' pages."""
    rows = {step.initiative.pk: index for index, step in enumerate(steps)}
    height = TOP + ROW * max(len(steps), 1)
    body = []
    links = []
    for index, step in enumerate(steps):
        if step.learned_from is None or step.learned_from.pk not in rows:
            continue
        source_y = TOP + ROW * rows[step.learned_from.pk]
        target_y = TOP + ROW * index
        curve, arrow = _arc(source_y, target_y)
        links.append((step.learned_from, step.initiative))
        body.append(
            f'<path d="{curve}" fill="none" stroke="{FLOW_COLOUR}" stroke-width="2.5"/>'
            f'<path d="{arrow}" fill="{FLOW_COLOUR}"/>'
        )
    for index, step in enumerate(steps):
        y = TOP + ROW * index
        shown = step.initiative.shown.title
        year = str(step.started.year) if step.started else "—"
        countries = " → ".join(
            part for part in (", ".join(step.providers), ", ".join(step.recipients)) if part
        )
        lines = wrap_label(shown.text, 58, lines=1)
        fill = USED if step.used else NOT_USED
        node = (
            f'<circle cx="{NODE_X}" cy="{y}" r="{NODE_RADIUS}" fill="{fill}" stroke="{USED}" '
            f'stroke-width="2.5"/>'
            f'<text x="8" y="{y + 5}" font-size="14" font-weight="600" fill="{INK}">{year}</text>'
            f'<text x="{NODE_X + 16}" y="{y + 2}" font-size="14" font-weight="600" fill="{INK}" '
            f'lang="{svg_text(shown.language)}">{svg_text(lines[0])}</text>'
            f'<text x="{NODE_X + 16}" y="{y + 21}" font-size="12.5" fill="{MUTED}">'
            f"{svg_text(wrap_label(countries, 72, lines=1)[0])}</text>"
        )
        # Named by a <title> child (not aria-label): the name then need not repeat the
        # shortened title, year and countries the node shows.
        name = ", ".join(part for part in (shown.text, year, countries) if part)
        body.append(
            f'<a href="{svg_text(step.initiative.get_absolute_url())}">'
            f'<title lang="{svg_text(shown.language)}">{svg_text(name)}</title><g>{node}</g></a>'
        )
    if links:
        listed = "; ".join(
            f"{source.shown.title} → {target.shown.title}" for source, target in links
        )
        description = ngettext(
            "%(count)d initiative used the practice or taught it, oldest first. Learned from: "
            "%(links)s.",
            "%(count)d initiatives used the practice or taught it, oldest first. Learned from: "
            "%(links)s.",
            len(steps),
        ) % {"count": len(steps), "links": listed}
    else:
        description = ngettext(
            "%(count)d initiative used the practice; none records where it learned it.",
            "%(count)d initiatives used the practice; none records where they learned it.",
            len(steps),
        ) % {"count": len(steps)}
    return svg_document(
        key=key,
        title=title,
        description=description,
        width=WIDTH,
        height=height,
        body="".join(body),
        interactive=bool(steps),
    )
