"""The rows of a repeat section (offers, needs) as a table model.

One column per field, three for a quantity (amount, unit, period). Cells
take text or values through ``setData`` and keep typed values in
``RepeatRow`` objects; text that is not well-formed is kept as typed and
reported as an issue. Cells whose field is not asked for the row's category
are greyed and not editable; cells with issues are red, the message in the
tooltip.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from symdesk.domain.stream import ALLOWED_DIMENSIONS, Category
from symdesk.domain.units import UNITS, Period
from symdesk.gui.editor.fields import codes_text, date_text, number_text
from symdesk.gui.labels import period_label, unit_label
from symdesk.i18n import _, current_language
from symdesk.questionnaire.definition import Field, Section
from symdesk.questionnaire.document import QuantityValue, RepeatRow
from symdesk.questionnaire.validation import FieldIssue, relevant
from symdesk.questionnaire.values import (
    ValueProblem,
    parse_boolean,
    parse_choice,
    parse_code,
    parse_date,
    parse_integer,
    parse_number,
    parse_period,
    parse_unit,
)

Index = QModelIndex | QPersistentModelIndex
ISSUE_BRUSH = QBrush(QColor("#f8d0cb"))
IRRELEVANT_BRUSH = QBrush(QColor("#ececec"))
IRRELEVANT_TEXT = QBrush(QColor("#9a9a9a"))
AMOUNT, UNIT, PERIOD = "amount", "unit", "period"


@dataclass(frozen=True)
class Column:
    field: Field
    part: str | None = None  # amount | unit | period for a quantity

    def header(self, language: str) -> str:
        if self.part == UNIT:
            return _("Unit")
        if self.part == PERIOD:
            return _("Period")
        return self.field.label.get(language) + (" *" if self.field.required else "")


def columns_of(section: Section) -> list[Column]:
    columns: list[Column] = []
    for f in section.fields:
        if f.type == "quantity":
            columns += [Column(f, AMOUNT), Column(f, UNIT), Column(f, PERIOD)]
        else:
            columns.append(Column(f))
    return columns


def allowed_units(category: Any) -> list[str]:
    """Unit codes that fit ``category`` (every unit when no known category is chosen)."""
    try:
        dimensions = ALLOWED_DIMENSIONS[Category(category)]
    except ValueError:
        return list(UNITS)
    return [code for code, unit in UNITS.items() if unit.dimension in dimensions]


def empty_row(section: Section) -> RepeatRow:
    values: dict[str, Any] = {}
    for f in section.fields:
        if f.type == "quantity":
            values[f.name] = QuantityValue()
        elif f.type == "boolean":
            values[f.name] = False
        elif f.type == "select_multiple" or (f.type == "code" and f.multiple):
            values[f.name] = []
        else:
            values[f.name] = None
    return RepeatRow(values)


def _parse(column: Column, raw: Any) -> Any:
    """A cell's typed value from what was entered; ``ValueProblem`` if it is not well-formed."""
    f = column.field
    blank = raw is None or (isinstance(raw, str) and not raw.strip())
    if column.part == AMOUNT or f.type in ("integer", "decimal"):
        if blank:
            return None
        if f.type == "integer":
            return parse_integer(raw)
        return parse_number(raw)
    if column.part == UNIT:
        if blank:
            return ""
        return raw if raw in UNITS else parse_unit(raw)[0]
    if column.part == PERIOD:
        if blank:
            return ""
        return raw if raw in {p.value for p in Period} else parse_period(raw)
    if blank:
        return [] if f.type == "select_multiple" or (f.type == "code" and f.multiple) else None
    if f.type == "boolean":
        return parse_boolean(raw)
    if f.type == "date":
        return parse_date(raw)
    if f.type == "select_one":
        return raw if raw in {c.value for c in f.choices} else parse_choice(f, raw)
    if f.type == "code":
        return parse_code(f, raw)
    return str(raw).strip()


