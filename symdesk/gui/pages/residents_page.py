"""The residents page: a filterable table, a detail pane, New / Edit / Delete.

The table model holds plain rows from ``services.residents.list_residents``;
the pane asks ``resident_details`` for the selected one. Edits go through the
resident editor, opened window-modal but without a nested event loop
(``open()``), so tests and the rest of the window keep running.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from symdesk.domain.issues import ValidationError
from symdesk.domain.resident import ResidentStatus
from symdesk.gui.dialogs import messages
from symdesk.gui.dialogs.resident_editor import ResidentEditor
from symdesk.gui.labels import status_label
from symdesk.gui.models.resident_table import (
    CODES,
    NAME,
    NEEDS,
    OFFERS,
    SITE,
    STATUS,
    UNP,
    ResidentTableModel,
)
from symdesk.gui.pages.resident_detail import ResidentDetailView
from symdesk.gui.widgets.record_table import record_table
from symdesk.i18n import _, ngettext
from symdesk.services import residents as resident_service
from symdesk.services.errors import UserError, describe
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

FILTER_DELAY_MS = 150
SITE_WIDTH = 150  # site names are long; the full name is in the detail pane
DETAIL_MIN_WIDTH = 320
NAME_WIDTH = 210  # most short names fit; the full name is in the detail pane
SERVICE_ERRORS = (UserError, ValidationError, StorageError)


class ResidentsPage(QWidget):
    """See the module docstring. ``residents_changed`` fires after every reload."""

    residents_changed = Signal()

    def __init__(self, db: Database, state: dict[str, Any] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.editor: ResidentEditor | None = None
        self._current_id: str | None = None  # survives model resets, unlike the selection
        self.model = ResidentTableModel(self)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter_now)
        self._build()
        self.restore_state(state or {})
        self.reload()

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Filter by name, UNP or OKED…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.count_label = QLabel()
        self.new_button = QPushButton(_("New…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        self.new_button.clicked.connect(self.new_resident)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        self.table = record_table(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in self._column_widths().items():
            self.table.setColumnWidth(column, width)
        # The site column takes what is left; the name keeps a readable width
        # even where translated headers of the other columns are long.
        header.setSectionResizeMode(SITE, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._model_reset)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_filter)

        self.detail = ResidentDetailView()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        for button in (self.new_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._update_buttons()

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _column_widths(self) -> dict[int, int]:
        """Widths from the font and the translated headers, not from 20,000 rows of content."""
        header = self.table.horizontalHeader()
        fm = header.fontMetrics()
        pad = 22  # cell margins and the sort arrow

        def fit(column: int, *samples: str) -> int:
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            return max(fm.horizontalAdvance(t) for t in (title, *samples)) + pad

        return {
            NAME: max(NAME_WIDTH, fit(NAME)),
            UNP: fit(UNP, "000000000"),
            CODES: fit(CODES, "00000, 00000"),
            SITE: SITE_WIDTH,
            STATUS: fit(STATUS, *(status_label(s.value) for s in ResidentStatus)),
            OFFERS: fit(OFFERS, "000"),
            NEEDS: fit(NEEDS, "000"),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        sizes = state.get("residents_splitter")
        if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(s, int) and s > 0 for s in sizes):
            self.splitter.setSizes(sizes)
        else:
            # Give the table the width its columns need; the detail pane the rest.
            table = sum(self._column_widths().values()) + SITE_WIDTH + 24
            self.splitter.setSizes([table, max(DETAIL_MIN_WIDTH, self.width() - table)])

    def save_state(self, state: dict[str, Any]) -> None:
        state["residents_splitter"] = self.splitter.sizes()

    # ------------------------------------------------------------ data

    def set_database(self, db: Database) -> None:
        self.db = db
        self.filter_edit.clear()
        self.apply_filter_now()
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        """Read the residents again, keeping the filter, the sort and (if possible) the selection."""
        if select_id:
            self._current_id = select_id
        try:
            rows = resident_service.list_residents(self.db)
        except SERVICE_ERRORS as exc:
            rows = []
            messages.show_error(self, describe(exc))
        self.model.set_rows(rows)
        self._update_count()
        self.residents_changed.emit()

    def apply_filter_now(self) -> None:
        """Apply the filter text at once (the debounce timer calls this too)."""
        self._filter_timer.stop()
        self.model.set_filter(self.filter_edit.text())
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total_count()
        self.count_label.setText(
            ngettext("{shown} of {total} resident", "{shown} of {total} residents", total).format(
                shown=self.model.match_count(), total=total
            )
        )

    # ------------------------------------------------------------ selection

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.summary(rows[0].row()).id

    def select_resident(self, resident_id: str) -> bool:
        row = self.model.row_of(resident_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _model_reset(self) -> None:
        """Filtering, sorting and reloading reset the model: select the same resident again."""
        if not (self._current_id and self.select_resident(self._current_id)):
            self._current_id = None
            self.detail.show_nothing()
            self._update_buttons()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()
        resident_id = self.selected_id()
        self._current_id = resident_id
        if resident_id is None:
            self.detail.show_nothing()
            return
        try:
            self.detail.show_details(resident_service.resident_details(self.db, resident_id))
        except SERVICE_ERRORS as exc:
            self.detail.show_message(describe(exc))

    def _update_buttons(self) -> None:
        has_selection = self.selected_id() is not None
        self.edit_button.setEnabled(has_selection)
        self.delete_button.setEnabled(has_selection)

    # ------------------------------------------------------------ actions

    def new_resident(self) -> ResidentEditor | None:
        """Open the editor for a new resident (non-blocking); returns the dialog."""
        return self._open_editor(None)

    def edit_selected(self) -> ResidentEditor | None:
        resident_id = self.selected_id()
        if resident_id is None:
            return None
        try:
            resident = resident_service.find_resident(self.db, resident_id)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return None
        return self._open_editor(resident)

    def _open_editor(self, resident: Any) -> ResidentEditor | None:
        try:
            editor = ResidentEditor(self.db, resident, self)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return None
        editor.accepted.connect(lambda: self._editor_saved(editor))
        editor.finished.connect(lambda _result: editor.deleteLater())
        self.editor = editor
        editor.open()
        return editor

    def _editor_saved(self, editor: ResidentEditor) -> None:
        saved = editor.saved
        self.reload(select_id=saved.id if saved else None)

    def delete_selected(self) -> bool:
        """Ask, then soft-delete the selected resident and its offers and needs."""
        resident_id = self.selected_id()
        if resident_id is None:
            return False
        name = self.model.summary(self.table.selectionModel().selectedRows()[0].row()).name
        question = _("Delete the resident «{name}» with its offers and needs?").format(name=name)
        if not messages.confirm(self, question, _("Delete resident")):
            return False
        try:
            resident_service.delete_resident(self.db, resident_id)
        except SERVICE_ERRORS as exc:
            messages.show_error(self, describe(exc))
            return False
        self._current_id = None
        self.reload()
        return True
