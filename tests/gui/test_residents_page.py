"""The residents page: filter, sort, details, and New / Edit / Delete through the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from symdesk.classifiers.search import fold
from symdesk.gui.models.resident_table import NAME, OFFERS, UNP
from symdesk.i18n import set_language
from symdesk.services import database as database_service
from symdesk.services import residents as resident_service


def visible_rows(page):
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    return [model.summary(row) for row in range(model.rowCount())]


def reopened_residents(path):
    """The residents as another program would see them: a fresh connection to the file."""
    db = database_service.open_db(path, create=False)
    try:
        return list(resident_service.list_residents(db))
    finally:
        db.close()


def click_ok(editor):
    editor.button_box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_filter_by_part_of_a_name_and_by_unp(qtbot, page, demo_db):
    everyone = resident_service.list_residents(demo_db)
    target = next(r for r in everyone if r.unp)
    word = max((target.short_name or target.name).split(), key=len)
    fragment = word[1:5].upper()  # mid-word, other case
    page.filter_edit.setText(fragment)  # QTest cannot type Cyrillic keys
    page.apply_filter_now()
    rows = visible_rows(page)
    expected = [r for r in everyone if fold(fragment) in fold(f"{r.name} {r.short_name} {r.unp} {' '.join(r.activity_codes)}")]
    assert 0 < len(rows) == len(expected)
    assert f"{len(rows)} of {len(everyone)} residents" == page.count_label.text()

    page.filter_edit.clear()
    qtbot.keyClicks(page.filter_edit, target.unp)
    page.apply_filter_now()
    assert [r.id for r in visible_rows(page)] == [target.id]

    page.filter_edit.clear()
    page.apply_filter_now()
    assert len(visible_rows(page)) == len(everyone)
    assert page.count_label.text() == f"{len(everyone)} of {len(everyone)} residents"


def test_filter_applies_by_itself_after_typing(qtbot, page, demo_db):
    target = resident_service.list_residents(demo_db)[0]
    page.filter_edit.setText(target.unp)
    qtbot.waitUntil(lambda: page.model.match_count() == 1, timeout=2_000)


def test_filter_by_oked_code_in_either_spelling(page, demo_db):
    everyone = resident_service.list_residents(demo_db)
    code = next(c for r in everyone for c in r.activity_codes)
    dotted = f"{code[:2]}.{code[2:4]}"
    page.filter_edit.setText(dotted)
    page.apply_filter_now()
    rows = visible_rows(page)
    assert rows
    assert all(any(c.startswith(code[:4]) for c in r.activity_codes) for r in rows)


def test_sorting_by_columns(page):
    page.table.sortByColumn(OFFERS, Qt.SortOrder.DescendingOrder)
    offers = [r.offers for r in visible_rows(page)]
    assert offers == sorted(offers, reverse=True)
    page.table.sortByColumn(UNP, Qt.SortOrder.AscendingOrder)
    unps = [r.unp for r in visible_rows(page)]
    assert unps == sorted(unps)
    page.table.horizontalHeader().setSortIndicator(NAME, Qt.SortOrder.DescendingOrder)
    names = [fold(r.short_name or r.name) for r in visible_rows(page)]
    assert names == sorted(names, reverse=True)


def test_selection_survives_sorting_and_shows_details(page, demo_db):
    target = max(resident_service.list_residents(demo_db), key=lambda r: r.offers)
    assert page.select_resident(target.id)
    text = page.detail.toPlainText()
    assert target.name in text
    assert target.unp in text
    assert f"Offers ({target.offers})" in text
    page.table.sortByColumn(UNP, Qt.SortOrder.DescendingOrder)
    assert page.selected_id() == target.id
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()


def test_create_a_resident_through_the_editor(qtbot, page, db_path):
    before = len(reopened_residents(db_path))
    editor = page.new_resident()
    assert editor is not None and editor.isVisible()
    editor.name_edit.setText("ООО «Новый резидент»")
    editor.short_name_edit.setText("Новый резидент")
    editor.unp_edit.setText("790999001")
    editor.codes_edit.setText("16100, 35.11")
    editor.latitude_edit.setText("53,17")
    editor.longitude_edit.setText("29.27")
    editor.staff_edit.setText("12")
    editor.email_edit.setText("info@new.example.by")
    if editor.site_combo.count() > 1:
        editor.site_combo.setCurrentIndex(1)
    click_ok(editor)
    assert not editor.isVisible()
    assert editor.saved is not None

    found = [r for r in reopened_residents(db_path) if r.unp == "790999001"]
    assert len(found) == 1
    assert len(reopened_residents(db_path)) == before + 1
    assert found[0].activity_codes == ("16100", "3511")
    details = resident_service.resident_details(page.db, found[0].id).resident
    assert (details.latitude, details.longitude, details.staff_count) == (53.17, 29.27, 12)
    assert page.selected_id() == found[0].id
    assert page.model.total_count() == before + 1


def test_editor_refuses_bad_unp_and_unknown_oked_code(page, db_path):
    before = reopened_residents(db_path)
    editor = page.new_resident()
    editor.name_edit.setText("ООО «Ошибка»")
    editor.unp_edit.setText("12345")
    editor.codes_edit.setText("99999")
    click_ok(editor)
    assert editor.isVisible()
    assert editor.saved is None
    assert "12345" in editor.error_text("unp")
    assert "99999" in editor.error_text("activity_codes")
    assert editor.error_labels["unp"].isVisibleTo(editor)
    assert editor.error_text("name") == ""
    assert reopened_residents(db_path) == before

    editor.unp_edit.setText("790999002")
    editor.codes_edit.setText("16100")
    click_ok(editor)
    assert not editor.isVisible()
    assert len(reopened_residents(db_path)) == len(before) + 1


def test_editor_explains_unreadable_numbers_with_the_other_problems(page, db_path):
    before = reopened_residents(db_path)
    editor = page.new_resident()
    editor.latitude_edit.setText("north")
    editor.longitude_edit.setText("29,2")
    editor.email_edit.setText("no-at-sign")
    click_ok(editor)
    assert editor.isVisible()
    assert "north" in editor.error_text("latitude")
    assert editor.error_text("name")  # no name either
    assert "no-at-sign" in editor.error_text("email")
    assert reopened_residents(db_path) == before
    editor.reject()


def test_edit_a_resident(page, demo_db, db_path):
    target = resident_service.list_residents(demo_db)[0]
    assert page.select_resident(target.id)
    editor = page.edit_selected()
    assert editor is not None
    assert editor.name_edit.text() == target.name
    assert editor.unp_edit.text() == target.unp
    editor.phone_edit.setText("+375 17 000-00-00")
    click_ok(editor)
    assert not editor.isVisible()
    again = resident_service.find_resident(demo_db, target.id)
    assert again.phone == "+375 17 000-00-00"
    assert again.meta.revision == 2
    assert len(reopened_residents(db_path)) == page.model.total_count()
    assert "+375 17 000-00-00" in page.detail.toPlainText()


def test_delete_a_resident_after_confirmation(page, demo_db, dialogs):
    everyone = resident_service.list_residents(demo_db)
    target = everyone[0]
    page.select_resident(target.id)
    dialogs.answers.append(False)
    assert not page.delete_selected()
    assert page.model.total_count() == len(everyone)

    dialogs.answers.append(True)
    assert page.delete_selected()
    assert target.name in dialogs.questions[-1]
    assert page.model.total_count() == len(everyone) - 1
    assert page.model.row_of(target.id) == -1
    assert page.selected_id() is None
    assert target.id not in {r.id for r in resident_service.list_residents(demo_db)}
    assert database_service.check_db(demo_db).deleted["residents"] == 1


def test_opening_and_saving_unchanged_keeps_the_record_as_it_was(page, demo_db):
    """Coordinates shown with a Russian decimal comma read back to the same numbers."""
    set_language("ru")
    target = next(
        r for r in resident_service.list_residents(demo_db)
        if resident_service.find_resident(demo_db, r.id).latitude is not None
    )
    before = resident_service.find_resident(demo_db, target.id)
    page.select_resident(target.id)
    editor = page.edit_selected()
    assert "," in editor.latitude_edit.text()
    click_ok(editor)
    assert not editor.isVisible()
    after = resident_service.find_resident(demo_db, target.id)
    assert after == before  # same values, same revision: nothing was rewritten


def test_buttons_open_the_editor_and_delete(qtbot, page, demo_db, dialogs):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.editor is not None and page.editor.isVisible()
    assert page.editor.windowTitle() == "New resident"
    page.editor.reject()
    assert not page.edit_button.isEnabled()
    target = resident_service.list_residents(demo_db)[-1]
    page.select_resident(target.id)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert page.editor.windowTitle() == "Edit resident"
    assert page.editor.name_edit.text() == target.name
    page.editor.reject()
    dialogs.answers.append(True)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.model.row_of(target.id) == -1
