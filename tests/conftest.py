"""Shared fixtures: every test runs with its own data and settings directories,
so the user's real database and settings are never touched."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SYMDESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("SYMDESK_CONFIG_DIR", str(home / "config"))
    return home


@pytest.fixture(autouse=True)
def language_restored() -> Iterator[None]:
    """A test that switches the language (the CLI's --lang, an English report) leaves it as it found it."""
    from symdesk.i18n import current_language, set_language

    before = current_language()
    yield
    if current_language() != before:
        set_language(before)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "zone.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from symdesk.services.database import open_db

    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo zone loaded once into a file that tests copy."""
    from symdesk.services.database import open_db
    from symdesk.services.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_db(path)
    load_demo(database)
    database.close()
    return path


@pytest.fixture
def demo_db_path(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_db_path: Path) -> Iterator[object]:
    from symdesk.services.database import open_db

    database = open_db(demo_db_path)
    yield database
    database.close()
