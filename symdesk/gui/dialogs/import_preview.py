"""What an import would do, before it does it: files, outcomes and problems.

Shown after a dry run. «Import» accepts the dialog (the caller then runs the
real import); problems are listed as file / sheet / row / column / message.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from symdesk.i18n import N_, _

OUTCOMES = {
    "imported": N_("new"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "failed": N_("failed"),
}


def outcome_label(outcome: str) -> str:
    return _(OUTCOMES[outcome]) if outcome in OUTCOMES else str(outcome)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(len(headers)):
        table.setColumnWidth(c, min(table.columnWidth(c), 420))
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def problem_rows(problems: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [
        (Path(str(p.file)).name if p.file else "", p.sheet, "" if p.row is None else p.row, p.column, p.render(_))
        for p in problems
    ]


class ImportPreviewDialog(QDialog):
    """``files`` rows are (file, resident, outcome, problem count); either table may be empty."""

    def __init__(
        self,
        title: str,
        summary: str,
        files: Sequence[Sequence[Any]],
        problems: Sequence[Any],
        *,
        can_import: bool = True,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(980, 620)
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.files_table = _table([_("File"), _("Resident"), _("Outcome"), _("Problems")], files)
        self.problems_table = _table(
            [_("File"), _("Sheet"), _("Row"), _("Column"), _("Problem")], problem_rows(problems)
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        if files:
            splitter.addWidget(self.files_table)
        splitter.addWidget(self.problems_table)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setEnabled(can_import)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        if not problems:
            layout.addWidget(QLabel(_("No problems found.")))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
