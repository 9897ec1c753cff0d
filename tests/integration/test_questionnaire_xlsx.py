"""The Excel questionnaire: template written from the definition, filled, imported back.

Real workbooks (written and edited with openpyxl as a person would in Excel),
real SQLite files; every import is checked against what the database holds
afterwards through ``services.questionnaires.open_document``.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from symdesk.cli import main
from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.domain.units import UNITS
from symdesk.io.xlsx_layout import (
    LISTS_SHEET,
    META_SHEET,
    REPEAT_ROWS,
    field_caption,
    sheet_title,
)
from symdesk.questionnaire.definition import default_definition
from symdesk.questionnaire.document import QuantityValue
from symdesk.services import questionnaire_files as qf
from symdesk.services import questionnaires as qs
from symdesk.services.database import check_db
from symdesk.storage.db import Database

D = default_definition()
SHEET = {s.name: sheet_title(s, "ru") for s in D.sections}


# ---------------------------------------------------------------- helpers


def scalar_row(ws: Worksheet, section: str, field: str, language: str = "ru") -> int:
    caption = field_caption(D.section(section).field(field), language)
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == caption:
            return row
    raise AssertionError(f"{field} not on {ws.title}")


def set_answer(wb: openpyxl.Workbook, section: str, field: str, value: Any) -> None:
    ws = wb[SHEET[section]]
    ws.cell(scalar_row(ws, section, field), 2).value = value


def headers(ws: Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def set_row(ws: Worksheet, row: int, values: dict[str, Any]) -> None:
    cols = headers(ws)
    for header, value in values.items():
        ws.cell(row, cols[header]).value = value


RESIDENT = {
    "name": "ООО «Тестовый завод»  ",
    "short_name": "Тестовый завод",
    "unp": "190123456",
    "activity_codes": "16100, 22220",
    "address": "г. Заречье, ул. Заводская, 1",
    "latitude": "53,1642",
    "longitude": 29.2214,
    "contact_person": "Иванов И. И., главный инженер",
    "email": "test@example.by",
    "staff_count": "1 250",
}
SURVEY = {"surveyor": "Петрова А. А.", "survey_date": "02.04.2026", "consent_to_share": "да"}


def fill_blank(path: Path, *, unp: str = "190123456", name: str = "ООО «Тестовый завод»  ") -> Path:
    """A blank template filled in the way people do it."""
    qf.write_template(None, path)
    wb = openpyxl.load_workbook(path)
    for field, value in {**RESIDENT, "unp": unp, "name": name}.items():
        set_answer(wb, "resident", field, value)
    set_answer(wb, "resources", "electricity_mwh", "1 234,5")
    set_answer(wb, "resources", "cleaner_production_interest", "возможно")
    for field, value in SURVEY.items():
        set_answer(wb, "survey", field, value)
    offers = wb[SHEET["offers"]]
    set_row(offers, 2, {"Категория *": "отходы", "Наименование *": "Опилки", "Код отхода (РБ 7 знаков или ЕС 6 знаков)": "03 01 05",
                        "Количество": "1 200", "Единица измерения": "т", "Период": "в год", "Класс опасности": "неопасные",
                        "Как обращаются сейчас": "реализация", "Цена или затраты, BYN за единицу": "15,5"})
    set_row(offers, 3, {"Категория *": "тепловая энергия", "Наименование *": "Тепло компрессоров",
                        "Количество": 800, "Единица измерения": "Гкал", "Период": "в год", "Температура, °C": 60})
    needs = wb[SHEET["needs"]]
    set_row(needs, 2, {"Категория *": "вода", "Наименование *": "Техническая вода", "Количество": "50",
                       "Единица измерения": "м³", "Период": "в сутки", "Подходит вторичный ресурс": "да"})
    wb.save(path)
    return path


def stored(db: Database, questionnaire_id: str) -> Any:
    return qs.open_document(db, questionnaire_id=questionnaire_id)


def demo_questionnaire(db: Database, status: str | None = None) -> Any:
    found = [q for q in qs.list_questionnaires(db) if (status is None or q.status == status) and q.offers >= 2]
    return found[0]


# ---------------------------------------------------------------- the template


def test_blank_template_sheets_protection_lists_and_hints(tmp_path: Path) -> None:
    path = qf.write_template(None, tmp_path / "blank.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*SHEET.values(), LISTS_SHEET, META_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden" and wb[META_SHEET].sheet_state == "hidden"
    for title in SHEET.values():
        assert wb[title].protection.sheet
    # scalar sheet: labels locked with hints as comments, answers unlocked
    resident = wb[SHEET["resident"]]
    unp_row = scalar_row(resident, "resident", "unp")
    assert resident.cell(unp_row, 1).value == "УНП *"
    assert resident.cell(unp_row, 1).protection.locked
    assert not resident.cell(unp_row, 2).protection.locked
    assert resident.cell(unp_row, 1).comment.text == "9 знаков"
    assert resident.cell(1, 1).protection.locked
    # offers: header locked, 200 rows unlocked, quantity in three columns, id column hidden
    offers = wb[SHEET["offers"]]
    cols = headers(offers)
    assert list(cols)[:2] == ["Категория *", "Наименование *"]
    q = cols["Количество"]
    assert [offers.cell(1, q + i).value for i in range(3)] == ["Количество", "Единица измерения", "Период"]
    assert offers.cell(1, q).comment.text == "Количество, единица и период"
    assert offers.cell(1, 1).protection.locked
    assert not offers.cell(2, 1).protection.locked and not offers.cell(REPEAT_ROWS + 1, q).protection.locked
    last = offers.max_column
    assert offers.cell(1, last).value == "ID"
    assert offers.column_dimensions[openpyxl.utils.get_column_letter(last)].hidden
    # drop-downs referring to the hidden lists sheet
    lists = wb[LISTS_SHEET]
    dv_by_col: dict[str, str] = {}
    for dv in offers.data_validations.dataValidation:
        assert dv.type == "list"
        for rng in dv.sqref.ranges:
            dv_by_col[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    letter = openpyxl.utils.get_column_letter

    def listed(column: int) -> list[str]:
        formula = dv_by_col[letter(column)]
        col = formula.split("!$")[1].split("$")[0]
        return [c.value for c in lists[col][1:] if c.value is not None]

    assert "отходы" in listed(cols["Категория *"]) and "тепловая энергия" in listed(cols["Категория *"])
    assert listed(q + 1) == [u.label_ru for u in UNITS.values()]
    assert listed(q + 2)[:2] == ["в год", "в квартал"]
    assert listed(cols["Конфиденциально"]) == ["да", "нет"]
    resources = wb[SHEET["resources"]]
    interest = f"B{scalar_row(resources, 'resources', 'cleaner_production_interest')}"
    assert [dv.type for dv in resources.data_validations.dataValidation if interest in dv.sqref] == ["list"]
    meta = {r[0].value: r[1].value for r in wb[META_SHEET].iter_rows()}
    assert meta["form_id"] == D.form_id and meta["form_version"] == D.version
    assert meta["questionnaire_id"] is None and meta["resident_id"] is None and meta["language"] == "ru"


def test_english_template(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(qf.write_template(None, tmp_path / "en.xlsx", language="en"))
    assert wb.sheetnames[:5] == ["About the resident", "Resource efficiency", "Offers", "Needs", "Survey"]
    offers = wb["Offers"]
    assert [offers.cell(1, 1).value, offers.cell(1, 2).value] == ["Category *", "Name *"]
    assert "Unit" in headers(offers) and "Period" in headers(offers)


def test_prefilled_template_carries_ids_and_reimports_unchanged(demo_db: Database, tmp_path: Path) -> None:
    summary = demo_questionnaire(demo_db)
    doc = stored(demo_db, summary.id)
    path = qf.write_template(demo_db, tmp_path / "q.xlsx", resident_id=summary.resident_id)
    wb = openpyxl.load_workbook(path)
    meta = {r[0].value: r[1].value for r in wb[META_SHEET].iter_rows()}
    assert (meta["questionnaire_id"], meta["resident_id"], meta["campaign_id"]) == (
        doc.questionnaire_id, doc.resident_id, doc.campaign_id)
    offers = wb[SHEET["offers"]]
    ids = [offers.cell(r, offers.max_column).value for r in range(2, 2 + len(doc.rows["offers"]))]
    assert ids == [r.stream_id for r in doc.rows["offers"]]
    resident = wb[SHEET["resident"]]
    assert resident.cell(scalar_row(resident, "resident", "unp"), 2).value == doc.values["unp"]
    counts = check_db(demo_db).counts
    report = qf.import_questionnaires(demo_db, [path])
    assert report.counts() == {"imported": 0, "updated": 0, "unchanged": 1, "failed": 0}
    assert report.files[0].questionnaire_id == summary.id
    assert check_db(demo_db).counts == counts


def test_one_changed_cell_updates_only_that(demo_db: Database, tmp_path: Path) -> None:
    summary = demo_questionnaire(demo_db, "complete")
    before = stored(demo_db, summary.id)
    path = qf.write_template(demo_db, tmp_path / "q.xlsx", questionnaire_id=summary.id)
    wb = openpyxl.load_workbook(path)
    offers = wb[SHEET["offers"]]
    offers.cell(3, headers(offers)["Количество"]).value = "7 777,5"
    wb.save(path)
    report = qf.import_questionnaires(demo_db, [path])
    assert report.counts()["updated"] == 1, report.files[0].problems
    after = stored(demo_db, summary.id)
    assert after.rows["offers"][1].values["quantity"].amount == 7777.5
    after.rows["offers"][1].values["quantity"].amount = before.rows["offers"][1].values["quantity"].amount
    assert after.values == before.values and after.rows == before.rows
    assert after.status is QuestionnaireStatus.COMPLETE
    # the per-questionnaire export, imported back, changes nothing
    again = qf.write_template(demo_db, tmp_path / "again.xlsx", questionnaire_id=summary.id)
    assert qf.import_questionnaires(demo_db, [again]).counts()["unchanged"] == 1


def test_a_verified_questionnaire_changed_is_stored_as_complete_and_said(demo_db: Database, tmp_path: Path) -> None:
    summary = demo_questionnaire(demo_db, "verified")
    path = qf.write_template(demo_db, tmp_path / "v.xlsx", questionnaire_id=summary.id)
    assert qf.import_questionnaires(demo_db, [path]).counts()["unchanged"] == 1
    assert stored(demo_db, summary.id).status is QuestionnaireStatus.VERIFIED
    wb = openpyxl.load_workbook(path)
    set_answer(wb, "resources", "water_m3", 12345)
    wb.save(path)
    outcome = qf.import_questionnaires(demo_db, [path]).files[0]
    assert outcome.outcome == "updated" and outcome.status == "complete"
    assert any("verified" in n.message for n in outcome.notes)
    assert stored(demo_db, summary.id).status is QuestionnaireStatus.COMPLETE


# ---------------------------------------------------------------- round trip from a blank template


def test_blank_template_filled_by_hand_creates_resident_and_questionnaire(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "filled.xlsx")
    report = qf.import_questionnaires(db, [path])
    outcome = report.files[0]
    assert outcome.outcome == "imported", [p.render() for p in outcome.problems]
    assert outcome.status == "complete" and outcome.resident_name == "Тестовый завод"
    doc = stored(db, outcome.questionnaire_id or "")
    v = doc.values
    assert v["name"] == "ООО «Тестовый завод»" and v["unp"] == "190123456"
    assert v["activity_codes"] == ["16100", "22220"] and v["latitude"] == 53.1642 and v["staff_count"] == 1250
    assert v["electricity_mwh"] == 1234.5 and v["cleaner_production_interest"] == "maybe"
    assert v["survey_date"] == date(2026, 4, 2) and v["consent_to_share"] is True
    by_name = {r.values["name"]: r for r in doc.rows["offers"]}
    sawdust, heat = by_name["Опилки"], by_name["Тепло компрессоров"]
    assert sawdust.values["code"] == "030105" and sawdust.values["quantity"] == QuantityValue(1200.0, "t", "year")
    assert sawdust.values["handling"] == "sold" and sawdust.values["price_byn"] == 15.5
    assert heat.values["category"] == "heat" and heat.values["temperature_c"] == 60
    (water,) = doc.rows["needs"]
    assert water.values["quantity"] == QuantityValue(50.0, "m3", "day") and water.values["secondary_acceptable"] is True
    # the same file again: found by УНП, rows by category and name; nothing changes
    counts = check_db(db).counts
    assert qf.import_questionnaires(db, [path]).counts()["unchanged"] == 1
    assert check_db(db).counts == counts
    # exported and imported back: the same data
    export = qf.write_template(db, tmp_path / "export.xlsx", questionnaire_id=outcome.questionnaire_id)
    assert qf.import_questionnaires(db, [export]).counts()["unchanged"] == 1
    assert stored(db, outcome.questionnaire_id or "") == doc


def test_a_draft_when_required_answers_are_missing(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "filled.xlsx")
    wb = openpyxl.load_workbook(path)
    set_answer(wb, "survey", "surveyor", None)
    wb.save(path)
    outcome = qf.import_questionnaires(db, [path]).files[0]
    assert outcome.outcome == "imported" and outcome.status == "draft"
    (note,) = outcome.notes
    assert note.sheet == SHEET["survey"] and note.column.startswith("Кто заполнил") and note.message == "This field is required"


def test_quirks_people_type(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "quirks.xlsx", unp="19O 123 456", name="ООО «Причуды»   ")
    wb = openpyxl.load_workbook(path)
    set_answer(wb, "resident", "activity_codes", "161OO")  # Latin O for zeros
    offers_title = SHEET["offers"]
    # the offers sheet rebuilt by hand: columns in another order, an extra column, a title
    # row above the header, empty rows, merged cells, units and numbers as people write them
    del wb[offers_title]
    ws = wb.create_sheet(offers_title, 2)
    ws.append(["Предложения предприятия"])
    ws.append(["наименование", "Примечание сотрудника", "КАТЕГОРИЯ", "Количество ", "ед. изм.", "Код отхода", "Период"])
    ws.append(["Стружка  ", "что-то своё", "отходы", "1 234,5", "т/год", "O3 O1 O5", None])
    ws.append([None] * 7)
    ws.append(["Опилки", None, "отходы", "12", "тонн в год", "030105", None])
    ws.append(["Обрезь", None, None, "3,5", "куб.м", None, "в месяц"])  # category merged from above
    ws.merge_cells("C5:C6")
    ws.append(["Сточные воды", None, "Вода", "10", "м3", None, "в сутки"])
    ws.append(["Пар", None, "пар", "2", "Гкал", None, None])
    wb.save(path)
    outcome = qf.import_questionnaires(db, [path]).files[0]
    assert outcome.outcome == "imported", [(p.sheet, p.row, p.column, p.render()) for p in outcome.problems]
    doc = stored(db, outcome.questionnaire_id or "")
    assert doc.values["unp"] == "190123456" and doc.values["name"] == "ООО «Причуды»"
    assert doc.values["activity_codes"] == ["16100"]
    rows = {r.values["name"]: r.values for r in doc.rows["offers"]}
    assert set(rows) == {"Стружка", "Опилки", "Обрезь", "Сточные воды", "Пар"}
    assert rows["Стружка"]["quantity"] == QuantityValue(1234.5, "t", "year") and rows["Стружка"]["code"] == "030105"
    assert rows["Опилки"]["quantity"] == QuantityValue(12.0, "t", "year")
    assert rows["Обрезь"]["category"] == "waste" and rows["Обрезь"]["quantity"] == QuantityValue(3.5, "m3", "month")
    assert rows["Сточные воды"]["category"] == "water" and rows["Сточные воды"]["quantity"] == QuantityValue(10.0, "m3", "day")
    assert rows["Пар"]["quantity"] == QuantityValue(2.0, "Gcal", "year")


def test_latin_lookalike_letter_in_unp(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "ip.xlsx", unp="1A2345678")  # Latin A where the Cyrillic А stands
    outcome = qf.import_questionnaires(db, [path]).files[0]
    assert outcome.outcome == "imported", [p.render() for p in outcome.problems]
    assert stored(db, outcome.questionnaire_id or "").values["unp"] == "1А2345678"


# ---------------------------------------------------------------- refusals


def test_bad_values_are_located_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(path)
    set_answer(wb, "resident", "unp", "12345")
    offers = wb[SHEET["offers"]]
    offers.cell(3, headers(offers)["Количество"]).value = "много"
    offers.cell(2, headers(offers)["Единица измерения"]).value = "попугаев"
    wb.save(path)
    counts = check_db(db).counts
    outcome = qf.import_questionnaires(db, [path]).files[0]
    assert outcome.outcome == "failed"
    located = {(p.sheet, p.row, p.column, p.render()) for p in outcome.problems}
    assert (SHEET["offers"], 3, "Количество", "«много» is not a number") in located
    assert (SHEET["offers"], 2, "Единица измерения", "Unknown unit «попугаев»") in located
    assert check_db(db).counts == counts
    # the value problems fixed, the validation problem remains, located in the resident sheet
    offers.cell(3, headers(offers)["Количество"]).value = 5
    offers.cell(2, headers(offers)["Единица измерения"]).value = "т"
    wb.save(path)
    (problem,) = qf.import_questionnaires(db, [path]).files[0].problems
    assert (problem.sheet, problem.row, problem.column) == (SHEET["resident"], scalar_row(wb[SHEET["resident"]], "resident", "unp"), "УНП *")
    assert "12345" in problem.render()
    assert check_db(db).counts == counts


def test_a_unit_that_does_not_fit_the_category_is_located(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "gcal.xlsx")
    wb = openpyxl.load_workbook(path)
    offers = wb[SHEET["offers"]]
    offers.cell(2, headers(offers)["Единица измерения"]).value = "Гкал"  # Gcal of sawdust
    wb.save(path)
    (problem,) = qf.import_questionnaires(db, [path]).files[0].problems
    assert (problem.sheet, problem.row, problem.column) == (SHEET["offers"], 2, "Количество")


def test_unreadable_files_fail_with_one_message_and_the_others_import(db: Database, tmp_path: Path) -> None:
    good = fill_blank(tmp_path / "good.xlsx")
    text = tmp_path / "notes.xlsx"
    text.write_text("это не таблица", encoding="utf-8")
    ole = tmp_path / "locked.xlsx"
    ole.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    absent = tmp_path / "absent.xlsx"
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Код", "Наименование"])
    wb.save(other)
    report = qf.import_questionnaires(db, [text, ole, good, truncated, empty, absent, other])
    assert report.counts() == {"imported": 1, "updated": 0, "unchanged": 0, "failed": 6}
    for f in report.files:
        if f.outcome == "failed":
            assert len(f.problems) == 1, (f.path, [p.render() for p in f.problems])
    messages = {f.path.name: f.problems[0].message for f in report.files if f.problems}
    assert "password" in messages["locked.xlsx"] and "truncated" in messages["cut.xlsx"]
    assert "not an Excel" in messages["notes.xlsx"] and "not an Excel" in messages["empty.xlsx"]
    assert "not found" in messages["absent.xlsx"] and "not a questionnaire" in messages["other.xlsx"]


def test_over_long_text_is_refused(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "long.xlsx")
    wb = openpyxl.load_workbook(path)
    offers = wb[SHEET["offers"]]
    offers.cell(2, headers(offers)["Примечание"]).value = "LONG-TEXT-HERE"
    wb.save(path)
    # openpyxl cuts long text when writing; Excel files from elsewhere may carry more
    crafted = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data.replace(b"LONG-TEXT-HERE", ("я" * 40_000).encode()))
    path = crafted
    outcome = qf.import_questionnaires(db, [path]).files[0]
    assert outcome.outcome == "failed"
    (problem,) = outcome.problems
    assert problem.sheet == SHEET["offers"] and problem.row == 2 and "40000" in problem.render()
    assert not qs.list_questionnaires(db)


def test_a_missing_sheet_is_refused_rather_than_erasing_its_rows(demo_db: Database, tmp_path: Path) -> None:
    summary = demo_questionnaire(demo_db)
    path = qf.write_template(demo_db, tmp_path / "q.xlsx", questionnaire_id=summary.id)
    wb = openpyxl.load_workbook(path)
    del wb[SHEET["offers"]]
    wb.save(path)
    outcome = qf.import_questionnaires(demo_db, [path]).files[0]
    assert outcome.outcome == "failed" and "missing" in outcome.problems[0].message
    assert len(stored(demo_db, summary.id).rows["offers"]) == summary.offers


def test_foreign_stream_ids_are_not_trusted(demo_db: Database, tmp_path: Path) -> None:
    one, two = qs.list_questionnaires(demo_db)[:2]
    other_stream = stored(demo_db, two.id).rows["offers"][0].stream_id
    path = qf.write_template(demo_db, tmp_path / "q.xlsx", questionnaire_id=one.id)
    wb = openpyxl.load_workbook(path)
    offers = wb[SHEET["offers"]]
    offers.cell(2, offers.max_column).value = other_stream  # someone else's stream
    wb.save(path)
    qf.import_questionnaires(demo_db, [path])
    assert stored(demo_db, two.id).rows["offers"][0].stream_id == other_stream
    assert other_stream not in {r.stream_id for r in stored(demo_db, one.id).rows["offers"]}


def test_dry_run_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = fill_blank(tmp_path / "filled.xlsx")
    report = qf.import_questionnaires(db, [path], dry_run=True)
    assert report.files[0].outcome == "imported" and report.dry_run
    assert not qs.list_questionnaires(db)


# ---------------------------------------------------------------- batches


def small_workbook(path: Path, n: int) -> Path:
    """A questionnaire made by hand without the template: the sheets named as the sections."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET["resident"]
    for caption, value in (("Полное наименование организации", f"ООО «Резидент {n}»"), ("УНП", f"{700000000 + n}"),
                           ("Коды ОКЭД", "16100"), ("Контактное лицо", "Иванов")):
        ws.append([caption, value])
    wb.create_sheet(SHEET["resources"]).append(["Потребление воды за год, м³", "1 000"])
    offers = wb.create_sheet(SHEET["offers"])
    offers.append(["Категория", "Наименование", "Количество", "Единица"])
    offers.append(["отходы", f"Отход {n}", n + 1, "т/год"])
    wb.create_sheet(SHEET["needs"]).append(["Категория", "Наименование"])
    survey = wb.create_sheet(SHEET["survey"])
    survey.append(["Кто заполнил или провёл опрос", "Петров"])
    survey.append(["Дата заполнения", date(2026, 3, 1)])
    wb.save(path)
    return path


