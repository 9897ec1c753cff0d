"""Fixtures for the GUI tests: offscreen Qt, private settings, real SQLite files.

Every test gets its own data and config directories, so the user's real
settings and database are never touched, and message boxes are replaced by
recorders so that no modal dialog can block the run.
"""

from __future__ import annotations

import os

# Before anything imports Qt: the platform plugin is chosen once per process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from symdesk.config import load_settings
from symdesk.domain.resident import Resident
from symdesk.gui import task_runner
from symdesk.gui.dialogs import messages
from symdesk.i18n import current_language, set_language
from symdesk.services import database as database_service
from symdesk.services import demo as demo_service
from symdesk.services import residents as resident_service
from symdesk.storage.db import Database


@dataclass
class Dialogs:
    """What the GUI tried to show; ``answers`` are given to ``confirm`` in turn."""

    errors: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    answers: list[bool] = field(default_factory=list)

    def confirm(self, _parent: object, text: str, _title: str = "") -> bool:
        self.questions.append(text)
        if not self.answers:
            raise AssertionError(f"unexpected confirmation asked: {text}")
        return self.answers.pop(0)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Private data/config directories and English messages for every test."""
    monkeypatch.setenv("SYMDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SYMDESK_CONFIG_DIR", str(tmp_path / "config"))
    language = current_language()
    set_language("en")
    yield
    task_runner.cancel_all(5_000)
    set_language(language)


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    recorder = Dialogs()
    monkeypatch.setattr(messages, "confirm", recorder.confirm)
    monkeypatch.setattr(messages, "show_error", lambda _p, text, _t="": recorder.errors.append(text))
    monkeypatch.setattr(messages, "show_info", lambda _p, text, _t="": recorder.infos.append(text))
    monkeypatch.setattr(messages, "about", lambda _p, _title, text: recorder.infos.append(text))
    # Unsaved changes left in an editor at the end of a test are dropped, never asked about.
    monkeypatch.setattr(messages, "ask_save_changes", lambda _p, text="", _t="": messages.DISCARD)
    monkeypatch.setattr(messages, "open_file", lambda path: recorder.infos.append(f"open {path}") or True)
    return recorder


FALLBACK_RESIDENTS = [
    ("ОАО «Заречный лесопильный завод»", "Лесопильный завод", "790100001", ["16100"]),
    ("ООО «Тёплый дом»", "Тёплый дом", "790100002", ["35300"]),
    ("ЗАО «Заречная мебельная фабрика»", "Мебельная фабрика", "790100003", ["31090", "31010"]),
    ("ООО «Агро-Заречье»", "Агро-Заречье", "790100004", ["01130"]),
    ("ООО «ЭкоПласт»", "ЭкоПласт", "790100005", ["22220", "38320"]),
]


def fill_database(db: Database) -> None:
    """The demo zone; while its file is not loadable, a few residents instead."""
    try:
        demo_service.load_demo(db)
    except Exception:
        for name, short, unp, codes in FALLBACK_RESIDENTS:
            resident_service.save_resident(db, Resident("", name, short, unp, codes))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "zone.sqlite3"


@pytest.fixture
def demo_db(db_path: Path) -> Iterator[Database]:
    db = database_service.open_db(db_path)
    fill_database(db)
    yield db
    db.close()


@pytest.fixture
def empty_db(db_path: Path) -> Iterator[Database]:
    db = database_service.open_db(db_path)
    yield db
    db.close()


@pytest.fixture
def window(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    from symdesk.gui.main_window import MainWindow

    win = MainWindow(demo_db, load_settings())
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def page(window):  # type: ignore[no-untyped-def]
    return window.residents_page
