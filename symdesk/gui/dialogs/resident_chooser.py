"""Choose the resident a new questionnaire is for: a filterable list."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from symdesk.classifiers.search import fold
from symdesk.i18n import _
from symdesk.storage.repository import ResidentSummary

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ResidentChooser(QDialog):
    def __init__(self, residents: Sequence[ResidentSummary], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("New questionnaire"))
        self.resize(560, 520)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Filter by name or UNP…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QListWidget()
        for r in sorted(residents, key=lambda r: fold(r.short_name or r.name)):
            text = r.short_name or r.name
            item = QListWidgetItem(f"{text}   ({r.unp})" if r.unp else text)
            item.setData(ID_ROLE, r.id)
            item.setData(Qt.ItemDataRole.UserRole, fold(f"{r.name} {r.short_name} {r.unp}"))
            item.setToolTip(r.name)
            self.list.addItem(item)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.list.currentItemChanged.connect(lambda *_args: self._update_ok())
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Choose the resident the questionnaire is for:")))
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self._update_ok()

    def apply_filter(self, text: str) -> None:
        words = fold(text).split()
        first_visible = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = not all(w in item.data(Qt.ItemDataRole.UserRole) for w in words)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first_visible)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen_id() is not None)

    def chosen_id(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return str(item.data(ID_ROLE))

    def choose(self, resident_id: str) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == resident_id:
                self.list.setCurrentRow(i)
                return True
        return False


def resident_chooser(
    parent: QWidget, residents: Sequence[ResidentSummary], on_chosen: Callable[[str], None]
) -> ResidentChooser:
    """A chooser that calls ``on_chosen(resident_id)`` when closed with OK on a resident.

    The caller opens it (``open()``, non-blocking) after any changes of title or
    preselection; the dialog deletes itself once closed.
    """
    chooser = ResidentChooser(residents, parent)

    def chosen() -> None:
        resident_id = chooser.chosen_id()
        if resident_id:
            on_chosen(resident_id)

    chooser.accepted.connect(chosen)
    chooser.finished.connect(lambda _result: chooser.deleteLater())
    return chooser
