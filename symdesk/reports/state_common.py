"""Pieces the state-of-the-zone reports share: heading, title block, data tables, figures.

The survey, efficiency and roadmap reports all open with the same title
block (zone, report, campaign, date, author), carry the zone and the date in
the running header, print numbers the Russian way and lay out data in tables
that wrap long names, repeat their header row on every page and never let a
row run past the margin.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from symdesk.domain.tasks import CancelledFn, check_cancelled
from symdesk.i18n import _, format_number
from symdesk.reports.pdf_common import (
    FONT_CONDENSED_BOLD,
    RULE,
    Styles,
    SymdeskDocTemplate,
    escape,
    make_styles,
    soft_hyphenate,
    table,
)

DASH = "—"
HEADER_FILL = colors.HexColor("#E4EAF0")
ZEBRA_FILL = colors.HexColor("#F5F7F9")
GRID = colors.HexColor("#9AA5B1")
FLAG_FILL = colors.HexColor("#FBE3DF")


@dataclass(frozen=True)
class ReportHeading:
    zone: str
    zone_short: str
    title: str
    campaign: str
    today: date
    author: str = ""

    @property
    def date_text(self) -> str:
        return self.today.strftime("%d.%m.%Y")


def number(value: float | int | None, decimals: int = 1) -> str:
    """A figure the Russian way («1 234,5»), or a dash for a missing one."""
    if value is None:
        return DASH
    return format_number(value, decimals)


def amount(value: float | None) -> str:
    """A figure rounded to what matters at its size: 12 345, 123,4, 1,23, 0,012."""
    if value is None:
        return DASH
    size = abs(value)
    decimals = 0 if size >= 1000 else 1 if size >= 10 else 2 if size >= 0.1 else 3
    return format_number(value, decimals)


def percent(part: float, whole: float) -> str:
    if not whole:
        return DASH
    return format_number(100.0 * part / whole, 0) + " %"


def make_doc(path: Path | str, heading: ReportHeading, *, first: str = "portrait") -> SymdeskDocTemplate:
    return SymdeskDocTemplate(
        path,
        title=f"{heading.title} — {heading.zone}",
        header_left=heading.zone_short,
        header_right=f"{heading.title} · {heading.date_text}",
        footer_left="symdesk",
        subject=heading.title,
        first=first,
    )


def title_block(heading: ReportHeading, styles: Styles, facts: Sequence[tuple[str, str]] = ()) -> list[Flowable]:
    """The report's title, the zone, campaign, date and author, then key figures as label–value rows."""
    lines = [
        Paragraph(escape(heading.title), styles.title),
        Paragraph(escape(heading.zone), styles.heading),
    ]
    details = []
    if heading.campaign:
        details.append(_("Survey campaign: {campaign}").format(campaign=heading.campaign))
    details.append(_("Date: {date}").format(date=heading.date_text))
    if heading.author:
        details.append(_("Prepared by: {author}").format(author=heading.author))
    lines += [Paragraph(escape(d), styles.subtitle) for d in details]
    if facts:
        lines.append(Spacer(1, 3 * mm))
        value_style = ParagraphStyle("FactValue", parent=styles.body, fontName=FONT_CONDENSED_BOLD, alignment=TA_RIGHT)
        rows = [[Paragraph(escape(label), styles.body), Paragraph(escape(value), value_style)] for label, value in facts]
        width = SymdeskDocTemplate.frame_width()
        lines.append(table(rows, colWidths=[width * 0.7, width * 0.3], hAlign="LEFT", style=[
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]))
    return lines


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    styles: Styles,
    *,
    numeric: Sequence[int] = (),
    flagged: Sequence[tuple[int, int]] = (),
    extra_style: Sequence[tuple[Any, ...]] = (),
    total_row: bool = False,
) -> Table:
    """A table that splits across pages with its header repeated.

    Text cells become Paragraphs (so long names wrap inside their column);
    columns in ``numeric`` are right-aligned; ``flagged`` (column, row) cells,
    rows counted from 0 below the header, are shaded; ``total_row`` sets the
    last row in bold under a rule.
    """
    # Long words (site names, headers) break at syllables with a hyphen, not at any letter.
    cell = ParagraphStyle("TableCellWrap", parent=styles.table_cell, embeddedHyphenation=1)
    right = ParagraphStyle("TableCellRight", parent=cell, alignment=TA_RIGHT)
    bold = ParagraphStyle("TableCellBold", parent=cell, fontName=FONT_CONDENSED_BOLD)
    bold_right = ParagraphStyle("TableCellBoldRight", parent=bold, alignment=TA_RIGHT)
    head = [Paragraph(escape(soft_hyphenate(h)), styles.table_header) for h in header]
    body = []
    for n, row in enumerate(rows):
        strong = total_row and n == len(rows) - 1
        body.append([
            c if isinstance(c, Flowable) else Paragraph(
                escape(str(c) if i in numeric else soft_hyphenate(str(c))).replace("\n", "<br/>"),
                (bold_right if strong else right) if i in numeric else (bold if strong else cell),
            )
            for i, c in enumerate(row)
        ])
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for i in range(2, len(body) + 1, 2):
        style.append(("BACKGROUND", (0, i), (-1, i), ZEBRA_FILL))
    if total_row and body:
        style.append(("LINEABOVE", (0, len(body)), (-1, len(body)), 0.9, RULE))
    for column, row in flagged:
        style.append(("BACKGROUND", (column, row + 1), (column, row + 1), FLAG_FILL))
    return table([head, *body], colWidths=list(widths), repeatRows=1, hAlign="LEFT", style=[*style, *extra_style])


def build(doc: SymdeskDocTemplate, story: list[Flowable], cancelled: CancelledFn | None) -> int:
    """Lay out ``story`` (checking for a cancel after each flowable) and return the number of pages."""
    doc.afterFlowable = lambda _flowable: check_cancelled(cancelled)  # type: ignore[method-assign]
    doc.build_story(story)
    return int(doc.page)


def styles() -> Styles:
    return make_styles()


FormatFn = Callable[[float | None], str]
