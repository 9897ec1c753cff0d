"""Importing the Belarusian waste classifier from the administration's own files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from symdesk.services.classifier import import_classifier
from symdesk.services.codes import search_codes
from symdesk.services.errors import UserError
from symdesk.storage.db import Database


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_with_title_rows_and_bad_rows(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "классификатор.xlsx",
        [
            ["Классификатор отходов, образующихся в Республике Беларусь"],
            [],
            ["Код", "Наименование отхода", "Класс опасности"],
            [5960200, "Силикагель", "4 класс"],
            ["1234", "Слишком короткий код", "3"],
            ["1111111", "", "3"],
            ["2222222", "Отход с неизвестным классом", "пятый"],
            ["3333333", "Неопасный отход", "неопасные"],
            [None, None, None],
        ],
    )
    result = import_classifier(db, path)
    assert sorted(e.code for e in result.entries) == ["3333333", "5960200"]
    assert [(r.row, r.column) for r in result.rejected] == [(5, "code"), (6, "name"), (7, "hazard_class")]
    hits = search_codes(db, "силикагель", systems=["national"])
    assert [(h.code, h.hazard_class) for h in hits] == [("5960200", "4")]
    assert search_codes(db, "3333333")[0].hazard_class == "non_hazardous"


def test_cp1251_semicolon_csv_replaces_the_previous_list(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "old.csv"
    first.write_text("code,name,hazard class\n1000001,Старый отход,3\n", encoding="utf-8")
    import_classifier(db, first)
    second = tmp_path / "new.csv"
    second.write_bytes("Код;Наименование;Класс опасности\n5960200;Силикагель;4\n".encode("cp1251"))
    result = import_classifier(db, second)
    assert [e.code for e in result.entries] == ["5960200"]
    assert search_codes(db, "1000001", systems=["national"]) == []
    assert search_codes(db, "5960200")[0].name_ru == "Силикагель"


def test_strict_and_dry_run_change_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("Код;Наименование;Класс опасности\n5960200;Силикагель;4\nxx;Плохая строка;4\n", encoding="utf-8")
    result = import_classifier(db, path, strict=True)
    assert len(result.rejected) == 1
    assert search_codes(db, "5960200", systems=["national"]) == []
    import_classifier(db, path, dry_run=True)
    assert search_codes(db, "5960200", systems=["national"]) == []


def test_file_without_usable_rows_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("Код;Наименование\n", encoding="utf-8")
    with pytest.raises(UserError):
        import_classifier(db, path)
