"""User settings shared by the GUI and the command line, kept as JSON.

Written atomically (temporary file, then rename) so a crash never leaves a
half-written settings file; an unreadable file falls back to defaults.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from symdesk.paths import config_dir

MAX_RECENT = 8
LANGUAGES = ("ru", "en")


@dataclass
class Settings:
    language: str = "ru"
    last_database: str = ""
    recent_databases: list[str] = field(default_factory=list)
    window: dict[str, Any] = field(default_factory=dict)  # geometry and splitter states (GUI)

    def remember_database(self, path: str | Path) -> None:
        text = str(Path(path).resolve())
        self.last_database = text
        self.recent_databases = [text, *(p for p in self.recent_databases if p != text)][:MAX_RECENT]


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in raw.items() if k in known})
    if settings.language not in LANGUAGES:
        settings.language = "ru"
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(settings), f, ensure_ascii=False, indent=2)
    os.replace(tmp, path)
