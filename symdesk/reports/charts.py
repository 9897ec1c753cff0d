"""Charts for the PDF reports, drawn with reportlab.graphics shapes in DejaVu Sans.

reportlab's chart widgets label in Helvetica (no Cyrillic) and let long
labels run over their neighbours, so the charts here are laid out by hand
from rectangles, wedges and strings: every label is measured, wrapped to the
room it has and, when it still does not fit, shortened with "…". Numbers
are written the way the current language writes them (``format_number``).
Empty or all-zero data give a drawing that says so instead of an exception,
so a report of an empty zone still prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String, Wedge
from reportlab.lib import colors

from symdesk.i18n import _, format_number
from symdesk.reports.pdf_common import FONT, FONT_BOLD, register_fonts, text_width

# Colour-blind-friendly enough and distinct in greyscale print (alternating light/dark).
PALETTE: list[str] = [
    "#2E6F9E",  # blue
    "#E08E2B",  # orange
    "#4C9A5B",  # green
    "#C4463A",  # red
    "#8067A8",  # purple
    "#8C6D46",  # brown
    "#D17CB5",  # pink
    "#7F7F7F",  # grey
    "#B5B83A",  # olive
    "#2BB0C2",  # cyan
]

ELLIPSIS = "…"
TEXT = colors.HexColor("#222222")
AXIS = colors.HexColor("#888888")
GRID = colors.HexColor("#DDDDDD")
TITLE_SIZE = 9.5
LABEL_SIZE = 7.5
MIN_SIZE = 6.0


def palette_colour(index: int) -> colors.Color:
    return colors.HexColor(PALETTE[index % len(PALETTE)])


def default_format(value: float) -> str:
    return format_number(value, 1 if abs(value) < 100 else 0)


# ---------------------------------------------------------------- text fitting


def shorten(text: str, width: float, font: str = FONT, size: float = LABEL_SIZE) -> str:
    """``text`` cut to ``width`` points with a trailing "…" (whole when it fits)."""
    if text_width(text, font, size) <= width:
        return text
    if text_width(ELLIPSIS, font, size) > width:
        return ""
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def wrap(text: str, width: float, max_lines: int, font: str = FONT, size: float = LABEL_SIZE) -> list[str]:
    """``text`` broken at spaces into at most ``max_lines`` lines of ``width`` points;
    a word wider than a line, or text left over, is shortened with "…"."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    rest_index = len(words)
    for i, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            rest_index = i
            break
    if len(lines) < max_lines:
        lines.append(current)
        rest_index = len(words)
    if rest_index < len(words):  # more text than lines: the last line ends in "…"
        lines[-1] = shorten(lines[-1] + " " + " ".join(words[rest_index:]), width, font, size)
        if not lines[-1].endswith(ELLIPSIS):
            lines[-1] = shorten(lines[-1] + ELLIPSIS * 2, width, font, size)
    return [shorten(line, width, font, size) for line in lines]


def _string(x: float, y: float, text: str, *, size: float = LABEL_SIZE, font: str = FONT,
            anchor: str = "start", fill: colors.Color = TEXT) -> String:
    return String(x, y, text, fontName=font, fontSize=size, textAnchor=anchor, fillColor=fill)


# ---------------------------------------------------------------- frame


def new_drawing(width: float, height: float) -> Drawing:
    register_fonts()
    return Drawing(width, height, initialFontName=FONT, initialFontSize=LABEL_SIZE)


def add_title(drawing: Drawing, title: str) -> float:
    """Draw the title at the top; return the height left below it."""
    if not title:
        return drawing.height
    lines = wrap(title, drawing.width, 2, FONT_BOLD, TITLE_SIZE)
    y = drawing.height - TITLE_SIZE
    for line in lines:
        drawing.add(_string(0, y, line, size=TITLE_SIZE, font=FONT_BOLD))
        y -= TITLE_SIZE * 1.25
    return y + TITLE_SIZE * 1.25 - TITLE_SIZE * 0.6


def no_data(drawing: Drawing, top: float, message: str | None = None) -> Drawing:
    text = message or _("No data")
    box_h = max(min(top - 2, 60), 12)
    drawing.add(Rect(0, top - box_h, drawing.width, box_h, strokeColor=GRID, fillColor=None, strokeWidth=0.6))
    drawing.add(_string(drawing.width / 2, top - box_h / 2 - 3, shorten(text, drawing.width - 6, size=8), size=8,
                        anchor="middle", fill=AXIS))
    return drawing


