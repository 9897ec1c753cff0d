"""Writing the whole register to one Excel sheet, one row per stream.

The columns are those the register import reads (``register_columns``), so
export → import gives the same residents and streams. Coded values are
written as the app's labels in the chosen language; text is always stored
as text, never as a formula (``cells.set_cell``). A resident without streams
gets one row with only its own columns filled.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from symdesk.domain.codes import format_ewc_code
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, CodeSystem, Direction, Stream
from symdesk.files.atomic import atomic_output
from symdesk.io.cells import set_cell
from symdesk.io.register_columns import (
    COLUMNS,
    RESIDENT,
    boolean_label,
    period_label,
    unit_label,
    value_label,
)

SHEET_TITLE = {"ru": "Реестр", "en": "Register"}
MAX_WIDTH = 60

_DIRECTION_ORDER = {d: i for i, d in enumerate(Direction)}
_CATEGORY_ORDER = {c: i for i, c in enumerate(Category)}


def stream_sort_key(stream: Stream) -> tuple[Any, ...]:
    return (_DIRECTION_ORDER[stream.direction], _CATEGORY_ORDER[stream.category], stream.name.lower(), stream.id)


def _resident_cell(resident: Resident, field: str) -> Any:
    value = getattr(resident, field)
    if field == "activity_codes":
        return ", ".join(value)
    return value


def _stream_cell(stream: Stream, field: str, language: str) -> Any:
    value = getattr(stream, field)
    if value is None:
        return None
    if field == "code":
        return format_ewc_code(value) if stream.code_system is CodeSystem.EWC else value
    if field == "unit":
        return unit_label(value, language) if value else ""
    if field == "period":
        return period_label(value, language)
    if field in ("confidential", "secondary_acceptable"):
        return boolean_label(value, language)
    if hasattr(value, "value"):  # an enum
        return value_label(value, language)
    return value


def write_register(
    path: Path | str, residents: Iterable[Resident], streams: Iterable[Stream], *, language: str = "ru"
) -> Path:
    """Write ``residents`` and their ``streams`` to ``path`` (.xlsx) and return it."""
    path = Path(path)
    language = "en" if language == "en" else "ru"
    by_resident: dict[str, list[Stream]] = {}
    for stream in streams:
        by_resident.setdefault(stream.resident_id, []).append(stream)

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE[language]
    widths = [len(c.header(language)) for c in COLUMNS]
    bold = Font(bold=True)
    for col, column in enumerate(COLUMNS, start=1):
        set_cell(ws, 1, col, column.header(language)).font = bold

    row = 1
    for resident in sorted(residents, key=lambda r: (r.name.lower(), r.id)):
        own = sorted(by_resident.get(resident.id, []), key=stream_sort_key)
        for stream in own or [None]:
            row += 1
            for col, column in enumerate(COLUMNS, start=1):
                if column.target == RESIDENT:
                    value = _resident_cell(resident, column.field)
                elif stream is None:
                    continue
                else:
                    value = _stream_cell(stream, column.field, language)
                if value is None or value == "":
                    continue
                set_cell(ws, row, col, value)
                widths[col - 1] = max(widths[col - 1], len(str(value)))

    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, width + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{row}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as temp:
        wb.save(temp)
    return path
