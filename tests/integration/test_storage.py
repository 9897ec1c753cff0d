"""Storage against real SQLite files: pragmas, round trips, revisions, tombstones, rollback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.domain.zone import Zone
from symdesk.storage.db import Database, SharedRowsJson
from symdesk.storage.errors import RecordNotFound
from symdesk.storage.repository import ResidentRepository, StreamRepository, ZoneRepository
from symdesk.storage.uow import unit_of_work


def add_zone_and_resident(db: Database) -> Resident:
    with unit_of_work(db) as s:
        zone = ZoneRepository(s).add(Zone(name="СЭЗ «Тест»"))
        return ResidentRepository(s).add(
            Resident(zone_id=zone.id, name="ООО «Альфа»", unp="190000001", activity_codes=["16100"])
        )


def test_connection_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000
        assert pragma("cache_size") == -64 * 1024  # KiB: 64 MB of pages, not the default 2 MB


def test_round_trip_keeps_every_field(db: Database, db_path: Path) -> None:
    r = add_zone_and_resident(db)
    with unit_of_work(db) as s:
        stream = StreamRepository(s).add(
            Stream(r.id, Direction.OFFER, Category.STEAM, "Пар 1,3 МПа", quantity=12.5, unit="t",
                   period="hour", temperature_c=190, pressure_mpa=1.3, confidential=True)
        )
    db.close()
    from symdesk.services.database import open_db

    again = open_db(db_path)
    with unit_of_work(again) as s:
        loaded = StreamRepository(s).get(stream.id)
        resident = ResidentRepository(s).get(r.id)
    again.close()
    assert loaded == stream
    assert resident.activity_codes == ["16100"]
    assert len(resident.id) == 36 and resident.meta.created_at is not None


def test_revision_grows_only_on_real_change(db: Database) -> None:
    r = add_zone_and_resident(db)
    assert r.meta.revision == 1
    with unit_of_work(db) as s:
        repo = ResidentRepository(s)
        same = repo.add(repo.get(r.id))
        assert same.meta.revision == 1
        changed = repo.get(r.id)
        changed.name = "ООО «Альфа-2»"
        assert repo.add(changed).meta.revision == 2


def test_delete_is_a_tombstone(db: Database, db_path: Path) -> None:
    r = add_zone_and_resident(db)
    with unit_of_work(db) as s:
        ResidentRepository(s).delete(r.id)
    with unit_of_work(db) as s:
        repo = ResidentRepository(s)
        with pytest.raises(RecordNotFound):
            repo.get(r.id)
        ghost = repo.get(r.id, include_deleted=True)
        assert ghost.meta.deleted and ghost.meta.revision == 2
        assert repo.list() == []
    raw = sqlite3.connect(db_path).execute("SELECT deleted FROM residents").fetchall()
    assert raw == [(1,)]


def test_an_error_inside_a_unit_of_work_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), unit_of_work(db) as s:
        ZoneRepository(s).add(Zone(name="half"))
        raise RuntimeError("boom")
    with unit_of_work(db) as s:
        assert ZoneRepository(s).count() == 0


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), unit_of_work(db) as s:
        ResidentRepository(s).add(Resident(zone_id="no-such-zone", name="X"))


def test_opportunity_round_trip(db: Database) -> None:
    from symdesk.domain.opportunity import (
        MatchKind,
        Opportunity,
        OpportunityStatus,
        opportunity_key,
    )
    from symdesk.domain.records import RecordMeta
    from symdesk.storage.repository import OpportunityRepository

    o = Opportunity(
        MatchKind.PAIR, "energy", "Тепло 90 °C → теплица", score=81.5, offer_id="s1", need_id="s2",
        components=[{"key": "distance", "value": 0.8, "weight": 0.15}], benefits={"co2_t": 120.0},
        meta=RecordMeta(id=opportunity_key(MatchKind.PAIR, "s1", "s2")),
    )
    with unit_of_work(db) as s:
        OpportunityRepository(s).add(o)
    with unit_of_work(db) as s:
        repo = OpportunityRepository(s)
        loaded = repo.get(o.id)
        assert loaded == o and loaded.status is OpportunityStatus.NEW
        loaded.status = OpportunityStatus.DISCUSSING
        assert repo.add(loaded).meta.revision == 2


def test_json_columns_are_compact_utf8_and_older_nan_text_still_reads(db: Database, db_path: Path) -> None:
    """JSON is stored as compact UTF-8 text; a value written by ``json.dumps`` before orjson
    (with its NaN, which orjson does not read) still loads."""
    import numpy as np

    from symdesk.domain.opportunity import MatchKind, Opportunity
    from symdesk.storage.db import json_text
    from symdesk.storage.repository import OpportunityRepository

    # Numbers taken from numpy arrays are written as plain numbers (json.dumps took numpy floats too).
    assert json_text({"a": np.float64(0.25), "b": [np.int64(3)], "c": (1, True)}) == '{"a":0.25,"b":[3],"c":[1,true]}'
    o = Opportunity(MatchKind.POOLING, "service", "Вывоз отходов", benefits={"заметка": "тепло", "доля": 0.5})
    with unit_of_work(db) as s:
        OpportunityRepository(s).add(o)
    with sqlite3.connect(db_path) as raw:
        (text,) = raw.execute("SELECT benefits FROM opportunities WHERE id = ?", (o.id,)).fetchone()
        assert text == '{"заметка":"тепло","доля":0.5}'
        raw.execute("UPDATE opportunities SET benefits = ? WHERE id = ?", ('{"доля": NaN}', o.id))
    with unit_of_work(db) as s:
        loaded = OpportunityRepository(s).get(o.id)
    assert list(loaded.benefits) == ["доля"] and loaded.benefits["доля"] != loaded.benefits["доля"]  # NaN


def test_shared_rows_json_writes_what_json_text_writes() -> None:
    """A run's encoder remembers each shared dict's text: lists of them, empty lists, figure rows and
    plain values come out as ``json_text`` writes them, however often a dict is met."""
    import numpy as np

    from symdesk.domain.figure_row import FigureNames, FigureRow
    from symdesk.storage.db import json_text

    near = {"component": "distance", "value": 0.5, "note": {"message": "Site coordinates missing", "params": {}}}
    same = {"component": "hazard", "value": np.float64(1.0), "note": None, "доля": "тепло"}
    row = FigureRow(FigureNames(["co2e_avoided_t", "matched_dimension"]), (np.float64(1.5), None))
    values = [(near, same), [same, near, same], (same,), (), [], ["r1", "r2"], row, {"a": 1}, None, 0.25,
              [near, "mixed", 3], (near, same)]
    encode = SharedRowsJson()
    assert [encode(v) for v in values] == [json_text(v) for v in values]
    assert json_text(row) == '{"co2e_avoided_t":1.5,"matched_dimension":null}' == encode(row)


def test_columns_and_by_ids_read_many_records_including_deleted(db: Database) -> None:
    r = add_zone_and_resident(db)
    with unit_of_work(db) as s:
        repo = StreamRepository(s)
        streams = [
            repo.add(Stream(r.id, Direction.OFFER, Category.WASTE, f"Отход {i}", quantity=float(i)), flush=False)
            for i in range(1203)
        ]
    with unit_of_work(db) as s:
        StreamRepository(s).delete(streams[8].id)
    with unit_of_work(db) as s:
        repo = StreamRepository(s)
        rows = {row[0]: row[1:] for row in repo.columns("id", "name", "quantity", "deleted")}
        assert len(rows) == 1203
        assert rows[streams[5].id] == ("Отход 5", 5.0, False)
        assert rows[streams[8].id][2] is True
        wanted = [s_.id for s_ in streams[::2]]  # 602 ids: more than one statement's worth
        found = repo.by_ids(wanted)
        assert sorted(f.id for f in found) == sorted(wanted)
        assert {f.name for f in found if f.id == streams[600].id} == {"Отход 600"}
        assert any(f.id == streams[8].id and f.meta.deleted for f in found)
        assert repo.by_ids([]) == []


def test_add_many_writes_what_add_writes_one_by_one(db: Database, db_path: Path) -> None:
    """Two zones' streams edited alike — some changed, one deleted, one unchanged, some new (more than
    one query's worth) — stored by ``add`` one at a time and by ``add_many``: the same rows, the same
    revisions, and the unchanged stream keeps its revision."""
    from dataclasses import replace

    r = add_zone_and_resident(db)
    with unit_of_work(db) as s:
        repo = StreamRepository(s)
        first = [repo.add(Stream(r.id, Direction.OFFER, Category.WASTE, f"Отход {i}", quantity=float(i)), flush=False)
                 for i in range(600)]
        second = [repo.add(replace(stream, meta=RecordMeta(id=f"second-{i:04d}")), flush=False)
                  for i, stream in enumerate(first)]

    def edited(streams: list[Stream], prefix: str) -> list[Stream]:
        out = [replace(stream, meta=replace(stream.meta), quantity=(stream.quantity or 0) + 1)
               for stream in streams[:550]]
        out[3] = replace(streams[3], meta=replace(streams[3].meta))  # unchanged
        out[7].meta.deleted = True
        return out + [Stream(r.id, Direction.NEED, Category.WASTE, f"Новый {i}", meta=RecordMeta(id=f"{prefix}-new-{i}"))
                      for i in range(3)]

    with unit_of_work(db) as s:
        repo = StreamRepository(s)
        one_by_one = [repo.add(stream, flush=False) for stream in edited(first, "a")]
        together = repo.add_many(edited(second, "b"))
    assert [x.meta.revision for x in one_by_one] == [x.meta.revision for x in together]
    assert one_by_one[3].meta.revision == 1 and one_by_one[0].meta.revision == 2 and one_by_one[-1].meta.revision == 1
    with sqlite3.connect(db_path) as con:
        rows = {row[0]: row[1:] for row in con.execute("SELECT id, name, quantity, deleted, revision FROM streams")}
    for a, b in zip(first + one_by_one[550:], second + together[550:], strict=True):
        assert rows[a.id] == rows[b.id]
    assert rows[first[7].id][2] == 1 and rows[first[0].id][1] == 1.0


@pytest.mark.parametrize("shared_json", [False, True], ids=["engine-json", "shared-rows-json"])
def test_insert_new_writes_exactly_what_add_writes(db: Database, db_path: Path, shared_json: bool) -> None:
    """``insert_new`` hands converted rows to the driver itself; every column must hold what the ORM's
    ``add`` stores for the same record — JSON text, UTC times, enums, None and booleans alike; also
    when a run's ``SharedRowsJson`` writes the JSON columns."""
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta, timezone

    from symdesk.domain.opportunity import MatchKind, Opportunity, OpportunityStatus
    from symdesk.domain.records import RecordMeta
    from symdesk.storage.repository import OpportunityRepository

    minsk = timezone(timedelta(hours=3))
    made = [
        Opportunity(
            MatchKind.POOLING, "by_product", "Опилки → «пеллеты»", score=55.25, provider_id=None, receiver_id="r2",
            members=["r1", "r2"], components=[{"component": "distance", "value": 0.5, "note": None}],
            benefits={"co2e_avoided_t": 1.5, "matched_dimension": None, "factor_keys": {"x": ["a"]}},
            reasons=[{"message": "Precedent: {material}", "params": {"material": "древесина"}}],
            confidential_parties=["r2"], status=OpportunityStatus.REJECTED,
            status_changed_at=datetime(2026, 5, 1, 9, 30, tzinfo=minsk), reject_reason="далеко", active=False,
            meta=RecordMeta(id=f"{i:08d}-0000-5000-8000-000000000000",
                            created_at=datetime(2026, 4, 2, 12, 0, 0, 123456, tzinfo=UTC)),
        )
        for i in range(2)
    ]
    with unit_of_work(db) as s:
        repo = OpportunityRepository(s)
        repo.insert_new([made[0]], json_text=SharedRowsJson() if shared_json else None)
        repo.add(replace(made[1], meta=replace(made[1].meta)))
    with sqlite3.connect(db_path) as con:
        con.row_factory = sqlite3.Row
        fast, orm = (dict(r) for r in con.execute("SELECT * FROM opportunities ORDER BY id"))
        kinds = con.execute("SELECT group_concat(typeof(status_changed_at) || typeof(members) || typeof(active)) "
                            "FROM opportunities").fetchone()[0]
    assert fast.pop("id") != orm.pop("id")
    assert fast.pop("modified_at")[:4] == orm.pop("modified_at")[:4] == str(datetime.now(UTC).year)
    assert fast == orm
    assert fast["status_changed_at"] == "2026-05-01 06:30:00.000000" and fast["active"] == 0
    assert kinds == "texttextinteger,texttextinteger"
    with unit_of_work(db) as s:
        back = OpportunityRepository(s).get(made[0].id)
    assert back.status_changed_at == made[0].status_changed_at and back.meta.created_at == made[0].meta.created_at
    assert replace(back, meta=made[0].meta) == made[0]


