"""Writing the questionnaire as an Excel workbook: a blank template or a filled one.

One sheet per section of the definition. Scalar sections are «question |
answer» rows; repeat sections (offers, needs) are tables with a header row
and ``REPEAT_ROWS`` prepared rows, a quantity spanning three columns (amount,
unit, period) and the stream's id in a hidden last column. Headers and
questions are locked (the sheets are protected without a password), answer
cells are not; choices, units, periods and yes/no come as drop-down lists
kept on a hidden «lists» sheet; hints are cell comments. A hidden sheet
carries the form id and version and the questionnaire, resident and campaign
ids, so that a returned file updates the questionnaire it was made for.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from symdesk.files.atomic import atomic_output
from symdesk.io.cells import set_cell
from symdesk.io.xlsx_layout import (
    COMMENT_AUTHOR,
    LABEL_HEADER,
    LISTS_SHEET,
    META_SHEET,
    REPEAT_ROWS,
    VALUE_HEADER,
    Column,
    field_caption,
    list_key,
    lists_of,
    period_label,
    repeat_columns,
    sheet_title,
    unit_label,
    yes_no_labels,
)
from symdesk.questionnaire.definition import Field, FormDefinition, Section
from symdesk.questionnaire.document import QuantityValue, QuestionnaireDocument, RepeatRow

UNLOCKED = Protection(locked=False)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"
# A stand-in field for a quantity's amount: a plain number cell.
_NUMBER = Field(name="amount", type="decimal", label=LABEL_HEADER, section="")


def _protect(ws: Worksheet) -> None:
    """Lock the sheet (no password); rows may still be inserted, deleted and resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.sort = False
    ws.protection.autoFilter = False


def _comment(f: Field, language: str) -> Comment | None:
    if f.hint is None:
        return None
    comment = Comment(f.hint.get(language), COMMENT_AUTHOR)
    comment.width, comment.height = 260, 80
    return comment


def _cell_value(f: Field, value: Any, language: str) -> Any:
    """What a field's answer looks like in a cell (choices by their label, yes/no in words)."""
    if value is None or value == "" or value == []:
        return None
    if f.type == "boolean":
        yes, no = yes_no_labels(language)
        return yes if value else no
    if f.type == "select_one":
        return f.choice_label(str(value), language)
    if f.type == "select_multiple":
        return ", ".join(f.choice_label(str(v), language) for v in value)
    if f.type == "code" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if f.type == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _write(ws: Worksheet, row: int, column: int, f: Field | None, value: Any) -> None:
    cell = set_cell(ws, row, column, value)
    cell.protection = UNLOCKED
    if f is not None and f.type == "date":
        cell.number_format = DATE_FORMAT
    elif f is None or f.type in ("text", "code"):
        cell.number_format = TEXT_FORMAT  # УНП, codes: leading zeros kept


