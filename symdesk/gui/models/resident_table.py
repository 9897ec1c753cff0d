"""The residents table: plain ``ResidentSummary`` rows, filtered and sorted in Python.

A zone administration may keep thousands of residents (the benchmark uses
20,000). All rows stay in one Python list with a pre-folded search key per
row; filtering and sorting rebuild a list of indices, and the view is fed
lazily with ``canFetchMore``/``fetchMore`` in batches, so it never lays out
more rows than the user has scrolled to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt

from symdesk.classifiers.search import fold
from symdesk.gui.labels import status_label
from symdesk.gui.models.batched import BATCH_SIZE, AnyIndex, BatchedTableModel
from symdesk.i18n import N_, _, pgettext
from symdesk.storage.repository import ResidentSummary

NAME, UNP, CODES, SITE, STATUS, OFFERS, NEEDS = range(7)
HEADERS = (
    N_("Name"),
    N_("UNP"),
    N_("OKED codes"),
    N_("Site"),
    N_("Status"),
    N_("Offers"),
    N_("Needs"),
)
NUMERIC_COLUMNS = frozenset({OFFERS, NEEDS})



def display_name(row: ResidentSummary) -> str:
    return row.short_name or row.name


def codes_text(row: ResidentSummary) -> str:
    return ", ".join(row.activity_codes)


def search_key(row: ResidentSummary) -> str:
    """Everything the filter looks in, folded once: names, УНП, codes in both spellings.

    ``31090`` is also kept as ``31.090`` so that typing the class ``31.09`` finds it.
    """
    codes = " ".join(f"{c} {c[:2]}.{c[2:]}" for c in row.activity_codes)
    return fold(f"{row.name}\x1f{row.short_name}\x1f{row.unp}\x1f{codes}")


def _sort_key(column: int) -> Callable[[ResidentSummary], Any]:
    keys: dict[int, Callable[[ResidentSummary], Any]] = {
        NAME: lambda r: fold(display_name(r)),
        UNP: lambda r: r.unp,
        CODES: lambda r: r.activity_codes,
        SITE: lambda r: fold(r.site_name),
        STATUS: lambda r: fold(status_label(r.status)),
        OFFERS: lambda r: r.offers,
        NEEDS: lambda r: r.needs,
    }
    return keys[column]


class ResidentTableModel(BatchedTableModel):
    """Seven columns over ``ResidentSummary`` rows; see the module docstring."""


    def __init__(self, parent: Any = None, batch_size: int = BATCH_SIZE):
        super().__init__([_(h) for h in HEADERS], parent, batch_size)
        self._rows: list[ResidentSummary] = []
        self._keys: list[str] = []
        self._visible: list[int] = []  # indices into _rows, filtered and sorted
        self._terms: list[str] = []
        # Narrow numeric columns get short header texts (Russian «Предл.», «Потр.»).
        self._headers[OFFERS] = pgettext("narrow column", "Offers")
        self._headers[NEEDS] = pgettext("narrow column", "Needs")

    # ------------------------------------------------------------ content

    def set_rows(self, rows: Sequence[ResidentSummary]) -> None:
        """Replace every row, keeping the current filter and sort order."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = [search_key(r) for r in self._rows]
        self._rebuild()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show rows whose name, short name, УНП or codes contain every word of ``text``."""
        terms = fold(text).split()
        if terms == self._terms:
            return
        self.beginResetModel()
        self._terms = terms
        self._rebuild()
        self.endResetModel()

    def filter_text(self) -> str:
        return " ".join(self._terms)

    def _rebuild(self) -> None:
        terms = self._terms
        if terms:
            keys = self._keys
            self._visible = [i for i, key in enumerate(keys) if all(t in key for t in terms)]
        else:
            self._visible = list(range(len(self._rows)))
        self._apply_sort()
        self._reset_loaded()

    def _apply_sort(self) -> None:
        if self._sort_column < 0:
            return
        key = _sort_key(self._sort_column)
        rows = self._rows
        self._visible.sort(
            key=lambda i: key(rows[i]), reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )

    # ------------------------------------------------------------ counts and lookup

    def total_count(self) -> int:
        """All rows, whatever the filter."""
        return len(self._rows)

    def match_count(self) -> int:
        """Rows passing the filter, loaded into the view or not yet."""
        return len(self._visible)

    def summary(self, row: int) -> ResidentSummary:
        return self._rows[self._visible[row]]

    def row_of(self, resident_id: str) -> int:
        """Position of a resident among the filtered rows, or -1; loads up to it."""
        for position, i in enumerate(self._visible):
            if self._rows[i].id == resident_id:
                self._load_up_to(position)
                return position
        return -1

    # ------------------------------------------------------------ Qt model interface

    def _count(self) -> int:
        return len(self._visible)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._loaded:
            return None
        row = self._rows[self._visible[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (NAME, SITE):
            return row.name if column == NAME else row.site_name
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ID_ROLE:
            return row.id
        return None

    @staticmethod
    def _display(row: ResidentSummary, column: int) -> Any:
        if column == NAME:
            return display_name(row)
        if column == UNP:
            return row.unp
        if column == CODES:
            return codes_text(row)
        if column == SITE:
            return row.site_name
        if column == STATUS:
            return status_label(row.status)
        if column == OFFERS:
            return row.offers
        if column == NEEDS:
            return row.needs
        return None

