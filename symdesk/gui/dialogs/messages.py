"""Every blocking question or message box the GUI asks, behind small functions.

Modal boxes and file dialogs stop a test run; tests replace these functions
with ``monkeypatch``. Callers must therefore use them through the module
(``messages.confirm(...)``), never ``from ... import confirm``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from symdesk.i18n import N_, _

APP_TITLE = "symdesk"
DATABASE_FILTER = N_("symdesk databases (*.sqlite3 *.sqlite *.db);;All files (*)")


def confirm(parent: QWidget | None, text: str, title: str = "") -> bool:
    """Ask a yes/no question; ``True`` when the user says yes."""
    answer = QMessageBox.question(
        parent,
        title or _("Please confirm"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, text: str, title: str = "") -> None:
    """Tell the user about a problem (already translated, one line or a few)."""
    QMessageBox.warning(parent, title or APP_TITLE, text)


def show_info(parent: QWidget | None, text: str, title: str = "") -> None:
    QMessageBox.information(parent, title or APP_TITLE, text)


def about(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.about(parent, title, text)


def choose_new_database(parent: QWidget | None, start_dir: str = "") -> str | None:
    """Ask where to create a new database file; ``None`` if the user cancels."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("New database"), start_dir, _(DATABASE_FILTER)
    )
    if not path:
        return None
    if not Path(path).suffix:
        path += ".sqlite3"
    return path


def choose_database(parent: QWidget | None, start_dir: str = "") -> str | None:
    """Ask which existing database file to open; ``None`` if the user cancels."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Open database"), start_dir, _(DATABASE_FILTER)
    )
    return path or None


SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
EXCEL_FILTER = N_("Excel workbooks (*.xlsx);;All files (*)")
PDF_FILTER = N_("PDF documents (*.pdf);;All files (*)")


def ask_save_changes(parent: QWidget | None, text: str = "", title: str = "") -> str:
    """Yes / No / Cancel about unsaved changes: ``SAVE``, ``DISCARD`` or ``CANCEL``."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        title or APP_TITLE,
        text or _("Save changes?"),
        buttons.Yes | buttons.No | buttons.Cancel,
        buttons.Cancel,
    )
    if answer == buttons.Yes:
        return SAVE
    if answer == buttons.No:
        return DISCARD
    return CANCEL


def choose_open_files(parent: QWidget | None, title: str, file_filter: str, start_dir: str = "") -> list[str]:
    """Ask for one or more existing files; an empty list if the user cancels."""
    paths, _filter = QFileDialog.getOpenFileNames(parent, title, start_dir, file_filter)
    return list(paths)


def choose_open_file(parent: QWidget | None, title: str, file_filter: str, start_dir: str = "") -> str | None:
    path, _filter = QFileDialog.getOpenFileName(parent, title, start_dir, file_filter)
    return path or None


def choose_save_file(
    parent: QWidget | None, title: str, file_filter: str, suggested: str = "", suffix: str = ""
) -> str | None:
    """Ask where to save a file; ``suffix`` (``.xlsx``) is added when the name has none."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    if not path:
        return None
    if suffix and not Path(path).suffix:
        path += suffix
    return path


def open_file(path: str | Path) -> bool:
    """Open a file in the program the system associates with it (a PDF viewer…)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