def _clean(values: Sequence[float]) -> list[float]:
    return [float(v) if v is not None and math.isfinite(float(v)) else 0.0 for v in values]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (which includes 0)."""
    span = high - low
    if span <= 0:
        return [0.0]
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


# ---------------------------------------------------------------- bar chart


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    width: float,
    height: float,
    title: str = "",
    value_format: Callable[[float], str] | None = None,
    horizontal: bool = True,
    colour: str | None = None,
) -> Drawing:
    """One bar per (label, value); horizontal bars (labels on the left) by default.

    Negative values draw to the left of (or below) a zero line.
    """
    drawing = new_drawing(width, height)
    top = add_title(drawing, title)
    labels = [str(label) for label, _v in items]
    values = _clean([v for _label, v in items])
    if not values or all(v == 0 for v in values) or top < 24:
        return no_data(drawing, top)
    fmt = value_format or default_format
    fill = colors.HexColor(colour) if colour else palette_colour(0)
    if horizontal:
        _horizontal_bars(drawing, labels, values, top, fmt, fill)
    else:
        _vertical_bars(drawing, labels, values, top, fmt, fill)
    return drawing


def _horizontal_bars(drawing: Drawing, labels: list[str], values: list[float], top: float,
                     fmt: Callable[[float], str], fill: colors.Color) -> None:
    n = len(values)
    axis_h = 12.0
    row_h = (top - axis_h - 2) / n
    size = max(MIN_SIZE, min(LABEL_SIZE, row_h * 0.7))
    max_lines = max(1, min(3, int(row_h / (size * 1.15))))
    label_w = min(drawing.width * 0.38, max(text_width(lb, FONT, size) for lb in labels) + 4)
    texts = [fmt(v) for v in values]
    low, high = min(0.0, *values), max(0.0, *values)
    value_w = max(text_width(t, FONT, size) for t in texts) + 4
    left_pad = value_w if low < 0 else 0.0
    right_pad = value_w if high > 0 else 0.0
    plot_x = label_w + 4 + left_pad
    plot_w = drawing.width - plot_x - right_pad
    if plot_w < 20:  # too narrow for the values: give up the label column's share
        label_w = max(drawing.width * 0.25, 10)
        plot_x = label_w + 4 + left_pad
        plot_w = max(drawing.width - plot_x - right_pad, 10)
    ticks = nice_ticks(low, high)
    t_low, t_high = min(ticks[0], low), max(ticks[-1], high)

    def x_of(v: float) -> float:
        return plot_x + (v - t_low) / (t_high - t_low) * plot_w

    base_y = axis_h
    tick_size = max(MIN_SIZE, size - 0.5)
    for t in ticks:
        x = x_of(t)
        drawing.add(Line(x, base_y, x, top - 1, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(_string(x, base_y - tick_size - 1.5, fmt(t), size=tick_size, anchor="middle", fill=AXIS))
    zero_x = x_of(0.0)
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        row_top = top - 1 - i * row_h
        centre = row_top - row_h / 2
        bar_h = min(row_h * 0.66, 18)
        x0, x1 = sorted((zero_x, x_of(value)))
        drawing.add(Rect(x0, centre - bar_h / 2, max(x1 - x0, 0.3), bar_h, fillColor=fill, strokeColor=None))
        lines = wrap(label, label_w, max_lines, FONT, size)
        y = centre + (len(lines) - 1) * size * 1.15 / 2 - size * 0.35
        for line in lines:
            drawing.add(_string(label_w, y, line, size=size, anchor="end"))
            y -= size * 1.15
        if value >= 0:
            drawing.add(_string(x1 + 2, centre - size * 0.35, text, size=size))
        else:
            drawing.add(_string(x0 - 2, centre - size * 0.35, text, size=size, anchor="end"))
    drawing.add(Line(zero_x, base_y, zero_x, top - 1, strokeColor=AXIS, strokeWidth=0.7))


def _vertical_bars(drawing: Drawing, labels: list[str], values: list[float], top: float,
                   fmt: Callable[[float], str], fill: colors.Color) -> None:
    n = len(values)
    texts = [fmt(v) for v in values]
    size = LABEL_SIZE
    slot_w_guess = drawing.width / n
    size = max(MIN_SIZE, min(LABEL_SIZE, slot_w_guess / 4))
    label_lines = 3 if n > 1 else 2
    label_h = label_lines * size * 1.15 + 3
    low, high = min(0.0, *values), max(0.0, *values)
    ticks = nice_ticks(low, high)
    t_low, t_high = min(ticks[0], low), max(ticks[-1], high)
    tick_w = max(text_width(fmt(t), FONT, size) for t in ticks) + 4
    plot_x = tick_w
    plot_w = drawing.width - plot_x
    slot_w = plot_w / n
    plot_bottom = label_h
    value_h = size * 1.3
    plot_top = top - value_h
    if plot_top - plot_bottom < 10:
        label_lines = 1
        label_h = size * 1.15 + 3
        plot_bottom = label_h

    def y_of(v: float) -> float:
        return plot_bottom + (v - t_low) / (t_high - t_low) * (plot_top - plot_bottom - (value_h if low < 0 else 0))

    for t in ticks:
        y = y_of(t)
        drawing.add(Line(plot_x, y, drawing.width, y, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(_string(plot_x - 3, y - size * 0.35, fmt(t), size=size, anchor="end", fill=AXIS))
    zero_y = y_of(0.0)
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        centre = plot_x + slot_w * (i + 0.5)
        bar_w = min(slot_w * 0.66, 40)
        y0, y1 = sorted((zero_y, y_of(value)))
        drawing.add(Rect(centre - bar_w / 2, y0, bar_w, max(y1 - y0, 0.3), fillColor=fill, strokeColor=None))
        value_text = shorten(text, slot_w - 2, FONT, size)
        if value >= 0:
            drawing.add(_string(centre, y1 + 2, value_text, size=size, anchor="middle"))
        else:
            drawing.add(_string(centre, y0 - size - 1, value_text, size=size, anchor="middle"))
        y = plot_bottom - size - 2
        for line in wrap(label, slot_w - 3, label_lines, FONT, size):
            drawing.add(_string(centre, y, line, size=size, anchor="middle"))
            y -= size * 1.15
    drawing.add(Line(plot_x, zero_y, drawing.width, zero_y, strokeColor=AXIS, strokeWidth=0.7))


# ---------------------------------------------------------------- pie chart


def pie_chart(items: Sequence[tuple[str, float]], *, width: float, height: float, title: str = "") -> Drawing:
    """A pie of the positive values with a legend beside it: label, value share in per cent.

    Slices beyond what the legend can list are merged into "Other".
    """
    drawing = new_drawing(width, height)
    top = add_title(drawing, title)
    pairs = [(str(label), v) for (label, _raw), v in zip(items, _clean([v for _l, v in items]), strict=True) if v > 0]
    total = sum(v for _l, v in pairs)
    if not pairs or total <= 0 or top < 24:
        return no_data(drawing, top)
    diameter = max(min(top - 4, width * 0.42), 10)
    legend_x = diameter + 12
    legend_w = width - legend_x
    size = LABEL_SIZE
    line_h = size * 1.2
    gap = size * 0.35
    max_rows = max(1, int((top - 2) / (line_h + gap)))
    pairs.sort(key=lambda p: -p[1])
    if len(pairs) > max_rows:
        rest = sum(v for _l, v in pairs[max_rows - 1:])
        pairs = [*pairs[: max_rows - 1], (_("Other"), rest)]
    cx, cy, r = diameter / 2, top - 2 - diameter / 2, diameter / 2
    if len(pairs) == 1:
        drawing.add(Circle(cx, cy, r, fillColor=palette_colour(0), strokeColor=colors.white, strokeWidth=0.8))
    else:
        angle = 90.0
        for i, (_label, value) in enumerate(pairs):
            extent = value / total * 360
            drawing.add(Wedge(cx, cy, r, angle - extent, angle, fillColor=palette_colour(i), strokeColor=colors.white,
                              strokeWidth=0.8))
            angle -= extent
    # Legend: swatch, label (up to two lines when there is room), share.
    shares = [_("{percent} %").format(percent=format_number(v / total * 100, 1)) for _l, v in pairs]
    share_w = max(text_width(s, FONT, size) for s in shares) + 4
    text_w = max(legend_w - 12 - share_w, 10)
    lines_each = 2 if len(pairs) * (2 * line_h + gap) <= top - 2 else 1
    y = top - 2 - size
    for i, ((label, _value), share) in enumerate(zip(pairs, shares, strict=True)):
        drawing.add(Rect(legend_x, y - 1, 7, 7, fillColor=palette_colour(i), strokeColor=None))
        drawing.add(_string(width, y, share, size=size, anchor="end"))
        lines = wrap(label, text_w, lines_each, FONT, size)
        for j, line in enumerate(lines):
            drawing.add(_string(legend_x + 10, y - j * line_h, line, size=size))
        y -= line_h * len(lines) + gap
    return drawing


# ---------------------------------------------------------------- stacked bars


MAX_BARS = 30  # bars of one chart: with its title and legend it still fits a page


def fold_categories(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    rest: Callable[[int], str],
    limit: int = MAX_BARS,
) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """At most ``limit`` bars for a stacked chart: the largest categories (by their total) keep their
    order, the others become one last bar, named ``rest(how many)``, holding their sums.

    A national register's zone has fifty sites; a bar each would make a chart taller than the page.
    """
    cats = list(categories)
    data = [(name, [float(v) for v in values]) for name, values in series]
    if len(cats) <= limit:
        return cats, data
    totals = [sum(values[i] for _name, values in data if i < len(values)) for i in range(len(cats))]
    largest = sorted(range(len(cats)), key=lambda i: (-totals[i], i))[: limit - 1]
    kept = sorted(largest)
    folded = [i for i in range(len(cats)) if i not in set(kept)]
    return (
        [cats[i] for i in kept] + [rest(len(folded))],
        [(name, [values[i] if i < len(values) else 0.0 for i in kept]
                + [sum(values[i] for i in folded if i < len(values))]) for name, values in data],
    )


def stacked_bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: float,
    height: float,
    title: str = "",
) -> Drawing:
    """One horizontal bar per category, split into the series' values, with the total at its end.

    Negative values count as zero (a stacked bar shows parts of a whole).
    """
    drawing = new_drawing(width, height)
    top = add_title(drawing, title)
    cats = [str(c) for c in categories]
    data = [(str(name), [max(v, 0.0) for v in _clean(values)]) for name, values in series]
    totals = [sum(vals[i] for _n, vals in data if i < len(vals)) for i in range(len(cats))]
    if not cats or not data or not any(t > 0 for t in totals) or top < 30:
        return no_data(drawing, top)
    size = LABEL_SIZE
    # Legend across the top, wrapping onto further rows.
    x, y = 0.0, top - size - 1
    for k, (name, _vals) in enumerate(data):
        label = shorten(name, width * 0.45, FONT, size)
        item_w = 10 + text_width(label, FONT, size) + 10
        if x > 0 and x + item_w > width:
            x, y = 0.0, y - size * 1.4
        drawing.add(Rect(x, y - 1, 7, 7, fillColor=palette_colour(k), strokeColor=None))
        drawing.add(_string(x + 10, y, label, size=size))
        x += item_w
    plot_top = y - size * 0.8
    axis_h = 12.0
    n = len(cats)
    row_h = (plot_top - axis_h) / n
    if row_h < 4:
        return no_data(drawing, top, _("Too many rows to chart"))
    size = max(MIN_SIZE, min(LABEL_SIZE, row_h * 0.7))
    max_lines = max(1, min(3, int(row_h / (size * 1.15))))
    label_w = min(width * 0.35, max(text_width(c, FONT, size) for c in cats) + 4)
    total_texts = [default_format(t) for t in totals]
    value_w = max(text_width(t, FONT, size) for t in total_texts) + 4
    plot_x = label_w + 4
    plot_w = max(width - plot_x - value_w, 10)
    ticks = nice_ticks(0.0, max(totals))
    scale = plot_w / max(ticks[-1], max(totals))
    tick_size = max(MIN_SIZE, size - 0.5)
    for t in ticks:
        tx = plot_x + t * scale
        drawing.add(Line(tx, axis_h, tx, plot_top, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(_string(tx, axis_h - tick_size - 1.5, default_format(t), size=tick_size, anchor="middle",
                            fill=AXIS))
    for i, (cat, total_text) in enumerate(zip(cats, total_texts, strict=True)):
        centre = plot_top - row_h * (i + 0.5)
        bar_h = min(row_h * 0.66, 18)
        bx = plot_x
        for k, (_name, vals) in enumerate(data):
            v = vals[i] if i < len(vals) else 0.0
            if v <= 0:
                continue
            drawing.add(Rect(bx, centre - bar_h / 2, v * scale, bar_h, fillColor=palette_colour(k),
                             strokeColor=colors.white, strokeWidth=0.4))
            bx += v * scale
        drawing.add(_string(bx + 2, centre - size * 0.35, total_text, size=size))
        lines = wrap(cat, label_w, max_lines, FONT, size)
        ly = centre + (len(lines) - 1) * size * 1.15 / 2 - size * 0.35
        for line in lines:
            drawing.add(_string(label_w, ly, line, size=size, anchor="end"))
            ly -= size * 1.15
    drawing.add(Line(plot_x, axis_h, plot_x, plot_top, strokeColor=AXIS, strokeWidth=0.7))
    return drawing
