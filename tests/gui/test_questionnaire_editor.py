"""The questionnaire editor: generated from the definition, validating inline, saving through services."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

from symdesk.domain.questionnaire import QuestionnaireStatus
from symdesk.domain.resident import Resident
from symdesk.gui.dialogs import messages
from symdesk.gui.dialogs.questionnaire_editor import QuestionnaireEditor
from symdesk.gui.editor.repeat_model import AMOUNT, PERIOD, UNIT
from symdesk.gui.widgets.code_picker import CodePicker
from symdesk.questionnaire.definition import default_definition
from symdesk.services import questionnaires as questionnaire_service
from symdesk.services import residents as resident_service


@pytest.fixture
def resident_id(demo_db):
    saved = resident_service.save_resident(
        demo_db, Resident("", "ООО «Тестовый резидент»", "Тестовый резидент", "791234567", ["16100"])
    )
    return saved.id


@pytest.fixture
def editor(qtbot, demo_db, resident_id):
    document = questionnaire_service.open_document(demo_db, resident_id=resident_id)
    dialog = QuestionnaireEditor(demo_db, document)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def scalar(editor, section, name):
    return editor.pages[section].editors[name]


def set_cell(model, row, field, value, part=None):
    assert model.setData(model.index(row, model.column_of(field, part)), value, Qt.ItemDataRole.EditRole)


def fill_required(editor, *, surveyor="Иванова М. П."):
    scalar(editor, "resident", "contact_person").edit.setText("Петров П. П., инженер-эколог")
    scalar(editor, "survey", "surveyor").edit.setText(surveyor)
    scalar(editor, "survey", "survey_date").edit.setText("05.03.2026")


def stored_status(db, questionnaire_id):
    rows = questionnaire_service.list_questionnaires(db)
    return next(r.status for r in rows if r.id == questionnaire_id)


def test_the_tabs_and_fields_come_from_the_definition(editor):
    definition = default_definition()
    assert editor.tabs.count() == len(definition.sections)
    assert [editor.tabs.tabText(i) for i in range(editor.tabs.count())] == [s.label.en for s in definition.sections]
    surveyor_label = editor.pages["survey"].labels["surveyor"].text()
    assert surveyor_label.endswith("*")
    offers = editor.pages["offers"].model
    headers = [offers.headerData(i, Qt.Orientation.Horizontal) for i in range(offers.columnCount())]
    assert headers[:2] == ["Category *", "Name *"] and "Unit" in headers and "Period" in headers


def test_fill_pick_a_code_and_save_as_draft(qtbot, editor, demo_db, resident_id):
    fill_required(editor)
    scalar(editor, "resources", "water_m3").edit.setText("1 234,5")
    scalar(editor, "resources", "cleaner_production_interest").combo.setCurrentIndex(1)  # "yes"
    offers = editor.pages["offers"]
    offers.add_action.trigger()
    offers.add_action.trigger()
    model = offers.model
    assert model.rowCount() == 2
    set_cell(model, 0, "category", "waste")
    set_cell(model, 0, "name", "Зола уноса")
    set_cell(model, 0, "quantity", "12,5", AMOUNT)
    set_cell(model, 0, "quantity", "t", UNIT)
    set_cell(model, 0, "quantity", "year", PERIOD)
    set_cell(model, 1, "category", "heat")
    set_cell(model, 1, "name", "Тепло дымовых газов")
    set_cell(model, 1, "quantity", "800", AMOUNT)
    set_cell(model, 1, "quantity", "Gcal", UNIT)

    # The code cell's editor is the code picker: type, take the first completion.
    index = model.index(0, model.column_of("code"))
    picker = offers.delegate.createEditor(offers.table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(picker, CodePicker)
    qtbot.keyClicks(picker, "10 01 02")
    assert picker.update_completions() > 0
    assert picker.completion_texts()[0].startswith("10 01 02 — ")
    picker.choose(0)
    assert picker.text() == "100102"
    offers.delegate.setModelData(picker, model, index)
    assert model.data(index) == "100102"

    assert editor.is_dirty()
    assert editor.save_draft(), editor.issues
    assert not editor.is_dirty()
    assert editor.stored_status is QuestionnaireStatus.DRAFT

    stored = questionnaire_service.open_document(demo_db, questionnaire_id=editor.document.questionnaire_id)
    assert stored.status is QuestionnaireStatus.DRAFT
    assert stored.values["water_m3"] == 1234.5
    assert stored.values["cleaner_production_interest"] == "yes"
    assert stored.values["surveyor"] == "Иванова М. П."
    assert stored.values["survey_date"] == date(2026, 3, 5)
    rows = {r.values["name"]: r.values for r in stored.rows["offers"]}
    assert rows["Зола уноса"]["code"] == "100102"
    assert rows["Зола уноса"]["quantity"].amount == 12.5 and rows["Зола уноса"]["quantity"].unit == "t"
    assert rows["Тепло дымовых газов"]["quantity"].unit == "Gcal"
    details = resident_service.resident_details(demo_db, resident_id)
    assert details.resident.contact_person == "Петров П. П., инженер-эколог"
    assert len(details.offers) == 2

    # Saving again updates the same streams rather than adding new ones.
    scalar(editor, "resources", "water_m3").edit.setText("2000")
    assert editor.save_draft()
    assert len(resident_service.resident_details(demo_db, resident_id).offers) == 2


def test_activity_codes_picker_completes_the_word_being_typed(qtbot, editor):
    picker = scalar(editor, "resident", "activity_codes").picker
    picker.setText("16100, ")
    qtbot.keyClicks(picker, "2222")
    assert picker.update_completions() > 0
    picker.choose(0)
    assert picker.text().startswith("16100, 2222")


def test_an_ill_formed_number_is_shown_and_blocks_saving(editor, demo_db, resident_id):
    scalar(editor, "resources", "water_m3").edit.setText("много")
    label = editor.pages["resources"].error_labels["water_m3"]
    assert not label.isHidden() and "is not a number" in label.text()
    assert not editor.save_draft()
    assert editor.tabs.currentWidget() is editor.pages["resources"]
    assert not [q for q in questionnaire_service.list_questionnaires(demo_db) if q.resident_id == resident_id]


def test_completion_needs_every_required_answer(editor, demo_db):
    fill_required(editor, surveyor="")
    assert editor.save_draft()
    assert editor.pages["survey"].error_labels["surveyor"].isHidden()  # drafts may lack it

    assert not editor.mark_complete()
    label = editor.pages["survey"].error_labels["surveyor"]
    assert not label.isHidden() and label.text() == "This field is required"
    assert editor.tabs.currentWidget() is editor.pages["survey"]
    assert not editor.verify_button.isEnabled()
    assert stored_status(demo_db, editor.document.questionnaire_id) == "draft"

    scalar(editor, "survey", "surveyor").edit.setText("Иванова М. П.")
    assert label.isHidden()
    assert editor.mark_complete(), editor.issues
    assert stored_status(demo_db, editor.document.questionnaire_id) == "complete"
    assert editor.verify_button.isEnabled()
    assert editor.mark_verified()
    assert stored_status(demo_db, editor.document.questionnaire_id) == "verified"


def test_a_row_problem_marks_its_cell(editor):
    offers = editor.pages["offers"]
    offers.add_action.trigger()
    model = offers.model
    set_cell(model, 0, "category", "waste")
    set_cell(model, 0, "quantity", "abc", AMOUNT)
    amount = model.index(0, model.column_of("quantity", AMOUNT))
    assert "is not a number" in model.data(amount, Qt.ItemDataRole.ToolTipRole)
    assert model.data(amount, Qt.ItemDataRole.BackgroundRole) is not None
    name = model.index(0, model.column_of("name"))
    assert model.data(name, Qt.ItemDataRole.ToolTipRole) == "This field is required"
    assert not editor.save_draft()


def test_unit_choices_fit_the_row_category(editor):
    offers = editor.pages["offers"]
    offers.add_action.trigger()
    model = offers.model
    set_cell(model, 0, "category", "heat")
    index = model.index(0, model.column_of("quantity", UNIT))
    combo = offers.delegate.createEditor(offers.table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(combo, QComboBox)
    units = [combo.itemData(i) for i in range(combo.count())]
    assert "Gcal" in units and "MWh" in units
    assert "t" not in units and "m3" not in units

    set_cell(model, 0, "category", "waste")
    combo = offers.delegate.createEditor(offers.table.viewport(), QStyleOptionViewItem(), index)
    units = [combo.itemData(i) for i in range(combo.count())]
    assert "t" in units and "Gcal" not in units


def test_relevance_hides_what_is_not_asked(editor):
    offers = editor.pages["offers"]
    offers.add_action.trigger()
    offers.duplicate_action.trigger()
    model = offers.model
    assert model.rowCount() == 2
    set_cell(model, 0, "category", "waste")
    set_cell(model, 1, "category", "heat")
    temperature = model.column_of("temperature_c")
    code = model.column_of("code")
    assert not model.is_relevant(0, temperature)
    assert not model.flags(model.index(0, temperature)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, code)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(1, temperature)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(1, code)) & Qt.ItemFlag.ItemIsEditable

    resources = editor.pages["resources"]
    scalar(editor, "resources", "production_volume").edit.clear()
    assert not resources.is_shown("production_unit")
    scalar(editor, "resources", "production_volume").edit.setText("100")
    assert resources.is_shown("production_unit")

    offers.table.setCurrentIndex(model.index(0, 0))
    offers.remove_action.trigger()
    assert model.rowCount() == 1 and model.rows[0].values["category"] == "heat"


def test_closing_with_unsaved_changes_asks(editor, demo_db, resident_id, monkeypatch):
    asked: list[str] = []
    answers = [messages.CANCEL, messages.DISCARD]

    def ask(_parent, text, _title=""):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(messages, "ask_save_changes", ask)
    editor.close_button.click()  # nothing changed: closes without asking
    assert not editor.isVisible() and not asked

    editor.show()
    scalar(editor, "survey", "surveyor").edit.setText("Кто-то")
    editor.close_button.click()
    assert asked and editor.isVisible()  # Cancel: stays open
    editor.reject()
    assert len(asked) == 2 and not editor.isVisible()  # No: closes without saving
    assert not [q for q in questionnaire_service.list_questionnaires(demo_db) if q.resident_id == resident_id]


def test_closing_and_saving(editor, demo_db, resident_id, monkeypatch):
    monkeypatch.setattr(messages, "ask_save_changes", lambda *_args: messages.SAVE)
    scalar(editor, "survey", "surveyor").edit.setText("Кто-то")
    editor.reject()
    assert not editor.isVisible()
    stored = [q for q in questionnaire_service.list_questionnaires(demo_db) if q.resident_id == resident_id]
    assert [(q.surveyor, q.status) for q in stored] == [("Кто-то", "draft")]
