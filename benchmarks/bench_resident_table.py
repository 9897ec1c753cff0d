"""How the residents page copes with 20,000 residents in a real SQLite file.

Prints the time to list the residents (``services.residents.list_residents``),
to load them into the table model, and to filter them as the user types.
Timings are printed, not asserted: machines differ.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_resident_table.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from symdesk.domain.records import utcnow
from symdesk.domain.resident import Resident, ResidentStatus
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.domain.zone import Zone
from symdesk.gui.models.resident_table import ResidentTableModel
from symdesk.gui.pages.residents_page import ResidentsPage
from symdesk.services import database as database_service
from symdesk.services import residents as resident_service
from symdesk.storage.db import Database
from symdesk.storage.mapping import domain_values
from symdesk.storage.repository import ZoneRepository
from symdesk.storage.tables import ResidentRow, StreamRow
from symdesk.storage.uow import unit_of_work

CODES = ("16100", "3511", "20110", "31090", "38320", "01130", "22220", "10710")
WORDS = ("Заречный", "Восточный", "Тёплый", "Лесной", "Речной", "Северный", "Зелёный", "Новый")
KINDS = ("завод", "комбинат", "фабрика", "агрокомплекс", "терминал")
STATUSES = tuple(ResidentStatus)


def fill(db_path: Path, n: int) -> float:
    """Write ``n`` residents, one offer each and a need for two in three, in one transaction.

    Records are built as domain dataclasses and turned into rows by the
    storage layer's own ``domain_values``; they are inserted in bulk because
    ``Repository.add`` flushes one record at a time (about 30 s for this set).
    """
    db = database_service.open_db(db_path)
    start = time.perf_counter()
    now = utcnow()
    sync = {"created_at": now, "modified_at": now, "revision": 1, "deleted": False}
    with unit_of_work(db) as session:
        zone = ZoneRepository(session).add(Zone("СЭЗ «Бенчмарк»"))
        residents, streams = [], []
        for i in range(n):
            word, kind = WORDS[i % len(WORDS)], KINDS[i % len(KINDS)]
            resident = Resident(
                zone.id,
                f"ООО «{word} {kind} №{i}»",
                f"{word} {kind} {i}",
                unp=f"7{i:08d}",
                activity_codes=[CODES[i % len(CODES)], CODES[(i * 3) % len(CODES)]],
                status=STATUSES[i % len(STATUSES)],
            )
            residents.append({"id": resident.id, **sync, **domain_values(resident)})
            records = [Stream(resident.id, Direction.OFFER, Category.WASTE, f"Отходы {i}")]
            if i % 3:
                records.append(Stream(resident.id, Direction.NEED, Category.HEAT, f"Тепло {i}"))
            streams += [{"id": s.id, **sync, **domain_values(s)} for s in records]
        session.execute(insert(ResidentRow), residents)
        session.execute(insert(StreamRow), streams)
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def timed(label: str, fn, repeat: int = 1, setup=None):  # type: ignore[no-untyped-def]
    """Run ``fn`` ``repeat`` times (``setup`` before each, untimed); print the best time."""
    best, result = float("inf"), None
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<44} {best * 1000:9.1f} ms")
    return result


def show_page(app: QApplication, db: Database) -> ResidentsPage:
    page = ResidentsPage(db)
    page.resize(1300, 800)
    page.show()
    app.processEvents()
    return page


def type_filter(app: QApplication, page: ResidentsPage, text: str) -> None:
    page.filter_edit.setText(text)
    page.apply_filter_now()
    page.table.viewport().repaint()
    app.processEvents()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        print(f"Residents table, {n} residents in {path.name}")
        print(f"  {'writing them (bulk insert, setup only)':<44} {fill(path, n) * 1000:9.1f} ms")
        db = database_service.open_db(path, create=False)
        try:
            rows = timed("list_residents", lambda: resident_service.list_residents(db), repeat=3)
            model = ResidentTableModel()
            timed("model.set_rows", lambda: model.set_rows(rows), repeat=3)
            print(f"  {'rows exposed to the view after loading':<44} {model.rowCount():9d}")
            for text in ("з", "зелен", "завод 12", "7000123", "35.11"):
                timed(
                    f"filter {text!r}",
                    lambda t=text: model.set_filter(t),
                    repeat=3,
                    setup=lambda: model.set_filter(""),
                )
                print(f"  {'    matches':<44} {model.match_count():9d}")
            model.set_filter("")
            timed("sort by name", lambda: model.sort(0), repeat=3)
            timed("sort by offers", lambda: model.sort(5), repeat=3)
            page = timed("residents page: build, list, load, show", lambda: show_page(app, db))
            for text in ("зелен", ""):
                timed(f"residents page: filter {text!r} and repaint", lambda t=text: type_filter(app, page, t))
            page.close()
        finally:
            db.close()


if __name__ == "__main__":
    main()
