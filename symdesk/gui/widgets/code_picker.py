"""A line edit that completes classifier codes as the user types.

Completions come from ``services.codes.search_codes`` (activity codes for
activity fields; the EWC and the imported national list for waste fields),
shown as «10 01 02 — Летучая зола…» in the current language; choosing one
inserts the code. With ``multiple`` the text is a comma-separated list and
only the word being typed is completed.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from symdesk.classifiers.reference import ACTIVITY, EWC, NATIONAL, CodeEntry
from symdesk.i18n import current_language
from symdesk.services.codes import search_codes
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
LIMIT = 30
DELAY_MS = 120
SYSTEMS = {"activity": (ACTIVITY,), "waste": (EWC, NATIONAL)}
SEPARATOR = re.compile(r"[,;]")


def insertable(entry: CodeEntry) -> bool:
    """Only codes a field can hold: waste entries (not chapters), activity classes and subclasses."""
    if entry.system == ACTIVITY:
        return entry.code.isdigit() and len(entry.code) in (4, 5)
    return entry.level == "entry"


class _Completer(QCompleter):
    """Inserts the chosen code in place of the word being typed."""

    def __init__(self, picker: CodePicker):
        super().__init__(picker)
        self.picker = picker

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return self.picker.text_with(str(index.data(CODE_ROLE) or ""))

    def splitPath(self, path: str) -> list[str]:
        return [self.picker.current_word()]


class CodePicker(QLineEdit):
    def __init__(
        self,
        db: Database | None,
        classifier: str = "waste",
        *,
        multiple: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.systems = SYSTEMS.get(classifier, (EWC, NATIONAL))
        self.multiple = multiple
        self.entries: list[CodeEntry] = []
        self.model = QStandardItemModel(self)
        self.completer_ = _Completer(self)
        self.completer_.setModel(self.model)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.update_completions)
        self.textEdited.connect(lambda _text: self._timer.start())

    # ------------------------------------------------------------ the word being typed

    def current_word(self) -> str:
        if not self.multiple:
            return self.text().strip()
        return SEPARATOR.split(self.text())[-1].strip()

    def text_with(self, code: str) -> str:
        """The whole text with the word being typed replaced by ``code``."""
        if not self.multiple:
            return code
        parts = [p.strip() for p in SEPARATOR.split(self.text())[:-1] if p.strip()]
        return ", ".join([*parts, code])

    # ------------------------------------------------------------ completions

    def update_completions(self) -> int:
        """Search for the word being typed and show the popup; the number of completions."""
        self._timer.stop()
        word = self.current_word()
        self.model.clear()
        self.entries = []
        if len(word) < 2:
            self.completer_.popup().hide()
            return 0
        try:
            found = search_codes(self.db, word, systems=list(self.systems), limit=LIMIT)
        except StorageError:
            found = []
        language = current_language()
        for entry in found:
            if not insertable(entry):
                continue
            item = QStandardItem(f"{entry.display_code} — {entry.name(language)}")
            item.setData(entry.code, CODE_ROLE)
            item.setToolTip(entry.name(language))
            self.model.appendRow(item)
            self.entries.append(entry)
        if self.entries and self.hasFocus():
            self.completer_.complete()
        elif not self.entries:
            self.completer_.popup().hide()
        return len(self.entries)

    def completion_texts(self) -> list[str]:
        return [self.model.item(row).text() for row in range(self.model.rowCount())]

    def choose(self, row: int) -> None:
        """Take completion ``row`` as if the user had picked it from the popup."""
        code = str(self.model.item(row).data(CODE_ROLE))
        self.setText(self.text_with(code))
        self.completer_.popup().hide()
        self.editingFinished.emit()
