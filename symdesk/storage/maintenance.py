"""Health checks of a database file."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from symdesk.storage.db import Database
from symdesk.storage.repository import all_sync_tables


def integrity_check(db: Database) -> list[str]:
    """SQLite's own verdict: ``["ok"]`` or the problems it found."""
    with db.engine.connect() as conn:
        return [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]


def foreign_key_problems(db: Database) -> int:
    with db.engine.connect() as conn:
        return len(conn.execute(text("PRAGMA foreign_key_check")).fetchall())


def record_counts(session: Session) -> dict[str, tuple[int, int]]:
    """Table name → (live records, tombstones)."""
    counts = {}
    for table in all_sync_tables():
        rows = session.execute(select(table.deleted, func.count()).group_by(table.deleted)).all()
        by_flag = {bool(flag): int(n) for flag, n in rows}
        counts[table.__tablename__] = (by_flag.get(False, 0), by_flag.get(True, 0))  # type: ignore[attr-defined]
    return counts
