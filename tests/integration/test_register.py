"""The consolidated register: import from real CSV/xlsx files, export to Excel, round trips."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from symdesk.cli import main
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, CodeSystem, Direction, HazardClass, Stream
from symdesk.domain.units import Period
from symdesk.services.database import check_db, open_db
from symdesk.services.register import export_register, import_register, problem_text
from symdesk.services.residents import save_resident
from symdesk.services.streams import save_streams
from symdesk.services.zones import zone_overview
from symdesk.storage.db import Database
from symdesk.storage.repository import ResidentRepository, StreamRepository
from symdesk.storage.uow import unit_of_work

FORMS = Path(__file__).resolve().parents[2] / "forms"

RESIDENT_FIELDS = ("name", "unp", "activity_codes", "latitude", "longitude")
STREAM_FIELDS = (
    "direction", "category", "name", "code", "code_system", "hazard_class", "quantity", "unit", "period",
    "regularity", "quality", "temperature_c", "pressure_mpa", "handling", "price_byn", "secondary_acceptable",
    "readiness", "confidential", "notes",
)


def residents_and_streams(db: Database) -> tuple[list[Resident], list[Stream]]:
    with unit_of_work(db) as session:
        return ResidentRepository(session).list(), StreamRepository(session).list()


def snapshot(db: Database) -> dict[str, Any]:
    """Every live record with its revision and modification time: what 'nothing changed' compares."""
    residents, streams = residents_and_streams(db)
    return {
        r.id: (r.meta.revision, r.meta.modified_at) for r in residents
    } | {s.id: (s.meta.revision, s.meta.modified_at) for s in streams}


def comparable(db: Database) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    """Residents (by УНП or name) with their streams' data fields, ids left out."""
    residents, streams = residents_and_streams(db)
    by_resident: dict[str, list[tuple[Any, ...]]] = {}
    for s in streams:
        by_resident.setdefault(s.resident_id, []).append(tuple(getattr(s, f) for f in STREAM_FIELDS))
    return {
        (r.unp or r.name, repr(tuple(getattr(r, f) for f in RESIDENT_FIELDS))): sorted(
            by_resident.get(r.id, []), key=repr
        )
        for r in residents
    }


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def stream_named(db: Database, name: str) -> Stream:
    found = [s for s in residents_and_streams(db)[1] if s.name == name]
    assert len(found) == 1, name
    return found[0]


def resident_named(db: Database, name: str) -> Resident:
    found = [r for r in residents_and_streams(db)[0] if r.name == name]
    assert len(found) == 1, name
    return found[0]


# --- file formats ---------------------------------------------------------------


def test_comma_csv_utf8_english_headers_in_any_order(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        "  NAME ,Direction, category ,RESIDENT,unp,Quantity,UNIT,period,code,Hazard-Class,Temperature (°C),"
        "lat,LON,Activity,Notes\n"
        'Sawdust,offer,waste,"LesProm LLC",790111222,"1,234.5",t,year,10 01 02*,non-hazardous,,53.19,29.25,16.10,\n'
        "Waste heat,offer,heat,LesProm LLC,790111222,850,Gcal,per year,,,90,53.19,29.25,16.10,dryers\n"
        "Recycled stone,need,material,Stroy JSC,790222333,15000,t/year,,,,,,,23610,\n",
        encoding="utf-8",
    )
    report = import_register(db, path)
    assert report.problems == [] and report.imported
    assert (report.residents_created, report.streams_created) == (2, 3)
    sawdust = stream_named(db, "Sawdust")
    assert (sawdust.direction, sawdust.category, sawdust.quantity, sawdust.unit, sawdust.period) == (
        Direction.OFFER, Category.WASTE, 1234.5, "t", Period.YEAR,
    )
    assert (sawdust.code, sawdust.code_system, sawdust.hazard_class) == ("100102", CodeSystem.EWC,
                                                                        HazardClass.NON_HAZARDOUS)
    assert sawdust.questionnaire_id is None
    heat = stream_named(db, "Waste heat")
    assert (heat.temperature_c, heat.unit, heat.notes) == (90.0, "Gcal", "dryers")
    stone = stream_named(db, "Recycled stone")
    assert (stone.direction, stone.category, stone.period) == (Direction.NEED, Category.MATERIAL, Period.YEAR)
    les = resident_named(db, "LesProm LLC")
    assert (les.unp, les.activity_codes, les.latitude, les.longitude) == ("790111222", ["1610"], 53.19, 29.25)
    zone = zone_overview(db).zone
    assert zone is not None and les.zone_id == zone.id


