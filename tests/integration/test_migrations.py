"""Migrations from an empty file and from the previous revision; refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from symdesk.storage.db import make_engine, open_database
from symdesk.storage.errors import DatabaseNewerSchema, DatabaseNotFound, DatabaseUnreadable
from symdesk.storage.migrate import head_revision, upgrade
from symdesk.storage.tables import Base


def test_empty_file_is_migrated_to_head(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    assert db.backup_path is None
    tables = {r[0] for r in sqlite3.connect(db.path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"zones", "sites", "residents", "campaigns", "questionnaires", "streams", "alembic_version"} <= tables
    db.close()


def test_models_agree_with_migrated_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.close()
    # Only differences SQLite cannot express are tolerated (none expected).
    assert diff == []


def test_previous_revision_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO zones (id, created_at, modified_at, revision, deleted, name) "
            "VALUES ('z1', '2025-01-01 00:00:00', '2025-01-01 00:00:00', 1, 0, 'Старая СЭЗ')"
        )
        conn.exec_driver_sql(
            "INSERT INTO residents (id, created_at, modified_at, revision, deleted, zone_id, name, activity_codes) "
            "VALUES ('r1', '2025-01-01 00:00:00', '2025-01-01 00:00:00', 1, 0, 'z1', 'ООО Старое', '[]')"
        )
    engine.dispose()

    db = open_database(path)
    assert db.backup_path is not None and db.backup_path.exists()
    backup = sqlite3.connect(db.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT name FROM residents").fetchall() == [("ООО Старое",)]
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    assert con.execute("SELECT name FROM residents").fetchall() == [("ООО Старое",)]
    assert con.execute("SELECT count(*) FROM streams").fetchone() == (0,)
    db.close()
    # opening again needs no migration and makes no second backup
    again = open_database(path)
    assert again.backup_path is None
    again.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseNewerSchema) as err:
        open_database(path)
    assert "9999" in str(err.value)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("this is not sqlite", encoding="utf-8")
    with pytest.raises(DatabaseUnreadable):
        open_database(path)


def test_someone_elses_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseUnreadable):
        open_database(path)
    tables = [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")]
    assert tables == ["photos"]


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotFound):
        open_database(tmp_path / "absent.sqlite3", create=False)


def test_revision_0002_with_questionnaires_migrates_to_opportunities(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    engine = make_engine(path)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO zones (id, created_at, modified_at, revision, deleted, name) "
            "VALUES ('z1', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 0, 'СЭЗ')"
        )
        conn.exec_driver_sql(
            "INSERT INTO residents (id, created_at, modified_at, revision, deleted, zone_id, name, activity_codes) "
            "VALUES ('r1', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 0, 'z1', 'ООО А', '[]')"
        )
        conn.exec_driver_sql(
            "INSERT INTO streams (id, created_at, modified_at, revision, deleted, resident_id, direction, category, name) "
            "VALUES ('s1', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 0, 'r1', 'offer', 'waste', 'Опилки')"
        )
    engine.dispose()
    db = open_database(path)
    assert db.backup_path is not None
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    assert con.execute("SELECT name FROM streams").fetchall() == [("Опилки",)]
    assert con.execute("SELECT count(*) FROM opportunities").fetchone() == (0,)
    db.close()
