"""Where things are: shipped resources, forms, the user's data and settings.

Resources are found the same way from a source checkout, an installed wheel
(``share/symdesk``) and a frozen Windows build (PyInstaller's ``_MEIPASS``).
Environment variables override every location; tests use them to keep the
user's real files out of reach.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "symdesk"
DATABASE_FILENAME = "symdesk.sqlite3"


def _first_existing(candidates: list[Path], what: str) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"symdesk {what} not found; looked in: " + ", ".join(map(str, candidates)))


def _shipped_dir(name: str, env: str) -> Path:
    candidates = []
    if os.environ.get(env):
        candidates.append(Path(os.environ[env]))
    if getattr(sys, "frozen", False):
        candidates.append(Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / name)
    candidates.append(Path(__file__).resolve().parent.parent / name)
    candidates.append(Path(sys.prefix) / "share" / APP_NAME / name)
    return _first_existing(candidates, name)


def resources_dir() -> Path:
    return _shipped_dir("resources", "SYMDESK_RESOURCES")


def forms_dir() -> Path:
    return _shipped_dir("forms", "SYMDESK_FORMS")


def data_dir() -> Path:
    return Path(os.environ.get("SYMDESK_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(os.environ.get("SYMDESK_CONFIG_DIR") or user_config_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / DATABASE_FILENAME