def test_a_batch_of_200_with_progress_and_cancel(db: Database, tmp_path: Path) -> None:
    paths = [small_workbook(tmp_path / f"q{n:03}.xlsx", n) for n in range(200)]
    seen: list[tuple[int, int, str]] = []
    state = {"calls": 0}

    def cancel_after_50() -> bool:
        state["calls"] += 1
        return state["calls"] > 50

    report = qf.import_questionnaires(db, paths, progress=lambda d, t, w: seen.append((d, t, w)), cancelled=cancel_after_50)
    assert report.cancelled and len(report.files) == 50
    assert report.counts() == {"imported": 50, "updated": 0, "unchanged": 0, "failed": 0}
    assert seen[0] == (0, 200, "q000.xlsx") and seen[-1][0] == 49
    assert len(qs.list_questionnaires(db)) == 50  # those imported stay imported
    seen.clear()
    report = qf.import_questionnaires(db, paths, progress=lambda d, t, w: seen.append((d, t, w)))
    assert not report.cancelled
    assert report.counts() == {"imported": 150, "updated": 0, "unchanged": 50, "failed": 0}
    assert seen[-1] == (200, 200, "") and len(qs.list_questionnaires(db)) == 200


# ---------------------------------------------------------------- the command line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_template_and_import(capsys: pytest.CaptureFixture[str], demo_db_path: Path, tmp_path: Path) -> None:
    db = str(demo_db_path)
    code, out, _ = run(capsys, "--db", db, "residents", "list", "--json")
    unp = json.loads(out)[0]["unp"]
    target = tmp_path / "r.xlsx"
    code, out, err = run(capsys, "--db", db, "template", "--resident", unp, "--out", str(target), "--lang", "en")
    assert code == 0 and target.exists(), err
    assert openpyxl.load_workbook(target).sheetnames[0] == "About the resident"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    code, out, err = run(capsys, "--db", db, "import", str(target), str(bad), "--json")
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {"imported": 0, "updated": 0, "unchanged": 1, "failed": 1}
    assert [f["outcome"] for f in data["files"]] == ["unchanged", "failed"]
    assert set(data["files"][1]["problems"][0]) == {"file", "sheet", "row", "column", "message"}
    assert set(data["files"][0]) >= {"path", "outcome", "questionnaire_id", "problems"}
    code, out, err = run(capsys, "--db", db, "--lang", "en", "import", str(target))
    assert code == 0 and "unchanged" in out and "Imported 0, updated 0, unchanged 1, failed 0" in out
    blank = tmp_path / "blank.xlsx"
    assert run(capsys, "template", "--out", str(blank))[0] == 0 and blank.exists()

