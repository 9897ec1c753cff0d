"""The opportunities table: one row per opportunity, its parties named, sorted in Python.

The page filters through ``services.matching.list_opportunities`` (the
service is the one place that knows what "active" and "at least this score"
mean) and hands the rows here with the parties' names already resolved. A
zone has hundreds to a few thousand opportunities; like the residents table,
the view is fed in batches as it scrolls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from symdesk.classifiers.search import fold
from symdesk.domain.opportunity import Opportunity
from symdesk.gui.models.batched import BATCH_SIZE, AnyIndex, BatchedTableModel
from symdesk.gui.opportunity_labels import (
    benefit_headline,
    category_label,
    match_kind_label,
    opportunity_status_label,
)
from symdesk.i18n import N_, _, format_number

NO_PARTY = "—"

SCORE, MATCH_KIND, CATEGORY, PROVIDER, RECEIVER, TITLE, STATUS, BENEFIT = range(8)
HEADERS = (
    N_("Score"),
    N_("Match"),
    N_("Category"),
    N_("Provider"),
    N_("Receiver"),
    N_("Opportunity"),
    N_("Status"),
    N_("Yearly benefit"),
)
NUMERIC_COLUMNS = frozenset({SCORE, BENEFIT})
INACTIVE_COLOUR = "#8a8a8a"



@dataclass(frozen=True)
class OpportunityRow:
    """An opportunity with what the table shows of it, computed once per reload."""

    opportunity: Opportunity
    provider: str
    receiver: str
    benefit: str
    benefit_value: float

    @property
    def id(self) -> str:
        return self.opportunity.id


def make_row(o: Opportunity, provider: str, receiver: str) -> OpportunityRow:
    text, value = benefit_headline(o.benefits)
    return OpportunityRow(o, provider or NO_PARTY, receiver or NO_PARTY, text, value)


def _sort_key(column: int) -> Callable[[OpportunityRow], Any]:
    keys: dict[int, Callable[[OpportunityRow], Any]] = {
        SCORE: lambda r: r.opportunity.score,
        MATCH_KIND: lambda r: fold(match_kind_label(r.opportunity.match_kind.value)),
        CATEGORY: lambda r: fold(category_label(r.opportunity.kind)),
        PROVIDER: lambda r: fold(r.provider),
        RECEIVER: lambda r: fold(r.receiver),
        TITLE: lambda r: fold(r.opportunity.title),
        STATUS: lambda r: fold(opportunity_status_label(r.opportunity.status.value)),
        BENEFIT: lambda r: r.benefit_value,
    }
    return keys[column]


class OpportunityTableModel(BatchedTableModel):
    """Eight columns over ``OpportunityRow``; see the module docstring."""


    def __init__(self, parent: Any = None, batch_size: int = BATCH_SIZE):
        super().__init__([_(h) for h in HEADERS], parent, batch_size)
        self._rows: list[OpportunityRow] = []

    # ------------------------------------------------------------ content

    def set_rows(self, rows: Sequence[OpportunityRow]) -> None:
        """Replace every row, keeping the sort order."""
        self.beginResetModel()
        self._rows = list(rows)
        self._apply_sort()
        self._reset_loaded()
        self.endResetModel()

    def _apply_sort(self) -> None:
        if self._sort_column < 0:
            return
        key = _sort_key(self._sort_column)
        # Ties keep the service's order (best first, then id): Python's sort is stable.
        self._rows.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def total_count(self) -> int:
        return len(self._rows)

    def row_data(self, row: int) -> OpportunityRow:
        return self._rows[row]

    def all_rows(self) -> list[OpportunityRow]:
        return list(self._rows)

    def row_of(self, opportunity_id: str) -> int:
        """Position of an opportunity, or -1; loads the view up to it."""
        for position, r in enumerate(self._rows):
            if r.id == opportunity_id:
                self._load_up_to(position)
                return position
        return -1

    # ------------------------------------------------------------ Qt model interface

    def _count(self) -> int:
        return len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._loaded:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (MATCH_KIND, CATEGORY, PROVIDER, RECEIVER, TITLE, BENEFIT):
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not row.opportunity.active:
            return QColor(INACTIVE_COLOUR)
        if role == self.ID_ROLE:
            return row.id
        return None

    @staticmethod
    def _display(row: OpportunityRow, column: int) -> Any:
        o = row.opportunity
        if column == SCORE:
            return format_number(o.score, 1)
        if column == MATCH_KIND:
            return match_kind_label(o.match_kind.value)
        if column == CATEGORY:
            return category_label(o.kind)
        if column == PROVIDER:
            return row.provider
        if column == RECEIVER:
            return row.receiver
        if column == TITLE:
            return o.title
        if column == STATUS:
            text = opportunity_status_label(o.status.value)
            return text if o.active else _("{status} (no longer found)").format(status=text)
        if column == BENEFIT:
            return row.benefit
        return None

