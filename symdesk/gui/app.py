"""Starting the GUI: the application object, the database, the first window.

``symdesk`` with no command calls ``run_gui``; the ``symdesk-gui`` script
calls ``main``. ``start_gui`` does everything but the event loop, so tests
can drive a started application.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from symdesk import fonts
from symdesk.config import Settings, load_settings, save_settings
from symdesk.gui import task_runner
from symdesk.gui.dialogs import messages
from symdesk.gui.main_window import MainWindow
from symdesk.i18n import _, set_language
from symdesk.services import database as database_service
from symdesk.services import demo as demo_service
from symdesk.services.errors import describe
from symdesk.storage.db import Database
from symdesk.storage.errors import StorageError

log = logging.getLogger(__name__)

APP_NAME = "symdesk"
PREFERRED_FONT = "DejaVu Sans"  # full Cyrillic coverage on every platform that ships it


def ensure_app() -> QApplication:
    """The one ``QApplication``, created if needed, named and given a Cyrillic font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    set_default_font(app)
    return app


def load_shipped_fonts() -> list[str]:
    """Register the DejaVu family shipped in resources/fonts, so that screens and the
    PDFs use the same Cyrillic font on a Windows machine that has none installed.
    Returns the families Qt read from the files."""
    families: list[str] = []
    for name in (fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC):
        path = fonts.font_path(name)
        if path.is_file():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def set_default_font(app: QApplication) -> None:
    load_shipped_fonts()
    if PREFERRED_FONT in QFontDatabase.families():
        font = QFont(PREFERRED_FONT)
        size = app.font().pointSizeF()
        if size > 0:
            font.setPointSizeF(max(size, 9.0))
        app.setFont(font)


class Shell(QObject):
    """Keeps the current main window alive across language switches."""

    def __init__(self, window: MainWindow):
        super().__init__()
        self.window = window
        self.demo_task: task_runner.Task | None = None
        window.replaced.connect(self._replaced)

    def _replaced(self, window: MainWindow) -> None:
        self.window = window
        window.replaced.connect(self._replaced)


def database_path(db_path: str | None, settings: Settings) -> str | None:
    """``--db`` first, then the last database if it still exists, else the default (``None``)."""
    if db_path:
        return db_path
    if settings.last_database and Path(settings.last_database).exists():
        return settings.last_database
    return None


def open_start_database(db_path: str | None, settings: Settings) -> Database | None:
    """Open the database to start with; a failing last database falls back to the default."""
    path = database_path(db_path, settings)
    try:
        return database_service.open_db(path)
    except StorageError as exc:
        messages.show_error(None, describe(exc))
        if db_path or path is None:
            return None
    try:
        return database_service.open_db(None)
    except StorageError as exc:
        messages.show_error(None, describe(exc))
        return None


def start_gui(db_path: str | None = None, demo_if_empty: bool = False) -> Shell | None:
    """Open the database and show the main window; ``None`` if no database could be opened."""
    ensure_app()
    settings = load_settings()
    db = open_start_database(db_path, settings)
    if db is None:
        return None
    settings.remember_database(db.path)
    try:
        save_settings(settings)
    except OSError:
        log.warning("Settings could not be saved", exc_info=True)
    window = MainWindow(db, settings)
    window.show()
    shell = Shell(window)
    if db.backup_path:
        window.statusBar().showMessage(
            _("The previous version was saved to {path}").format(path=db.backup_path), 10_000
        )
    if demo_if_empty and demo_service.database_is_empty(db):
        shell.demo_task = window.load_demo(ask=False)
    return shell


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An error nobody caught: log it, tell the user, keep the application running."""
    log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    messages.show_error(QApplication.activeWindow(), _("Unexpected error: {error}").format(error=describe(exc)))


def run_gui(db_path: str | None = None, demo_if_empty: bool = False) -> int:
    """Run the application until its last window closes; the exit status."""
    app = ensure_app()
    shell = start_gui(db_path, demo_if_empty)
    if shell is None:
        return 1
    sys.excepthook = _excepthook
    return app.exec()


def main() -> int:
    """Entry point of the ``symdesk-gui`` script."""
    multiprocessing.freeze_support()  # a frozen build starts the matching helper process as itself
    logging.basicConfig(level=logging.WARNING)
    set_language(load_settings().language)
    return run_gui()


if __name__ == "__main__":
    sys.exit(main())