def test_insert_new_of_many_rows_sharing_their_times_writes_what_add_writes(db: Database, db_path: Path) -> None:
    """Many rows of one run share their times (converted once per distinct value), and mix enums,
    None and both booleans: each stored row still equals the ORM's ``add`` of the same record."""
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta, timezone

    from symdesk.domain.opportunity import MatchKind, Opportunity, OpportunityStatus
    from symdesk.domain.records import RecordMeta
    from symdesk.storage.repository import OpportunityRepository

    minsk = timezone(timedelta(hours=3))
    when = [None, datetime(2026, 5, 1, 9, 30, tzinfo=minsk), datetime(2026, 5, 1, 6, 30, tzinfo=UTC)]
    made = [
        Opportunity(
            [MatchKind.PAIR, MatchKind.RECEIVER][i % 2], "water", f"{i:02d}", score=float(i), members=[str(i)],
            status=[OpportunityStatus.NEW, OpportunityStatus.DISCUSSING][i % 2], status_changed_at=when[i % 3],
            active=i % 4 != 0,
            meta=RecordMeta(id=f"{i:08d}-0000-5000-8000-000000000000",
                            created_at=datetime(2026, 4, 2, 12, 0, 0, 123456, tzinfo=UTC)),
        )
        for i in range(24)
    ]
    with unit_of_work(db) as s:
        repo = OpportunityRepository(s)
        repo.insert_new(made)
        for o in made:
            repo.add(replace(o, title=f"orm {o.title}", meta=replace(o.meta, id=o.id.replace("-5000-", "-5001-"))))
    with sqlite3.connect(db_path) as con:
        con.row_factory = sqlite3.Row
        rows = {r["title"]: dict(r) for r in con.execute("SELECT * FROM opportunities")}
    assert len(rows) == 48
    for o in made:
        fast, orm = rows[o.title], rows[f"orm {o.title}"]
        for row in (fast, orm):
            del row["id"], row["title"], row["modified_at"]
        assert fast == orm
    assert rows["01"]["status_changed_at"] == rows["02"]["status_changed_at"] == "2026-05-01 06:30:00.000000"
    assert rows["00"]["status_changed_at"] is None and {rows["00"]["active"], rows["01"]["active"]} == {0, 1}
