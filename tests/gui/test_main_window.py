"""The main window: navigation, pages, databases, language, settings."""

from __future__ import annotations

from pathlib import Path

import shiboken6

from symdesk.config import load_settings
from symdesk.gui.app import start_gui
from symdesk.gui.main_window import EXCHANGE, MainWindow
from symdesk.gui.models.resident_table import BATCH_SIZE
from symdesk.gui.pages.placeholder_page import PlaceholderPage
from symdesk.i18n import current_language
from symdesk.services import database as database_service
from symdesk.services import demo as demo_service
from symdesk.services import residents as resident_service


def test_window_shows_navigation_and_residents(window, demo_db):
    expected = len(resident_service.list_residents(demo_db))
    assert expected > 0
    entries = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert entries == [
        "Residents", "Questionnaires", "Opportunities", "Search by waste", "Search by company type", "Network",
        "Reports", "Exchange",
    ]
    assert window.stack.currentWidget() is window.residents_page
    model = window.residents_page.model
    assert model.total_count() == expected
    assert model.rowCount() == min(expected, BATCH_SIZE)
    assert window.residents_page.table.model().rowCount() == min(expected, BATCH_SIZE)
    assert f"{expected} residents" in window.db_label.text()
    assert str(demo_db.path) in window.db_label.text()
    assert window.windowTitle().startswith("symdesk — ")


def test_navigation_shows_placeholder_pages(window):
    window.nav.setCurrentRow(EXCHANGE)
    page = window.stack.currentWidget()
    assert isinstance(page, PlaceholderPage)
    assert page.label.text().startswith("Coming in a later version:")
    window.nav.setCurrentRow(0)
    assert window.stack.currentWidget() is window.residents_page


def test_title_names_the_zone_or_the_file(qtbot, empty_db):
    win = MainWindow(empty_db, load_settings())
    qtbot.addWidget(win)
    assert win.windowTitle() == f"symdesk — {Path(empty_db.path).name}"


def test_new_database_from_the_menu_switches_and_closes_the_old(window, demo_db, tmp_path, monkeypatch, dialogs):
    target = tmp_path / "other" / "new-zone"
    monkeypatch.setattr("symdesk.gui.dialogs.messages.choose_new_database", lambda *_a: str(target))
    closed = []
    monkeypatch.setattr(demo_db, "close", lambda: closed.append(True))
    window.new_db_action.trigger()
    assert not dialogs.errors
    assert closed == [True]
    assert window.db.path == target
    assert target.exists()
    assert window.residents_page.model.total_count() == 0
    assert window.windowTitle() == "symdesk — new-zone"
    settings = load_settings()
    assert settings.last_database == str(target.resolve())
    assert settings.recent_databases[0] == str(target.resolve())


def test_open_refuses_a_file_that_is_not_a_database(window, demo_db, tmp_path, monkeypatch, dialogs):
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("this is not a database", encoding="utf-8")
    monkeypatch.setattr("symdesk.gui.dialogs.messages.choose_database", lambda *_a: str(junk))
    window.open_action.trigger()
    assert len(dialogs.errors) == 1
    assert "notes.sqlite3" in dialogs.errors[0]
    assert window.db is demo_db


def test_recent_menu_lists_databases_and_opens_them(window, demo_db, tmp_path):
    other = tmp_path / "second.sqlite3"
    assert window.open_database_path(other, create=True)
    window.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert str(demo_db.path.resolve()) in texts
    back = next(a for a in window.recent_menu.actions() if a.text() == str(demo_db.path.resolve()))
    back.trigger()
    assert window.db.path.resolve() == demo_db.path.resolve()
    assert window.residents_page.model.total_count() > 0


def test_load_demo_into_an_empty_database(qtbot, empty_db):
    win = MainWindow(empty_db, load_settings())
    qtbot.addWidget(win)
    win.show()
    task = win.load_demo()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert task.state == "done"
    expected = len(resident_service.list_residents(empty_db))
    assert expected > 0
    assert win.residents_page.model.total_count() == expected
    assert "Demo zone" in win.statusBar().currentMessage()
    assert win.windowTitle() != f"symdesk — {Path(empty_db.path).name}"


def test_load_demo_asks_before_touching_a_database_with_data(window, dialogs):
    dialogs.answers.append(False)
    assert window.load_demo() is None
    assert len(dialogs.questions) == 1


def test_language_switch_rebuilds_the_window_and_is_remembered(qtbot, demo_db):
    window = MainWindow(demo_db, load_settings())  # not given to qtbot: it deletes itself
    window.show()
    window.language_actions["ru"].trigger()  # Settings → Language → Русский
    successor = window.successor
    assert successor is not None
    qtbot.addWidget(successor)
    assert current_language() == "ru"
    assert load_settings().language == "ru"
    assert window.successor is successor
    assert successor.db is demo_db
    # the database was handed over, not closed: the new window still reads it
    assert successor.residents_page.model.total_count() == len(resident_service.list_residents(demo_db))
    assert successor.language_actions["ru"].isChecked()
    assert successor.isVisible()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=2_000)


def test_geometry_and_splitter_are_saved_on_close(window):
    window.resize(1000, 700)
    window.close()
    saved = load_settings().window
    assert saved["geometry"]
    assert len(saved["residents_splitter"]) == 2


def test_about_box_names_the_program(window, dialogs):
    window.about_action.trigger()
    assert "symdesk" in dialogs.infos[0]


def test_start_gui_loads_the_demo_into_an_empty_database(qtbot, tmp_path):
    path = tmp_path / "start.sqlite3"
    shell = start_gui(str(path), demo_if_empty=True)
    assert shell is not None
    qtbot.addWidget(shell.window)
    assert shell.demo_task is not None
    assert shell.demo_task.wait(30_000)
    assert shell.window.residents_page.model.total_count() > 0
    assert load_settings().last_database == str(path.resolve())
    db = database_service.open_db(path, create=False)
    try:
        assert not demo_service.database_is_empty(db)
    finally:
        db.close()


def test_start_gui_without_arguments_uses_the_default_database(qtbot):
    shell = start_gui()
    assert shell is not None
    qtbot.addWidget(shell.window)
    assert shell.window.db.path == database_service.resolve_path(None)
    assert shell.demo_task is None


def test_the_shipped_pdf_font_is_the_window_font(qtbot):
    from PySide6.QtWidgets import QApplication

    from symdesk.gui.app import load_shipped_fonts, set_default_font

    assert set(load_shipped_fonts()) == {"DejaVu Sans"}  # read from resources/fonts, as the PDFs are
    app = QApplication.instance()
    set_default_font(app)
    assert app.font().family() == "DejaVu Sans"
