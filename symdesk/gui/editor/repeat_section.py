"""A repeat section (offers, needs) as a table with Add / Duplicate / Remove row.

Cell editors follow the field type: a combo for choices, a unit combo that
offers only the units fitting the row's category, a code picker for codes
and a line edit for text, numbers and dates.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from symdesk.domain.units import Period
from symdesk.gui.editor.repeat_model import PERIOD, UNIT, RepeatTableModel
from symdesk.gui.editor.scalar_section import HINT_STYLE, small_label
from symdesk.gui.labels import period_label, unit_label
from symdesk.gui.widgets.code_picker import CodePicker
from symdesk.i18n import _, current_language
from symdesk.questionnaire.definition import Section
from symdesk.questionnaire.document import RepeatRow
from symdesk.questionnaire.validation import FieldIssue
from symdesk.storage.db import Database

Index = QModelIndex | QPersistentModelIndex
MIN_WIDTH, MAX_WIDTH = 70, 230
HEADER_LINES = 3


class RepeatDelegate(QStyledItemDelegate):
    def __init__(self, model: RepeatTableModel, db: Database | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.db = db

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.model.columns[index.column()]
        f = column.field
        if column.part == UNIT:
            combo = QComboBox(parent)
            combo.addItem("", "")
            for code in self.model.allowed_units(index.row()):
                combo.addItem(unit_label(code), code)
            return combo
        if column.part == PERIOD:
            combo = QComboBox(parent)
            combo.addItem("", "")
            for period in Period:
                combo.addItem(period_label(period), period.value)
            return combo
        if column.part is None and f.type == "select_one":
            combo = QComboBox(parent)
            combo.addItem("", None)
            language = current_language()
            for choice in f.choices:
                combo.addItem(choice.label.get(language), choice.value)
            return combo
        if column.part is None and f.type == "code":
            return CodePicker(self.db, f.classifier or "waste", multiple=f.multiple, parent=parent)
        return QLineEdit(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value) if value not in (None, "") else 0
            if found < 0:  # a stored value not offered here (a unit of another category)
                editor.addItem(str(value), value)
                found = editor.count() - 1
            editor.setCurrentIndex(found)
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class RepeatSectionPage(QWidget):
    """See the module docstring; ``changed`` fires on every edit of the rows."""

    changed = Signal()

    def __init__(self, section: Section, db: Database | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.model = RepeatTableModel(section, self)
        self.model.edited.connect(self.changed)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.delegate = RepeatDelegate(self.model, db, self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
        header.setHighlightSections(False)
        header.setMinimumHeight(header.fontMetrics().lineSpacing() * HEADER_LINES + 10)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fit_columns()

        self.add_action = QAction(_("Add row"), self)
        self.add_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.duplicate_action = QAction(_("Duplicate row"), self)
        self.remove_action = QAction(_("Remove row"), self)
        self.add_action.triggered.connect(self.add_row)
        self.duplicate_action.triggered.connect(self.duplicate_row)
        self.remove_action.triggered.connect(self.remove_row)
        toolbar = QHBoxLayout()
        for action in (self.add_action, self.duplicate_action, self.remove_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            toolbar.addWidget(button)
            self.addAction(action)
        toolbar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        if section.hint:
            layout.addWidget(small_label(section.hint.get(current_language()), HINT_STYLE))
        layout.addLayout(toolbar)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().currentChanged.connect(lambda *_args: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsInserted.connect(lambda *_args: self._update_actions())
        self.model.rowsRemoved.connect(lambda *_args: self._update_actions())
        self._update_actions()

    def _fit_columns(self) -> None:
        fm = self.table.horizontalHeader().fontMetrics()
        for i, column in enumerate(self.model.columns):
            header = str(self.model.headerData(i, Qt.Orientation.Horizontal))
            longest_word = max((fm.horizontalAdvance(w) for w in header.split()), default=0)
            # Wrapped on up to three lines: a third of the header, but never cutting a word.
            width = max(longest_word, fm.horizontalAdvance(header) // HEADER_LINES) + 24
            if column.field.type == "text" and column.part is None:
                width = max(width, 160)
            if column.field.type == "code":
                width = max(width, 110)
            self.table.setColumnWidth(i, max(MIN_WIDTH, min(MAX_WIDTH, width)))

    # ------------------------------------------------------------ rows

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def _update_actions(self) -> None:
        has_row = 0 <= self.current_row() < self.model.rowCount()
        self.duplicate_action.setEnabled(has_row)
        self.remove_action.setEnabled(has_row)

    def _select(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_actions()

    def add_row(self) -> int:
        row = self.model.add_row()
        self._select(row)
        self.table.setFocus()
        return row

    def duplicate_row(self) -> int:
        row = self.current_row()
        if row < 0:
            return -1
        new = self.model.duplicate_row(row)
        self._select(new)
        return new

    def remove_row(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        self.model.remove_row(row)
        if self.model.rowCount():
            self._select(min(row, self.model.rowCount() - 1))
        self._update_actions()

    # ------------------------------------------------------------ values and issues

    def set_rows(self, rows: list[RepeatRow]) -> None:
        self.model.set_rows(rows)

    def collect(self) -> tuple[list[RepeatRow], list[FieldIssue]]:
        return self.model.collect()

    def state(self) -> Any:
        return self.model.state()

    def show_issues(self, issues: list[FieldIssue]) -> None:
        self.model.set_issues(issues)

    def focus_issue(self, issue: FieldIssue) -> None:
        if issue.row is None:
            return
        try:
            column = self.model.column_of(issue.field)
        except KeyError:
            column = 0
        index = self.model.index(issue.row, column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