class _Lists:
    """The hidden lists sheet and the drop-downs that refer to it."""

    def __init__(self, wb: Workbook, definition: FormDefinition, language: str):
        self.ws = wb.create_sheet(LISTS_SHEET)
        self.ws.sheet_state = "hidden"
        self.ranges: dict[str, str] = {}
        for i, (key, labels) in enumerate(lists_of(definition, language).items(), start=1):
            letter = get_column_letter(i)
            set_cell(self.ws, 1, i, key)
            for r, text in enumerate(labels, start=2):
                set_cell(self.ws, r, i, text)
            self.ranges[key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
        _protect(self.ws)

    def validation(self, key: str) -> DataValidation:
        # A warning, not a stop: people type «т/год» or «тонн», which the import understands.
        return DataValidation(type="list", formula1=self.ranges[key], allow_blank=True,
                              showDropDown=False, errorStyle="warning", showErrorMessage=True)


def _list_key_of(column: Column) -> str | None:
    if column.part == "unit":
        return "units"
    if column.part == "period":
        return "periods"
    f = column.field
    if f is not None and column.part == "value" and (f.type == "boolean" or (f.type == "select_one" and f.choices)):
        return list_key(f)
    return None


def _scalar_sheet(ws: Worksheet, section: Section, document: QuestionnaireDocument | None,
                  language: str, lists: _Lists) -> None:
    for column, text in ((1, LABEL_HEADER.get(language)), (2, VALUE_HEADER.get(language))):
        cell = set_cell(ws, 1, column, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    validations: dict[str, DataValidation] = {}
    for row, f in enumerate(section.fields, start=2):
        label = set_cell(ws, row, 1, field_caption(f, language))
        label.alignment = WRAP
        label.comment = _comment(f, language)
        value = document.values.get(f.name) if document else None
        _write(ws, row, 2, f, _cell_value(f, value, language))
        ws.cell(row=row, column=2).alignment = WRAP
        key = _list_key_of(Column(f, "value"))
        if key:
            if key not in validations:
                validations[key] = lists.validation(key)
                ws.add_data_validation(validations[key])
            validations[key].add(f"B{row}")
    ws.column_dimensions["A"].width = 55
    ws.column_dimensions["B"].width = 60
    ws.freeze_panes = "B2"
    _protect(ws)


def _repeat_values(column: Column, row: RepeatRow, language: str) -> Any:
    if column.part == "id":
        return row.stream_id
    assert column.field is not None
    value = row.values.get(column.field.name)
    if column.part == "value":
        return _cell_value(column.field, value, language)
    q = value if isinstance(value, QuantityValue) else QuantityValue()
    if column.part == "amount":
        return q.amount
    if column.part == "unit":
        return unit_label(q.unit, language) if q.unit else None
    return period_label(q.period, language) if q.period else None


def _repeat_sheet(ws: Worksheet, section: Section, document: QuestionnaireDocument | None,
                  language: str, lists: _Lists) -> None:
    columns = repeat_columns(section)
    rows = [r for r in (document.rows.get(section.name, []) if document else []) if not r.is_empty()]
    last = max(REPEAT_ROWS, len(rows) + 50) + 1
    for c, column in enumerate(columns, start=1):
        cell = set_cell(ws, 1, c, column.header(language))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        if column.field is not None and column.part in ("value", "amount"):
            cell.comment = _comment(column.field, language)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = 14 if column.part in ("amount", "unit", "period") else 22
        key = _list_key_of(column)
        if key:
            dv = lists.validation(key)
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
        cell_field = column.field if column.part == "value" else _NUMBER if column.part == "amount" else None
        for r in range(2, last + 1):
            source = rows[r - 2] if r - 2 < len(rows) else None
            _write(ws, r, c, cell_field, _repeat_values(column, source, language) if source else None)
    ws.column_dimensions[get_column_letter(len(columns))].hidden = True
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "C2"
    _protect(ws)


def _meta_sheet(wb: Workbook, definition: FormDefinition, document: QuestionnaireDocument | None,
                language: str) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    rows: list[tuple[str, str]] = [
        ("form_id", definition.form_id),
        ("form_version", definition.version),
        ("questionnaire_id", (document.questionnaire_id or "") if document else ""),
        ("resident_id", (document.resident_id or "") if document else ""),
        ("campaign_id", (document.campaign_id or "") if document else ""),
        ("language", language),
        ("written_at", datetime.now().replace(microsecond=0).isoformat()),
    ]
    rows += [(f"sheet:{s.name}", sheet_title(s, language)) for s in definition.sections]
    for r, (key, value) in enumerate(rows, start=1):
        set_cell(ws, r, 1, key)
        set_cell(ws, r, 2, value)
    _protect(ws)


def write_questionnaire_workbook(
    definition: FormDefinition,
    out_path: Path,
    document: QuestionnaireDocument | None = None,
    language: str = "ru",
) -> Path:
    """Write the template (blank, or filled with ``document``) to ``out_path``."""
    language = "en" if language == "en" else "ru"
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    lists = _Lists(wb, definition, language)
    for section in definition.sections:
        ws = wb.create_sheet(sheet_title(section, language), index=len(wb.sheetnames) - 1)
        if section.repeat:
            _repeat_sheet(ws, section, document, language, lists)
        else:
            _scalar_sheet(ws, section, document, language, lists)
    _meta_sheet(wb, definition, document, language)
    wb.active = 0
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out_path) as tmp:
        wb.save(tmp)
    return out_path
