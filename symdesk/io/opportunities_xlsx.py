"""The opportunities as an Excel workbook: one row each, every score component and benefit in its column.

For staff who sort, filter and chart the list in Excel, and for the
ministry's spreadsheets. The first sheet has the opportunities (header
frozen, an autofilter, columns sized to their content, numbers as numbers);
the second the score weights and the benefit factors with their sources, so
the figures can be checked. Every text goes through ``cells.set_cell``: a
resident named «=HYPERLINK(…)» stays a name, never a formula. Rows arrive
ready (names already hidden where the export is for residents) from
``services.exports``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from symdesk.files.atomic import atomic_output
from symdesk.io.cells import set_cell

MAX_WIDTH = 50
MIN_WIDTH = 6
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
NUMBER_FORMATS = {"score": "0.0", "component": "0.00", "benefit": "#,##0.0", "amount": "#,##0.##", "km": "0.0"}


@dataclass(frozen=True)
class OpportunityRow:
    rank: int
    id: str
    supplier: str
    receiver: str
    kind: str  # labels in the export's language
    match_kind: str
    material: str
    need: str
    score: float
    components: dict[str, float]  # component key -> value 0..1
    matched_amount: float | None
    matched_unit: str
    distance_km: float | None
    benefits: dict[str, float]  # benefit key -> yearly figure
    status: str
    status_since: date | None = None
    reject_reason: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Captions:
    """Every heading of the workbook, in the export's language (the service translates)."""

    sheet: str
    method_sheet: str
    fixed: dict[str, str]  # column key -> heading
    components: dict[str, str]  # component key -> heading
    benefits: dict[str, str]  # benefit key -> heading with unit
    weights_title: str
    factors_title: str
    weight_headers: tuple[str, str]
    factor_headers: tuple[str, str, str, str, str, str]  # key, name, value, unit, source, approximate
    approximate_yes: str = "≈"


@dataclass(frozen=True)
class MethodSheet:
    weights: tuple[tuple[str, float], ...]  # (component heading, weight)
    factors: tuple[tuple[str, str, float, str, str, bool], ...]  # key, name, value, unit, source, approximate


@dataclass
class _Column:
    key: str
    heading: str
    kind: str = "text"  # text | score | component | benefit | amount | km | int | date
    width: float = field(default=0.0)


def _columns(captions: Captions, component_keys: Sequence[str], benefit_keys: Sequence[str]) -> list[_Column]:
    f = captions.fixed
    columns = [_Column("rank", f["rank"], "int"), _Column("id", f["id"]), _Column("supplier", f["supplier"]),
               _Column("receiver", f["receiver"]), _Column("kind", f["kind"]), _Column("match_kind", f["match_kind"]),
               _Column("material", f["material"]), _Column("need", f["need"]), _Column("score", f["score"], "score")]
    columns += [_Column(f"component:{k}", captions.components.get(k, k), "component") for k in component_keys]
    columns += [_Column("matched_amount", f["matched_amount"], "amount"), _Column("matched_unit", f["matched_unit"]),
                _Column("distance_km", f["distance_km"], "km")]
    columns += [_Column(f"benefit:{k}", captions.benefits.get(k, k), "benefit") for k in benefit_keys]
    columns += [_Column("status", f["status"]), _Column("status_since", f["status_since"], "date"),
                _Column("reject_reason", f["reject_reason"]), _Column("notes", f["notes"])]
    return columns


def _value(row: OpportunityRow, key: str) -> Any:
    if key.startswith("component:"):
        return row.components.get(key.split(":", 1)[1])
    if key.startswith("benefit:"):
        return row.benefits.get(key.split(":", 1)[1])
    return getattr(row, key)


def _header(ws: Worksheet, row: int, headings: Sequence[str]) -> None:
    for col, text in enumerate(headings, start=1):
        cell = set_cell(ws, row, col, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _text_width(value: Any) -> float:
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_opportunities(
    path: Path | str,
    rows: Sequence[OpportunityRow],
    captions: Captions,
    method: MethodSheet,
    *,
    component_keys: Sequence[str],
    benefit_keys: Sequence[str],
) -> Path:
    """Write the workbook to ``path`` (atomically) and return the path."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = captions.sheet[:31]
    columns = _columns(captions, component_keys, benefit_keys)
    _header(ws, 1, [c.heading for c in columns])
    for c in columns:
        # Headings wrap onto two or three lines: a third of their length is enough width.
        c.width = max(MIN_WIDTH, min(len(c.heading), max(len(c.heading) / 2.5, 10)))
    for r, row in enumerate(rows, start=2):
        for col, column in enumerate(columns, start=1):
            value = _value(row, column.key)
            if value is None or value == "":
                continue
            if column.kind in NUMBER_FORMATS:
                cell = set_cell(ws, r, col, float(value))
                cell.number_format = NUMBER_FORMATS[column.kind]
                width = len(f"{float(value):,.1f}")
            elif column.kind == "date":
                cell = set_cell(ws, r, col, value)
                cell.number_format = "DD.MM.YYYY"
                width = 10
            else:
                cell = set_cell(ws, r, col, value)
                if column.key in ("notes", "reject_reason", "material", "need"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                width = _text_width(value)
            column.width = max(column.width, width)
    for col, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, column.width + 2)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "C2"  # the header, and rank and id beside every row
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"

    m = wb.create_sheet(captions.method_sheet[:31])
    set_cell(m, 1, 1, captions.weights_title).font = Font(bold=True, size=12)
    _header(m, 2, captions.weight_headers)
    r = 3
    for heading, weight in method.weights:
        set_cell(m, r, 1, heading)
        set_cell(m, r, 2, float(weight))
        r += 1
    r += 1
    set_cell(m, r, 1, captions.factors_title).font = Font(bold=True, size=12)
    _header(m, r + 1, captions.factor_headers)
    r += 2
    for key, name, value, unit, source, approximate in method.factors:
        for col, v in enumerate((key, name, float(value), unit, source,
                                 captions.approximate_yes if approximate else ""), start=1):
            cell = set_cell(m, r, col, v)
            if col == 5:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    for col, width in enumerate((34, 36, 10, 18, 80, 8), start=1):
        m.column_dimensions[get_column_letter(col)].width = width
    m.freeze_panes = "A3"
    with atomic_output(path) as temp:
        wb.save(temp)
    return path
