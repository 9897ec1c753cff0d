"""The main window's menu bar: File, Settings, Help.

Kept apart from the window so that the window module stays about pages and
databases. Actions are stored on the window (``window.demo_action``…) so
tests and later features can trigger them.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from symdesk.i18n import _, current_language

if TYPE_CHECKING:
    from symdesk.gui.main_window import MainWindow

# Each language is named in itself, whatever the current language.
LANGUAGE_NAMES = (("ru", "Русский"), ("en", "English"))


def build_menus(window: MainWindow) -> None:
    _build_file_menu(window)
    _build_matching_menu(window)
    _build_settings_menu(window)
    _build_help_menu(window)


def _build_file_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu(_("&File"))
    window.new_db_action = menu.addAction(_("&New database…"))
    window.new_db_action.triggered.connect(window.new_database)
    window.open_action = menu.addAction(_("&Open…"))
    window.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
    window.open_action.triggered.connect(window.open_database)
    window.recent_menu = menu.addMenu(_("Open &recent"))
    window.recent_menu.aboutToShow.connect(partial(fill_recent_menu, window))
    fill_recent_menu(window)
    menu.addSeparator()
    window.demo_action = menu.addAction(_("Load &demo zone"))
    window.demo_action.triggered.connect(lambda _checked=False: window.load_demo())
    menu.addSeparator()
    window.quit_action = menu.addAction(_("&Quit"))
    window.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    window.quit_action.triggered.connect(window.close)


def fill_recent_menu(window: MainWindow) -> None:
    """List ``settings.recent_databases``; a file that is gone is shown disabled."""
    menu = window.recent_menu
    menu.clear()
    current = str(Path(window.db.path).resolve())
    for path in window.settings.recent_databases:
        action = menu.addAction(path)
        action.setEnabled(path != current and Path(path).exists())
        action.triggered.connect(lambda _checked=False, p=path: window.open_database_path(p, create=False))
    if menu.isEmpty():
        menu.addAction(_("(no recent databases)")).setEnabled(False)


def _build_matching_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu(_("&Matching"))
    window.match_action = menu.addAction(_("&Find opportunities"))
    window.match_action.setShortcut(QKeySequence("Ctrl+M"))
    window.match_action.triggered.connect(lambda _checked=False: window.find_opportunities())


def _build_settings_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu(_("&Settings"))
    language_menu = menu.addMenu(_("&Language"))
    group = QActionGroup(window)
    group.setExclusive(True)
    window.language_actions = {}
    for code, name in LANGUAGE_NAMES:
        action = QAction(name, window, checkable=True)
        action.setChecked(code == current_language())
        action.triggered.connect(lambda _checked=False, c=code: window.switch_language(c))
        group.addAction(action)
        language_menu.addAction(action)
        window.language_actions[code] = action


def _build_help_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu(_("&Help"))
    window.about_action = menu.addAction(_("&About symdesk"))
    window.about_action.triggered.connect(window.show_about)
