"""The questionnaires table: plain ``QuestionnaireSummary`` rows, filtered and sorted in Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from symdesk.classifiers.search import fold
from symdesk.domain.labels import label
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.gui.labels import capitalised
from symdesk.i18n import N_, _
from symdesk.services.questionnaires import QuestionnaireSummary

RESIDENT, UNP, CAMPAIGN, STATUS, SURVEYOR, DATE, OFFERS, NEEDS, VERSION = range(9)
HEADERS = (
    N_("Resident"),
    N_("UNP"),
    N_("Campaign"),
    N_("Status"),
    N_("Surveyor"),
    N_("Date"),
    N_("Offers"),
    N_("Needs"),
    N_("Form version"),
)
NUMERIC_COLUMNS = frozenset({OFFERS, NEEDS})
AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def questionnaire_status_label(value: str) -> str:
    try:
        return capitalised(_(label(QuestionnaireStatus(value))))
    except ValueError:
        return str(value)


def date_text(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _sort_key(column: int) -> Callable[[QuestionnaireSummary], Any]:
    keys: dict[int, Callable[[QuestionnaireSummary], Any]] = {
        RESIDENT: lambda r: fold(r.resident_name),
        UNP: lambda r: r.unp,
        CAMPAIGN: lambda r: fold(r.campaign_name),
        STATUS: lambda r: list(QuestionnaireStatus).index(QuestionnaireStatus(r.status))
        if r.status in {s.value for s in QuestionnaireStatus} else 9,
        SURVEYOR: lambda r: fold(r.surveyor),
        DATE: lambda r: r.survey_date or date.min,
        OFFERS: lambda r: r.offers,
        NEEDS: lambda r: r.needs,
        VERSION: lambda r: r.form_version,
    }
    return keys[column]


class QuestionnaireTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[QuestionnaireSummary] = []
        self._visible: list[int] = []
        self._filter = ""
        self._sort = (RESIDENT, Qt.SortOrder.AscendingOrder)

    # ------------------------------------------------------------ rows

    def set_rows(self, rows: Sequence[QuestionnaireSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._rebuild()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = fold(text.strip())
        self._rebuild()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self._sort = (column, order)
        self._rebuild()
        self.endResetModel()

    def _rebuild(self) -> None:
        words = self._filter.split()
        visible = [
            i
            for i, r in enumerate(self._rows)
            if all(w in fold(f"{r.resident_name} {r.unp} {r.surveyor} {r.campaign_name}") for w in words)
        ]
        column, order = self._sort
        key = _sort_key(column)
        visible.sort(key=lambda i: key(self._rows[i]), reverse=order == Qt.SortOrder.DescendingOrder)
        self._visible = visible

    def summary(self, row: int) -> QuestionnaireSummary:
        return self._rows[self._visible[row]]

    def row_of(self, questionnaire_id: str) -> int:
        for row, i in enumerate(self._visible):
            if self._rows[i].id == questionnaire_id:
                return row
        return -1

    def total_count(self) -> int:
        return len(self._rows)

    def match_count(self) -> int:
        return len(self._visible)

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.summary(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = {
                RESIDENT: r.resident_name,
                UNP: r.unp,
                CAMPAIGN: r.campaign_name,
                STATUS: questionnaire_status_label(r.status),
                SURVEYOR: r.surveyor,
                DATE: date_text(r.survey_date),
                OFFERS: str(r.offers),
                NEEDS: str(r.needs),
                VERSION: r.form_version,
            }
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
