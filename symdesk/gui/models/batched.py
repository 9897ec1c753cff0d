"""A table model that hands its rows to the view a batch at a time.

Tens of thousands of residents or opportunities load fast because the view
asks for more (``canFetchMore``/``fetchMore``) only as the user scrolls.
Subclasses keep their rows however they like and say how many there are
(``_count``); this class keeps the count already given to the view and the
translated headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
BATCH_SIZE = 500


class BatchedTableModel(QAbstractTableModel):
    """Rows given to the view ``batch_size`` at a time; flat (no children), sortable by column."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record id of a row

    def __init__(self, headers: Sequence[str], parent: Any = None, batch_size: int = BATCH_SIZE):
        super().__init__(parent)
        self.batch_size = batch_size
        self._headers = list(headers)
        self._loaded = 0  # how many rows the view has been given
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def _count(self) -> int:
        """How many rows there are to give (filtered, if the subclass filters)."""
        raise NotImplementedError

    def _apply_sort(self) -> None:
        """Order the rows by ``_sort_column`` and ``_sort_order``."""
        raise NotImplementedError

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; the view starts again from the first batch."""
        if not 0 <= column < len(self._headers):
            return
        self.beginResetModel()
        self._sort_column, self._sort_order = column, order
        self._apply_sort()
        self._reset_loaded()
        self.endResetModel()

    def _reset_loaded(self) -> None:
        """After new or re-ordered rows: the first batch only (call between begin/endResetModel)."""
        self._loaded = min(self.batch_size, self._count())

    def _load_up_to(self, position: int) -> None:
        while position >= self._loaded and self.canFetchMore(ROOT):
            self.fetchMore(ROOT)

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def canFetchMore(self, parent: AnyIndex = ROOT) -> bool:
        return not parent.isValid() and self._loaded < self._count()

    def fetchMore(self, parent: AnyIndex = ROOT) -> None:
        if parent.isValid():
            return
        more = min(self.batch_size, self._count() - self._loaded)
        if more <= 0:
            return
        self.beginInsertRows(ROOT, self._loaded, self._loaded + more - 1)
        self._loaded += more
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None