def test_semicolon_csv_with_decimal_commas_in_windows_1251(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "реестр.csv"
    text = (
        "Ед. изм.;КАТЕГОРИЯ;направление;Наименование;резидент;УНП;Количество;Давление, МПа;Температура, °С;"
        "Класс опасности;Код отхода;Цена, BYN;Конфиденциально;Вторичный ресурс допустим;Регулярность\r\n"
        "Гкал/ч;пар;потребность;Пар технологический;ЗАО «ПолимерПак»;790333444;1,2;0,8;180;;;;нет;да;постоянно\r\n"
        "т/год;Отход;Предложение;Отходы полиэтилена;ЗАО «ПолимерПак»;790333444;36,5;;;4 класс;5711400;"
        "1 150,75;да;;партиями\r\n"
        "тыс. м3;топливный газ;потребность;Газ природный;ЗАО «ПолимерПак»;790333444;2 500;;;;;;;;\r\n"
        "шт;УСЛУГИ;предложение;Ремонт поддонов;ЗАО «ПолимерПак»;790333444;100;;;;;;;;\r\n"
        "т;углекислый газ;предложение;Углекислота;ЗАО «ПолимерПак»;790333444;10;;;;;;;;\r\n"
    )
    path.write_bytes(text.encode("cp1251"))
    report = import_register(db, path)
    assert report.problems == [], [problem_text(p) for p in report.problems]
    steam = stream_named(db, "Пар технологический")
    assert (steam.direction, steam.category, steam.quantity, steam.unit) == (
        Direction.NEED, Category.STEAM, 1.2, "Gcal_h",
    )
    assert (steam.pressure_mpa, steam.temperature_c, steam.secondary_acceptable, steam.confidential) == (
        0.8, 180.0, True, False,
    )
    pe = stream_named(db, "Отходы полиэтилена")
    assert (pe.category, pe.code, pe.code_system, pe.hazard_class) == (
        Category.WASTE, "5711400", CodeSystem.NATIONAL, HazardClass.CLASS_4,
    )
    assert (pe.quantity, pe.period, pe.price_byn, pe.confidential) == (36.5, Period.YEAR, 1150.75, True)
    assert stream_named(db, "Газ природный").category == Category.FUEL_GAS
    assert stream_named(db, "Газ природный").unit == "thousand_m3"
    assert stream_named(db, "Ремонт поддонов").category == Category.SERVICE
    assert stream_named(db, "Углекислота").category == Category.CO2


def test_csv_with_bom(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffРезидент,Наименование,Направление,Категория\nООО «Тест»,Тепло,offer,тепло\n".encode())
    report = import_register(db, path)
    assert report.imported and report.streams_created == 1
    assert stream_named(db, "Тепло").category == Category.HEAT
    assert resident_named(db, "ООО «Тест»").unp == ""


def test_xlsx_with_numbers_and_a_title_row(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "register.xlsx",
        [
            ["Сводный реестр резидентов СЭЗ «Заречье»"],
            [],
            ["№ п/п", "Резидент", "УНП", "ОКЭД", "Направление", "Категория", "Наименование", "Код отхода",
             "Количество", "Ед. изм.", "Период", "Широта", "Долгота"],
            [1, "ООО «ЛесДрев»", 790111222, 16100, "предложение", "отходы", "Кора", "030101", 800, "т", "в год",
             53.1941, 29.2512],
            [2, "ООО «ЛесДрев»", 790111222, 16100, "предложение", "побочный продукт", "Щепа", "030105", 12.5,
             "т", "в месяц", 53.1941, 29.2512],
            [None] * 13,
        ],
    )
    report = import_register(db, path)
    assert report.problems == [] and report.streams_created == 2
    chips = stream_named(db, "Щепа")
    assert (chips.quantity, chips.period, chips.category, chips.code_system) == (
        12.5, Period.MONTH, Category.BY_PRODUCT, CodeSystem.EWC,
    )
    assert resident_named(db, "ООО «ЛесДрев»").unp == "790111222"


# --- residents --------------------------------------------------------------------


def test_residents_matched_by_unp_by_normalised_name_or_created(db: Database, tmp_path: Path) -> None:
    by_unp = save_resident(db, Resident(zone_id="", name="Общество с ограниченной ответственностью «Альфа»",
                                        unp="790000011"))
    by_name = save_resident(db, Resident(zone_id="", name="ООО «Зелёный берег»"))
    path = tmp_path / "r.csv"
    path.write_text(
        "resident;unp;name;direction;category\n"
        "Альфа (переименовано);790000011;Опилки;offer;waste\n"
        'зеленый  БЕРЕГ ооо;;Вода;need;water\n'
        '"ЧУП ""Зелёный берег""";;Пар;need;steam\n'
        "ИООО «Новый»;790000022;Тепло;offer;heat\n"
        "Новый;;Электроэнергия;need;electricity\n",
        encoding="utf-8",
    )
    report = import_register(db, path)
    assert report.problems == []
    assert (report.residents_matched, report.residents_created) == (2, 1)
    assert stream_named(db, "Опилки").resident_id == by_unp.id
    assert stream_named(db, "Вода").resident_id == by_name.id
    assert stream_named(db, "Пар").resident_id == by_name.id
    new = resident_named(db, "ИООО «Новый»")
    assert new.unp == "790000022"
    # a row without УНП joins the resident another row gives the УНП of
    assert stream_named(db, "Электроэнергия").resident_id == new.id
    assert resident_named(db, "Общество с ограниченной ответственностью «Альфа»").id == by_unp.id


def test_a_resident_found_by_name_gets_the_unp_of_the_file(db: Database, tmp_path: Path) -> None:
    saved = save_resident(db, Resident(zone_id="", name="ОАО «Бета»"))
    path = tmp_path / "r.csv"
    path.write_text("Резидент,УНП,ОКЭД,Наименование,Направление,Категория\n"
                    "Бета,790000033,23610,Бой,offer,waste\n", encoding="utf-8")
    report = import_register(db, path)
    assert report.problems == [] and report.residents_matched == 1
    resident = resident_named(db, "ОАО «Бета»")
    assert (resident.id, resident.unp, resident.activity_codes) == (saved.id, "790000033", ["23610"])


def test_a_resident_only_row_registers_the_resident(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Резидент,УНП,Наименование,Направление,Категория\nООО «Пустой»,790000044,,,\n",
                    encoding="utf-8")
    report = import_register(db, path)
    assert report.problems == [] and (report.residents_created, report.streams_created) == (1, 0)
    assert resident_named(db, "ООО «Пустой»").unp == "790000044"


# --- codes ----------------------------------------------------------------------------


def test_code_system_guessed_from_the_length_of_the_code(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(
        "resident,name,direction,category,code,code_system\n"
        "R,A,offer,waste,03 01 05,\n"
        "R,B,offer,waste,5960200,\n"
        "R,C,offer,waste,100102,national\n",
        encoding="utf-8",
    )
    report = import_register(db, path)
    assert [(p.row, p.column) for p in report.problems] == [(4, "code_system")]
    path.write_text(
        "resident,name,direction,category,code\nR,A,offer,waste,03 01 05\nR,B,offer,waste,5960200\n",
        encoding="utf-8",
    )
    assert import_register(db, path).imported
    assert stream_named(db, "A").code_system == CodeSystem.EWC and stream_named(db, "A").code == "030105"
    assert stream_named(db, "B").code_system == CodeSystem.NATIONAL


# --- the example files ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["register_example.csv", "register_example_en.csv"])
def test_example_files_import_cleanly(db: Database, name: str) -> None:
    before = check_db(db).counts
    dry = import_register(db, FORMS / name, dry_run=True)
    assert dry.problems == [], [(p.row, p.column, problem_text(p)) for p in dry.problems]
    assert not dry.imported and dry.residents_created == 5 and dry.streams_created >= 10
    assert check_db(db).counts == before
    real = import_register(db, FORMS / name)
    assert real.imported and real.problems == []
    assert (real.residents_created, real.streams_created) == (dry.residents_created, dry.streams_created)
    residents, streams = residents_and_streams(db)
    assert len(residents) == 5 and len(streams) == real.streams_created
    assert {s.direction for s in streams} == {Direction.OFFER, Direction.NEED}
    assert len({s.category for s in streams}) >= 8


def test_the_two_example_files_describe_the_same_residents(db: Database) -> None:
    import_register(db, FORMS / "register_example.csv")
    report = import_register(db, FORMS / "register_example_en.csv")
    assert (report.residents_created, report.residents_matched) == (0, 5)


# --- bad files ----------------------------------------------------------------------------


def test_bad_rows_refuse_the_whole_file_and_each_is_listed(demo_db: Database, tmp_path: Path) -> None:
    before = check_db(demo_db).counts
    state = snapshot(demo_db)
    path = tmp_path / "bad.csv"
    path.write_text(
        "Резидент;Наименование;Направление;Категория;Количество;Ед. изм.;Код отхода\n"
        "ООО «Хороший»;Опилки;предложение;отходы;10;т;030105\n"  # 2: fine
        ";Кора;предложение;отходы;5;т;\n"  # 3: missing resident
        "ООО «Хороший»;Что-то;предложение;космос;5;т;\n"  # 4: unknown category
        "ООО «Хороший»;Стружка;предложение;отходы;-5;т;\n"  # 5: negative quantity
        "ООО «Хороший»;Щепа;предложение;отходы;5;Гкал;\n"  # 6: unit not fitting the category
        "ООО «Хороший»;Пыль;предложение;отходы;5;т;12345\n"  # 7: malformed code
        "ООО «Хороший»;Зола;предложение;отходы;пять;т;\n"  # 8: bad number
        "ООО «Хороший»;опилки;Предложение;Отход;1;т;\n",  # 9: same as row 2
        encoding="utf-8",
    )
    report = import_register(demo_db, path)
    assert not report.imported
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "Резидент"),
        (4, "Категория"),
        (5, "Количество"),
        (6, "Ед. изм."),
        (7, "Код отхода"),
        (8, "Количество"),
        (9, "Наименование"),
    ]
    assert all(p.file == "bad.csv" and problem_text(p) for p in report.problems)
    assert "12345" in problem_text(report.problems[4])
    assert check_db(demo_db).counts == before
    assert snapshot(demo_db) == state


def test_missing_required_columns(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "no_header.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    report = import_register(db, path)
    assert not report.imported and len(report.problems) == 1 and report.problems[0].row is None
    path.write_text("resident,name\nR,A\n", encoding="utf-8")
    report = import_register(db, path)
    assert sorted(p.params["column"] for p in report.problems) == ["Category", "Direction"]
    assert check_db(db).counts.get("residents", 0) == 0


def test_unreadable_file_is_a_problem_not_a_crash(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a workbook")
    report = import_register(db, path)
    assert not report.imported and len(report.problems) == 1
    assert "fake.xlsx" in problem_text(report.problems[0])


# --- idempotency and updates -------------------------------------------------------------------


def test_importing_twice_changes_nothing(db: Database) -> None:
    first = import_register(db, FORMS / "register_example.csv")
    assert first.imported
    state, counts = snapshot(db), check_db(db).counts
    second = import_register(db, FORMS / "register_example.csv")
    assert second.imported and second.problems == []
    assert (second.residents_created, second.residents_matched) == (0, first.residents_created)
    assert (second.streams_created, second.streams_updated, second.streams_unchanged) == (
        0, 0, first.streams_created,
    )
    assert snapshot(db) == state and check_db(db).counts == counts


def test_a_changed_row_updates_its_stream_in_place(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("resident,unp,name,direction,category,quantity,unit\nR,790000055,Опилки,offer,waste,10,t\n",
                    encoding="utf-8")
    import_register(db, path)
    before = stream_named(db, "Опилки")
    path.write_text("resident,unp,name,direction,category,quantity,unit\nR,790000055,ОПИЛКИ ,offer,waste,12,t\n",
                    encoding="utf-8")
    report = import_register(db, path)
    assert (report.streams_created, report.streams_updated) == (0, 1)
    after = stream_named(db, "ОПИЛКИ")
    assert (after.id, after.quantity, after.meta.revision) == (before.id, 12.0, before.meta.revision + 1)


def test_columns_missing_from_the_file_keep_their_stored_values(demo_db: Database, tmp_path: Path) -> None:
    residents, streams = residents_and_streams(demo_db)
    stream = next(s for s in streams if s.price_byn is not None and s.quality)
    resident = next(r for r in residents if r.id == stream.resident_id)
    path = tmp_path / "r.csv"
    path.write_text(
        "resident,unp,name,direction,category,notes\n"
        f'"{resident.name}",{resident.unp},"{stream.name}",{stream.direction.value},{stream.category.value},новое\n',
        encoding="utf-8",
    )
    report = import_register(demo_db, path)
    assert report.streams_updated == 1
    with unit_of_work(demo_db) as session:
        updated = StreamRepository(session).get(stream.id)
    assert (updated.notes, updated.price_byn, updated.quality, updated.questionnaire_id) == (
        "новое", stream.price_byn, stream.quality, stream.questionnaire_id,
    )


# --- export --------------------------------------------------------------------------------------


def test_export_then_import_into_a_fresh_database_gives_the_same_data(
    demo_db: Database, tmp_path: Path
) -> None:
    out = export_register(demo_db, tmp_path / "register.xlsx")
    fresh = open_db(tmp_path / "fresh.sqlite3")
    try:
        report = import_register(fresh, out)
        assert report.problems == [], [(p.row, p.column, problem_text(p)) for p in report.problems[:5]]
        assert comparable(fresh) == comparable(demo_db)
        _residents, streams = residents_and_streams(fresh)
        assert all(s.questionnaire_id is None for s in streams)
        # and in English, too
        out_en = export_register(fresh, tmp_path / "register_en.xlsx", language="en")
        fresh_en = open_db(tmp_path / "fresh_en.sqlite3")
        try:
            assert import_register(fresh_en, out_en).imported
            assert comparable(fresh_en) == comparable(demo_db)
        finally:
            fresh_en.close()
    finally:
        fresh.close()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_demo_exported_and_reimported_into_itself_changes_nothing(
    demo_db: Database, tmp_path: Path, language: str
) -> None:
    state, counts = snapshot(demo_db), check_db(demo_db).counts
    out = export_register(demo_db, tmp_path / f"demo_{language}.xlsx", language=language)
    report = import_register(demo_db, out)
    assert report.imported and report.problems == []
    assert (report.residents_created, report.streams_created, report.streams_updated) == (0, 0, 0)
    assert report.streams_unchanged == counts["streams"]
    assert snapshot(demo_db) == state and check_db(demo_db).counts == counts


def test_export_sheet_layout_and_labels(demo_db: Database, tmp_path: Path) -> None:
    out = export_register(demo_db, tmp_path / "r.xlsx", language="en")
    ws = openpyxl.load_workbook(out).active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Resident", "UNP", "Activity"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["A"].width > 10
    values = {c.value for row in ws.iter_rows(min_row=2) for c in row}
    assert {"offer", "need", "waste"} <= values
    out_ru = export_register(demo_db, tmp_path / "r_ru.xlsx")
    ws_ru = openpyxl.load_workbook(out_ru).active
    assert [c.value for c in ws_ru[1]][:3] == ["Резидент", "УНП", "ОКЭД"]
    values_ru = {c.value for row in ws_ru.iter_rows(min_row=2) for c in row}
    assert {"предложение", "потребность", "т"} <= values_ru


def test_formula_looking_text_is_exported_as_text(db: Database, tmp_path: Path) -> None:
    r = save_resident(db, Resident(zone_id="", name="=1+1"))
    save_streams(db, [Stream(r.id, Direction.OFFER, Category.WASTE, "-5 т", notes="@x", quality="+7")])
    out = export_register(db, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(out).active
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None}
    for text in ("=1+1", "-5 т", "@x", "+7"):
        assert cells[text].data_type == "s", text
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    fresh = open_db(tmp_path / "fresh.sqlite3")
    try:
        assert import_register(fresh, out).imported
        assert comparable(fresh) == comparable(db)
    finally:
        fresh.close()


# --- the command line --------------------------------------------------------------------------------


def test_cli_import_and_export(capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path) -> None:
    example = tmp_path / "example.csv"
    shutil.copy(FORMS / "register_example.csv", example)
    code = main(["--db", str(db_path), "import-register", str(example), "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["imported"] is False and out["residents"]["created"] == 5
    assert set(out) >= {"file", "imported", "problems", "residents", "streams"}
    code = main(["--db", str(db_path), "import-register", str(example), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["imported"] is True and out["streams"]["created"] == 12
    bad = tmp_path / "bad.csv"
    bad.write_text("resident,name,direction,category,quantity\nR,A,offer,waste,-1\n,B,need,water,\n",
                   encoding="utf-8")
    code = main(["--db", str(db_path), "import-register", str(bad), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["imported"] is False
    assert [(p["row"], p["column"]) for p in out["problems"]] == [(2, "quantity"), (2, "Unit"), (3, "resident")]
    code = main(["--db", str(db_path), "import-register", str(bad)])
    err = capsys.readouterr().err
    assert code == 1 and "bad.csv" in err
    xlsx = tmp_path / "out.xlsx"
    code = main(["--db", str(db_path), "export-register", "--out", str(xlsx), "--lang", "en"])
    assert code == 0 and xlsx.exists()
    assert openpyxl.load_workbook(xlsx).active["A1"].value == "Resident"
    code = main(["--db", str(db_path), "import-register", str(xlsx)])
    assert code == 0 and "12" in capsys.readouterr().out
