"""How fast filled Excel questionnaires import into a fresh database.

Writes N filled questionnaires (different residents, about six streams each)
from the real template in a temporary directory, then imports them all into a
new SQLite file, and once more (every file «unchanged»). Prints files per
second; no assertions: machines differ.

    .venv/bin/python benchmarks/bench_questionnaire_import.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from symdesk.io.template_xlsx import write_questionnaire_workbook
from symdesk.questionnaire.definition import default_definition
from symdesk.questionnaire.document import QuantityValue, QuestionnaireDocument, RepeatRow
from symdesk.services import database as database_service
from symdesk.services import questionnaire_files

OFFERS = (
    ("waste", "Опилки древесные", "030105", (1200.0, "t", "year")),
    ("by_product", "Стружка металлическая", "120101", (35.5, "t", "month")),
    ("heat", "Тепло компрессоров", None, (800.0, "Gcal", "year")),
    ("water", "Сточные воды после охлаждения", None, (40.0, "m3", "day")),
)
NEEDS = (
    ("material", "Полиэтилен вторичный", None, (10.0, "t", "month")),
    ("steam", "Пар 0,6 МПа", None, (2.0, "Gcal_h", "")),
)


def document(n: int) -> QuestionnaireDocument:
    definition = default_definition()
    doc = QuestionnaireDocument(definition.form_id, definition.version)
    doc.values.update(
        name=f"ООО «Резидент {n}»", short_name=f"Резидент {n}", unp=str(500_000_000 + n),
        activity_codes=["16100"], contact_person="Иванов И. И.", staff_count=100 + n,
        electricity_mwh=1234.5 + n, water_m3=5000.0, surveyor="Петрова А. А.",
        survey_date=date(2026, 3, 1), consent_to_share=True,
    )
    for section, streams in (("offers", OFFERS), ("needs", NEEDS)):
        doc.rows[section] = [
            RepeatRow({"category": c, "name": f"{name} {n}", "code": code, "quantity": QuantityValue(*q),
                       "readiness": "ready", "confidential": False})
            for c, name, code, q in streams
        ]
    return doc


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ.setdefault("SYMDESK_DATA_DIR", str(root / "data"))
        os.environ.setdefault("SYMDESK_CONFIG_DIR", str(root / "config"))
        definition = default_definition()
        started = time.perf_counter()
        paths = [write_questionnaire_workbook(definition, root / f"q{i:04}.xlsx", document(i)) for i in range(n)]
        written = time.perf_counter() - started
        print(f"wrote {n} filled templates in {written:.1f} s ({n / written:.1f} files/s)")
        db = database_service.open_db(root / "bench.sqlite3")
        try:
            for label in ("import into a fresh database", "import again (unchanged)"):
                started = time.perf_counter()
                report = questionnaire_files.import_questionnaires(db, paths)
                took = time.perf_counter() - started
                print(f"{label}: {n} files in {took:.1f} s ({n / took:.1f} files/s) {report.counts()}")
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