class RepeatTableModel(QAbstractTableModel):
    """See the module docstring; ``edited`` fires after every change of the rows."""

    edited = Signal()

    def __init__(self, section: Section, parent: Any = None):
        super().__init__(parent)
        self.section = section
        self.columns = columns_of(section)
        self.rows: list[RepeatRow] = []
        self.raw: dict[tuple[int, int], str] = {}  # (row, column) → text not well-formed
        self.problems: dict[tuple[int, int], FieldIssue] = {}
        self.issues: dict[tuple[int, str], list[str]] = {}
        self.language = current_language()

    # ------------------------------------------------------------ rows

    def set_rows(self, rows: list[RepeatRow]) -> None:
        self.beginResetModel()
        self.rows = [copy.deepcopy(r) for r in rows]
        self.raw.clear()
        self.problems.clear()
        self.issues.clear()
        self.endResetModel()

    def collect(self) -> tuple[list[RepeatRow], list[FieldIssue]]:
        """Copies of the rows, and an issue for every cell whose text is not well-formed."""
        return [copy.deepcopy(r) for r in self.rows], list(self.problems.values())

    def state(self) -> Any:
        """Everything shown, for noticing unsaved changes."""
        return [(r.stream_id, r.values) for r in self.rows], sorted(self.raw.items())

    def insert_row(self, row: RepeatRow, at: int | None = None) -> int:
        at = len(self.rows) if at is None else at
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, row)
        self._shift_cells(at, +1)
        self.endInsertRows()
        self.edited.emit()
        return at

    def add_row(self) -> int:
        return self.insert_row(empty_row(self.section))

    def duplicate_row(self, row: int) -> int:
        copied = RepeatRow(copy.deepcopy(self.rows[row].values))
        return self.insert_row(copied, row + 1)

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        for key in [k for k in self.raw if k[0] == row]:
            del self.raw[key]
            self.problems.pop(key, None)
        self._shift_cells(row + 1, -1)
        self.endRemoveRows()
        self.edited.emit()

    def _shift_cells(self, start: int, by: int) -> None:
        for store in (self.raw, self.problems):
            moved = {((r + by if r >= start else r), c): v for (r, c), v in store.items()}
            store.clear()
            store.update(moved)  # type: ignore[arg-type]
        self.problems = {
            k: FieldIssue(v.section, v.field, v.message, v.params, k[0]) for k, v in self.problems.items()
        }
        self.issues.clear()

    # ------------------------------------------------------------ lookup

    def column_of(self, field: str, part: str | None = None) -> int:
        for i, column in enumerate(self.columns):
            if column.field.name == field and (part is None or column.part == part):
                return i
        raise KeyError(field)

    def value(self, row: int, column: int) -> Any:
        col = self.columns[column]
        value = self.rows[row].values.get(col.field.name)
        if col.part is None:
            return value
        quantity = value if isinstance(value, QuantityValue) else QuantityValue()
        return {AMOUNT: quantity.amount, UNIT: quantity.unit, PERIOD: quantity.period}[col.part]

    def is_relevant(self, row: int, column: int) -> bool:
        return relevant(self.columns[column].field, self.rows[row].values)

    def allowed_units(self, row: int) -> list[str]:
        return allowed_units(self.rows[row].values.get("category"))

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header(self.language)
        if role == Qt.ItemDataRole.ToolTipRole:
            hint = column.field.hint.get(self.language) if column.field.hint else ""
            return "\n".join(t for t in (column.field.label.get(self.language), hint) if t)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid() or not self.is_relevant(index.row(), index.column()):
            return base
        if self.columns[index.column()].field.type == "boolean":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def display_text(self, row: int, column: int) -> str:
        if (row, column) in self.raw:
            return self.raw[(row, column)]
        col = self.columns[column]
        value = self.value(row, column)
        if value in (None, "", []) or col.field.type == "boolean":
            return ""
        if col.part == UNIT:
            return unit_label(value)
        if col.part == PERIOD:
            return period_label(value)
        if col.part == AMOUNT or col.field.type in ("integer", "decimal"):
            return number_text(value)
        if col.field.type == "select_one":
            return col.field.choice_label(value, self.language)
        if col.field.type == "date":
            return date_text(value)
        if col.field.type in ("code", "select_multiple"):
            return codes_text(value)
        return str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        col = self.columns[column]
        is_relevant = self.is_relevant(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(row, column) if is_relevant else ""
        if role == Qt.ItemDataRole.EditRole:
            if (row, column) in self.raw:
                return self.raw[(row, column)]
            value = self.value(row, column)
            if col.field.type in ("select_one", "boolean") or col.part in (UNIT, PERIOD):
                return value
            return self.display_text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and col.field.type == "boolean" and is_relevant:
            return Qt.CheckState.Checked if self.value(row, column) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if not is_relevant:
                return IRRELEVANT_BRUSH
            if self._messages(row, column):
                return ISSUE_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and not is_relevant:
            return IRRELEVANT_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            if not is_relevant:
                return _("Not asked for this category")
            messages = self._messages(row, column)
            return "\n".join(messages) if messages else (self.display_text(row, column) or None)
        return None

    def _messages(self, row: int, column: int) -> list[str]:
        found = list(self.issues.get((row, self.columns[column].field.name), []))
        if (row, column) in self.problems:
            found.insert(0, self.problems[(row, column)].render(_))
        return list(dict.fromkeys(found))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable):
            return False
        row, column = index.row(), index.column()
        col = self.columns[column]
        if role == Qt.ItemDataRole.CheckStateRole:
            value = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        elif role != Qt.ItemDataRole.EditRole:
            return False
        self.raw.pop((row, column), None)
        self.problems.pop((row, column), None)
        try:
            parsed = _parse(col, value)
        except ValueProblem as exc:
            self.raw[(row, column)] = str(value)
            self.problems[(row, column)] = FieldIssue(self.section.name, col.field.name, exc.message, exc.params, row)
            parsed = None if col.part != UNIT and col.part != PERIOD else ""
        self._store(row, col, parsed)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.edited.emit()
        return True

    def _store(self, row: int, col: Column, parsed: Any) -> None:
        values = self.rows[row].values
        if col.part is None:
            values[col.field.name] = parsed
            return
        old = values.get(col.field.name)
        quantity = copy.copy(old) if isinstance(old, QuantityValue) else QuantityValue()
        setattr(quantity, col.part, parsed)
        values[col.field.name] = quantity

    # ------------------------------------------------------------ issues

    def set_issues(self, issues: list[FieldIssue]) -> None:
        """Issues of the whole document; those of this section's rows are shown."""
        self.issues = {}
        for issue in issues:
            if issue.section == self.section.name and issue.row is not None:
                self.issues.setdefault((issue.row, issue.field), []).append(issue.render(_))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    def has_issues(self) -> bool:
        return bool(self.issues or self.problems)
