"""Opening a database: engine with SQLite pragmas, schema migration with backup.

``open_database`` is the one door to a database file. It refuses what is not
ours or is newer than this program, copies an older database to a backup file
before migrating it, and returns a ``Database`` handle; engines are never
created at import time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from symdesk.domain.figure_row import FigureRow
from symdesk.storage.errors import DatabaseNewerSchema, DatabaseNotFound, DatabaseUnreadable
from symdesk.storage.migrate import current_revision, head_revision, known_revisions, upgrade

BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


# SQLite's page cache per connection (its default is 2 MB). A matching run writes a register's
# opportunities into a file of hundreds of MB, through eight indexes keyed by random UUIDs;
# with 2 MB most index pages were read again from the operating system for every row.
PAGE_CACHE_KB = 64 * 1024


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KB}")
    cursor.close()


JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def json_text(value: Any) -> str:
    """How JSON columns are written: compact UTF-8 text, by orjson.

    A matching run writes tens of thousands of breakdowns, benefits and
    reasons; orjson encodes them five times faster than ``json.dumps``,
    and keeps Cyrillic as itself where ``json.dumps``'s defaults took six
    bytes a letter. Whoever compares stored JSON as text
    (``Repository.columns(json_as_text=True)``) must write it with this
    function too.
    """
    return orjson.dumps(value, default=_as_json, option=JSON_OPTIONS).decode()


def _as_json(value: Any) -> Any:
    """What ``json.dumps`` also took and orjson does not: subclasses of float; and mappings that are
    not dicts (an opportunity's benefits, ``FigureRow``), written as the dicts they read as."""
    if type(value) is FigureRow:  # a run's every opportunity: not read name by name as a Mapping
        return value.as_dict()
    if isinstance(value, float):
        return float(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class SharedRowsJson:
    """``json_text`` for the values of one matching run, whose breakdown rows and reasons are dicts
    shared by thousands of opportunities (``components.breakdown_row``): each shared dict is
    encoded once and a list of them is its rows' texts joined, which is what orjson writes for
    the list. For one run's values only: the dicts met are held (so no other object takes their
    ``id``) and must not change while this encoder is used.

    A 200-resident run stores 22,000 opportunities: encoding their breakdowns and reasons row
    by row was a third of storing them.
    """

    def __init__(self) -> None:
        self._texts: dict[int, tuple[Any, str]] = {}  # id → (the item, held; its text)

    def __call__(self, value: Any) -> str:
        if not isinstance(value, list | tuple):
            return json_text(value)
        if not value or type(value[0]) is not dict:
            return json_text(value) if value else "[]"
        texts = self._texts
        parts = []
        for item in value:
            known = texts.get(id(item))
            if known is None or known[0] is not item:
                known = texts[id(item)] = (item, json_text(item))
            parts.append(known[1])
        return f"[{','.join(parts)}]"


def json_value(text: str) -> Any:
    """How JSON columns are read: by orjson, or by ``json`` for what it alone accepts
    (NaN, which ``json.dumps`` wrote in databases from before orjson)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def make_engine(path: Path) -> Engine:
    """An engine on a SQLite file with the pragmas every connection needs."""
    # NullPool: a desktop app has few connections and must release the file
    # (Windows locks) as soon as a database is closed or switched.
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, json_serializer=json_text,
                           json_deserializer=json_value)
    event.listen(engine, "connect", _set_pragmas)
    return engine


@dataclass
class Database:
    """An open database file."""

    path: Path
    engine: Engine
    backup_path: Path | None = None  # set when opening migrated an older schema

    def close(self) -> None:
        self.engine.dispose()


def _check_is_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as f:
            header = f.read(16)
    except OSError as exc:
        raise DatabaseUnreadable(str(path)) from exc
    if header and header != SQLITE_MAGIC:
        raise DatabaseUnreadable(str(path))


def backup_file(path: Path, revision: str | None) -> Path:
    """Copy a database with SQLite's online backup (safe with WAL) beside it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{revision or 'empty'}-{stamp}{path.suffix}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def open_database(path: Path | str, *, create: bool = True) -> Database:
    """Open (and if needed create or migrate) the database at ``path``."""
    path = Path(path).expanduser()
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DatabaseNotFound(str(path))
    if exists:
        _check_is_sqlite(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    try:
        found = current_revision(engine)
    except Exception as exc:  # a damaged file fails on first read
        engine.dispose()
        raise DatabaseUnreadable(str(path)) from exc
    if exists and found is None and _has_foreign_tables(engine):
        engine.dispose()
        raise DatabaseUnreadable(str(path))
    if found is not None and found not in known_revisions():
        engine.dispose()
        raise DatabaseNewerSchema(str(path), found=found, known=head_revision())
    backup = None
    if found != head_revision():
        if exists and found is not None:
            backup = backup_file(path, found)
        upgrade(engine)
    return Database(path=path, engine=engine, backup_path=backup)


def _has_foreign_tables(engine: Engine) -> bool:
    """A SQLite file with tables but no migration stamp belongs to someone else."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    return bool(rows)
