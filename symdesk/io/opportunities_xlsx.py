"""The opportunities as an Excel workbook: one row each, every score component and benefit in its column.

For staff who sort, filter and chart the list in Excel, and for the
ministry's spreadsheets. The first sheet has the opportunities (header
frozen, an autofilter, columns sized to their content, numbers as numbers);
the second the score weights and the benefit factors with their sources, so
the figures can be checked. Every text goes through ``cells.text_cell``: a
resident named «=HYPERLINK(…)» stays a name, never a formula. Rows arrive
ready (names already hidden where the export is for residents) from
``services.exports``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from symdesk.domain.tasks import CancelledFn, check_cancelled
from symdesk.files.atomic import atomic_output
from symdesk.io.cells import text_cell

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


def _header(ws: Any, headings: Sequence[str]) -> None:
    """A row of bold, shaded, wrapping headings appended to a write-only sheet."""
    cells = []
    for text in headings:
        cell = text_cell(ws, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    ws.append(cells)


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
    progress: Callable[[int, int], None] | None = None,
    cancelled: CancelledFn | None = None,
) -> Path:
    """Write the workbook to ``path`` (atomically) and return the path.

    In openpyxl's write-only mode, row by row: a register's 165,000
    opportunities are six million cells, which as cell objects took
    gigabytes. Column widths are therefore measured in a first pass, since a
    write-only sheet takes them before its rows. Writing them takes minutes,
    so ``progress(rows written, rows)`` is called and ``cancelled`` asked
    every few hundred rows; a cancel leaves no file.
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(captions.sheet[:31])
    columns = _columns(captions, component_keys, benefit_keys)
    for c in columns:
        # Headings wrap onto two or three lines: a third of their length is enough width.
        c.width = max(MIN_WIDTH, min(len(c.heading), max(len(c.heading) / 2.5, 10)))
    for row in rows:
        for column in columns:
            value = _value(row, column.key)
            if value is not None and value != "":
                column.width = max(column.width, _width(value, column.kind))
    for col, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, column.width + 2)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "C2"  # the header, and rank and id beside every row
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    _header(ws, [c.heading for c in columns])
    _write_rows(ws, rows, columns, progress, cancelled)

    _write_method(wb, captions, method)
    with atomic_output(path) as temp:
        wb.save(temp)
    return path


def _write_rows(
    ws: Any,
    rows: Sequence[OpportunityRow],
    columns: Sequence[_Column],
    progress: Callable[[int, int], None] | None,
    cancelled: CancelledFn | None,
) -> None:
    """Append one row per opportunity, numbers as numbers, text as text, the long texts wrapped."""
    wrapped = Alignment(wrap_text=True, vertical="top")
    try:
        for done, row in enumerate(rows):
            if done % 200 == 0:
                if progress is not None:
                    progress(done, len(rows))
                check_cancelled(cancelled)
            cells: list[Any] = []
            for column in columns:
                value = _value(row, column.key)
                if value is None or value == "":
                    cells.append(None)
                elif column.kind in NUMBER_FORMATS:
                    cell = WriteOnlyCell(ws, float(value))
                    cell.number_format = NUMBER_FORMATS[column.kind]
                    cells.append(cell)
                elif column.kind == "date":
                    cell = WriteOnlyCell(ws, value)
                    cell.number_format = "DD.MM.YYYY"
                    cells.append(cell)
                elif isinstance(value, str):
                    cell = text_cell(ws, value)
                    if column.key in ("notes", "reject_reason", "material", "need"):
                        cell.alignment = wrapped
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
    except BaseException:
        ws.close()  # ends the sheet's half-written temporary file before the error goes on
        raise


def _write_method(wb: Workbook, captions: Captions, method: MethodSheet) -> None:
    """The second sheet: the score weights, and every benefit factor with its source."""
    wrapped = Alignment(wrap_text=True, vertical="top")
    m = wb.create_sheet(captions.method_sheet[:31])
    for col, width in enumerate((34, 36, 10, 18, 80, 8), start=1):
        m.column_dimensions[get_column_letter(col)].width = width
    m.freeze_panes = "A3"
    title = text_cell(m, captions.weights_title)
    title.font = Font(bold=True, size=12)
    m.append([title])
    _header(m, captions.weight_headers)
    for heading, weight in method.weights:
        m.append([text_cell(m, heading), float(weight)])
    m.append([])
    title = text_cell(m, captions.factors_title)
    title.font = Font(bold=True, size=12)
    m.append([title])
    _header(m, captions.factor_headers)
    for key, name, value, unit, source, approximate in method.factors:
        cited = text_cell(m, source)
        cited.alignment = wrapped
        m.append([text_cell(m, key), text_cell(m, name), float(value), text_cell(m, unit), cited,
                  text_cell(m, captions.approximate_yes if approximate else "")])


def _width(value: Any, kind: str) -> float:
    if kind in NUMBER_FORMATS:
        return len(f"{float(value):,.1f}")
    if kind == "date":
        return 10
    return _text_width(value)
