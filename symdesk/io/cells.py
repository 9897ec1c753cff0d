"""Writing cells safely: text stays text.

A value that starts with ``=``, ``+``, ``-`` or ``@`` would be taken by Excel
(or LibreOffice) as a formula; such text is written as a string cell so that
an exported name like «=HYPERLINK(...)» can never run.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@")
EXCEL_MAX_TEXT = 32_767  # characters in one cell


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value``; strings are always stored as text, never as formulas."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        if len(value) > EXCEL_MAX_TEXT:
            raise ValueError(f"text longer than Excel allows ({len(value)} characters)")
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    else:
        cell.value = value
    return cell


def text_cell(ws: Any, value: str) -> Cell:
    """A cell for a write-only sheet's ``append`` holding ``value`` as text, never as a formula."""
    if len(value) > EXCEL_MAX_TEXT:
        raise ValueError(f"text longer than Excel allows ({len(value)} characters)")
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    return cell
