"""Creating, opening and checking database files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from symdesk.paths import default_database_path
from symdesk.storage.db import Database, open_database
from symdesk.storage.maintenance import foreign_key_problems, integrity_check, record_counts
from symdesk.storage.migrate import current_revision, head_revision
from symdesk.storage.uow import unit_of_work


def resolve_path(path: Path | str | None) -> Path:
    return Path(path).expanduser() if path else default_database_path()


def open_db(path: Path | str | None = None, *, create: bool = True) -> Database:
    """Open the database at ``path`` (default: the user's data directory)."""
    return open_database(resolve_path(path), create=create)


@dataclass
class DatabaseCheck:
    path: str
    revision: str | None
    head: str
    integrity: list[str]
    foreign_key_problems: int
    counts: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and self.foreign_key_problems == 0 and self.revision == self.head

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "ok": self.ok,
            "schema_revision": self.revision,
            "schema_head": self.head,
            "integrity": self.integrity,
            "foreign_key_problems": self.foreign_key_problems,
            "records": self.counts,
            "tombstones": self.deleted,
        }


def check_db(db: Database) -> DatabaseCheck:
    """SQLite's integrity and foreign-key checks, the migration state, record counts."""
    check = DatabaseCheck(
        str(db.path), current_revision(db.engine), head_revision(), integrity_check(db), foreign_key_problems(db)
    )
    with unit_of_work(db) as session:
        for name, (live, dead) in record_counts(session).items():
            check.counts[name] = live
            check.deleted[name] = dead
    return check
