"""The zone's network on paper: residents as dots coloured by sector, opportunities as arrows.

The positions come from the network analysis (``services.network``), the same
layout the GUI's network view draws, so the picture on paper is the one the
staff saw on screen: x runs left to right and y top to bottom, both in [0, 1]
(screen coordinates; the drawing turns y over for PDF). Reports may not import
the services, so the input is plain data (``NetworkPicture``), built with
``picture_from_network`` from anything shaped like ``ZoneNetwork``. The
opportunities between the same two residents in the same direction become one
arrow whose width grows with their number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from symdesk.domain.figures import NAMED_IN_A_PICTURE, SECTOR_COLOURS, UNKNOWN_SECTOR_COLOUR
from symdesk.i18n import _
from symdesk.reports.charts import (
    AXIS,
    GRID,
    LABEL_SIZE,
    TEXT,
    add_title,
    new_drawing,
    no_data,
    shorten,
    wrap,
)
from symdesk.reports.pdf_common import FONT, text_width

UNKNOWN_SECTOR = colors.HexColor(UNKNOWN_SECTOR_COLOUR)
EDGE = colors.HexColor("#6B7B8C")
NODE_LABEL_SIZE = 6.0
# Up to this many residents every one is named, overlapping if need be; in a larger picture
# (a register of thousands) a name is printed only where it covers no other.
NAME_EVERY_RESIDENT_UP_TO = NAMED_IN_A_PICTURE


@dataclass(frozen=True)
class PictureNode:
    key: str
    label: str  # short name as it may be printed
    sector: str  # NACE section letter, "" when unknown
    sector_name: str
    x: float  # [0, 1], left to right
    y: float  # [0, 1], top to bottom
    degree: int = 0


@dataclass(frozen=True)
class PictureEdge:
    source: str
    target: str
    count: int = 1  # opportunities this arrow stands for


@dataclass(frozen=True)
class NetworkPicture:
    nodes: tuple[PictureNode, ...]
    edges: tuple[PictureEdge, ...]


def picture_from_network(network: Any, labels: Mapping[str, str] | None = None) -> NetworkPicture:
    """A picture of a ``ZoneNetwork``-like object (``nodes`` with resident_id, name, sector,
    sector_name, x, y, degree; ``edges`` with source and target).

    ``labels`` replaces node names (a confidential resident in a report for residents).
    """
    labels = labels or {}
    nodes = tuple(
        PictureNode(n.resident_id, labels.get(n.resident_id, n.name), n.sector or "", n.sector_name or "",
                    float(n.x), float(n.y), int(getattr(n, "degree", 0) or 0))
        for n in network.nodes
    )
    return NetworkPicture(nodes, aggregate_edges((e.source, e.target) for e in network.edges))


def aggregate_edges(pairs: Iterable[tuple[str, str]]) -> tuple[PictureEdge, ...]:
    counts: dict[tuple[str, str], int] = {}
    for source, target in pairs:
        if source and target and source != target:
            counts[(source, target)] = counts.get((source, target), 0) + 1
    return tuple(PictureEdge(s, t, n) for (s, t), n in sorted(counts.items()))


def sector_colours(nodes: Iterable[PictureNode]) -> dict[str, colors.Color]:
    sectors = sorted({n.sector for n in nodes if n.sector})
    return {s: colors.HexColor(SECTOR_COLOURS.get(s, UNKNOWN_SECTOR_COLOUR)) for s in sectors}


def _legend_rows(picture: NetworkPicture, width: float) -> list[list[tuple[colors.Color, str]]]:
    names: dict[str, str] = {}
    for n in picture.nodes:
        names.setdefault(n.sector, _sentence_case(n.sector_name))
    palette = sector_colours(picture.nodes)
    entries = [(palette[s], f"{s} — {names[s]}" if names[s] else s) for s in sorted(palette)]
    if "" in names:
        entries.append((UNKNOWN_SECTOR, _("sector unknown")))
    rows: list[list[tuple[colors.Color, str]]] = [[]]
    column_w = width / 2 if width > 300 else width
    for entry in entries:
        if len(rows[-1]) * column_w + column_w > width + 0.1:
            rows.append([])
        rows[-1].append((entry[0], shorten(entry[1], column_w - 14, FONT, LABEL_SIZE - 0.5)))
    return [r for r in rows if r]


def network_drawing(picture: NetworkPicture, *, width: float, height: float, title: str = "") -> Drawing:
    """The network in a ``width`` × ``height`` drawing: title, arrows, dots, short names, sector legend."""
    drawing = new_drawing(width, height)
    top = add_title(drawing, title)
    if not picture.nodes:
        return no_data(drawing, top)
    legend = _legend_rows(picture, width)
    legend_size = LABEL_SIZE - 0.5
    legend_h = len(legend) * legend_size * 1.5 + 4
    y = legend_h - legend_size - 2
    column_w = width / 2 if width > 300 else width
    for row in legend:
        for i, (fill, text) in enumerate(row):
            x = i * column_w
            drawing.add(Rect(x, y - 1, 7, 7, fillColor=fill, strokeColor=None))
            drawing.add(String(x + 10, y, text, fontName=FONT, fontSize=legend_size, fillColor=TEXT))
        y -= legend_size * 1.5
    # The plot keeps room for the dots and the labels under them.
    max_degree = max((n.degree for n in picture.nodes), default=0) or 1
    radius = {n.key: 2.5 + 4.5 * math.sqrt(n.degree / max_degree) for n in picture.nodes}
    label_w = max(min(width / 7, 80), 30)
    pad_x = label_w / 2 + 2
    bottom = legend_h + NODE_LABEL_SIZE * 2.6 + 8
    plot_top = top - 10
    if plot_top - bottom < 30:
        return no_data(drawing, top)
    drawing.add(Rect(0, legend_h + 1, width, top - legend_h - 2, fillColor=None, strokeColor=GRID, strokeWidth=0.5))

    # The layout stretched to fill the box (spring layouts keep a margin of their own).
    xs, ys = [n.x for n in picture.nodes], [n.y for n in picture.nodes]
    x0, x_span = min(xs), (max(xs) - min(xs)) or 1.0
    y0, y_span = min(ys), (max(ys) - min(ys)) or 1.0
    single = len(picture.nodes) == 1

    def place(n: PictureNode) -> tuple[float, float]:
        x = 0.5 if single else (n.x - x0) / x_span
        yy = 0.5 if single else (n.y - y0) / y_span
        return pad_x + x * (width - 2 * pad_x), plot_top - yy * (plot_top - bottom)

    where = {n.key: place(n) for n in picture.nodes}
    palette = sector_colours(picture.nodes)
    max_count = max((e.count for e in picture.edges), default=1)
    for e in picture.edges:
        if e.source not in where or e.target not in where:
            continue
        _arrow(drawing, where[e.source], where[e.target], radius[e.source], radius[e.target],
               0.5 + 1.5 * (e.count / max_count))
    for n in sorted(picture.nodes, key=lambda n: (n.degree, n.key)):
        x, yy = where[n.key]
        drawing.add(Circle(x, yy, radius[n.key], fillColor=palette.get(n.sector, UNKNOWN_SECTOR),
                           strokeColor=colors.white, strokeWidth=0.6))
    # Names beside their dots: below, above, right or left, wherever they do not cover a name
    # already placed (the most connected residents first); on a white ground over the arrows.
    # A crowded picture leaves out the names it has no room for.
    placed: list[tuple[float, float, float, float]] = []
    for n in sorted(picture.nodes, key=lambda n: (-n.degree, n.key)):
        x, yy = where[n.key]
        lines = wrap(n.label, label_w, 2, FONT, NODE_LABEL_SIZE)
        w = max(text_width(line, FONT, NODE_LABEL_SIZE) for line in lines) if lines else 0.0
        h = len(lines) * NODE_LABEL_SIZE * 1.1
        r = radius[n.key]
        candidates = [(x - w / 2, yy - r - 1 - h), (x - w / 2, yy + r + 1), (x + r + 2, yy - h / 2),
                      (x - r - 2 - w, yy - h / 2)]
        boxes = [(min(max(cx, 0.5), width - w - 0.5), cy, w, h) for cx, cy in candidates]
        box = next((b for b in boxes if not any(_overlap(b, o) for o in placed)), None)
        if box is None:
            if len(picture.nodes) > NAME_EVERY_RESIDENT_UP_TO:
                continue  # a crowded picture names only whom it has room for, the most connected first
            box = boxes[0]
        placed.append(box)
        bx, by, _bw, _bh = box
        drawing.add(Rect(bx - 0.5, by - 0.3, w + 1, h + 0.3, fillColor=colors.white, strokeColor=None,
                         fillOpacity=0.75))
        ly = by + h - NODE_LABEL_SIZE * 0.95
        for line in lines:
            drawing.add(String(bx, ly, line, fontName=FONT, fontSize=NODE_LABEL_SIZE, fillColor=TEXT))
            ly -= NODE_LABEL_SIZE * 1.1
    if not picture.edges:
        drawing.add(String(width / 2, bottom - NODE_LABEL_SIZE * 2.6 - 2, _("No opportunities between residents"),
                           fontName=FONT, fontSize=LABEL_SIZE, fillColor=AXIS, textAnchor="middle"))
    return drawing


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _sentence_case(text: str) -> str:
    """«ОБРАБАТЫВАЮЩИЕ ПРОИЗВОДСТВА» (as the classifier spells sections) → «Обрабатывающие производства»."""
    return text[:1] + text[1:].lower() if text.isupper() else text


def _arrow(drawing: Drawing, a: tuple[float, float], b: tuple[float, float], ra: float, rb: float,
           stroke: float) -> None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length <= ra + rb + 1:
        return
    ux, uy = dx / length, dy / length
    x0, y0 = a[0] + ux * ra, a[1] + uy * ra
    x1, y1 = b[0] - ux * (rb + 0.8), b[1] - uy * (rb + 0.8)
    head = 3.5 + stroke
    bx, by = x1 - ux * head, y1 - uy * head
    drawing.add(Line(x0, y0, bx, by, strokeColor=EDGE, strokeWidth=stroke, strokeOpacity=0.7))
    px, py = -uy * head * 0.45, ux * head * 0.45
    drawing.add(Polygon([x1, y1, bx + px, by + py, bx - px, by - py], fillColor=EDGE, strokeColor=None,
                        fillOpacity=0.85))
